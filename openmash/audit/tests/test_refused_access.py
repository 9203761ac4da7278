"""A refused or not-found attempt on personal data leaves an event on the trail."""

from django.test import Client

from openmash.audit.models import AuditEvent, AuditVerb
from openmash.decisions.tests.scenes import ask, screened
from openmash.testing.world import PASSWORD, World


def refusals() -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(verb=AuditVerb.ACCESS_REFUSED).order_by("at"))


def test_a_researcher_probing_another_agencys_request_is_recorded(world: World) -> None:
    contact = screened(world)
    health_request = ask(world, contact, "health")["health"]
    client = Client()
    client.force_login(world.police)
    assert client.get(f"/requests/{health_request.pk}").status_code == 404
    assert client.get(f"/contacts/{contact.pk}").status_code == 404
    events = refusals()
    assert [(e.actor_username, e.changes["status"]) for e in events] == [
        ("demo.police", 404),
        ("demo.police", 404),
    ]
    assert events[0].changes["path"] == f"/requests/{health_request.pk}"
    assert events[0].hub_id == world.hub.pk


def test_api_refusals_are_recorded_with_the_tokens_user(world: World) -> None:
    contact = screened(world)
    client = Client()
    token = client.post(
        "/api/v1/auth/token",
        {"username": "demo.health", "password": PASSWORD},
        content_type="application/json",
    ).json()["token"]
    response = client.get(
        f"/api/v1/contacts/{contact.pk}", headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 404
    (event,) = refusals()
    assert event.actor_username == "demo.health"
    assert event.changes == {
        "method": "GET",
        "path": f"/api/v1/contacts/{contact.pk}",
        "status": 404,
    }


def test_a_mistyped_address_or_an_anonymous_visitor_is_not_an_access_attempt(
    world: World,
) -> None:
    client = Client()
    client.force_login(world.practitioner)
    assert client.get("/no-such-page").status_code == 404
    assert Client().get("/api/v1/contacts/00000000-0000-0000-0000-000000000000").status_code in (
        401,
        404,
    )
    assert refusals() == []
