"""The monthly return page: choose a month, see the suppressed headline figures, download the
return as JSON and CSV; only roles that submit returns, and every build is audited."""

import json

import pytest
from django.test import Client

from openmash.audit.models import AuditEvent, AuditVerb
from openmash.reporting.tests.generated import london_study
from openmash.testing.world import World


@pytest.mark.django_db
def test_the_form_offers_recent_months(world: World, client: Client) -> None:
    client.force_login(world.analyst)
    response = client.get("/reporting/return")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="month"' in html and "Show the return" in html
    assert not AuditEvent.objects.filter(verb=AuditVerb.RETURN_BUILT).exists()


@pytest.mark.django_db
def test_the_return_shows_suppressed_cells_and_downloads(world: World, client: Client) -> None:
    london_study(world)
    client.force_login(world.manager)
    response = client.get("/reporting/return", {"month": "2025-03"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "March 2025" in html
    # 7 contacts: over the threshold; 1 Red contact: suppressed.
    assert '<td class="govuk-table__cell govuk-table__cell--numeric">7</td>' in html
    assert '[c]<span class="govuk-visually-hidden"> (suppressed)</span>' in html
    assert "Hartley" not in html

    document = client.get("/reporting/return", {"month": "2025-03", "format": "json"})
    assert document.status_code == 200 and document["Cache-Control"] == "no-store"
    assert 'filename="monthly-return-' in document["Content-Disposition"]
    payload = json.loads(document.content)
    assert payload["period"]["month"] == "2025-03"
    assert payload["contacts"]["total"] == {"value": 7, "suppressed": False}
    assert payload["contacts"]["by_rag"]["red"]["suppressed"] is True

    table = client.get("/reporting/return", {"month": "2025-03", "format": "csv"})
    assert table.status_code == 200
    assert table.content.decode().startswith("measure,value,note\n")
    assert "contacts.total,7," in table.content.decode()
    assert AuditEvent.objects.filter(verb=AuditVerb.RETURN_BUILT).count() == 3


@pytest.mark.django_db
def test_a_month_not_offered_is_an_error(world: World, client: Client) -> None:
    client.force_login(world.analyst)
    response = client.get("/reporting/return", {"month": "2099-01"})
    assert response.status_code == 422
    assert "govuk-error-summary" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["practitioner", "auditor", "referrer", "police"])
def test_only_roles_that_submit_returns(world: World, client: Client, role: str) -> None:
    client.force_login(world.users()[role])
    assert client.get("/reporting/return", {"month": "2025-03"}).status_code == 403
