"""Issue 11, item 5: feedback to the referrer is built from structured fields; a note on a
contact holding originator-controlled information or a confidential address reaches neither
the referrer nor an e-mail until a manager other than its sender approves it; the originating
agency's consent, recorded in the sharing ledger, lifts the hold."""

from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.urls import reverse

from openmash.audit.models import AuditEvent, AuditVerb
from openmash.contacts.models import Contact, JourneyStage
from openmash.core.errors import PermissionDenied, ValidationError
from openmash.decisions.models import Feedback, FeedbackStatus
from openmash.decisions.services import feedback_approve, feedback_return, feedback_send
from openmash.decisions.tests.scenes import ask, client_for, screened, signed_decision
from openmash.enquiries.models import SharingLedgerEntry
from openmash.enquiries.onward_consent import ONWARD_CONSENT_WHAT, onward_consent_record
from openmash.enquiries.services import request_answer
from openmash.testing.world import World, child_subject

POLICE_SAYS = "Officers attended after a neighbour reported shouting; the father was cautioned."
PARAPHRASE = "The police have been out to the house and the dad got a caution, so stay alert."
NEAR_ADDRESS = "She is staying near Hideaway Street, ZZ9 area, for now."


def police_controlled(world: World) -> Contact:
    """A contact whose police answer needs the originator's consent before onward disclosure."""
    contact = screened(world)
    asked = ask(world, contact, "police")
    request_answer(
        actor=world.police,
        request=asked["police"],
        result="known",
        information=POLICE_SAYS,
        handling="originator_consent",
        lawful_basis="law_enforcement",
    )
    signed_decision(world, contact)
    return contact


def hideaway(world: World) -> Contact:
    contact = screened(
        world,
        people=[
            child_subject(
                address_line_1="12 Hideaway Street",
                town="Lowtown",
                postcode="ZZ9 1AB",
                address_confidential=True,
            )
        ],
    )
    signed_decision(world, contact)
    return contact


def referrer_sees(contact: Contact) -> list[str]:
    return [f.message for f in Contact.objects.get(pk=contact.pk).feedback.all()]


@pytest.mark.parametrize(
    ("scene", "note"), [(police_controlled, PARAPHRASE), (hideaway, NEAR_ADDRESS)]
)
def test_a_leak_the_text_check_misses_waits_for_a_manager(
    world: World,
    django_capture_on_commit_callbacks: Callable[..., Any],
    scene: Callable[[World], Contact],
    note: str,
) -> None:
    contact = scene(world)
    with django_capture_on_commit_callbacks(execute=True):
        held = feedback_send(actor=world.practitioner, contact=contact, message=note)
    assert held.status == FeedbackStatus.AWAITING_APPROVAL
    assert mail.outbox == []
    assert referrer_sees(contact) == []
    contact.refresh_from_db()
    assert contact.stage == JourneyStage.FEEDBACK
    assert AuditEvent.objects.filter(verb=AuditVerb.FEEDBACK_HELD).count() == 1

    with django_capture_on_commit_callbacks(execute=True):
        feedback_approve(actor=world.manager, feedback=held)
    held.refresh_from_db()
    assert held.status == FeedbackStatus.SENT
    assert held.approved_by == world.manager
    assert referrer_sees(contact) == [held.message]
    # The e-mail carries the code-composed summary, never the note.
    assert len(mail.outbox) == 1
    assert note not in mail.outbox[0].body
    assert contact.reference in mail.outbox[0].body
    assert AuditEvent.objects.filter(verb=AuditVerb.FEEDBACK_APPROVED).count() == 1


def test_the_sender_cannot_approve_their_own_message(world: World) -> None:
    contact = hideaway(world)
    held = feedback_send(actor=world.manager, contact=contact, message=NEAR_ADDRESS)
    with pytest.raises(PermissionDenied):
        feedback_approve(actor=world.manager, feedback=held)
    with pytest.raises(PermissionDenied):
        feedback_approve(actor=world.practitioner, feedback=held)  # not a manager
    held.refresh_from_db()
    assert held.status == FeedbackStatus.AWAITING_APPROVAL


def test_a_returned_message_is_never_sent_and_can_be_written_again(world: World) -> None:
    contact = hideaway(world)
    held = feedback_send(actor=world.practitioner, contact=contact, message=NEAR_ADDRESS)
    with pytest.raises(ValidationError):
        feedback_return(actor=world.manager, feedback=held, note="")
    feedback_return(actor=world.manager, feedback=held, note="This says where she is.")
    held.refresh_from_db()
    assert held.status == FeedbackStatus.RETURNED
    assert referrer_sees(contact) == []
    assert mail.outbox == []
    again = feedback_send(actor=world.practitioner, contact=contact)
    assert again.status == FeedbackStatus.SENT


def test_consent_recorded_by_the_originating_agency_lifts_the_hold(world: World) -> None:
    contact = police_controlled(world)
    police_request = contact.requests.get()
    with pytest.raises(PermissionDenied):
        onward_consent_record(actor=world.health, info_request=police_request)
    onward_consent_record(actor=world.police, info_request=police_request)
    entry = SharingLedgerEntry.objects.get(what=ONWARD_CONSENT_WHAT)
    assert (entry.by, entry.from_agency, entry.information_request) == (
        world.police,
        world.agencies["police"],
        police_request,
    )
    sent = feedback_send(actor=world.practitioner, contact=contact, message=PARAPHRASE)
    assert sent.status == FeedbackStatus.SENT


def test_without_a_note_it_is_sent_at_once(world: World) -> None:
    contact = hideaway(world)
    sent = feedback_send(actor=world.practitioner, contact=contact)
    assert sent.status == FeedbackStatus.SENT
    assert sent.message == sent.summary
    assert "What happens now" in sent.message


def test_the_note_is_short(world: World) -> None:
    contact = hideaway(world)
    with pytest.raises(ValidationError, match="500 characters"):
        feedback_send(actor=world.practitioner, contact=contact, message="x" * 501)
    assert not Feedback.all_objects.exists()


def test_the_page_and_the_api_hold_and_approve_alike(
    world: World, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    # The page.
    contact = hideaway(world)
    url = reverse("decisions:feedback", args=[contact.pk])
    response = client_for(world.practitioner).post(url, {"message": NEAR_ADDRESS})
    assert response.status_code == 302
    held = Feedback.all_objects.get(contact=contact)
    assert held.status == FeedbackStatus.AWAITING_APPROVAL
    assert mail.outbox == []
    approval = reverse("decisions:feedback-approval", args=[held.pk])
    assert client_for(world.practitioner).post(approval, {"decision": "approve"}).status_code == 403
    assert "Record your decision" in client_for(world.manager).get(url).content.decode()
    assert client_for(world.manager).post(approval, {}).status_code == 422
    no_reason = client_for(world.manager).post(approval, {"decision": "return"})
    assert no_reason.status_code == 422
    assert "Say why the message is returned" in no_reason.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(world.manager).post(approval, {"decision": "approve"})
    assert response.status_code == 302
    assert Feedback.objects.get(contact=contact).pk == held.pk
    assert len(mail.outbox) == 1

    # The API.
    other = hideaway(world)
    api = client_for(world.practitioner)
    answer = api.post(
        f"/api/v1/contacts/{other.pk}/feedback",
        {"message": NEAR_ADDRESS},
        content_type="application/json",
    )
    assert answer.status_code == 201
    assert answer.json()["status"] == "awaiting_approval"
    held_id = answer.json()["id"]
    refused = api.post(
        f"/api/v1/feedback/{held_id}/approval",
        {"decision": "approve"},
        content_type="application/json",
    )
    assert refused.status_code == 403
    with django_capture_on_commit_callbacks(execute=True):
        approved = client_for(world.manager).post(
            f"/api/v1/feedback/{held_id}/approval",
            {"decision": "approve"},
            content_type="application/json",
        )
    assert approved.status_code == 200
    assert approved.json()["status"] == "sent"
    assert len(mail.outbox) == 2
    assert NEAR_ADDRESS not in mail.outbox[1].body


def test_the_referrer_never_sees_a_held_message(world: World) -> None:
    contact = hideaway(world)
    contact.submitted_by = world.referrer
    contact.save()
    feedback_send(actor=world.practitioner, contact=contact, message=NEAR_ADDRESS)
    referrer = client_for(world.referrer)
    seen = referrer.get(f"/api/v1/contacts/{contact.pk}").json()
    assert seen["feedback"] == []
    page = referrer.get(reverse("contacts:detail", args=[contact.pk])).content.decode()
    assert "Hideaway" not in page


def test_the_originating_agency_consents_from_the_request_page(world: World) -> None:
    contact = police_controlled(world)
    police_request = contact.requests.get()
    url = reverse("enquiries:detail", args=[police_request.pk])
    button = "Consent to onward disclosure to the referrer"
    assert button in client_for(world.police).get(url).content.decode()
    assert button not in client_for(world.manager).get(url).content.decode()
    consent = reverse("enquiries:onward-consent", args=[police_request.pk])
    assert client_for(world.health).post(consent).status_code == 404
    response = client_for(world.police).post(consent)
    assert response.status_code == 302
    assert SharingLedgerEntry.objects.filter(what=ONWARD_CONSENT_WHAT).count() == 1
    assert button not in client_for(world.police).get(url).content.decode()
    assert AuditEvent.objects.filter(verb=AuditVerb.ONWARD_CONSENT_RECORDED).count() == 1
