"""Feedback to the referrer: the structured summary, the optional note (approved by a manager
when the contact holds originator-controlled information or a confidential address), sending
it (which closes the contact) and sending a failed e-mail again. The e-mail itself goes out in the
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
from openmash.core.errors import Conflict, NotFound, PermissionDenied, ValidationError
from openmash.enquiries.models import InformationRequest
from openmash.enquiries.onward_consent import originator_items_without_consent
from openmash.enquiries.services import ledger_record, mash_agency_for
from openmash.hubs.models import Agency

from .. import hooks
from ..disclosure import AgencyAnswer, ConfidentialAddress, disclosure_problems
from ..models import Decision, DecisionStatus, EmailStatus, Feedback, FeedbackStatus
from .feedback_email import feedback_email_failed

if TYPE_CHECKING:
    from openmash.accounts.models import User

logger = logging.getLogger(__name__)


NOTE_MAX = 500  # the free text is a short note, never a copy of the casework
CONTACT_AGAIN = (
    "Information from other agencies is confidential and is not included here. If your concerns "
    "continue or increase, please contact the MASH again straight away."
)
# What happens now, by national outcome: a short list the sender picks from (the first is the
# default). Fixed wording composed by code, never casework free text.
NEXT_STEPS: dict[str, dict[str, str]] = {
    "NFA": {"none": "No further action by the MASH is planned."},
    "ADVICE": {"advice": "The MASH has given, or will give, advice and information to the family."},
    "EARLY_HELP": {
        "early_help": "The family will be offered early help.",
        "early_help_lead": "An early help lead professional will be in touch with the family.",
    },
    "S17": {"assessment": "A social worker will assess the child's needs."},
    "S47": {
        "strategy": "Agencies will meet to decide how to keep the child safe.",
        "may_contact": "A social worker may contact you for more information.",
    },
    "POLICE": {"police": "The police will take the matter forward."},
    "S42": {"enquiry": "An adult safeguarding enquiry will be made."},
    "TRANSFER": {"transfer": "The contact has been passed to the area where the family lives."},
}
DEFAULT_NEXT_STEPS = {"none": "The MASH will contact you if it needs anything more from you."}


def feedback_next_steps(decision: Decision) -> dict[str, str]:
    """The choices of "what happens now" for the decision's outcome (code: sentence)."""
    return NEXT_STEPS.get(decision.outcome.national_code, DEFAULT_NEXT_STEPS)


def feedback_compose(contact: Contact, decision: Decision, next_step: str = "") -> str:
    """The structured summary: the reference, the outcome in the hub's words, what happens now
    and a contact point. Composed by code from configuration and fixed wording only, so it
    never holds agency information or an address; it is all the e-mail may carry."""
    steps = feedback_next_steps(decision)
    step = steps.get(next_step) or next(iter(steps.values()))
    team = Agency.objects.filter(hub_id=contact.hub_id, is_mash_team=True).first()
    return (
        f"Thank you for your contact (reference {contact.reference}) received on "
        f"{timezone.localtime(contact.received_at):%d %B %Y}.\n\n"
        f"The MASH has considered it and decided: {decision.outcome.label}.\n\n"
        f"What happens now: {step}\n\n"
        f"{CONTACT_AGAIN}\n\n"
        f"Contact point: {team.name if team else 'the MASH team'}, quoting {contact.reference}."
    )


def _feedback_leaks(contact: Contact, message: str) -> list[str]:
    """What the message would disclose of the contact's confidential addresses and agencies'
    answers (the rules: decisions/disclosure.py). A second line of defence only: a note on a
    contact holding such items is approved by a manager whatever this finds."""
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


def feedback_approval_reasons(contact: Contact) -> list[str]:
    """Why a note on this contact must be approved by a manager before it is sent: it holds a
    confidential address, or an originator-controlled answer whose agency has not consented
    to onward disclosure (recorded in the sharing ledger)."""
    reasons = []
    if contact.people.filter(address_confidential=True).exists():
        reasons.append("a confidential address")
    reasons += [
        f"information from {r.agency.name} needing its consent"
        for r in originator_items_without_consent(contact)
    ]
    return reasons


def _note_problems(text: str) -> str:
    if len(text) > NOTE_MAX:
        return f"The note must be {NOTE_MAX} characters or fewer"
    return ""


def feedback_send(
    *, actor: "User", contact: Contact, message: str | None = None, next_step: str = ""
) -> Feedback:
    """Tell the referrer the outcome: the structured summary, and `message` as an optional
    short note. A note on a contact holding originator-controlled information or a
    confidential address waits for a manager's approval (status AWAITING_APPROVAL); otherwise
    it is sent at once (by e-mail when we have an address; referrers who sign in also see
    it). The e-mail is sent in the background once this commits."""
    require_same_hub(actor, contact.hub_id, "Contact not found")
    require(actor, Permission.FEEDBACK_SEND)
    note = (message or "").strip()
    problem = _note_problems(note)
    if problem:
        raise ValidationError.for_field("message", problem)
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
        if Feedback.all_objects.filter(
            contact=contact, status=FeedbackStatus.AWAITING_APPROVAL
        ).exists():
            raise Conflict("Feedback on this contact is already waiting for a manager's approval.")
        steps = feedback_next_steps(decision)
        if next_step and next_step not in steps:
            raise ValidationError.for_field("next_step", "Choose what happens now")
        leaks = _feedback_leaks(contact, note) if note else []
        if leaks:
            raise ValidationError.for_field(
                "message", f"The message must not contain {', '.join(sorted(set(leaks)))}"
            )
        summary = feedback_compose(contact, decision, next_step)
        held = bool(note) and bool(feedback_approval_reasons(contact))
        feedback = Feedback.objects.create(
            contact=contact,
            decision=decision,
            summary=summary,
            next_step=next_step or next(iter(steps)),
            note=note,
            message=f"{summary}\n\n{note}" if note else summary,
            sent_to=_recipient(contact),
            sent_by=actor,
            sent_at=timezone.now(),
            status=FeedbackStatus.AWAITING_APPROVAL if held else FeedbackStatus.SENT,
            email_status=EmailStatus.NOT_NEEDED,
        )
        if held:
            audit_record(
                actor=actor,
                verb=AuditVerb.FEEDBACK_HELD,
                target=feedback,
                hub_id=contact.hub_id,
                contact_id=contact.pk,
                changes={"status": FeedbackStatus.AWAITING_APPROVAL},
            )
        else:
            _feedback_release(actor=actor, feedback=feedback, contact=contact)
    return feedback


def _recipient(contact: Contact) -> str:
    return contact.referrer_email or (contact.submitted_by.email if contact.submitted_by else "")


def _feedback_release(*, actor: "User", feedback: Feedback, contact: Contact) -> None:
    """Send it (inside the caller's transaction): the ledger, the contact closed, the audit
    event, and the e-mail queued after the commit."""
    feedback.status = FeedbackStatus.SENT
    feedback.sent_at = timezone.now()
    feedback.email_status = EmailStatus.QUEUED if feedback.sent_to else EmailStatus.NOT_NEEDED
    feedback.save()
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
        changes={"by_email": bool(feedback.sent_to)},
    )
    if feedback.sent_to:
        transaction.on_commit(partial(_feedback_email_enqueue, feedback.pk))


def _awaiting(actor: "User", feedback: Feedback) -> tuple[Feedback, Contact]:
    """Checks for the approver, and the feedback and contact re-read under locks."""
    require_same_hub(actor, feedback.contact.hub_id, "Feedback not found")
    require(actor, Permission.DECISION_SIGN_OFF)  # a MASH manager
    if feedback.sent_by_id == actor.pk:
        raise PermissionDenied("A second person must approve this message, not its sender.")
    contact = Contact.objects.select_for_update().get(pk=feedback.contact_id)
    feedback = Feedback.all_objects.select_for_update().get(pk=feedback.pk)
    if feedback.status != FeedbackStatus.AWAITING_APPROVAL:
        raise Conflict("This feedback is not waiting for approval.")
    return feedback, contact


def feedback_approve(*, actor: "User", feedback: Feedback) -> Feedback:
    """A manager other than the sender approves a held message: it is sent (and e-mailed)."""
    with transaction.atomic():
        feedback, contact = _awaiting(actor, feedback)
        feedback.approved_by = actor
        feedback.approved_at = timezone.now()
        audit_record(
            actor=actor,
            verb=AuditVerb.FEEDBACK_APPROVED,
            target=feedback,
            hub_id=contact.hub_id,
            contact_id=contact.pk,
            changes={"status": [FeedbackStatus.AWAITING_APPROVAL, FeedbackStatus.SENT]},
        )
        _feedback_release(actor=actor, feedback=feedback, contact=contact)
    return feedback


def feedback_return(*, actor: "User", feedback: Feedback, note: str) -> Feedback:
    """A manager other than the sender returns a held message with a note: nothing is sent and
    the contact still waits for feedback."""
    note = (note or "").strip()
    if not note:
        raise ValidationError.for_field("note", "Say why the message is returned")
    if len(note) > NOTE_MAX:
        raise ValidationError.for_field("note", f"The note must be {NOTE_MAX} characters or fewer")
    with transaction.atomic():
        feedback, contact = _awaiting(actor, feedback)
        feedback.status = FeedbackStatus.RETURNED
        feedback.return_note = note
        feedback.approved_by = actor
        feedback.approved_at = timezone.now()
        feedback.save()
        audit_record(
            actor=actor,
            verb=AuditVerb.FEEDBACK_RETURNED,
            target=feedback,
            hub_id=contact.hub_id,
            contact_id=contact.pk,
            changes={"status": [FeedbackStatus.AWAITING_APPROVAL, FeedbackStatus.RETURNED]},
        )
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
