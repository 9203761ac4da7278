"""Improvement actions: what the hub will change because of case-file audit findings, who
owns it and by when (not a decision's agreed actions, which live in decisions)."""

from datetime import date
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from openmash.access.checks import require, require_same_hub
from openmash.access.permissions import Permission
from openmash.audit.models import AuditVerb
from openmash.audit.services import audit_record
from openmash.core.errors import NotFound, ValidationError
from openmash.core.validation import FieldProblems
from openmash.hubs.models import Agency, Hub
from openmash.quality.models import CaseAudit, ImprovementAction, ImprovementStatus

from .limits import MAX_COMMENT

if TYPE_CHECKING:
    from openmash.accounts.models import User


def _improvement_action_problems(
    *,
    hub: Hub,
    description: str,
    due_date: date | None,
    owner_agency: Agency | None,
    owner: "User | None",
) -> FieldProblems:
    problems = FieldProblems()
    if not description:
        problems.add("description", "Describe the improvement to be made")
    problems.check_length("description", description, MAX_COMMENT, "The description")
    if owner_agency is None and owner is None:
        problems.add("owner_agency", "Choose an owning agency or a named owner, or both")
    if owner_agency is not None and owner_agency.hub_id != hub.pk:
        problems.add("owner_agency", "Choose one of the hub's agencies")
    if owner is not None and owner.hub_id != hub.pk:
        problems.add("owner", "Choose someone who works in the hub")
    if due_date is None:
        problems.add("due_date", "Enter the date it is due")
    return problems


def improvement_action_create(
    *,
    actor: "User",
    hub: Hub,
    description: str,
    due_date: date | None,
    owner_agency: Agency | None = None,
    owner: "User | None" = None,
    audit: CaseAudit | None = None,
) -> ImprovementAction:
    """An improvement action, optionally arising from one case-file audit."""
    require(actor, Permission.QUALITY_MANAGE)
    require_same_hub(actor, hub.pk, "Hub not found")
    description = description.strip()
    problems = _improvement_action_problems(
        hub=hub, description=description, due_date=due_date, owner_agency=owner_agency, owner=owner
    )
    if audit is not None and audit.item.sample.hub_id != hub.pk:
        raise NotFound("Audit not found")
    problems.raise_if_any()
    assert due_date is not None
    with transaction.atomic():
        action = ImprovementAction.objects.create(
            hub=hub,
            audit=audit,
            description=description,
            owner_agency=owner_agency,
            owner=owner,
            due_date=due_date,
            created_by=actor,
        )
        audit_record(
            actor=actor,
            verb=AuditVerb.QUALITY_CHANGED,
            target=action,
            hub_id=hub.pk,
            changes={
                "improvement_action": "created",
                "due_date": due_date.isoformat(),
                "owner_agency": owner_agency.code if owner_agency else "",
                "owner": owner.username if owner else "",
            },
        )
    return action


def improvement_action_set_status(
    *, actor: "User", action: ImprovementAction, status: str
) -> ImprovementAction:
    """Mark an improvement action done or cancelled (or open again)."""
    require(actor, Permission.QUALITY_MANAGE)
    require_same_hub(actor, action.hub_id, "Hub not found")
    if status not in ImprovementStatus.values:
        raise ValidationError.for_field("status", "Choose open, done or cancelled")
    with transaction.atomic():
        action.refresh_from_db(from_queryset=ImprovementAction.objects.select_for_update())
        before = action.status
        if before == status:
            return action
        action.status = status
        action.closed_at = None if status == ImprovementStatus.OPEN else timezone.now()
        action.save()
        audit_record(
            actor=actor,
            verb=AuditVerb.QUALITY_CHANGED,
            target=action,
            hub_id=action.hub_id,
            changes={"status": [before, status]},
        )
    return action
