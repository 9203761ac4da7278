"""Fixtures shared by every test (loaded from the root conftest).

The test world (openmash/testing/world.py) is built once per test session, in the test
database itself, right after pytest-django creates it. Each ordinary test runs inside a
transaction that is rolled back, so it starts from the world as built; the `world` fixture
re-reads the world's objects from the database for each test, so no test sees another's
in-memory changes. A transactional test (`transactional_db`, `live_server`, the browser tests,
`django_db(transaction=True)`) ends by flushing every table: the world is rebuilt straight
after it, so every test starts with the world in the database. See docs/testing.md.
"""

from collections.abc import Iterator
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from pytest_django.plugin import blocking_manager_key

from openmash.testing.world import World, world_build, world_fetch

# A Wednesday in term time, mid-morning, away from month, quarter and year ends, bank holidays
# and the clocks changing, and close to when the date-bound tests were written (the demo
# history runs from 1 April 2024 to "now", so the years it fills depend on "now"): the "now"
# of tests whose answers depend on the date (`frozen_now`).
FROZEN_NOW = datetime(2026, 11, 11, 10, 30, tzinfo=ZoneInfo("Europe/London"))

_TRANSACTIONAL_FIXTURES = {
    "transactional_db",
    "live_server",
    "django_db_reset_sequences",
    "django_db_serialized_rollback",
}


_database = {"ready": False}  # set once the test database exists (and holds the world)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None, django_db_blocker: Any) -> None:
    """pytest-django's test database, with the world built in it once for the session."""
    with django_db_blocker.unblock():
        world_build()
    _database["ready"] = True


@pytest.fixture
def world(db: None) -> World:
    return world_fetch()


def _is_transactional(item: pytest.Item) -> bool:
    marker = item.get_closest_marker("django_db")
    if marker and (marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences")):
        return True
    return bool(_TRANSACTIONAL_FIXTURES & set(getattr(item, "fixturenames", ())))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> Iterator[None]:
    """After a transactional test has flushed the database, put the world back (cheaper than
    serialized rollback here: about 0.08 s against 0.18 s for reloading a serialized copy).
    Idempotent, so a transactional test skipped before it touched the database costs little."""
    try:
        return (yield)
    finally:
        if nextitem is not None and _database["ready"] and _is_transactional(item):
            with item.config.stash[blocking_manager_key].unblock():
                world_build()


@pytest.fixture(autouse=True)
def fresh_match_indexes() -> Iterator[None]:
    """The in-memory match indexes outlive a test's rolled-back database (and the session
    world's hub keeps its primary key from test to test): start each test without them."""
    from openmash.people.live_index import index_forget

    index_forget()
    yield
    index_forget()


@pytest.fixture(autouse=True)
def fresh_django_cache() -> Iterator[None]:
    """Django's in-memory cache outlives a test too, and the public feedback form counts its
    rate limit per hub there: start each test with it empty."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def frozen_now() -> Iterator[datetime]:
    """Freeze "now" at FROZEN_NOW (a quiet working Wednesday) for tests whose answers depend
    on the day of the week, bank holidays, month or quarter ends or the time of day. The clock
    still ticks (so durations measured inside the test stay positive)."""
    with time_machine.travel(FROZEN_NOW, tick=True):
        yield FROZEN_NOW


@pytest.fixture(autouse=True)
def audit_chain_stays_intact(request: pytest.FixtureRequest) -> Iterator[None]:
    """After every test that touched the database, the audit chain must still verify (tests
    that tamper with it on purpose are marked `tampers_with_audit`)."""
    names = set(request.fixturenames)
    marker = request.node.get_closest_marker("django_db")
    if request.node.get_closest_marker("tampers_with_audit") or not (
        {"db", "transactional_db", "live_server"} & names or marker
    ):
        yield
        return
    transactional = bool({"transactional_db", "live_server"} & names) or bool(
        marker and marker.kwargs.get("transaction")
    )
    # Ask for the database fixture here so that it is torn down after this check runs.
    request.getfixturevalue("transactional_db" if transactional else "db")
    yield
    from openmash.audit.services import audit_chain_verify

    report = audit_chain_verify()
    assert report.ok, f"audit chain broken at {report.first_broken_id}: {report.problem}"
