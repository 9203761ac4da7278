"""Feedback to the referrer: the standard message, the disclosure check, sending it (which
closes the contact) and sending a failed e-mail again. The e-mail itself goes out in the
background (feedback_email.py, run by tasks.py)."""

import logging
from functools import partial
from typing import TYPE_CHECKING
from uuid import UUID

from django.db import transaction
from django.utils import timezone

from openmash.access.checks import require, require_same_hub
from openmash.access.permissions import Permission
from openmash.audit.models import AuditVerb
from openmash.audit.services import audit_record
from openmash.contacts.journey import journey_enter
from openmash.contacts.models import Contact, JourneyStage
from openmash.core.errors import Conflict, NotFound, ValidationError
from openmash.enquiries.models import InformationRequest
from openmash.enquiries.services import ledger_record, mash_agency_for

from .. import hooks
from ..disclosure import AgencyAnswer, ConfidentialAddress, disclosure_problems
from ..models import Decision, DecisionStatus, EmailStatus, Feedback
from .feedback_email import feedback_email_failed

if TYPE_CHECKING:
    from openmash.accounts.models import User

logger = logging.getLogger(__name__)


def feedback_compose(contact: Contact, decision: Decision) -> str:
    """The standard message: the outcome and next steps only, never agency information and
    never an address."""
    return (
        f"Thank you for your contact (reference {contact.reference}) received on "
        f"{timezone.localtime(contact.received_at):%d %B %Y}.\n\n"
        f"The MASH has considered it and decided: {decision.outcome.label}.\n\n"
        "Information from other agencies is confidential and is not included here. If your "
        "concerns continue or increase, please contact the MASH again straight away."
    )


def _feedback_leaks(contact: Contact, message: str) -> list[str]:
    """What the message would disclose of the contact's confidential addresses and agencies'
    answers (the rules: decisions/disclosure.py)."""
    addresses = [
        ConfidentialAddress(
            lines=(person.address_line_1, person.address_line_2, person.town),
            postcode=person.postcode,
        )
        for person in contact.people.filter(address_confidential=True)
    ]
    answers = [
        AgencyAnswer(
            agency_name=answer.agency.name,
            texts=(answer.information, answer.not_checked_reason),
        )
        for answer in InformationRequest.objects.filter(contact=contact)
        .exclude(information="", not_checked_reason="")
        .select_related("agency")
    ]
    return disclosure_problems(message, addresses=addresses, answers=answers)


def feedback_send(*, actor: "User", contact: Contact, message: str | None = None) -> Feedback:
    """Tell the referrer the outcome (by e-mail when we have an address; referrers who sign
    in also see it). Refuses a message that would disclose agency information or a
    confidential address. The e-mail is sent in the background once this commits; its fate is
    recorded on the feedback (`email_status`)."""
    require_same_hub(actor, contact.hub_id, "Contact not found")
    require(actor, Permission.FEEDBACK_SEND)
    with transaction.atomic():
        # Re-read the contact under a lock: feedback is sent once.
        contact.refresh_from_db(from_queryset=Contact.objects.select_for_update())
        if contact.stage != JourneyStage.FEEDBACK:
            raise Conflict("Feedback is sent after a decision has been signed off.")
        decision = (
            contact.decisions.filter(status=DecisionStatus.SIGNED_OFF)
            .select_related("outcome")
            .first()
        )
        if decision is None:
            raise NotFound("No signed-off decision")
        text = (message or "").strip() or feedback_compose(contact, decision)
        leaks = _feedback_leaks(contact, text)
        if leaks:
            raise ValidationError.for_field(
                "message", f"The message must not contain {', '.join(sorted(set(leaks)))}"
            )
        recipient = contact.referrer_email or (
            contact.submitted_by.email if contact.submitted_by else ""
        )
        feedback = Feedback.objects.create(
            contact=contact,
            decision=decision,
            message=text,
            sent_to=recipient,
            sent_by=actor,
            sent_at=timezone.now(),
            email_status=EmailStatus.QUEUED if recipient else EmailStatus.NOT_NEEDED,
        )
        ledger_record(
            actor=actor,
            contact=contact,
            shared=True,
            what="The outcome of the contact",
            from_agency=mash_agency_for(contact),
            to=f"Referrer: {contact.referrer_name}",
            why="Feedback to the referrer (Working Together 2023)",
        )
        journey_enter(contact, JourneyStage.CLOSED)
        contact.save()
        audit_record(
            actor=actor,
            verb=AuditVerb.FEEDBACK_SENT,
            target=feedback,
            hub_id=contact.hub_id,
            contact_id=contact.pk,
            changes={"by_email": bool(recipient)},
        )
        if recipient:
            transaction.on_commit(partial(_feedback_email_enqueue, feedback.pk))
    return feedback


def feedback_email_resend(*, actor: "User", feedback: Feedback) -> Feedback:
    """Queue a feedback e-mail that failed to go out, to be sent again."""
    require_same_hub(actor, feedback.contact.hub_id, "Feedback not found")
    require(actor, Permission.FEEDBACK_SEND)
    with transaction.atomic():
        feedback.refresh_from_db(from_queryset=Feedback.objects.select_for_update())
        if feedback.email_status != EmailStatus.FAILED:
            raise Conflict("Only an e-mail that could not be sent can be sent again.")
        error = feedback.email_error
        feedback.email_status = EmailStatus.QUEUED
        feedback.email_error = ""
        feedback.save(update_fields=["email_status", "email_error", "updated_at"])
        contact = feedback.contact
        audit_record(
            actor=actor,
            verb=AuditVerb.FEEDBACK_EMAIL_RESENT,
            target=feedback,
            hub_id=contact.hub_id,
            contact_id=contact.pk,
            changes={"email_status": [EmailStatus.FAILED, EmailStatus.QUEUED], "error": error},
        )
        transaction.on_commit(partial(_feedback_email_enqueue, feedback.pk))
    return feedback


def _feedback_email_enqueue(feedback_id: UUID) -> None:
    """Queue the e-mail (after the commit) on the queue decisions/apps.py connects. Should even
    queueing fail, the feedback says so and can be sent again: the user's request never fails
    after its data is saved."""
    try:
        hooks.feedback_email_queue(str(feedback_id))
    except Exception as exc:
        logger.warning("Feedback e-mail %s not queued: %s", feedback_id, type(exc).__name__)
        feedback_email_failed(feedback_id, exc)
