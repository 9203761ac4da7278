"""Police information is shown to someone outside the police once they have said why they need
it; the reason is recorded with the read (DPA 2018 s.62)."""

from django.urls import reverse

from openmash.audit.models import AuditEvent, AuditVerb
from openmash.decisions.tests.scenes import (
    POLICE_INFORMATION,
    client_for,
    police_answered,
    screened,
)
from openmash.testing.world import World


def test_a_practitioner_gives_a_reason_once_then_reads_the_police_answer(world: World) -> None:
    contact = screened(world)
    police_request = police_answered(world, contact)
    practitioner = client_for(world.practitioner)
    contact_page = reverse("contacts:detail", args=[contact.pk])
    request_page = reverse("enquiries:detail", args=[police_request.pk])
    reason_page = reverse("contacts:police-information", args=[contact.pk])

    for page in (contact_page, request_page):
        html = practitioner.get(page).content.decode()
        assert POLICE_INFORMATION not in html
        assert reason_page in html
    # Health's answer is not police information: shown without asking.
    assert (
        "Missed three health visitor appointments"
        in practitioner.get(contact_page).content.decode()
    )

    refused = practitioner.post(reason_page, {"reason": "  "})
    assert refused.status_code == 422
    assert "Enter why you need to read the police information" in refused.content.decode()
    assert not AuditEvent.objects.filter(verb=AuditVerb.POLICE_INFORMATION_CONSULTED).exists()

    done = practitioner.post(reason_page, {"reason": "Screening the contact"})
    assert done.status_code == 302 and done["Location"].endswith("#requests")
    event = AuditEvent.objects.get(verb=AuditVerb.POLICE_INFORMATION_CONSULTED)
    assert event.actor == world.practitioner and event.contact_id == contact.pk
    assert event.reason == "Screening the contact"
    assert event.changes == {"requests": [str(police_request.pk)]}
    for page in (contact_page, request_page):
        assert POLICE_INFORMATION in practitioner.get(page).content.decode()

    # Each reader says why: the manager is still asked.
    assert POLICE_INFORMATION not in client_for(world.manager).get(contact_page).content.decode()


def test_the_police_read_their_own_answer_without_a_reason(world: World) -> None:
    contact = screened(world)
    police_request = police_answered(world, contact)
    html = client_for(world.police).get(reverse("enquiries:detail", args=[police_request.pk]))
    assert POLICE_INFORMATION in html.content.decode()


def test_no_reason_page_for_those_who_cannot_see_the_contact(world: World) -> None:
    contact = screened(world)
    police_answered(world, contact)
    url = reverse("contacts:police-information", args=[contact.pk])
    assert client_for(world.health).get(url).status_code == 404
    assert client_for(world.referrer).post(url, {"reason": "Curious"}).status_code == 404
    assert not AuditEvent.objects.filter(verb=AuditVerb.POLICE_INFORMATION_CONSULTED).exists()
