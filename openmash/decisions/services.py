"""Screening, joint decisions with manager sign-off, actions, dissent and referrer feedback."""

import logging
import re
from dataclasses import dataclass
from datetime import date
from functools import partial
from typing import TYPE_CHECKING, Any
from uuid import UUID

from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from openmash.access.gates import require
from openmash.access.permissions import Permission
from openmash.audit.models import AuditVerb
from openmash.audit.services import audit_record, diff
from openmash.contacts.models import Contact, JourneyStage, Rag
from openmash.core.errors import Conflict, NotFound, PermissionDenied, ValidationError
from openmash.core.identifiers import is_uuid
from openmash.core.standards import (
    ASSESSMENT_FACTORS,
    CLOSED_AFTER_ASSESSMENT,
    CLOSURE_REASONS,
    NO_FACTORS,
    PRIMARY_NEED_CODES,
    REFERRAL_OUTCOMES,
    assessment_factors_for,
)
from openmash.enquiries.models import InformationRequest, RequestStatus
from openmash.enquiries.services import (
    ledger_record,
    mash_agency_for,
    requests_reschedule_for_rag,
    requests_withdraw,
)
from openmash.governance.selectors import thresholds_current
from openmash.hubs.models import Agency, DecisionOutcome, LevelOfNeed, Stage
from openmash.hubs.selectors import due_at, enquiry_stage_for_rag

from .models import (
    Action,
    ActionStatus,
    Decision,
    DecisionStatus,
    Dissent,
    DissentStatus,
    EmailStatus,
    Feedback,
    ReferralProgress,
    Screening,
    ScreeningOutcome,
)
from .selectors import referral_date

if TYPE_CHECKING:
    from openmash.accounts.models import User

logger = logging.getLogger(__name__)

OPEN_STAGES = (
    JourneyStage.SCREENING,
    JourneyStage.ENQUIRY,
    JourneyStage.DECISION,
    JourneyStage.SIGN_OFF,
)


def _set_stage(contact: Contact, stage: str, due: str | None) -> None:
    now = timezone.now()
    contact.stage = stage
    contact.stage_started_at = now
    contact.stage_due_at = due_at(contact.hub, due, now) if due is not None else None
    contact.breach_flagged_at = None
    if stage == JourneyStage.CLOSED:
        contact.closed_at = now


def _check_level(contact: Contact, level: int | None, errors: dict[str, list[str]]) -> None:
    if level is None or not LevelOfNeed.objects.filter(hub=contact.hub, level=level).exists():
        errors["level_of_need"] = ["Choose a level of need from the hub's continuum"]


def screening_record(
    *,
    actor: "User",
    contact: Contact,
    outcome: str,
    level_of_need: int | None,
    rag: str,
    rationale: str,
) -> Screening:
    """Screen a contact, or re-rate it later: re-rating keeps the history with its rationale.

    A re-rating that changes the RAG rating moves the deadlines of the open requests; one whose
    outcome is an immediate strategy discussion, while the contact is in enquiry or awaiting a
    decision, makes the decision due on the Red clock from now. The audit event records the
    old and new deadlines."""
    require(actor, Permission.SCREENING_RECORD)
    with transaction.atomic():
        # Re-read the contact under a lock: its stage decides what this rating does.
        contact.refresh_from_db(from_queryset=Contact.objects.select_for_update())
        if contact.stage not in OPEN_STAGES:
            raise Conflict("A contact with a signed-off decision cannot be re-rated.")
        errors: dict[str, list[str]] = {}
        if outcome not in ScreeningOutcome.values:
            errors["outcome"] = ["Choose a screening outcome"]
        _check_level(contact, level_of_need, errors)
        if rag not in Rag.values:
            errors["rag"] = ["Choose a RAG rating"]
        if not rationale.strip():
            errors["rationale"] = ["Enter the rationale for this rating"]
        if errors:
            raise ValidationError(next(iter(errors.values()))[0], errors=errors)
        assert level_of_need is not None
        is_rerating = contact.stage != JourneyStage.SCREENING
        before = {
            "rag": contact.rag,
            "level_of_need": contact.level_of_need,
            "stage": contact.stage,
            "stage_due_at": contact.stage_due_at,
        }
        changes: dict[str, Any] = {
            "outcome": outcome,
            "rag": [before["rag"], rag],
            "level_of_need": [before["level_of_need"], level_of_need],
        }
        screening = Screening.objects.create(
            contact=contact,
            outcome=outcome,
            level_of_need=level_of_need,
            rag=rag,
            rationale=rationale.strip(),
            is_rerating=is_rerating,
            recorded_by=actor,
            recorded_at=timezone.now(),
            thresholds_version=thresholds_current(contact.hub_id),
        )
        contact.rag = rag
        contact.level_of_need = level_of_need
        if not is_rerating:
            if outcome == ScreeningOutcome.MASH_ENQUIRY:
                _set_stage(contact, JourneyStage.ENQUIRY, enquiry_stage_for_rag(rag))
            elif outcome == ScreeningOutcome.STRATEGY_DISCUSSION:
                # A child at immediate risk: the decision is due on the Red clock.
                _set_stage(contact, JourneyStage.DECISION, Stage.ENQUIRY_RED)
            else:
                _set_stage(contact, JourneyStage.DECISION, Stage.DECISION)
        else:
            if before["rag"] != rag:
                moved = requests_reschedule_for_rag(contact=contact, rag=rag)
                if moved:
                    changes["requests_due_at"] = moved
                if contact.stage == JourneyStage.ENQUIRY:
                    dues = [r.due_at for r in contact.requests.filter(status=RequestStatus.OPEN)]
                    contact.stage_due_at = (
                        max(dues)
                        if dues
                        else due_at(
                            contact.hub, enquiry_stage_for_rag(rag), contact.stage_started_at
                        )
                    )
                    contact.breach_flagged_at = None
            if outcome == ScreeningOutcome.STRATEGY_DISCUSSION and contact.stage in (
                JourneyStage.ENQUIRY,
                JourneyStage.DECISION,
            ):
                _decision_due_on_red_clock(contact)
        contact.save()
        for field in ("stage", "stage_due_at"):
            if getattr(contact, field) != before[field]:
                changes[field] = [before[field], getattr(contact, field)]
        audit_record(
            actor=actor,
            verb=AuditVerb.RERATED if is_rerating else AuditVerb.SCREENING_RECORDED,
            target=screening,
            hub_id=contact.hub_id,
            contact_id=contact.pk,
            changes=changes,
            reason=rationale.strip(),
        )
    return screening


def _decision_due_on_red_clock(contact: Contact) -> None:
    """An immediate strategy discussion: the decision is due on the Red clock from now. A
    decision already due sooner keeps its earlier deadline (urgency never pushes it later)."""
    now = timezone.now()
    red_due = due_at(contact.hub, Stage.ENQUIRY_RED, now)
    if (
        contact.stage == JourneyStage.DECISION
        and contact.stage_due_at is not None
        and contact.stage_due_at <= red_due
    ):
        return
    contact.stage = JourneyStage.DECISION
    contact.stage_started_at = now
    contact.stage_due_at = red_due
    contact.breach_flagged_at = None


def _is_agency_of(contact: Contact, agency_id: str) -> bool:
    """An empty or malformed id is simply not one of the hub's agencies (never a crash)."""
    return is_uuid(agency_id) and Agency.objects.filter(hub=contact.hub, pk=agency_id).exists()


@dataclass
class ActionInput:
    owner_agency_id: str
    description: str
    due_date: date | None


def decision_propose(
    *,
    actor: "User",
    contact: Contact,
    outcome_code: str,
    level_of_need: int | None,
    rationale: str,
    childs_voice: str = "",
    actions: list[ActionInput] | None = None,
    primary_need_code: str = "",
) -> Decision:
    """A practitioner proposes a decision; it takes effect when a manager signs it off. When
    the contact already has a signed decision, the new one will supersede it. A decision that
    makes the contact a referral (section 17 or 47) says the child's primary need (CIN)."""
    require(actor, Permission.DECISION_PROPOSE)
    actions = actions or []
    with transaction.atomic():
        # Re-read the contact under a lock: two proposals at once must not both get through.
        contact.refresh_from_db(from_queryset=Contact.objects.select_for_update())
        if contact.stage == JourneyStage.SCREENING:
            raise Conflict("Screen the contact before proposing a decision.")
        if contact.stage == JourneyStage.SIGN_OFF:
            raise Conflict("A proposed decision is already awaiting sign-off.")
        errors: dict[str, list[str]] = {}
        outcome = DecisionOutcome.objects.filter(
            hub=contact.hub, code=outcome_code, active=True
        ).first()
        if outcome is None:
            errors["outcome"] = ["Choose an outcome"]
        _check_level(contact, level_of_need, errors)
        if not rationale.strip():
            errors["rationale"] = ["Enter the rationale for the decision"]
        if primary_need_code and primary_need_code not in PRIMARY_NEED_CODES:
            errors["primary_need_code"] = ["Choose a primary need from the list"]
        elif (
            not primary_need_code
            and outcome is not None
            and outcome.national_code in REFERRAL_OUTCOMES
        ):
            errors["primary_need_code"] = [
                "Choose the child's primary need: this outcome makes the contact a referral"
            ]
        today = timezone.localdate()
        for index, action in enumerate(actions):
            prefix = f"actions.{index}."
            if not _is_agency_of(contact, action.owner_agency_id):
                errors[prefix + "owner_agency_id"] = ["Choose the agency that owns this action"]
            if not action.description.strip():
                errors[prefix + "description"] = ["Describe the action"]
            if action.due_date is None:
                errors[prefix + "due_date"] = ["Enter the date the action is due"]
            elif action.due_date < today:
                errors[prefix + "due_date"] = ["The action's due date must be today or later"]
        if errors:
            raise ValidationError(next(iter(errors.values()))[0], errors=errors)
        assert outcome is not None
        assert level_of_need is not None
        current = contact.decisions.filter(status=DecisionStatus.SIGNED_OFF).first()
        decision = Decision.objects.create(
            contact=contact,
            outcome=outcome,
            level_of_need=level_of_need,
            rationale=rationale.strip(),
            childs_voice=childs_voice.strip(),
            primary_need_code=primary_need_code,
            status=DecisionStatus.PROPOSED,
            proposed_by=actor,
            proposed_at=timezone.now(),
            supersedes=current,
        )
        for action in actions:
            Action.objects.create(
                decision=decision,
                owner_agency_id=action.owner_agency_id,
                description=action.description.strip(),
                due_date=action.due_date or today,  # validated above: never None here
            )
        if current is None:
            contact.stage = JourneyStage.SIGN_OFF
            contact.save(update_fields=["stage", "updated_at"])
        else:
            _set_stage(contact, JourneyStage.SIGN_OFF, Stage.DECISION)
            contact.save()
        audit_record(
            actor=actor,
            verb=AuditVerb.DECISION_PROPOSED,
            target=decision,
            hub_id=contact.hub_id,
            contact_id=contact.pk,
            changes={
                "outcome": outcome.code,
                "level_of_need": level_of_need,
                "primary_need_code": primary_need_code,
                "actions": len(actions),
                "supersedes": current.pk if current else None,
            },
            reason=rationale.strip(),
        )
    return decision


SELF_SIGN_OFF = "A decision must be signed off by a different manager from the one who proposed it"
REQUESTS_WITHDRAWN_REASON = (
    "A decision has been signed off on this contact: the information is no longer needed."
)


def _lock_decision(decision: Decision) -> Contact:
    """Lock the decision's contact, then the decision (the order every writer uses), and
    re-read both; returns the contact."""
    contact = decision.contact
    contact.refresh_from_db(from_queryset=Contact.objects.select_for_update())
    decision.refresh_from_db(from_queryset=Decision.objects.select_for_update())
    decision.contact = contact
    return contact


def decision_sign_off(*, actor: "User", decision: Decision, note: str = "") -> Decision:
    """A MASH manager, other than the one who proposed it, signs a proposed decision off.
    Signed decisions are never edited. Requests still waiting for an answer are withdrawn."""
    require(actor, Permission.DECISION_SIGN_OFF)
    with transaction.atomic():
        contact = _lock_decision(decision)
        if decision.status != DecisionStatus.PROPOSED:
            raise Conflict("Only a proposed decision can be signed off.")
        if decision.proposed_by_id == actor.pk:
            raise PermissionDenied(SELF_SIGN_OFF)
        decision.status = DecisionStatus.SIGNED_OFF
        decision.signed_off_by = actor
        decision.signed_off_at = timezone.now()
        decision.sign_off_note = note.strip()
        decision.save()
        if decision.supersedes_id is not None:
            old = Decision.objects.select_for_update().get(pk=decision.supersedes_id)
            old.status = DecisionStatus.SUPERSEDED
            old.save(update_fields=["status", "updated_at"])
            audit_record(
                actor=actor,
                verb=AuditVerb.DECISION_SUPERSEDED,
                target=old,
                hub_id=contact.hub_id,
                contact_id=contact.pk,
                changes={"superseded_by": decision.pk},
            )
        requests_withdraw(actor=actor, contact=contact, reason=REQUESTS_WITHDRAWN_REASON)
        contact.level_of_need = decision.level_of_need
        _set_stage(contact, JourneyStage.FEEDBACK, Stage.FEEDBACK)
        contact.closed_at = None
        contact.save()
        audit_record(
            actor=actor,
            verb=AuditVerb.DECISION_SIGNED_OFF,
            target=decision,
            hub_id=contact.hub_id,
            contact_id=contact.pk,
            changes={"status": [DecisionStatus.PROPOSED, DecisionStatus.SIGNED_OFF]},
            reason=note.strip(),
        )
    return decision


def decision_return(*, actor: "User", decision: Decision, note: str) -> Decision:
    """The manager sends a proposal back to the practitioner with a reason."""
    require(actor, Permission.DECISION_SIGN_OFF)
    with transaction.atomic():
        contact = _lock_decision(decision)
        if decision.status != DecisionStatus.PROPOSED:
            raise Conflict("Only a proposed decision can be returned.")
        if not note.strip():
            raise ValidationError.for_field("note", "Explain why the decision is being returned")
        decision.status = DecisionStatus.RETURNED
        decision.sign_off_note = note.strip()
        decision.save()
        has_signed = contact.decisions.filter(status=DecisionStatus.SIGNED_OFF).exists()
        contact.stage = (
            JourneyStage.CLOSED
            if has_signed and contact.closed_at
            else (JourneyStage.FEEDBACK if has_signed else JourneyStage.DECISION)
        )
        contact.save(update_fields=["stage", "updated_at"])
        audit_record(
            actor=actor,
            verb=AuditVerb.DECISION_RETURNED,
            target=decision,
            hub_id=contact.hub_id,
            contact_id=contact.pk,
            changes={"status": [DecisionStatus.PROPOSED, DecisionStatus.RETURNED]},
            reason=note.strip(),
        )
    return decision


def dissent_record(*, actor: "User", decision: Decision, reason: str, escalated_to: str) -> Dissent:
    """An agency disagrees with a decision; the dissent and its escalation are recorded."""
    require(actor, Permission.DECISION_DISSENT)
    if actor.agency is None:
        raise Conflict("Only a member of an agency can record its dissent.")
    with transaction.atomic():
        contact = _lock_decision(decision)
        if decision.status not in (DecisionStatus.PROPOSED, DecisionStatus.SIGNED_OFF):
            raise Conflict("Dissent can be recorded only on a current decision.")
        errors: dict[str, list[str]] = {}
        if not reason.strip():
            errors["reason"] = ["Explain why your agency disagrees"]
        if not escalated_to.strip():
            errors["escalated_to"] = ["Say to whom the disagreement is escalated"]
        if errors:
            raise ValidationError(next(iter(errors.values()))[0], errors=errors)
        dissent = Dissent.objects.create(
            decision=decision,
            agency=actor.agency,
            raised_by=actor,
            raised_at=timezone.now(),
            reason=reason.strip(),
            escalated_to=escalated_to.strip(),
        )
        audit_record(
            actor=actor,
            verb=AuditVerb.DISSENT_RECORDED,
            target=dissent,
            hub_id=contact.hub_id,
            contact_id=contact.pk,
            changes={"agency": actor.agency.name, "escalated_to": escalated_to.strip()},
            reason=reason.strip(),
        )
    return dissent


def dissent_resolve(*, actor: "User", dissent: Dissent, resolution: str) -> Dissent:
    require(actor, Permission.DISSENT_RESOLVE)
    with transaction.atomic():
        dissent.refresh_from_db(from_queryset=Dissent.objects.select_for_update())
        if dissent.status != DissentStatus.OPEN:
            raise Conflict("This disagreement has already been resolved.")
        if not resolution.strip():
            raise ValidationError.for_field(
                "resolution", "Record how the disagreement was resolved"
            )
        dissent.status = DissentStatus.RESOLVED
        dissent.resolution = resolution.strip()
        dissent.resolved_by = actor
        dissent.resolved_at = timezone.now()
        dissent.save()
        contact = dissent.decision.contact
        audit_record(
            actor=actor,
            verb=AuditVerb.DISSENT_RESOLVED,
            target=dissent,
            hub_id=contact.hub_id,
            contact_id=contact.pk,
            reason=resolution.strip(),
        )
    return dissent


def action_update_status(*, actor: "User", action: Action, status: str) -> Action:
    """Mark an agreed action open, done or cancelled (actions are agreed when the decision is
    signed off)."""
    require(actor, Permission.ACTION_UPDATE)
    if status not in ActionStatus.values:
        raise ValidationError.for_field("status", "Choose open, done or cancelled")
    with transaction.atomic():
        action.refresh_from_db(from_queryset=Action.objects.select_for_update())
        decision = action.decision
        if decision.status != DecisionStatus.SIGNED_OFF:
            raise Conflict("Actions can be updated only on a signed-off decision.")
        before = action.status
        action.status = status
        action.save(update_fields=["status", "updated_at"])
        audit_record(
            actor=actor,
            verb=AuditVerb.ACTION_UPDATED,
            target=action,
            hub_id=decision.contact.hub_id,
            contact_id=decision.contact_id,
            changes={"status": [before, status]},
        )
    return action


# -- Feedback to the referrer ----------------------------------------------------------------


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


MIN_CLAUSE = 12  # shorter fragments of an answer are too common to count as a disclosure
_SENTENCE_BREAK = re.compile(r"[.!?\n\r]+")
_CLAUSE_BREAK = re.compile(r"[.!?\n\r,;:()\[\]{}\"“”]+|\s[-–—]+\s")
_NOT_ALNUM = re.compile(r"[\W_]+")


def _normalise(text: str) -> str:
    """Case-folded words separated by single spaces: punctuation and spacing never matter."""
    return " ".join(_NOT_ALNUM.sub(" ", text.casefold()).split())


def _contains(haystack: str, phrase: str) -> bool:
    """Whether the normalised `phrase` occurs in the normalised `haystack` as whole words."""
    return bool(phrase) and f" {phrase} " in f" {haystack} "


def _fragments(text: str) -> set[str]:
    """Every sentence and clause of `text` of at least MIN_CLAUSE characters, normalised."""
    pieces = _SENTENCE_BREAK.split(text) + _CLAUSE_BREAK.split(text)
    normalised = {_normalise(piece) for piece in pieces}
    return {piece for piece in normalised if len(piece) >= MIN_CLAUSE}


def _postcode_pattern(postcode: str) -> re.Pattern[str] | None:
    """A postcode with or without its space (or with any punctuation in between)."""
    compact = re.sub(r"[^0-9a-z]", "", postcode.casefold())
    if not compact:
        return None
    if len(compact) < 5:
        return re.compile(rf"\b{re.escape(compact)}\b")
    outward, inward = compact[:-3], compact[-3:]
    return re.compile(rf"\b{re.escape(outward)}\s*{re.escape(inward)}\b")


def _feedback_leaks(contact: Contact, message: str) -> list[str]:
    """Names what a feedback message must never contain (golden rules 5 and 6): any part of a
    confidential address of anyone in the contact, and any sentence or clause of an agency's
    answer. Case, spacing and punctuation are ignored on both sides."""
    text = _normalise(message)
    problems = []
    for person in contact.people.filter(address_confidential=True):
        parts = (person.address_line_1, person.address_line_2, person.town)
        pattern = _postcode_pattern(person.postcode)
        if any(_contains(text, _normalise(part)) for part in parts) or (
            pattern is not None and pattern.search(text)
        ):
            problems.append("a confidential address")
    answers = (
        InformationRequest.objects.filter(contact=contact)
        .exclude(information="", not_checked_reason="")
        .select_related("agency")
    )
    for answer in answers:
        supplied = _fragments(answer.information) | _fragments(answer.not_checked_reason)
        if any(_contains(text, fragment) for fragment in supplied):
            problems.append(f"information supplied by {answer.agency.name}")
    return problems


def feedback_send(*, actor: "User", contact: Contact, message: str | None = None) -> Feedback:
    """Tell the referrer the outcome (by e-mail when we have an address; referrers who sign
    in also see it). Refuses a message that would disclose agency information or a
    confidential address. The e-mail is sent in the background once this commits; its fate is
    recorded on the feedback (`email_status`)."""
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
        _set_stage(contact, JourneyStage.CLOSED, None)
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
    """Queue the e-mail task (after the commit). Should even queueing fail, the feedback says
    so and can be sent again: the user's request never fails after its data is saved."""
    from .tasks import feedback_email_task  # the task module imports this one

    try:
        feedback_email_task.enqueue(feedback_id=str(feedback_id))
    except Exception as exc:
        logger.warning("Feedback e-mail %s not queued: %s", feedback_id, type(exc).__name__)
        _feedback_email_failed(feedback_id, exc)


def feedback_email_deliver(*, feedback_id: UUID | str) -> str:
    """Send one queued feedback e-mail (the background task runs this) and record whether it
    went. A mail failure is recorded (status, the exception's class name, an audit event),
    never raised. Returns the e-mail status."""
    feedback = Feedback.objects.select_related("contact").filter(pk=feedback_id).first()
    if feedback is None:
        return ""
    if feedback.email_status != EmailStatus.QUEUED:
        return feedback.email_status  # already sent, or not to be sent: never twice
    subject = f"Your contact to the MASH: reference {feedback.contact.reference}"
    body = feedback.message
    if feedback.contact.submitted_by_id is None:
        # An external referrer cannot sign in: a single-use link lets them rate the feedback.
        from openmash.quality.services import rating_link  # quality sits above decisions

        link = rating_link(feedback=feedback)
        body += f"\n\nWas this feedback clear and timely? Tell us (one minute): {link}"
    try:
        send_mail(subject, body, None, [feedback.sent_to], fail_silently=False)
    except Exception as exc:
        logger.warning("Feedback e-mail %s failed: %s", feedback.pk, type(exc).__name__)
        _feedback_email_failed(feedback.pk, exc)
        return EmailStatus.FAILED
    now = timezone.now()
    with transaction.atomic():
        Feedback.objects.filter(pk=feedback.pk, email_status=EmailStatus.QUEUED).update(
            email_status=EmailStatus.SENT, emailed_at=now, email_error="", updated_at=now
        )
    return EmailStatus.SENT


def _feedback_email_failed(feedback_id: UUID, exc: BaseException) -> None:
    """Record a failed e-mail: the exception's class name only (its message may hold an address
    or other personal data), and an audit event so the failure is visible in the timeline."""
    error = type(exc).__name__[:100]
    with transaction.atomic():
        feedback = (
            Feedback.objects.select_for_update()
            .filter(pk=feedback_id, email_status=EmailStatus.QUEUED)
            .first()
        )
        if feedback is None:
            return
        feedback.email_status = EmailStatus.FAILED
        feedback.email_error = error
        feedback.save(update_fields=["email_status", "email_error", "updated_at"])
        contact = feedback.contact
        audit_record(
            actor=None,
            verb=AuditVerb.FEEDBACK_EMAIL_FAILED,
            target=feedback,
            hub_id=contact.hub_id,
            contact_id=contact.pk,
            changes={"email_status": [EmailStatus.QUEUED, EmailStatus.FAILED], "error": error},
        )


# -- After a referral: assessment, section 47 enquiry, closure (CIN census) -----------------


@dataclass
class ReferralProgressInput:
    assessment_started_on: date | None = None
    assessment_authorised_on: date | None = None
    assessment_factors: list[str] | None = None  # None: from the contact's concerns
    s47_started_on: date | None = None
    icpc_on: date | None = None
    icpc_not_required: bool = False
    closed_on: date | None = None
    closure_reason: str = ""


def referral_progress_validate(
    data: ReferralProgressInput, *, referred_on: date, today: date
) -> None:
    """The CIN census rules a referral's progress must keep (the rule numbers are DfE's), all
    problems at once."""
    errors: dict[str, list[str]] = {}

    def add(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    dates = {
        "assessment_started_on": ("The assessment start date", data.assessment_started_on),
        "assessment_authorised_on": ("The authorisation date", data.assessment_authorised_on),
        "s47_started_on": ("The section 47 start date", data.s47_started_on),
        "icpc_on": ("The conference date", data.icpc_on),
        "closed_on": ("The closure date", data.closed_on),
    }
    for name, (label, value) in dates.items():
        if value is None:
            continue
        if value > today:
            add(name, f"{label} must be today or in the past")
        elif value < referred_on:  # 1103, 1104, 2889, 8630
            add(name, f"{label} cannot be before the referral ({referred_on:%-d %B %Y})")
    started, authorised = data.assessment_started_on, data.assessment_authorised_on
    if authorised is not None and started is None:
        add("assessment_started_on", "Enter the date the assessment started")
    elif authorised is not None and started is not None and authorised < started:  # 8608
        add("assessment_authorised_on", "The authorisation date cannot be before the start")
    factors = data.assessment_factors or []
    if any(code not in ASSESSMENT_FACTORS for code in factors):
        add("assessment_factors", "Choose assessment factors from the list")
    elif NO_FACTORS in factors and len(set(factors)) > 1:  # 8869
        add("assessment_factors", "'No factors identified' cannot be chosen with other factors")
    elif authorised is not None and not factors:  # 8897Q
        add("assessment_factors", "Choose the factors identified at the assessment")
    s47, icpc = data.s47_started_on, data.icpc_on
    if icpc is not None and s47 is None:  # 8615
        add("s47_started_on", "Enter the date the section 47 enquiry started")
    elif icpc is not None and s47 is not None and icpc < s47:
        add("icpc_on", "The conference cannot be before the section 47 enquiry started")
    if icpc is not None and icpc.weekday() >= 5:  # 8875
        add("icpc_on", "An initial child protection conference is not held at a weekend")
    if icpc is not None and data.icpc_not_required:  # 8868
        add("icpc_not_required", "Either give the conference date or say it was not required")
    if data.icpc_not_required and s47 is None:
        add("s47_started_on", "Enter the date the section 47 enquiry started")
    closed, reason = data.closed_on, data.closure_reason
    if reason and reason not in CLOSURE_REASONS:  # 8640
        add("closure_reason", "Choose a reason for closure from the list")
    elif closed is not None and not reason:  # 8805
        add("closure_reason", "Choose the reason for closure")
    elif reason and closed is None:  # 8810
        add("closed_on", "Enter the date the case was closed")
    if closed is not None:
        for name in ("assessment_started_on", "assessment_authorised_on", "s47_started_on"):
            value = dates[name][1]
            if value is not None and value > closed:  # 8565
                add("closed_on", f"The closure date cannot be before {dates[name][0].lower()}")
        if icpc is not None and icpc > closed:
            add("closed_on", "The case cannot close before the conference")
        if started is not None and authorised is None:  # 8867
            add("assessment_authorised_on", "Enter the authorisation date before closing")
        if s47 is not None and icpc is None and not data.icpc_not_required:  # 8868
            add("icpc_on", "Give the conference date, or say it was not required, before closing")
    if reason in CLOSED_AFTER_ASSESSMENT:
        if started is None:  # 8825Q
            add("closure_reason", "This reason needs an assessment: record it, or choose another")
        if s47 is not None:  # 2990
            add(
                "closure_reason", "A case with a section 47 enquiry does not close with this reason"
            )
    elif reason and factors == [NO_FACTORS]:  # 8873Q
        add("closure_reason", "With no factors identified, close as RC8 or RC9")
    if errors:
        raise ValidationError(next(iter(errors.values()))[0], errors=errors)


def referral_progress_record(
    *, actor: "User", contact: Contact, data: ReferralProgressInput
) -> ReferralProgress:
    """Record where a referral has got to (the whole record each time: what is left blank is
    not known yet). Only for a contact whose signed decision made it a referral."""
    require(actor, Permission.REFERRAL_PROGRESS_RECORD)
    with transaction.atomic():
        contact.refresh_from_db(from_queryset=Contact.objects.select_for_update())
        referred_on = referral_date(contact)
        current = contact.decisions.filter(status=DecisionStatus.SIGNED_OFF).first()
        if (
            referred_on is None
            or current is None
            or current.outcome.national_code not in REFERRAL_OUTCOMES
        ):
            raise Conflict(
                "Only a referral has progress to record: this contact's signed decision is not "
                "a section 17 assessment or a section 47 enquiry."
            )
        if data.assessment_factors is None:
            data.assessment_factors = assessment_factors_default(contact)
        referral_progress_validate(data, referred_on=referred_on, today=timezone.localdate())
        factors = [code for code in ASSESSMENT_FACTORS if code in set(data.assessment_factors)]
        new: dict[str, Any] = {
            "assessment_started_on": data.assessment_started_on,
            "assessment_authorised_on": data.assessment_authorised_on,
            "assessment_factors": factors,
            "s47_started_on": data.s47_started_on,
            "icpc_on": data.icpc_on,
            "icpc_not_required": data.icpc_not_required,
            "closed_on": data.closed_on,
            "closure_reason": data.closure_reason,
        }
        progress = ReferralProgress.objects.filter(contact=contact).first()
        old = {name: getattr(progress, name) for name in new} if progress else {}
        changed = diff(old, new)
        if progress is not None and not changed:
            return progress
        if progress is None:
            progress = ReferralProgress(contact=contact)
        for name, value in new.items():
            setattr(progress, name, value)
        progress.recorded_by = actor
        progress.recorded_at = timezone.now()
        progress.save()
        audit_record(
            actor=actor,
            verb=AuditVerb.REFERRAL_PROGRESS_RECORDED,
            target=progress,
            hub_id=contact.hub_id,
            contact_id=contact.pk,
            changes=changed,
        )
    return progress


def assessment_factors_default(contact: Contact) -> list[str]:
    """The factors the contact's concern categories point to: where an assessment starts."""
    return assessment_factors_for(list(contact.concern_categories))
