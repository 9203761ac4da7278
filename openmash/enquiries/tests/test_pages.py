"""MASH enquiry pages through HTTP: asking agencies, the researcher's queue, answering."""

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from openmash.contacts.models import Contact
from openmash.decisions.services import screening_record
from openmash.enquiries.models import InformationRequest, RequestStatus, SharingLedgerEntry
from openmash.testing.world import World, child_subject, contact_make

NARRATIVE = "Bruise to the cheek; the child said a parent got angry."


def client_for(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def screened(world: World, **overrides: object) -> Contact:
    contact = contact_make(world.practitioner, **overrides)
    screening_record(
        actor=world.practitioner,
        contact=contact,
        outcome="mash_enquiry",
        level_of_need=3,
        rag="amber",
        rationale="Injury with a disclosure.",
    )
    return contact


def ask_police_and_health(world: World, contact: Contact) -> dict[str, InformationRequest]:
    response = client_for(world.practitioner).post(
        reverse("enquiries:request-create", args=[contact.pk]),
        {
            "agencies": [str(world.agencies["police"].pk), str(world.agencies["health"].pk)],
            "question": "What do you know about Amelia and Lee?",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("contacts:detail", args=[contact.pk])
    return {r.agency.code: r for r in contact.requests.select_related("agency")}


def answer(client: Client, request: InformationRequest, **data: str) -> Any:
    return client.post(reverse("enquiries:detail", args=[request.pk]), data)


KNOWN = {
    "result": "known",
    "information": "Lee Hartley was arrested for assault in 2023. Two domestic incidents logged.",
    "handling": "mash_only",
    "lawful_basis": "law_enforcement",
}


def test_practitioner_screens_on_the_page_then_asks_police_and_health(world: World) -> None:
    contact = contact_make(world.practitioner)
    practitioner = client_for(world.practitioner)
    response = practitioner.post(
        reverse("decisions:screen", args=[contact.pk]),
        {
            "outcome": "mash_enquiry",
            "level_of_need": "3",
            "rag": "amber",
            "rationale": "Injury with a disclosure: needs agency checks today.",
        },
    )
    assert response.status_code == 302

    page = practitioner.get(reverse("enquiries:request-create", args=[contact.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Amber" in html
    assert "within 24 working hours" in html
    assert world.agencies["police"].name in html
    assert world.agencies["mash"].name not in html  # the MASH team is never asked

    requests = ask_police_and_health(world, contact)
    assert set(requests) == {"police", "health"}
    assert all(r.rag == "amber" and r.status == RequestStatus.OPEN for r in requests.values())
    assert requests["police"].question == "What do you know about Amelia and Lee?"
    contact.refresh_from_db()
    assert contact.stage == "enquiry"


def test_asking_needs_an_agency_and_a_screened_contact(world: World) -> None:
    practitioner = client_for(world.practitioner)
    unscreened = contact_make(world.practitioner)
    url = reverse("enquiries:request-create", args=[unscreened.pk])
    response = practitioner.post(url, {"agencies": [str(world.agencies["police"].pk)]})
    assert response.status_code == 409
    assert "after screening" in response.content.decode()
    assert not InformationRequest.objects.exists()

    contact = screened(world)
    response = practitioner.post(
        reverse("enquiries:request-create", args=[contact.pk]), {"question": "Anything?"}
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "<title>Error: " in html
    assert "Choose at least one agency to ask" in html
    assert 'href="#id_agencies"' in html


def test_police_researcher_sees_only_the_police_request_and_the_minimum(world: World) -> None:
    contact = screened(
        world,
        people=[
            child_subject(
                address_line_1="Refuge 7 Harbour Road",
                postcode="NT9 9ZZ",
                address_confidential=True,
            ),
        ],
    )
    requests = ask_police_and_health(world, contact)
    police = client_for(world.police)

    queue = police.get(reverse("enquiries:queue"))
    assert queue.status_code == 200
    html = queue.content.decode()
    assert reverse("enquiries:detail", args=[requests["police"].pk]) in html
    assert reverse("enquiries:detail", args=[requests["health"].pk]) not in html
    assert contact.reference in html
    assert "Amber" in html
    assert "left" in html or "overdue" in html

    page = police.get(reverse("enquiries:detail", args=[requests["police"].pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Amelia" in html
    assert "Hartley" in html
    assert "14 March 2016" in html
    assert "What do you know about Amelia and Lee?" in html
    assert NARRATIVE not in html
    assert "Refuge 7 Harbour Road" not in html
    assert "NT9 9ZZ" not in html
    assert "Withheld: confidential address" in html
    assert 'name="result"' in html


def test_police_answers_and_the_sharing_ledger_records_it(world: World) -> None:
    contact = screened(world)
    police_request = ask_police_and_health(world, contact)["police"]
    police = client_for(world.police)

    response = answer(police, police_request, **KNOWN)
    assert response.status_code == 302
    assert response["Location"] == reverse("enquiries:queue")

    police_request.refresh_from_db()
    assert police_request.status == RequestStatus.ANSWERED
    assert police_request.result == "known"
    assert police_request.handling == "mash_only"
    assert police_request.lawful_basis == "law_enforcement"
    assert police_request.answered_by == world.police
    entry = SharingLedgerEntry.objects.get(
        information_request=police_request, from_agency=world.agencies["police"]
    )
    assert entry.shared is True
    assert entry.to == "MASH"
    assert entry.handling == "mash_only"
    assert entry.lawful_basis == "law_enforcement"
    # The MASH's own disclosure to each agency was logged when it asked.
    assert SharingLedgerEntry.objects.filter(
        information_request=police_request, from_agency=world.agencies["mash"]
    ).exists()

    # Answered: gone from the open queue, in the answered tab, and read-only on its page.
    link = reverse("enquiries:detail", args=[police_request.pk])
    assert link not in police.get(reverse("enquiries:queue")).content.decode()
    answered = police.get(reverse("enquiries:queue") + "?status=answered").content.decode()
    assert link in answered
    page = police.get(reverse("enquiries:detail", args=[police_request.pk])).content.decode()
    assert KNOWN["information"] in page
    assert "MASH only" in page
    assert 'name="result"' not in page


def test_answering_twice_is_a_conflict(world: World) -> None:
    contact = screened(world)
    police_request = ask_police_and_health(world, contact)["police"]
    police = client_for(world.police)
    assert answer(police, police_request, **KNOWN).status_code == 302

    again = answer(police, police_request, result="not_known", lawful_basis="law_enforcement")
    assert again.status_code == 409
    html = again.content.decode()
    assert "This request has already been answered or withdrawn." in html
    assert "govuk-error-summary" in html
    police_request.refresh_from_db()
    assert police_request.result == "known"


def test_known_without_information_is_refused_with_the_message(world: World) -> None:
    contact = screened(world)
    police_request = ask_police_and_health(world, contact)["police"]
    response = answer(
        client_for(world.police),
        police_request,
        result="known",
        handling="mash_only",
        lawful_basis="law_enforcement",
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "<title>Error: " in html
    assert "Enter the information your agency holds" in html
    assert 'href="#id_information"' in html
    assert 'id="id_information-error"' in html
    police_request.refresh_from_db()
    assert police_request.status == RequestStatus.OPEN
    assert not SharingLedgerEntry.objects.filter(
        information_request=police_request, from_agency=world.agencies["police"]
    ).exists()


def test_not_checked_needs_a_reason(world: World) -> None:
    contact = screened(world)
    police_request = ask_police_and_health(world, contact)["police"]
    police = client_for(world.police)
    response = answer(police, police_request, result="not_checked")
    assert response.status_code == 422
    assert "Explain why your agency&#x27;s records were not checked" in response.content.decode()
    response = answer(
        police,
        police_request,
        result="not_checked",
        not_checked_reason="The police system was down all day.",
    )
    assert response.status_code == 302
    entry = SharingLedgerEntry.objects.get(
        information_request=police_request, from_agency=world.agencies["police"]
    )
    assert entry.shared is False


def test_health_cannot_open_the_police_request_nor_the_contact(world: World) -> None:
    contact = screened(world)
    police_request = ask_police_and_health(world, contact)["police"]
    health = client_for(world.health)
    assert health.get(reverse("enquiries:detail", args=[police_request.pk])).status_code == 404
    assert answer(health, police_request, **KNOWN).status_code == 404
    for name in (
        "contacts:detail",
        "enquiries:request-create",
        "decisions:screen",
        "decisions:propose",
        "decisions:feedback",
    ):
        assert health.get(reverse(name, args=[contact.pk])).status_code == 404, name
    police_request.refresh_from_db()
    assert police_request.status == RequestStatus.OPEN


def test_mash_staff_see_the_request_read_only(world: World) -> None:
    contact = screened(world)
    police_request = ask_police_and_health(world, contact)["police"]
    manager = client_for(world.manager)
    page = manager.get(reverse("enquiries:detail", args=[police_request.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Waiting for" in html
    assert 'name="result"' not in html
    assert answer(manager, police_request, **KNOWN).status_code == 403
    # The hub-wide queue lets them chase every agency.
    queue = manager.get(reverse("enquiries:queue")).content.decode()
    assert world.agencies["police"].name in queue
    assert world.agencies["health"].name in queue


def test_pages_need_sign_in_and_the_right_role(world: World) -> None:
    contact = screened(world)
    anonymous = Client()
    response = anonymous.get(reverse("enquiries:queue"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:sign-in"))
    assert client_for(world.analyst).get(reverse("enquiries:queue")).status_code == 403
    assert (
        client_for(world.auditor)
        .get(reverse("enquiries:request-create", args=[contact.pk]))
        .status_code
        == 403
    )


@pytest.mark.parametrize("path", ["/requests/not-a-uuid", "/contacts/123/requests/new"])
def test_only_uuids_in_urls(world: World, path: str) -> None:
    assert client_for(world.practitioner).get(path).status_code == 404
