"""The audited entry points of the statutory exports. Each checks the permission, validates
the period, builds the file and records one EXPORT_CREATED event saying what was exported
(kind, period, counts): never a child's details."""

from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from openmash.access.checks import require, require_same_hub
from openmash.access.permissions import Permission
from openmash.audit.models import AuditVerb
from openmash.audit.services import audit_record
from openmash.core.errors import ValidationError
from openmash.hubs.models import Hub

from .annex_a import annex_a_build
from .cin_census import FIRST_YEAR, cin_census_build, collection_period

if TYPE_CHECKING:
    from openmash.accounts.models import User

CIN_CENSUS = "cin_census"
ANNEX_A = "annex_a"
LONGEST_ANNEX_A_PERIOD = timedelta(days=3 * 366)


def _require_hub(actor: "User", hub: Hub) -> None:
    # Another hub's children are never exported, whatever the role: that hub does not exist
    # for this actor.
    require_same_hub(actor, hub.pk, "Hub not found")
    require(actor, Permission.STATUTORY_EXPORT)


def cin_census_years(today: date) -> list[int]:
    """The collection years that can be exported: from the first OpenMASH follows to the
    current one (a census for the year in progress is a draft)."""
    last = today.year + 1 if today >= date(today.year, 4, 1) else today.year
    return list(range(FIRST_YEAR, last + 1))


def cin_census_export(*, actor: "User", hub: Hub, year: int) -> bytes:
    """The children in need census XML for the year ending 31 March `year`."""
    _require_hub(actor, hub)
    years = cin_census_years(timezone.localdate())
    if year not in years:
        raise ValidationError.for_field(
            "year", f"Choose a collection year from {years[0]} to {years[-1]}"
        )
    start, end = collection_period(year)
    census = cin_census_build(hub=hub, year=year)
    if census.children == 0:
        raise ValidationError.for_field(
            "year", f"No child was referred or open in {start.year}-{end.year % 100:02d}"
        )
    with transaction.atomic():
        audit_record(
            actor=actor,
            verb=AuditVerb.EXPORT_CREATED,
            target=hub,
            hub_id=hub.pk,
            changes={
                "kind": CIN_CENSUS,
                "year": year,
                "period": [start, end],
                "children": census.children,
                "episodes": census.episodes,
            },
        )
    return census.xml


def annex_a_export(*, actor: "User", hub: Hub, start: date, end: date) -> bytes:
    """Ofsted Annex A lists 1 and 3 for contacts and referrals from `start` to `end`."""
    _require_hub(actor, hub)
    errors: dict[str, list[str]] = {}
    today = timezone.localdate()
    if end > today:
        errors["end"] = ["The end of the period must be today or in the past"]
    if start > end:
        errors["start"] = ["The start of the period must be before its end"]
    elif end - start > LONGEST_ANNEX_A_PERIOD:
        errors["start"] = ["The period can be at most three years"]
    if errors:
        raise ValidationError(next(iter(errors.values()))[0], errors=errors)
    annex = annex_a_build(hub=hub, start=start, end=end)
    with transaction.atomic():
        audit_record(
            actor=actor,
            verb=AuditVerb.EXPORT_CREATED,
            target=hub,
            hub_id=hub.pk,
            changes={
                "kind": ANNEX_A,
                "period": [start, end],
                "list_1_rows": annex.contacts,
                "list_3_rows": annex.referrals,
            },
        )
    return annex.xlsx
