"""Fixtures shared by every test (loaded from the root conftest)."""

from collections.abc import Iterator

import pytest

from openmash.testing.world import World, world_build


@pytest.fixture
def world(db: None) -> World:
    return world_build()


@pytest.fixture(autouse=True)
def fresh_match_indexes() -> Iterator[None]:
    """The in-memory match indexes outlive a test's rolled-back database: start each test
    without them."""
    from openmash.people.live_index import index_forget

    index_forget()
    yield
    index_forget()


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
