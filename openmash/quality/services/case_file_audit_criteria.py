"""Case-file audit criteria: the questions every audited case file is graded against, in the
hub's own wording."""

from typing import TYPE_CHECKING, Any

from django.db import transaction

from openmash.access.checks import require, require_same_hub
from openmash.access.permissions import Permission
from openmash.audit.models import AuditVerb
from openmash.audit.services import audit_record, diff
from openmash.core.errors import NotFound, ValidationError, refused_if_not_unique
from openmash.core.validation import FieldProblems
from openmash.hubs.models import Hub
from openmash.quality.models import AuditCriterion

from .limits import MAX_COMMENT

if TYPE_CHECKING:
    from openmash.accounts.models import User

DUPLICATE_CODE = "A criterion with this code already exists"


def _criterion_problems(
    *, hub: Hub, code: str, question: str, guidance: str, order: int, new: bool
) -> FieldProblems:
    problems = FieldProblems()
    if new:
        if not code:
            problems.add("code", "Enter a short code, for example voice-of-child")
        elif not all(c.isalnum() or c in "-_" for c in code) or len(code) > 40:
            problems.add(
                "code", "The code can only contain letters, numbers, hyphens and underscores"
            )
        elif AuditCriterion.objects.filter(hub=hub, code=code).exists():
            problems.add("code", DUPLICATE_CODE)
    if not question:
        problems.add("question", "Enter the question auditors answer")
    elif len(question) > 300:
        problems.add("question", "The question must be 300 characters or fewer")
    problems.check_length("guidance", guidance, MAX_COMMENT, "Guidance")
    if not 0 <= order <= 999:
        problems.add("order", "Enter a position from 0 to 999")
    return problems


def case_file_audit_criterion_save(
    *,
    actor: "User",
    hub: Hub,
    code: str,
    question: str,
    guidance: str = "",
    active: bool = True,
    order: int = 0,
    criterion: AuditCriterion | None = None,
) -> AuditCriterion:
    """Add a criterion, or change one (its code never changes: grades refer to it)."""
    require(actor, Permission.QUALITY_MANAGE)
    require_same_hub(actor, hub.pk, "Hub not found")
    code, question, guidance = code.strip().lower(), question.strip(), guidance.strip()
    _criterion_problems(
        hub=hub, code=code, question=question, guidance=guidance, order=order, new=criterion is None
    ).raise_if_any()
    with (
        refused_if_not_unique(ValidationError.for_field("code", DUPLICATE_CODE)),
        transaction.atomic(),
    ):
        if criterion is None:
            criterion = AuditCriterion.objects.create(
                hub=hub, code=code, question=question, guidance=guidance, active=active, order=order
            )
            changes: dict[str, Any] = {"created": code, "question": question, "active": active}
        else:
            if criterion.hub_id != hub.pk:
                raise NotFound("Criterion not found")
            before: dict[str, Any] = {
                "question": criterion.question,
                "guidance": criterion.guidance,
                "active": criterion.active,
                "order": criterion.order,
            }
            after: dict[str, Any] = {
                "question": question,
                "guidance": guidance,
                "active": active,
                "order": order,
            }
            for key, value in after.items():
                setattr(criterion, key, value)
            criterion.save()
            changes = diff(before, after)
        audit_record(
            actor=actor,
            verb=AuditVerb.QUALITY_CHANGED,
            target=criterion,
            hub_id=hub.pk,
            changes=changes,
        )
    return criterion


criterion_save = case_file_audit_criterion_save  # the name callers used before
