"""Screening a contact, and re-rating it later (the history keeps every rating)."""

from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from openmash.access.checks import require, require_same_hub
from openmash.access.permissions import Permission
from openmash.audit.models import AuditVerb
from openmash.audit.services import audit_record
from openmash.contacts.journey import (
    journey_decide_urgently,
    journey_enquiry_due,
    journey_enter,
    journey_reschedule,
)
from openmash.contacts.models import Contact, JourneyStage, Rag
from openmash.core.errors import Conflict
from openmash.core.validation import FieldProblems
from openmash.enquiries.models import RequestStatus
from openmash.enquiries.services import requests_reschedule_for_rag

from .. import hooks
from ..models import Screening, ScreeningOutcome
from ._shared import check_level

if TYPE_CHECKING:
    from openmash.accounts.models import User

# Today's name for the stages in which a contact can still be (re-)rated.
OPEN_STAGES = JourneyStage.undecided_stages()

_TRACKED = ("rag", "level_of_need", "stage", "stage_due_at")


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
    require_same_hub(actor, contact.hub_id, "Contact not found")
    require(actor, Permission.SCREENING_RECORD)
    with transaction.atomic():
        # Re-read the contact under a lock: its stage decides what this rating does.
        contact.refresh_from_db(from_queryset=Contact.objects.select_for_update())
        if contact.stage not in JourneyStage.undecided_stages():
            raise Conflict("A contact with a signed-off decision cannot be re-rated.")
        _screening_check(
            contact, outcome=outcome, level_of_need=level_of_need, rag=rag, rationale=rationale
        )
        rationale = rationale.strip()
        assert level_of_need is not None
        is_rerating = contact.stage != JourneyStage.SCREENING
        before = {field: getattr(contact, field) for field in _TRACKED}
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
            rationale=rationale,
            is_rerating=is_rerating,
            recorded_by=actor,
            recorded_at=timezone.now(),
            # The thresholds in force (governance plugs the lookup in: decisions/hooks.py).
            thresholds_version=hooks.screening_thresholds(contact.hub_id),
        )
        contact.rag = rag
        contact.level_of_need = level_of_need
        if is_rerating:
            changes.update(_rerate(contact, outcome=outcome, rag_before=before["rag"]))
        else:
            _first_screening_moves_on(contact, outcome)
        contact.save()
        changes.update(_journey_changes(contact, before))
        audit_record(
            actor=actor,
            verb=AuditVerb.RERATED if is_rerating else AuditVerb.SCREENING_RECORDED,
            target=screening,
            hub_id=contact.hub_id,
            contact_id=contact.pk,
            changes=changes,
            reason=rationale,
        )
    return screening


def _journey_changes(contact: Contact, before: dict[str, Any]) -> dict[str, Any]:
    """The stage and deadline before and after, for the audit event, when they moved."""
    return {
        field: [before[field], getattr(contact, field)]
        for field in ("stage", "stage_due_at")
        if getattr(contact, field) != before[field]
    }


def _screening_check(
    contact: Contact, *, outcome: str, level_of_need: int | None, rag: str, rationale: str
) -> None:
    problems = FieldProblems()
    if outcome not in ScreeningOutcome.values:
        problems.add("outcome", "Choose a screening outcome")
    check_level(contact, level_of_need, problems)
    if rag not in Rag.values:
        problems.add("rag", "Choose a RAG rating")
    if not rationale.strip():
        problems.add("rationale", "Enter the rationale for this rating")
    problems.raise_if_any()


def _first_screening_moves_on(contact: Contact, outcome: str) -> None:
    """A first screening sends the contact to a MASH enquiry (on its RAG clock) or straight to
    a decision (on the Red clock for a child at immediate risk)."""
    if outcome == ScreeningOutcome.MASH_ENQUIRY:
        journey_enter(contact, JourneyStage.ENQUIRY)
    else:
        urgent = outcome == ScreeningOutcome.STRATEGY_DISCUSSION
        journey_enter(contact, JourneyStage.DECISION, urgent=urgent)


def _rerate(contact: Contact, *, outcome: str, rag_before: str) -> dict[str, Any]:
    """A re-rating: a new RAG rating moves the open requests' deadlines (and an enquiry's);
    an immediate strategy discussion makes the decision due on the Red clock. Returns the
    changes for the audit event."""
    changes: dict[str, Any] = {}
    if rag_before != contact.rag:
        moved = requests_reschedule_for_rag(contact=contact, rag=contact.rag)
        if moved:
            changes["requests_due_at"] = moved
        if contact.stage == JourneyStage.ENQUIRY:
            dues = [r.due_at for r in contact.requests.filter(status=RequestStatus.OPEN)]
            journey_reschedule(contact, due=journey_enquiry_due(contact, open_request_dues=dues))
    if outcome == ScreeningOutcome.STRATEGY_DISCUSSION and contact.stage in (
        JourneyStage.ENQUIRY,
        JourneyStage.DECISION,
    ):
        journey_decide_urgently(contact)
    return changes
