"""Feedback to the referrer: what a message must never contain (however it is typed), and the
e-mail sent in the background, whose failure is recorded and can be retried."""

import smtplib
from collections.abc import Callable, Sequence
from typing import Any

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.message import EmailMessage
from django.test import override_settings
from django.urls import reverse

from openmash.audit.models import AuditEvent, AuditVerb
from openmash.contacts.models import Contact, JourneyStage
from openmash.contacts.services import PersonInput
from openmash.core.errors import Conflict, ValidationError
from openmash.decisions.models import EmailStatus, Feedback
from openmash.decisions.services import feedback_email_resend, feedback_send
from openmash.decisions.tests.scenes import (
    POLICE_INFORMATION,
    ask,
    client_for,
    police_answered,
    screened,
    signed_decision,
)
from openmash.enquiries.services import request_answer
from openmash.testing.world import World, child_subject

FAILING_BACKEND = "openmash.decisions.tests.test_feedback.FailingBackend"


class FailingBackend(BaseEmailBackend):
    """An SMTP server that hangs up, with personal data in the error (as real ones do)."""

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        recipients = ", ".join(r for m in email_messages for r in m.to)
        raise smtplib.SMTPServerDisconnected(f"Connection closed while sending to {recipients}")


# -- Nothing confidential, however it is typed --------------------------------------------------


def refuge_contact(world: World) -> Contact:
    """A child at a refuge (confidential), a parent elsewhere also at a confidential address."""
    contact = screened(
        world,
        people=[
            child_subject(
                address_line_1="Refuge 7 Harbour Road",
                address_line_2="Flat 3, Anchor House",
                town="Seaport",
                postcode="NT9 9ZZ",
                address_confidential=True,
            ),
            PersonInput(
                role="household",
                kind="adult",
                relationship="parent",
                given_name="Jo",
                family_name="Hartley",
                address_line_1="14 Quarry Close",
                postcode="NT5 2PQ",
                address_confidential=True,
            ),
        ],
    )
    police_answered(world, contact)
    signed_decision(world, contact)
    return contact


@pytest.mark.parametrize(
    "message",
    [
        "She is safe at REFUGE 7 HARBOUR ROAD now.",  # case
        "She is safe at refuge 7, harbour road.",  # punctuation and spacing
        "Write to flat 3 anchor house.",  # line 2
        "She has moved to Seaport.",  # town
        "Postcode NT99ZZ.",  # postcode without its space
        "postcode nt9 9zz",  # lower case
        "post code: NT9-9ZZ",  # other punctuation
        "Her mother lives at 14 quarry close.",  # another person's confidential address
        "The family's postcode is nt52pq",
    ],
)
def test_no_part_of_a_confidential_address_gets_through(world: World, message: str) -> None:
    contact = refuge_contact(world)
    with pytest.raises(ValidationError, match="a confidential address"):
        feedback_send(actor=world.practitioner, contact=contact, message=message)
    assert not Feedback.objects.exists()


@pytest.mark.parametrize(
    "message",
    [
        "lee hartley was arrested for assault in 2023",  # case, no full stop
        "Police say: LEE  HARTLEY WAS ARRESTED - for assault in 2023!",  # spacing, punctuation
        "There were two domestic incidents logged, sadly.",  # one clause of the answer
        "Note: MISSED three health-visitor appointments this year",  # another agency
    ],
)
def test_no_sentence_or_clause_of_an_agencys_answer_gets_through(
    world: World, message: str
) -> None:
    contact = refuge_contact(world)
    with pytest.raises(ValidationError, match="information supplied by"):
        feedback_send(actor=world.practitioner, contact=contact, message=message)


def test_a_reason_for_not_checking_is_agency_information_too(world: World) -> None:
    contact = screened(world)
    asked = ask(world, contact, "education")
    request_answer(
        actor=world.education,
        request=asked["education"],
        result="not_checked",
        not_checked_reason="The pupil left the school in March; records went to Oakfield.",
    )
    signed_decision(world, contact)
    with pytest.raises(ValidationError, match="information supplied by"):
        feedback_send(
            actor=world.practitioner,
            contact=contact,
            message="We heard THE PUPIL LEFT THE SCHOOL IN MARCH.",
        )


def test_the_standard_message_and_ordinary_words_pass(world: World) -> None:
    contact = refuge_contact(world)
    # Short common fragments ("the police", "assault") are not a disclosure on their own.
    feedback = feedback_send(
        actor=world.practitioner,
        contact=contact,
        message="The MASH has decided on an assessment. Thank you; the police were involved.",
    )
    # Issue 11: a note on a contact with a confidential address waits for a manager.
    assert feedback.status == "awaiting_approval"
    assert feedback.email_status == EmailStatus.NOT_NEEDED
    assert POLICE_INFORMATION not in feedback.message


# -- The e-mail: sent in the background, its fate recorded ------------------------------------


def decided(world: World, **overrides: object) -> Contact:
    contact = screened(world, **overrides)
    signed_decision(world, contact)
    return contact


def test_a_sent_email_is_recorded(
    world: World, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    contact = decided(world)
    with django_capture_on_commit_callbacks(execute=True):
        feedback = feedback_send(actor=world.practitioner, contact=contact)
    feedback.refresh_from_db()
    assert feedback.email_status == EmailStatus.SENT
    assert feedback.emailed_at is not None
    assert feedback.email_error == ""
    assert [m.to for m in mail.outbox] == [["sam.teacher@school.example"]]


def test_without_an_address_nothing_is_queued(
    world: World, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    contact = decided(world, referrer_email="")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        feedback = feedback_send(actor=world.practitioner, contact=contact)
    assert callbacks == []
    assert feedback.email_status == EmailStatus.NOT_NEEDED
    assert mail.outbox == []


@override_settings(EMAIL_BACKEND=FAILING_BACKEND)
def test_a_failed_email_is_recorded_without_personal_data_and_audited(
    world: World, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    contact = decided(world)
    with django_capture_on_commit_callbacks(execute=True):
        feedback = feedback_send(actor=world.practitioner, contact=contact)
    feedback.refresh_from_db()
    assert feedback.email_status == EmailStatus.FAILED
    assert feedback.email_error == "SMTPServerDisconnected"
    assert feedback.emailed_at is None
    contact.refresh_from_db()
    assert contact.stage == JourneyStage.CLOSED  # the feedback itself stands
    event = AuditEvent.objects.get(verb=AuditVerb.FEEDBACK_EMAIL_FAILED)
    assert event.actor is None
    assert event.target_id == str(feedback.pk)
    assert event.contact_id == contact.pk
    assert "school.example" not in str(event.changes)
    assert event.changes["error"] == "SMTPServerDisconnected"


@pytest.mark.django_db(transaction=True)
def test_the_page_shows_a_failure_and_sends_it_again(world: World) -> None:
    """Real commits: the task runs when the feedback commits, before the page answers."""
    contact = decided(world)
    practitioner = client_for(world.practitioner)
    url = reverse("decisions:feedback", args=[contact.pk])
    with override_settings(EMAIL_BACKEND=FAILING_BACKEND):
        response = practitioner.post(url, {"message": ""})
    # No 500 after the commit: the user is told, on the page that can retry.
    assert response.status_code == 302
    assert response["Location"] == url
    page = practitioner.get(url).content.decode()
    assert "could not be sent" in page
    assert "E-mail failed" in page
    assert "SMTPServerDisconnected" in page
    assert "sam.teacher@school.example</span>" in page  # the retry button names the recipient
    feedback = Feedback.objects.get()
    resend = reverse("decisions:feedback-resend", args=[feedback.pk])
    assert resend in page

    # Others cannot: the referrer sees the feedback but may not send it; health cannot see it.
    assert client_for(world.referrer).post(resend).status_code in (403, 404)
    assert client_for(world.health).post(resend).status_code == 404

    response = practitioner.post(resend)
    assert response.status_code == 302
    assert response["Location"] == reverse("contacts:detail", args=[contact.pk])
    feedback.refresh_from_db()
    assert (feedback.email_status, feedback.email_error) == (EmailStatus.SENT, "")
    assert len(mail.outbox) == 1
    assert AuditEvent.objects.filter(verb=AuditVerb.FEEDBACK_EMAIL_RESENT).count() == 1
    page = practitioner.get(url).content.decode()
    assert "E-mailed" in page
    assert resend not in page

    # Sent: there is nothing to send again.
    response = practitioner.post(resend)
    assert response.status_code == 302
    assert response["Location"] == url
    assert len(mail.outbox) == 1


def test_only_a_failed_email_can_be_sent_again(
    world: World, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    contact = decided(world)
    with django_capture_on_commit_callbacks(execute=True):
        feedback = feedback_send(actor=world.practitioner, contact=contact)
    with pytest.raises(Conflict):
        feedback_email_resend(actor=world.practitioner, feedback=feedback)


@override_settings(EMAIL_BACKEND=FAILING_BACKEND)
def test_the_api_reports_the_email_status(
    world: World, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    contact = decided(world)
    practitioner = client_for(world.practitioner)
    with django_capture_on_commit_callbacks(execute=True):
        created = practitioner.post(
            f"/api/v1/contacts/{contact.pk}/feedback", {}, content_type="application/json"
        )
    assert created.status_code == 201
    feedback_id = created.json()["id"]
    assert Feedback.objects.get(pk=feedback_id).email_status == EmailStatus.FAILED
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
        with django_capture_on_commit_callbacks(execute=True):
            resent = practitioner.post(
                f"/api/v1/feedback/{feedback_id}/resend", {}, content_type="application/json"
            )
        assert resent.status_code == 200
        assert resent.json()["email_status"] == "queued"  # the task runs after the commit
        assert Feedback.objects.get(pk=feedback_id).email_status == EmailStatus.SENT
        again = practitioner.post(
            f"/api/v1/feedback/{feedback_id}/resend", {}, content_type="application/json"
        )
    assert again.status_code == 409
