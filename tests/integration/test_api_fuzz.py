"""schemathesis against the OpenAPI document: generated requests (valid and invalid) to every
operation must never produce a server error, and responses must match the documented shapes."""

from collections.abc import Iterator

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    response_schema_conformance,
    status_code_conformance,
)

from openmash.accounts.services import token_issue
from openmash.testing.world import World, contact_make

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())


@pytest.fixture(autouse=True)
def keep_the_test_connection_open() -> Iterator[None]:
    """The app is called in-process: Django would close the test transaction's connection at
    the end of each request (which PostgreSQL notices), so keep it for the test's length."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@schema.parametrize()
@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_server_errors(case: schemathesis.Case, world: World) -> None:
    # A contact exists so that generated ids sometimes meet real data paths.
    if not world.hub.contacts.exists():
        contact_make(world.practitioner)
    raw, _ = token_issue(user=world.manager)
    case.call_and_validate(
        headers={"Authorization": f"Bearer {raw}"},
        checks=[not_a_server_error, status_code_conformance, response_schema_conformance],
    )
