"""An agency's disagreement with a decision, its escalation and its resolution."""

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from openmash.access.checks import require, require_same_hub
from openmash.access.permissions import Permission
from openmash.audit.models import AuditVerb
from openmash.audit.services import audit_record
from openmash.core.errors import Conflict, ValidationError
from openmash.core.validation import FieldProblems

from ..models import Decision, DecisionStatus, Dissent, DissentStatus
from ._shared import lock_decision

if TYPE_CHECKING:
    from openmash.accounts.models import User


def dissent_record(*, actor: "User", decision: Decision, reason: str, escalated_to: str) -> Dissent:
    """An agency disagrees with a decision; the dissent and its escalation are recorded."""
    require_same_hub(actor, decision.contact.hub_id, "Decision not found")
    require(actor, Permission.DECISION_DISSENT)
    if actor.agency is None:
        raise Conflict("Only a member of an agency can record its dissent.")
    with transaction.atomic():
        contact = lock_decision(decision)
        if decision.status not in (DecisionStatus.PROPOSED, DecisionStatus.SIGNED_OFF):
            raise Conflict("Dissent can be recorded only on a current decision.")
        problems = FieldProblems()
        if not reason.strip():
            problems.add("reason", "Explain why your agency disagrees")
        if not escalated_to.strip():
            problems.add("escalated_to", "Say to whom the disagreement is escalated")
        problems.raise_if_any()
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
    require_same_hub(actor, dissent.decision.contact.hub_id, "Dissent not found")
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
