"""Creating a hub with the national defaults, and changing its local settings."""

import re
from dataclasses import dataclass
from datetime import time
from typing import TYPE_CHECKING

from django.db import transaction

from openmash.access.checks import require
from openmash.access.permissions import Permission
from openmash.audit.models import AuditVerb
from openmash.audit.services import audit_record, diff
from openmash.core.errors import NotFound, ValidationError
from openmash.core.standards import NATIONAL_OUTCOMES
from openmash.core.validation import FieldProblems
from openmash.core.working_time import BankHolidayRegion, TimeUnit

from .models import (
    DecisionOutcome,
    Hub,
    HubScope,
    LevelOfNeed,
    Stage,
    Timescale,
    default_working_hours,
)
from .selectors import DEFAULT_TIMESCALES
from .usage import levels_in_use

if TYPE_CHECKING:
    from openmash.accounts.models import User

DEFAULT_LEVELS = [
    (1, "Universal", "Needs met by universal services."),
    (2, "Early help / additional", "Additional needs met by early help."),
    (3, "Targeted / complex (section 17)", "Complex needs: a child in need assessment."),
    (4, "Specialist / child protection", "Significant harm: child protection (section 47)."),
]

DEFAULT_OUTCOMES = [
    ("nfa", "No further action", "NFA"),
    ("advice", "Advice and signposting", "ADVICE"),
    ("early_help", "Early help", "EARLY_HELP"),
    ("s17", "Child and family assessment (section 17)", "S17"),
    ("s47", "Strategy discussion (section 47)", "S47"),
    ("police", "Police action", "POLICE"),
    ("s42", "Adult safeguarding enquiry (section 42)", "S42"),
    ("transfer", "Transfer to another area", "TRANSFER"),
]


@transaction.atomic
def hub_create(
    *,
    name: str,
    la_code: str,
    scope: str = HubScope.CHILDREN,
    region: BankHolidayRegion = BankHolidayRegion.ENGLAND_AND_WALES,
) -> Hub:
    hub = Hub.objects.create(
        name=name,
        la_code=la_code,
        scope=scope,
        bank_holiday_region=region.value,
        working_hours=default_working_hours(),
    )
    for level, level_name, description in DEFAULT_LEVELS:
        LevelOfNeed.objects.create(hub=hub, level=level, name=level_name, description=description)
    for order, (code, label, national) in enumerate(DEFAULT_OUTCOMES):
        DecisionOutcome.objects.create(
            hub=hub, code=code, label=label, national_code=national, order=order
        )
    for stage, (amount, unit) in DEFAULT_TIMESCALES.items():
        Timescale.objects.create(hub=hub, stage=stage, amount=amount, unit=unit.value)
    return hub


@dataclass(frozen=True)
class TimescaleInput:
    stage: str
    amount: int
    unit: str


_DAYS = frozenset(str(day) for day in range(7))  # Monday 0 to Sunday 6
_REGIONS = frozenset(region.value for region in BankHolidayRegion)
_UNITS = frozenset(unit.value for unit in TimeUnit)


def hub_settings_check(
    *,
    working_hours: dict[str, list[str]],
    bank_holiday_region: str,
    timescales: list[TimescaleInput],
) -> tuple[FieldProblems, dict[str, list[str]]]:
    """Every problem with a hub's settings, and its working hours cleaned to HH:MM."""
    problems = FieldProblems()
    cleaned_hours: dict[str, list[str]] = {}
    for day, times in working_hours.items():
        hours = _day_hours(day, times)
        if isinstance(hours, str):
            problems.add(f"working_hours.{day}", hours)
        else:
            cleaned_hours[day] = hours
    if not cleaned_hours and not problems:
        problems.add("working_hours", "The hub must be open on at least one day")
    if bank_holiday_region not in _REGIONS:
        problems.add(
            "bank_holiday_region", "Choose England and Wales, Scotland or Northern Ireland"
        )
    for key, message in _timescale_problems(timescales).items():
        problems.add(key, message)
    return problems, cleaned_hours


def _day_hours(day: str, times: list[str]) -> list[str] | str:
    """A day's opening and closing times as HH:MM, or what is wrong with them. Closing at
    00:00 means open until midnight."""
    if day not in _DAYS or len(times) != 2:
        return "Give an opening and a closing time"
    try:
        start, end = (time.fromisoformat(t) for t in times)
    except ValueError:
        return "Enter times like 09:00 and 17:00"
    if end != time(0, 0) and end <= start:
        return "The closing time must be after the opening time"
    return [start.strftime("%H:%M"), end.strftime("%H:%M")]


def _timescale_problems(timescales: list[TimescaleInput]) -> dict[str, str]:
    """Each stage's problem, in the order given. A stage given twice keeps its first place and
    the problem of its last mention."""
    problems: dict[str, str] = {}
    seen: set[str] = set()
    for item in timescales:
        if item.stage not in Stage.values or item.stage in seen:
            problems[f"timescales.{item.stage}"] = "Choose each stage once"
        elif not 1 <= item.amount <= 1000:
            problems[f"timescales.{item.stage}"] = "Enter a whole number from 1 to 1000"
        elif item.unit not in _UNITS:
            problems[f"timescales.{item.stage}"] = "Choose working hours or working days"
        seen.add(item.stage)
    return problems


def hub_settings_update(
    *,
    actor: "User",
    hub: Hub,
    working_hours: dict[str, list[str]],
    bank_holiday_region: str,
    timescales: list[TimescaleInput],
) -> Hub:
    """A hub administrator sets working hours, the bank-holiday region and timescales. New
    deadlines use them; deadlines already set are kept (they were promised under the old)."""
    require(actor, Permission.HUB_CONFIGURE)
    if actor.hub_id != hub.pk:
        raise NotFound("Hub not found")
    problems, cleaned_hours = hub_settings_check(
        working_hours=working_hours, bank_holiday_region=bank_holiday_region, timescales=timescales
    )
    problems.raise_if_any()
    before = {
        "working_hours": hub.working_hours,
        "bank_holiday_region": hub.bank_holiday_region,
        "timescales": {t.stage: f"{t.amount} {t.unit}" for t in hub.timescales.all()},
    }
    with transaction.atomic():
        hub.working_hours = cleaned_hours
        hub.bank_holiday_region = bank_holiday_region
        hub.save(update_fields=["working_hours", "bank_holiday_region", "updated_at"])
        for item in timescales:
            Timescale.objects.update_or_create(
                hub=hub, stage=item.stage, defaults={"amount": item.amount, "unit": item.unit}
            )
        after = {
            "working_hours": cleaned_hours,
            "bank_holiday_region": bank_holiday_region,
            "timescales": {t.stage: f"{t.amount} {t.unit}" for t in hub.timescales.all()},
        }
        audit_record(
            actor=actor,
            verb=AuditVerb.HUB_CONFIGURED,
            target=hub,
            hub_id=hub.pk,
            changes=diff(before, after),
        )
    return hub


@dataclass(frozen=True)
class LevelInput:
    level: int
    name: str
    description: str = ""


@dataclass(frozen=True)
class OutcomeInput:
    code: str
    label: str
    national_code: str
    active: bool = True


def hub_levels_update(*, actor: "User", hub: Hub, levels: list[LevelInput]) -> Hub:
    """The hub's continuum of need in its own words. A level in use cannot be removed."""
    require(actor, Permission.HUB_CONFIGURE)
    if actor.hub_id != hub.pk:
        raise NotFound("Hub not found")
    errors: dict[str, list[str]] = {}
    numbers = [item.level for item in levels]
    if len(levels) < 2:
        errors["levels"] = ["A continuum needs at least two levels"]
    if len(set(numbers)) != len(numbers):
        errors["levels"] = ["Give each level a different number"]
    for item in levels:
        key = f"levels.{item.level}"
        if not 0 <= item.level <= 9:
            errors[key] = ["Number levels from 0 to 9"]
        elif not item.name.strip():
            errors[key] = [f"Enter a name for level {item.level}"]
        elif len(item.name) > 100:
            errors[key] = [f"The name of level {item.level} must be 100 characters or fewer"]
    removed = set(LevelOfNeed.objects.filter(hub=hub).values_list("level", flat=True)) - set(
        numbers
    )
    in_use = sorted(removed & levels_in_use(hub))
    if in_use:
        errors["levels"] = [
            f"Level {', '.join(map(str, in_use))} is recorded on contacts and cannot be removed"
        ]
    if errors:
        raise ValidationError(next(iter(errors.values()))[0], errors=errors)
    before = {str(x.level): x.name for x in LevelOfNeed.objects.filter(hub=hub)}
    with transaction.atomic():
        LevelOfNeed.objects.filter(hub=hub, level__in=removed).delete()
        for item in levels:
            LevelOfNeed.objects.update_or_create(
                hub=hub,
                level=item.level,
                defaults={"name": item.name.strip(), "description": item.description.strip()},
            )
        after = {str(item.level): item.name.strip() for item in levels}
        audit_record(
            actor=actor,
            verb=AuditVerb.HUB_CONFIGURED,
            target=hub,
            hub_id=hub.pk,
            changes={"levels": diff(before, after)},
        )
    return hub


def hub_outcomes_update(*, actor: "User", hub: Hub, outcomes: list[OutcomeInput]) -> Hub:
    """Decision outcomes in the hub's wording, each mapped to a national code. The list given
    is the whole list: outcomes left out are withdrawn (kept, inactive, for past decisions)."""
    require(actor, Permission.HUB_CONFIGURE)
    if actor.hub_id != hub.pk:
        raise NotFound("Hub not found")
    errors: dict[str, list[str]] = {}
    codes = [item.code for item in outcomes]
    if len(set(codes)) != len(codes):
        errors["outcomes"] = ["Give each outcome a different code"]
    if not any(item.active for item in outcomes):
        errors["outcomes"] = ["Keep at least one outcome in use"]
    for item in outcomes:
        key = f"outcomes.{item.code}"
        if not re.fullmatch(r"[a-z0-9][a-z0-9_-]{0,39}", item.code):
            errors[key] = ["Codes use lower-case letters, digits, - and _ (at most 40)"]
        elif not item.label.strip() or len(item.label) > 200:
            errors[key] = [f"Enter a label of at most 200 characters for {item.code}"]
        elif item.national_code not in NATIONAL_OUTCOMES:
            errors[key] = [f"Choose the national outcome that {item.code} maps to"]
    if errors:
        raise ValidationError(next(iter(errors.values()))[0], errors=errors)
    existing = {o.code: o for o in DecisionOutcome.objects.filter(hub=hub)}
    before = {code: [o.label, o.national_code, o.active] for code, o in existing.items()}
    with transaction.atomic():
        for order, item in enumerate(outcomes):
            DecisionOutcome.objects.update_or_create(
                hub=hub,
                code=item.code,
                defaults={
                    "label": item.label.strip(),
                    "national_code": item.national_code,
                    "active": item.active,
                    "order": order,
                },
            )
        DecisionOutcome.objects.filter(hub=hub).exclude(code__in=codes).update(active=False)
        after = {
            o.code: [o.label, o.national_code, o.active]
            for o in DecisionOutcome.objects.filter(hub=hub)
        }
        audit_record(
            actor=actor,
            verb=AuditVerb.HUB_CONFIGURED,
            target=hub,
            hub_id=hub.pk,
            changes={"outcomes": diff(before, after)},
        )
    return hub
