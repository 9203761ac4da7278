"""The actions agreed with a decision: each is open, done or cancelled."""

from typing import TYPE_CHECKING

from django.db import transaction

from openmash.access.checks import require, require_same_hub
from openmash.access.permissions import Permission
from openmash.audit.models import AuditVerb
from openmash.audit.services import audit_record
from openmash.core.errors import Conflict, ValidationError

from ..models import Action, ActionStatus, DecisionStatus

if TYPE_CHECKING:
    from openmash.accounts.models import User


def action_update_status(*, actor: "User", action: Action, status: str) -> Action:
    """Mark an agreed action open, done or cancelled (actions are agreed when the decision is
    signed off)."""
    require_same_hub(actor, action.decision.contact.hub_id, "Action not found")
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
