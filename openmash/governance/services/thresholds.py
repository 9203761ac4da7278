"""The hub's local thresholds in its own words: versions, each describing the hub's levels of
need, published one at a time (docs/adr/0007)."""

from datetime import date, datetime
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from openmash.access.checks import require, require_same_hub
from openmash.access.permissions import Permission
from openmash.audit.models import AuditVerb
from openmash.audit.services import audit_record, diff
from openmash.core.errors import ValidationError, refused_if_not_unique
from openmash.core.validation import FieldProblems
from openmash.governance.models import ThresholdLevel, ThresholdStatus, ThresholdVersion
from openmash.governance.threshold_rules import (
    ThresholdLevelInput,
    criteria_problems,
    level_problems,
)
from openmash.hubs.models import Hub, LevelOfNeed

if TYPE_CHECKING:
    from openmash.accounts.models import User


def _threshold_problems(
    *,
    hub: Hub,
    label: str,
    effective_from: date | None,
    criteria: dict[str, str],
    levels: list[ThresholdLevelInput],
) -> FieldProblems:
    problems = FieldProblems()
    if not label:
        problems.add("version_label", "Enter a version, like 2 or 2.1")
    elif len(label) > 20:
        problems.add("version_label", "The version must be 20 characters or fewer")
    elif ThresholdVersion.objects.filter(hub=hub, version_label=label).exists():
        problems.add("version_label", f"Thresholds version {label} already exists")
    if effective_from is None:
        problems.add("effective_from", "Enter the date the thresholds take effect")
    for field, message in criteria_problems(criteria).items():
        problems.add(field, message)
    hub_levels = LevelOfNeed.objects.filter(hub=hub).values_list("level", flat=True)
    for field, message in level_problems(hub_levels, levels).items():
        problems.add(field, message)
    return problems


def _supersede_current(hub: Hub, now: datetime) -> list[str]:
    """Supersede the version in force; its label (a list: none on a hub's first version)."""
    current = ThresholdVersion.objects.filter(hub=hub, status=ThresholdStatus.CURRENT)
    previous = list(current.values_list("version_label", flat=True))
    current.update(status=ThresholdStatus.SUPERSEDED, updated_at=now)
    return previous


def _levels_describe(
    hub: Hub, version: ThresholdVersion, levels: list[ThresholdLevelInput], now: datetime
) -> None:
    """The version's levels, whose names and descriptors the hub's levels of need take."""
    for item in sorted(levels, key=lambda i: i.level):
        name, descriptor = item.name.strip(), item.descriptor.strip()
        ThresholdLevel.objects.create(
            version=version, level=item.level, name=name, descriptor=descriptor
        )
        LevelOfNeed.objects.filter(hub=hub, level=item.level).update(
            name=name, description=descriptor, updated_at=now
        )


def threshold_version_publish(
    *,
    actor: "User",
    hub: Hub,
    version_label: str,
    effective_from: date | None,
    red_criteria: str,
    amber_criteria: str,
    green_criteria: str,
    levels: list[ThresholdLevelInput],
    introduction: str = "",
) -> ThresholdVersion:
    """Publish the hub's thresholds in its own words. The previous version is kept,
    superseded; the hub's levels of need take this version's names and descriptors, so every
    page that names a level uses them. The level numbers themselves are hub settings: a version
    describes exactly the hub's levels (docs/adr/0007)."""
    require(actor, Permission.GOVERNANCE_MANAGE)
    require_same_hub(actor, hub.pk, "Hub not found")
    label = version_label.strip()
    criteria = {"red": red_criteria, "amber": amber_criteria, "green": green_criteria}
    _threshold_problems(
        hub=hub, label=label, effective_from=effective_from, criteria=criteria, levels=levels
    ).raise_if_any()
    assert effective_from is not None
    now = timezone.now()
    duplicate = ValidationError.for_field(
        "version_label", f"Thresholds version {label} already exists"
    )
    with refused_if_not_unique(duplicate), transaction.atomic():
        Hub.objects.select_for_update().get(pk=hub.pk)  # one publication at a time
        before = {str(lv.level): lv.name for lv in LevelOfNeed.objects.filter(hub=hub)}
        previous = _supersede_current(hub, now)
        version = ThresholdVersion.objects.create(
            hub=hub,
            version_label=label,
            introduction=introduction.strip(),
            red_criteria=red_criteria.strip(),
            amber_criteria=amber_criteria.strip(),
            green_criteria=green_criteria.strip(),
            effective_from=effective_from,
            status=ThresholdStatus.CURRENT,
            published_at=now,
            published_by=actor,
        )
        _levels_describe(hub, version, levels, now)
        after = {str(item.level): item.name.strip() for item in levels}
        audit_record(
            actor=actor,
            verb=AuditVerb.DOCUMENT_PUBLISHED,
            target=version,
            hub_id=hub.pk,
            changes={"thresholds": label, "superseded": previous, "levels": diff(before, after)},
        )
    return version
