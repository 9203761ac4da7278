"""The hub's theory of change: its activities and outputs, the outcomes they lead to, and
each outcome's indicator (computed from the monitoring figures, or recorded by hand)."""

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from openmash.access.checks import require, require_same_hub
from openmash.access.permissions import Permission
from openmash.audit.models import AuditVerb
from openmash.audit.services import audit_record
from openmash.core.errors import Conflict
from openmash.core.validation import FieldProblems
from openmash.hubs.models import Hub
from openmash.quality.indicators import INDICATORS
from openmash.quality.models import (
    ChangeStep,
    IndicatorSource,
    IndicatorValue,
    Outcome,
    StepKind,
)

from .limits import MAX_COMMENT

if TYPE_CHECKING:
    from openmash.accounts.models import User


def change_step_create(
    *, actor: "User", hub: Hub, kind: str, title: str, description: str = "", order: int = 0
) -> ChangeStep:
    """An activity or an output of the hub's theory of change."""
    require(actor, Permission.QUALITY_MANAGE)
    require_same_hub(actor, hub.pk, "Hub not found")
    title, description = title.strip(), description.strip()
    problems = FieldProblems()
    if kind not in StepKind.values:
        problems.add("kind", "Choose activity or output")
    if not title:
        problems.add("title", "Enter a short name")
    elif len(title) > 200:
        problems.add("title", "The name must be 200 characters or fewer")
    problems.check_length("description", description, MAX_COMMENT, "The description")
    problems.raise_if_any()
    with transaction.atomic():
        step = ChangeStep.objects.create(
            hub=hub, kind=kind, title=title, description=description, order=order
        )
        audit_record(
            actor=actor,
            verb=AuditVerb.QUALITY_CHANGED,
            target=step,
            hub_id=hub.pk,
            changes={"theory_of_change": f"{kind} added", "title": title},
        )
    return step


def _indicator_problems(
    problems: FieldProblems, *, source: str, indicator_key: str, indicator_name: str, unit: str
) -> tuple[str, str, str]:
    """Check the indicator's fields by source; the key, name and unit to keep."""
    if source == IndicatorSource.COMPUTED:
        if indicator_key not in INDICATORS:
            problems.add("indicator_key", "Choose the figure that measures this outcome")
        return indicator_key, "", "%"
    if source == IndicatorSource.RECORDED:
        if not indicator_name:
            problems.add("indicator_name", "Enter the name of the indicator you will record")
        if unit not in ("", "%"):
            problems.add("unit", "Choose a percentage or a number")
        return "", indicator_name, unit
    problems.add("source", "Choose how the indicator is measured")
    return indicator_key, indicator_name, unit


def outcome_create(
    *,
    actor: "User",
    hub: Hub,
    title: str,
    source: str,
    description: str = "",
    indicator_key: str = "",
    indicator_name: str = "",
    unit: str = "",
    target: float | None = None,
    leads_from: Sequence[ChangeStep] = (),
    order: int = 0,
) -> Outcome:
    """An outcome and its indicator: computed (a catalogue key) or recorded by hand (named)."""
    require(actor, Permission.QUALITY_MANAGE)
    require_same_hub(actor, hub.pk, "Hub not found")
    title, description = title.strip(), description.strip()
    problems = FieldProblems()
    if not title:
        problems.add("title", "Enter the outcome")
    elif len(title) > 200:
        problems.add("title", "The outcome must be 200 characters or fewer")
    problems.check_length("description", description, MAX_COMMENT, "The description")
    indicator_key, indicator_name, unit = _indicator_problems(
        problems,
        source=source,
        indicator_key=indicator_key,
        indicator_name=indicator_name.strip(),
        unit=unit,
    )
    if target is not None and unit == "%" and not 0 <= target <= 100:
        problems.add("target", "A percentage target must be from 0 to 100")
    if any(step.hub_id != hub.pk for step in leads_from):
        problems.add("leads_from", "Choose activities and outputs of this hub")
    problems.raise_if_any()
    with transaction.atomic():
        outcome = Outcome.objects.create(
            hub=hub,
            title=title,
            description=description,
            source=source,
            indicator_key=indicator_key,
            indicator_name=indicator_name,
            unit=unit,
            target=target,
            order=order,
        )
        outcome.leads_from.set(leads_from)
        audit_record(
            actor=actor,
            verb=AuditVerb.QUALITY_CHANGED,
            target=outcome,
            hub_id=hub.pk,
            changes={
                "theory_of_change": "outcome added",
                "title": title,
                "indicator": indicator_key or indicator_name,
                "leads_from": [str(s.pk) for s in leads_from],
            },
        )
    return outcome


def _value_problems(
    outcome: Outcome, month: date | None, value: float | None, note: str
) -> FieldProblems:
    problems = FieldProblems()
    if month is None:
        problems.add("month", "Choose the month")
    elif month > timezone.localdate():
        problems.add("month", "The month must be this month or earlier")
    if value is None:
        problems.add("value", "Enter the value")
    elif outcome.unit == "%" and not 0 <= value <= 100:
        problems.add("value", "A percentage must be from 0 to 100")
    if len(note.strip()) > 300:
        problems.add("note", "The note must be 300 characters or fewer")
    return problems


def indicator_value_record(
    *, actor: "User", outcome: Outcome, month: date | None, value: float | None, note: str = ""
) -> IndicatorValue:
    """Record (or correct) a hand-recorded indicator's value for a month."""
    require(actor, Permission.QUALITY_MANAGE)
    require_same_hub(actor, outcome.hub_id, "Hub not found")
    if outcome.source != IndicatorSource.RECORDED:
        raise Conflict("This indicator is computed from the monitoring figures.")
    _value_problems(outcome, month, value, note).raise_if_any()
    assert month is not None and value is not None
    month = month.replace(day=1)
    with transaction.atomic():
        existing = IndicatorValue.objects.filter(outcome=outcome, month=month).first()
        before = existing.value if existing else None
        row, _ = IndicatorValue.objects.update_or_create(
            outcome=outcome,
            month=month,
            defaults={
                "value": value,
                "note": note.strip(),
                "recorded_by": actor,
                "recorded_at": timezone.now(),
            },
        )
        audit_record(
            actor=actor,
            verb=AuditVerb.QUALITY_CHANGED,
            target=row,
            hub_id=outcome.hub_id,
            changes={
                "indicator": outcome.indicator_name,
                "month": month.isoformat(),
                "value": [before, value],
            },
        )
    return row
