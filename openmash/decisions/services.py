"""Screening, joint decisions with manager sign-off, actions, dissent and referrer feedback."""

import re
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from openmash.access.gates import require
from openmash.access.permissions import Permission
from openmash.audit.models import AuditVerb
from openmash.audit.services import audit_record
from openmash.contacts.models import Contact, JourneyStage, Rag
from openmash.core.errors import Conflict, NotFound, ValidationError
from openmash.core.identifiers import is_uuid
from openmash.enquiries.models import InformationRequest, RequestStatus
from openmash.enquiries.services import ledger_record, mash_agency_for, requests_reschedule_for_rag
from openmash.hubs.models import Agency, DecisionOutcome, LevelOfNeed, Stage
from openmash.hubs.selectors import due_at, enquiry_stage_for_rag

from .models import (
    Action,
    ActionStatus,
    Decision,
    DecisionStatus,
    Dissent,
    DissentStatus,
    Feedback,
    Screening,
    ScreeningOutcome,
)

if TYPE_CHECKING:
    from openmash.accounts.models import User

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
    """Screen a contact, or re-rate it later: re-rating keeps the history with its rationale."""
    require(actor, Permission.SCREENING_RECORD)
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
    before = {"rag": contact.rag, "level_of_need": contact.level_of_need}
    with transaction.atomic():
        screening = Screening.objects.create(
            contact=contact,
            outcome=outcome,
            level_of_need=level_of_need,
            rag=rag,
            rationale=rationale.strip(),
            is_rerating=is_rerating,
            recorded_by=actor,
            recorded_at=timezone.now(),
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
        elif before["rag"] != rag:
            requests_reschedule_for_rag(contact=contact, rag=rag)
            if contact.stage == JourneyStage.ENQUIRY:
                dues = [r.due_at for r in contact.requests.filter(status=RequestStatus.OPEN)]
                contact.stage_due_at = (
                    max(dues)
                    if dues
                    else due_at(contact.hub, enquiry_stage_for_rag(rag), contact.stage_started_at)
                )
                contact.breach_flagged_at = None
        contact.save()
        audit_record(
            actor=actor,
            verb=AuditVerb.RERATED if is_rerating else AuditVerb.SCREENING_RECORDED,
            target=screening,
            hub_id=contact.hub_id,
            contact_id=contact.pk,
            changes={
                "outcome": outcome,
                "rag": [before["rag"], rag],
                "level_of_need": [before["level_of_need"], level_of_need],
            },
            reason=rationale.strip(),
        )
    return screening


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
) -> Decision:
    """A practitioner proposes a decision; it takes effect when a manager signs it off. When
    the contact already has a signed decision, the new one will supersede it."""
    require(actor, Permission.DECISION_PROPOSE)
    actions = actions or []
    current = contact.decisions.filter(status=DecisionStatus.SIGNED_OFF).first()
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
    with transaction.atomic():
        decision = Decision.objects.create(
            contact=contact,
            outcome=outcome,
            level_of_need=level_of_need,
            rationale=rationale.strip(),
            childs_voice=childs_voice.strip(),
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
                "actions": len(actions),
                "supersedes": current.pk if current else None,
            },
            reason=rationale.strip(),
        )
    return decision


def decision_sign_off(*, actor: "User", decision: Decision, note: str = "") -> Decision:
    """The MASH manager signs a proposed decision off. Signed decisions are never edited."""
    require(actor, Permission.DECISION_SIGN_OFF)
    if decision.status != DecisionStatus.PROPOSED:
        raise Conflict("Only a proposed decision can be signed off.")
    contact = decision.contact
    with transaction.atomic():
        decision.status = DecisionStatus.SIGNED_OFF
        decision.signed_off_by = actor
        decision.signed_off_at = timezone.now()
        decision.sign_off_note = note.strip()
        decision.save()
        if decision.supersedes is not None:
            old = decision.supersedes
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
    if decision.status != DecisionStatus.PROPOSED:
        raise Conflict("Only a proposed decision can be returned.")
    if not note.strip():
        raise ValidationError.for_field("note", "Explain why the decision is being returned")
    contact = decision.contact
    with transaction.atomic():
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
    if decision.status not in (DecisionStatus.PROPOSED, DecisionStatus.SIGNED_OFF):
        raise Conflict("Dissent can be recorded only on a current decision.")
    errors: dict[str, list[str]] = {}
    if not reason.strip():
        errors["reason"] = ["Explain why your agency disagrees"]
    if not escalated_to.strip():
        errors["escalated_to"] = ["Say to whom the disagreement is escalated"]
    if errors:
        raise ValidationError(next(iter(errors.values()))[0], errors=errors)
    with transaction.atomic():
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
            hub_id=decision.contact.hub_id,
            contact_id=decision.contact_id,
            changes={"agency": actor.agency.name, "escalated_to": escalated_to.strip()},
            reason=reason.strip(),
        )
    return dissent


def dissent_resolve(*, actor: "User", dissent: Dissent, resolution: str) -> Dissent:
    require(actor, Permission.DISSENT_RESOLVE)
    if dissent.status != DissentStatus.OPEN:
        raise Conflict("This disagreement has already been resolved.")
    if not resolution.strip():
        raise ValidationError.for_field("resolution", "Record how the disagreement was resolved")
    with transaction.atomic():
        dissent.status = DissentStatus.RESOLVED
        dissent.resolution = resolution.strip()
        dissent.resolved_by = actor
        dissent.resolved_at = timezone.now()
        dissent.save()
        audit_record(
            actor=actor,
            verb=AuditVerb.DISSENT_RESOLVED,
            target=dissent,
            hub_id=dissent.decision.contact.hub_id,
            contact_id=dissent.decision.contact_id,
            reason=resolution.strip(),
        )
    return dissent


def action_update_status(*, actor: "User", action: Action, status: str) -> Action:
    require(actor, Permission.ACTION_UPDATE)
    if status not in ActionStatus.values:
        raise ValidationError.for_field("status", "Choose open, done or cancelled")
    before = action.status
    with transaction.atomic():
        action.status = status
        action.save(update_fields=["status", "updated_at"])
        audit_record(
            actor=actor,
            verb=AuditVerb.ACTION_UPDATED,
            target=action,
            hub_id=action.decision.contact.hub_id,
            contact_id=action.decision.contact_id,
            changes={"status": [before, status]},
        )
    return action


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


def _sentences(text: str) -> list[str]:
    return [s.strip().lower() for s in re.split(r"[.\n!?]+", text) if len(s.strip()) >= 20]


def _feedback_leaks(contact: Contact, message: str) -> list[str]:
    """Names what a feedback message must never contain (golden rules 5 and 6)."""
    lowered = message.lower()
    problems = []
    for person in contact.people.filter(address_confidential=True):
        for part in (person.address_line_1, person.postcode):
            if part and part.lower() in lowered:
                problems.append("a confidential address")
                break
    answers = InformationRequest.objects.filter(contact=contact).exclude(information="")
    for answer in answers:
        if any(sentence in lowered for sentence in _sentences(answer.information)):
            problems.append(f"information supplied by {answer.agency.name}")
    return problems


def feedback_send(*, actor: "User", contact: Contact, message: str | None = None) -> Feedback:
    """Tell the referrer the outcome (by e-mail when we have an address; referrers who sign
    in also see it). Refuses a message that would disclose agency information or a
    confidential address."""
    require(actor, Permission.FEEDBACK_SEND)
    if contact.stage != JourneyStage.FEEDBACK:
        raise Conflict("Feedback is sent after a decision has been signed off.")
    decision = contact.decisions.filter(status=DecisionStatus.SIGNED_OFF).first()
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
    with transaction.atomic():
        feedback = Feedback.objects.create(
            contact=contact,
            decision=decision,
            message=text,
            sent_to=recipient,
            sent_by=actor,
            sent_at=timezone.now(),
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
            subject = f"Your contact to the MASH: reference {contact.reference}"
            transaction.on_commit(
                lambda: send_mail(subject, text, None, [recipient], fail_silently=False)
            )
    return feedback
