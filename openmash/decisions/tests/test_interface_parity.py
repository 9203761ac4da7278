"""A page and the API audit the same thing for the same write: one gate per write."""

from collections import Counter

from django.test import Client

from openmash.audit.models import AuditEvent
from openmash.testing.world import PASSWORD, World, contact_make


def verbs_written_by(call: object) -> Counter[str]:
    before = set(AuditEvent.objects.values_list("pk", flat=True))
    call()  # type: ignore[operator]
    return Counter(AuditEvent.objects.exclude(pk__in=before).values_list("verb", flat=True))


def test_screening_by_page_and_by_api_leaves_the_same_events(world: World) -> None:
    page_contact = contact_make(world.practitioner)
    api_contact = contact_make(world.practitioner)
    fields = {"outcome": "mash_enquiry", "level_of_need": 3, "rag": "amber", "rationale": "Why."}
    page = Client()
    page.force_login(world.practitioner)
    api = Client()
    token = api.post(
        "/api/v1/auth/token",
        {"username": "demo.practitioner", "password": PASSWORD},
        content_type="application/json",
    ).json()["token"]

    by_page = verbs_written_by(lambda: page.post(f"/contacts/{page_contact.pk}/screening", fields))
    by_api = verbs_written_by(
        lambda: api.post(
            f"/api/v1/contacts/{api_contact.pk}/screenings",
            fields,
            content_type="application/json",
            headers={"Authorization": f"Bearer {token}"},
        )
    )
    assert by_page == by_api
    assert "contact.viewed" not in by_api  # the write's own event records it
    assert by_page["screening.recorded"] == 1
