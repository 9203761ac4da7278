"""A decision's lifecycle: a practitioner proposes it, a different manager signs it off or
returns it. A signed decision is never edited: a new proposal supersedes it."""

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING
from uuid import UUID

from django.db import transaction
from django.utils import timezone

from openmash.access.checks import require, require_same_hub
from openmash.access.permissions import Permission
from openmash.audit.models import AuditVerb
from openmash.audit.services import audit_record
from openmash.contacts.journey import journey_after_return, journey_continue, journey_enter
from openmash.contacts.models import Contact, JourneyStage
from openmash.core.errors import Conflict, PermissionDenied, ValidationError
from openmash.core.standards import PRIMARY_NEED_CODES, REFERRAL_OUTCOMES
from openmash.core.validation import FieldProblems
from openmash.enquiries.services import requests_withdraw
from openmash.hubs.models import DecisionOutcome

from ..models import Action, Decision, DecisionStatus
from ._shared import check_level, is_agency_of, lock_decision

if TYPE_CHECKING:
    from openmash.accounts.models import User

SELF_SIGN_OFF = "A decision must be signed off by a different manager from the one who proposed it"
REQUESTS_WITHDRAWN_REASON = (
    "A decision has been signed off on this contact: the information is no longer needed."
)


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
    require_same_hub(actor, contact.hub_id, "Contact not found")
    require(actor, Permission.DECISION_PROPOSE)
    actions = actions or []
    with transaction.atomic():
        # Re-read the contact under a lock: two proposals at once must not both get through.
        contact.refresh_from_db(from_queryset=Contact.objects.select_for_update())
        if contact.stage == JourneyStage.SCREENING:
            raise Conflict("Screen the contact before proposing a decision.")
        if contact.stage == JourneyStage.SIGN_OFF:
            raise Conflict("A proposed decision is already awaiting sign-off.")
        outcome = _proposal_check(
            contact,
            outcome_code=outcome_code,
            level_of_need=level_of_need,
            rationale=rationale,
            primary_need_code=primary_need_code,
            actions=actions,
        )
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
        _actions_create(decision, actions)
        _proposal_moves_journey(contact, supersedes=current)
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


def _proposal_moves_journey(contact: Contact, *, supersedes: Decision | None) -> None:
    if supersedes is None:
        # Sign-off is part of the decision's time: its clock keeps running.
        contact.save(update_fields=journey_continue(contact, JourneyStage.SIGN_OFF))
    else:
        # Deciding again after a signed decision: a new decision clock.
        journey_enter(contact, JourneyStage.SIGN_OFF)
        contact.save()


def _proposal_check(
    contact: Contact,
    *,
    outcome_code: str,
    level_of_need: int | None,
    rationale: str,
    primary_need_code: str,
    actions: list[ActionInput],
) -> DecisionOutcome:
    """Every problem of a proposal at once; returns the hub's outcome chosen."""
    problems = FieldProblems()
    outcome = DecisionOutcome.objects.filter(
        hub=contact.hub, code=outcome_code, active=True
    ).first()
    if outcome is None:
        problems.add("outcome", "Choose an outcome")
    check_level(contact, level_of_need, problems)
    if not rationale.strip():
        problems.add("rationale", "Enter the rationale for the decision")
    if primary_need_code and primary_need_code not in PRIMARY_NEED_CODES:
        problems.add("primary_need_code", "Choose a primary need from the list")
    elif (
        not primary_need_code and outcome is not None and outcome.national_code in REFERRAL_OUTCOMES
    ):
        problems.add(
            "primary_need_code",
            "Choose the child's primary need: this outcome makes the contact a referral",
        )
    _actions_check(contact, actions, problems)
    problems.raise_if_any()
    assert outcome is not None
    return outcome


def _actions_check(contact: Contact, actions: list[ActionInput], problems: FieldProblems) -> None:
    today = timezone.localdate()
    for index, action in enumerate(actions):
        prefix = f"actions.{index}."
        if not is_agency_of(contact, action.owner_agency_id):
            problems.add(prefix + "owner_agency_id", "Choose the agency that owns this action")
        if not action.description.strip():
            problems.add(prefix + "description", "Describe the action")
        if action.due_date is None:
            problems.add(prefix + "due_date", "Enter the date the action is due")
        elif action.due_date < today:
            problems.add(prefix + "due_date", "The action's due date must be today or later")


def _actions_create(decision: Decision, actions: list[ActionInput]) -> None:
    today = timezone.localdate()
    for action in actions:
        Action.objects.create(
            decision=decision,
            owner_agency_id=action.owner_agency_id,
            description=action.description.strip(),
            due_date=action.due_date or today,  # validated: never None here
        )


def decision_sign_off(*, actor: "User", decision: Decision, note: str = "") -> Decision:
    """A MASH manager, other than the one who proposed it, signs a proposed decision off.
    Signed decisions are never edited. Requests still waiting for an answer are withdrawn."""
    require_same_hub(actor, decision.contact.hub_id, "Decision not found")
    require(actor, Permission.DECISION_SIGN_OFF)
    with transaction.atomic():
        contact = lock_decision(decision)
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
            _supersede(
                actor=actor, contact=contact, decision=decision, old_id=decision.supersedes_id
            )
        requests_withdraw(actor=actor, contact=contact, reason=REQUESTS_WITHDRAWN_REASON)
        contact.level_of_need = decision.level_of_need
        journey_enter(contact, JourneyStage.FEEDBACK)  # reopens a contact closed before
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


def _supersede(*, actor: "User", contact: Contact, decision: Decision, old_id: UUID) -> None:
    old = Decision.objects.select_for_update().get(pk=old_id)
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


def decision_return(*, actor: "User", decision: Decision, note: str) -> Decision:
    """The manager sends a proposal back to the practitioner with a reason."""
    require_same_hub(actor, decision.contact.hub_id, "Decision not found")
    require(actor, Permission.DECISION_SIGN_OFF)
    with transaction.atomic():
        contact = lock_decision(decision)
        if decision.status != DecisionStatus.PROPOSED:
            raise Conflict("Only a proposed decision can be returned.")
        if not note.strip():
            raise ValidationError.for_field("note", "Explain why the decision is being returned")
        decision.status = DecisionStatus.RETURNED
        decision.sign_off_note = note.strip()
        decision.save()
        back_to = journey_after_return(
            has_signed_decision=contact.decisions.filter(status=DecisionStatus.SIGNED_OFF).exists(),
            was_closed=contact.closed_at is not None,
        )
        contact.save(update_fields=journey_continue(contact, back_to))
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
