"""The hub's definition (recommendation 1): its purpose, who may be referred, and how the
agencies work together."""

from typing import TYPE_CHECKING

from django.db import transaction

from openmash.access.checks import require, require_same_hub
from openmash.access.permissions import Permission
from openmash.audit.models import AuditVerb
from openmash.audit.services import audit_record, diff
from openmash.core.validation import FieldProblems
from openmash.governance.models import HubDefinition, WorkingArrangement
from openmash.hubs.models import Hub, HubScope

if TYPE_CHECKING:
    from openmash.accounts.models import User


def _definition_problems(
    *, purpose: str, who_may_be_referred: str, scope: str, working_arrangement: str
) -> FieldProblems:
    problems = FieldProblems()
    if not purpose.strip():
        problems.add("purpose", "Enter the hub's purpose")
    if scope not in HubScope.values:
        problems.add("scope", "Choose children, adults at risk, or both")
    if not who_may_be_referred.strip():
        problems.add("who_may_be_referred", "Say who may be referred to the hub")
    if working_arrangement not in WorkingArrangement.values:
        problems.add("working_arrangement", "Choose co-located, remote or hybrid working")
    return problems


def definition_update(
    *,
    actor: "User",
    hub: Hub,
    purpose: str,
    who_may_be_referred: str,
    scope: str,
    working_arrangement: str,
    arrangement_notes: str = "",
) -> HubDefinition:
    """The hub's standard definition (recommendation 1): purpose, who may be referred (the
    scope, and in words), and how the agencies work together."""
    require(actor, Permission.GOVERNANCE_MANAGE)
    require_same_hub(actor, hub.pk, "Hub not found")
    _definition_problems(
        purpose=purpose,
        who_may_be_referred=who_may_be_referred,
        scope=scope,
        working_arrangement=working_arrangement,
    ).raise_if_any()
    with transaction.atomic():
        hub = Hub.objects.select_for_update().get(pk=hub.pk)
        definition, _ = HubDefinition.objects.get_or_create(hub=hub)
        before = {
            "purpose": definition.purpose,
            "who_may_be_referred": definition.who_may_be_referred,
            "scope": hub.scope,
            "working_arrangement": definition.working_arrangement,
            "arrangement_notes": definition.arrangement_notes,
        }
        after = {
            "purpose": purpose.strip(),
            "who_may_be_referred": who_may_be_referred.strip(),
            "scope": scope,
            "working_arrangement": working_arrangement,
            "arrangement_notes": arrangement_notes.strip(),
        }
        definition.purpose = after["purpose"]
        definition.who_may_be_referred = after["who_may_be_referred"]
        definition.working_arrangement = working_arrangement
        definition.arrangement_notes = after["arrangement_notes"]
        definition.save()
        if hub.scope != scope:
            hub.scope = scope
            hub.save(update_fields=["scope", "updated_at"])
        audit_record(
            actor=actor,
            verb=AuditVerb.GOVERNANCE_CHANGED,
            target=definition,
            hub_id=hub.pk,
            changes={"definition": diff(before, after)},
        )
    return definition
