"""schemathesis against the OpenAPI document: generated requests (valid and invalid) to every
operation must never produce a server error, and responses must match the documented shapes."""

import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    response_schema_conformance,
    status_code_conformance,
)

from openmash.accounts.services import token_issue
from openmash.testing.world import World, contact_make

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())


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
