"""The monitoring figures of a hub for any period: counts, turnaround, timeliness, agency
responses, conversion and repeat contacts. Computed by aggregate queries over the facts
(PostgreSQL computes percentiles itself; on SQLite the few thousand values are fetched).

Everything here is a count or a statistic: no function returns anything about one person.
Suppression of small numbers is applied where figures are published (`monthly_return`),
not here, so a hub's own dashboard can show its own exact figures to its own staff."""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.db import connection
from django.db.models import Aggregate, Avg, Count, DurationField, F, FloatField, Q, QuerySet
from django.utils import timezone

from openmash.contacts.models import Rag
from openmash.core.standards import CONCERN_CATEGORIES, NATIONAL_OUTCOMES, REFERRAL_SOURCES
from openmash.hubs.models import Agency, Hub, LevelOfNeed

from .models import AgencyCheckFact, ConcernFact, ContactFact

UNRATED = "unrated"
UNDECIDED = "undecided"
RAG_KEYS = [Rag.RED.value, Rag.AMBER.value, Rag.GREEN.value]


class PercentileCont(Aggregate):
    """PostgreSQL's continuous percentile (linear interpolation between ranks)."""

    function = "PERCENTILE_CONT"
    template = "%(function)s(%(fraction)s) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()

    def __init__(self, expression: Any, fraction: float, **extra: Any) -> None:
        if not 0 <= fraction <= 1:
            raise ValueError("fraction must be between 0 and 1")
        super().__init__(expression, fraction=repr(float(fraction)), **extra)


def percentile(values: Sequence[float], fraction: float) -> float:
    """The same interpolation as PERCENTILE_CONT, for databases without it."""
    ordered = sorted(values)
    if not ordered:
        raise ValueError("no values")
    rank = fraction * (len(ordered) - 1)
    low = math.floor(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


@dataclass(frozen=True)
class Period:
    """Whole local days, `start` to `end` inclusive."""

    start: date
    end: date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError("The period ends before it starts.")

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        first = date(year, month, 1)
        following = date(year + (month == 12), month % 12 + 1, 1)
        return cls(first, following - timedelta(days=1))

    def bounds(self, zone: ZoneInfo) -> tuple[datetime, datetime]:
        """The UTC instants [from, to) covering the local days."""
        low = datetime.combine(self.start, time.min, tzinfo=zone)
        high = datetime.combine(self.end + timedelta(days=1), time.min, tzinfo=zone)
        return low, high

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


@dataclass(frozen=True)
class FactFilter:
    """Optional narrowing of the contacts counted (the dashboard's filters)."""

    rag: str = ""
    level: int | None = None
    source: str = ""
    outcome: str = ""

    def apply(self, facts: QuerySet[ContactFact]) -> QuerySet[ContactFact]:
        if self.rag:
            facts = facts.filter(rag="" if self.rag == UNRATED else self.rag)
        if self.level is not None:
            facts = facts.filter(level=self.level)
        if self.source:
            facts = facts.filter(source_code=self.source)
        if self.outcome:
            facts = facts.filter(outcome="" if self.outcome == UNDECIDED else self.outcome)
        return facts

    @property
    def active(self) -> bool:
        return bool(self.rag or self.level is not None or self.source or self.outcome)


@dataclass(frozen=True)
class Stats:
    """Turnaround of `count` items: working hours (the hub's clock) and calendar days."""

    count: int
    mean_hours: float | None = None
    median_hours: float | None = None
    p90_hours: float | None = None
    mean_days: float | None = None


@dataclass(frozen=True)
class Rate:
    numerator: int
    denominator: int

    @property
    def percent(self) -> float | None:
        if not self.denominator:
            return None
        return round(100 * self.numerator / self.denominator, 1)


@dataclass(frozen=True)
class Turnaround:
    all: Stats
    by_rag: dict[str, Stats]
    by_level: dict[str, Stats]


@dataclass(frozen=True)
class AgencyFigures:
    code: str
    name: str
    agency_type: str
    requested: int
    answered: int
    on_time: Rate
    response: Stats


@dataclass(frozen=True)
class Metrics:
    hub: Hub
    period: Period
    filters: FactFilter
    as_of: datetime
    total: int
    by_source: dict[str, int]
    by_concern: dict[str, int]
    by_rag: dict[str, int]
    by_level: dict[str, int]
    by_outcome: dict[str, int]
    to_screening: Turnaround
    to_decision: Turnaround
    on_time: dict[str, Rate]
    agency_checks: list[AgencyFigures]
    conversion: dict[str, Rate]
    repeat: dict[str, Rate]
    rationale_recorded: Rate
    feedback_sent: Rate
    feedback_on_time: Rate
    level_names: dict[str, str] = field(default_factory=dict)

    @property
    def decided(self) -> int:
        return self.total - self.by_outcome.get(UNDECIDED, 0)

    @property
    def referrals(self) -> int:
        return self.by_outcome.get("S17", 0) + self.by_outcome.get("S47", 0)


def facts_in_period(hub: Hub, period: Period, filters: FactFilter | None = None) -> Any:
    low, high = period.bounds(ZoneInfo(hub.timezone))
    facts = ContactFact.objects.filter(hub=hub, received_at__gte=low, received_at__lt=high)
    return (filters or FactFilter()).apply(facts)


def _counts(facts: QuerySet[ContactFact], column: str) -> dict[str, int]:
    return {
        str(key) if key not in ("", None) else "": n
        for key, n in facts.values_list(column).annotate(n=Count("pk")).order_by()
    }


def _keyed(raw: dict[str, int], keys: Iterable[str], blank: str | None) -> dict[str, int]:
    """Every expected key (zeros included, so returns are comparable), then the blank one."""
    out = {key: raw.get(key, 0) for key in keys}
    for key, n in raw.items():
        if key and key not in out:
            out[key] = n  # a code retired from the hub's list still counts
    if blank is not None:
        out[blank] = raw.get("", 0)
    return out


def _stats_from_values(values: list[tuple[int, int]]) -> Stats:
    if not values:
        return Stats(count=0)
    hours = [w / 60 for w, _e in values]
    return Stats(
        count=len(values),
        mean_hours=round(statistics.fmean(hours), 2),
        median_hours=round(percentile(hours, 0.5), 2),
        p90_hours=round(percentile(hours, 0.9), 2),
        mean_days=round(statistics.fmean(e / 1440 for _w, e in values), 2),
    )


def _turnaround(facts: QuerySet[ContactFact], working: str, elapsed: str) -> Turnaround:
    done = facts.filter(**{f"{working}__isnull": False})
    groups: dict[str, dict[str, Stats]] = {"rag": {}, "level": {}}
    if connection.vendor == "postgresql":
        aggregates = {
            "n": Count("pk"),
            "mean": Avg(working),
            "median": PercentileCont(working, 0.5),
            "p90": PercentileCont(working, 0.9),
            "days": Avg(elapsed),
        }

        def stats(row: dict[str, Any]) -> Stats:
            if not row["n"]:
                return Stats(count=0)
            return Stats(
                count=row["n"],
                mean_hours=round(row["mean"] / 60, 2),
                median_hours=round(row["median"] / 60, 2),
                p90_hours=round(row["p90"] / 60, 2),
                mean_days=round(row["days"] / 1440, 2),
            )

        overall = stats(done.aggregate(**aggregates))
        for column in ("rag", "level"):
            for row in done.values(column).annotate(**aggregates).order_by():
                groups[column][_group_key(row[column])] = stats(row)
    else:
        rows = list(done.values_list("rag", "level", working, elapsed))
        overall = _stats_from_values([(w, e) for _r, _l, w, e in rows])
        for index, column in ((0, "rag"), (1, "level")):
            buckets: dict[str, list[tuple[int, int]]] = {}
            for row in rows:
                buckets.setdefault(_group_key(row[index]), []).append((row[2], row[3]))
            groups[column] = {key: _stats_from_values(v) for key, v in buckets.items()}
    return Turnaround(all=overall, by_rag=groups["rag"], by_level=groups["level"])


def _group_key(value: Any) -> str:
    return UNRATED if value in ("", None) else str(value)


def _on_time(done: str, due: str, as_of: datetime) -> tuple[Q, Q]:
    """(numerator, denominator) filters: done by the due time, over everything done or
    overdue (items neither done nor yet due are not counted either way)."""
    numerator = Q(**{f"{done}__isnull": False, f"{done}__lte": F(due)})
    denominator = Q(**{f"{due}__isnull": False}) & (
        Q(**{f"{done}__isnull": False}) | Q(**{f"{due}__lt": as_of})
    )
    return numerator, denominator


def metrics_compute(
    *, hub: Hub, period: Period, filters: FactFilter | None = None, as_of: datetime | None = None
) -> Metrics:
    """The hub's figures for contacts received in the period (the cohort), as they stand at
    `as_of`. Facts must be fresh: callers use `facts.facts_refresh` first."""
    filters = filters or FactFilter()
    as_of = as_of or timezone.now()
    facts = facts_in_period(hub, period, filters)
    level_names = {str(lv.level): lv.name for lv in LevelOfNeed.objects.filter(hub=hub)}

    screening_on_time = _on_time("screened_at", "screening_due_at", as_of)
    decision_on_time = _on_time("decided_at", "decision_due_at", as_of)
    feedback_on_time = _on_time("feedback_at", "feedback_due_at", as_of)
    decided = Q(decided_at__isnull=False)
    referral = Q(is_referral=True)
    sums = facts.aggregate(
        total=Count("pk"),
        screening_n=Count("pk", filter=screening_on_time[0]),
        screening_d=Count("pk", filter=screening_on_time[1]),
        decision_n=Count("pk", filter=decision_on_time[0]),
        decision_d=Count("pk", filter=decision_on_time[1]),
        feedback_n=Count("pk", filter=feedback_on_time[0]),
        feedback_d=Count("pk", filter=feedback_on_time[1]),
        feedback_sent=Count("pk", filter=decided & Q(feedback_at__isnull=False)),
        decided=Count("pk", filter=decided),
        rationale=Count("pk", filter=decided & Q(rationale_recorded=True)),
        early_help=Count("pk", filter=Q(outcome="EARLY_HELP")),
        s17=Count("pk", filter=Q(outcome="S17")),
        s47=Count("pk", filter=Q(outcome="S47")),
        referrals=Count("pk", filter=referral),
        recontacts=Count("pk", filter=Q(recontact_12m=True)),
        rereferrals=Count("pk", filter=Q(rereferral_12m=True)),
        after_nfa=Count("pk", filter=Q(referral_after_nfa_12m=True)),
    )
    concern_counts = dict(
        ConcernFact.objects.filter(contact_id__in=facts.values("pk"))
        .values_list("concern")
        .annotate(n=Count("pk"))
        .order_by()
    )
    checks = AgencyCheckFact.objects.filter(contact_id__in=facts.values("pk"), withdrawn=False)
    check_on_time = _on_time("answered_at", "due_at", as_of)
    check_sums = checks.aggregate(
        n=Count("pk", filter=check_on_time[0]), d=Count("pk", filter=check_on_time[1])
    )
    return Metrics(
        hub=hub,
        period=period,
        filters=filters,
        as_of=as_of,
        total=sums["total"],
        by_source=_keyed(_counts(facts, "source_code"), REFERRAL_SOURCES, None),
        by_concern={key: concern_counts.get(key, 0) for key in CONCERN_CATEGORIES},
        by_rag=_keyed(_counts(facts, "rag"), RAG_KEYS, UNRATED),
        by_level=_keyed(_counts(facts, "level"), sorted(level_names, key=int), UNRATED),
        by_outcome=_keyed(_counts(facts, "outcome"), NATIONAL_OUTCOMES, UNDECIDED),
        to_screening=_turnaround(facts, "screening_working_minutes", "screening_elapsed_minutes"),
        to_decision=_turnaround(facts, "decision_working_minutes", "decision_elapsed_minutes"),
        on_time={
            "screening": Rate(sums["screening_n"], sums["screening_d"]),
            "agency_checks": Rate(check_sums["n"], check_sums["d"]),
            "decision": Rate(sums["decision_n"], sums["decision_d"]),
            "feedback": Rate(sums["feedback_n"], sums["feedback_d"]),
        },
        agency_checks=_agency_figures(hub, checks, as_of),
        conversion={
            "early_help": Rate(sums["early_help"], sums["decided"]),
            "s17": Rate(sums["s17"], sums["decided"]),
            "s47": Rate(sums["s47"], sums["decided"]),
        },
        repeat={
            "recontacts_12m": Rate(sums["recontacts"], sums["total"]),
            "rereferrals_12m": Rate(sums["rereferrals"], sums["referrals"]),
            "referrals_after_nfa_12m": Rate(sums["after_nfa"], sums["referrals"]),
        },
        rationale_recorded=Rate(sums["rationale"], sums["decided"]),
        feedback_sent=Rate(sums["feedback_sent"], sums["decided"]),
        feedback_on_time=Rate(sums["feedback_n"], sums["feedback_d"]),
        level_names=level_names,
    )


def _agency_figures(
    hub: Hub, checks: QuerySet[AgencyCheckFact], as_of: datetime
) -> list[AgencyFigures]:
    numerator, denominator = _on_time("answered_at", "due_at", as_of)
    rows = {
        row["agency_id"]: row
        for row in checks.values("agency_id")
        .annotate(
            requested=Count("pk"),
            answered=Count("pk", filter=Q(answered_at__isnull=False)),
            on_time_n=Count("pk", filter=numerator),
            on_time_d=Count("pk", filter=denominator),
        )
        .order_by()
    }
    response: dict[Any, Stats] = {}
    answered = checks.filter(working_minutes__isnull=False)
    if connection.vendor == "postgresql":
        for row in (
            answered.values("agency_id")
            .annotate(
                n=Count("pk"),
                mean=Avg("working_minutes"),
                median=PercentileCont("working_minutes", 0.5),
                p90=PercentileCont("working_minutes", 0.9),
                days=Avg((F("answered_at") - F("requested_at")), output_field=DurationField()),
            )
            .order_by()
        ):
            response[row["agency_id"]] = Stats(
                count=row["n"],
                mean_hours=round(row["mean"] / 60, 2),
                median_hours=round(row["median"] / 60, 2),
                p90_hours=round(row["p90"] / 60, 2),
                mean_days=_days(row["days"]),
            )
    else:
        buckets: dict[Any, list[tuple[int, int]]] = {}
        for agency_id, minutes, asked, answered_at in answered.values_list(
            "agency_id", "working_minutes", "requested_at", "answered_at"
        ):
            if minutes is None or answered_at is None:
                continue
            elapsed = round((answered_at - asked).total_seconds() / 60)
            buckets.setdefault(agency_id, []).append((minutes, elapsed))
        response = {key: _stats_from_values(v) for key, v in buckets.items()}
    figures = []
    for agency in Agency.objects.filter(hub=hub, is_mash_team=False).order_by("name"):
        if agency.id not in rows:
            continue
        row = rows[agency.id]
        figures.append(
            AgencyFigures(
                code=agency.code,
                name=agency.name,
                agency_type=agency.agency_type,
                requested=row["requested"],
                answered=row["answered"],
                on_time=Rate(row["on_time_n"], row["on_time_d"]),
                response=response.get(agency.id, Stats(count=0)),
            )
        )
    return figures


def _days(value: Any) -> float | None:
    """An average interval from the database: a timedelta on PostgreSQL."""
    if value is None:
        return None
    if isinstance(value, timedelta):
        return round(value.total_seconds() / 86400, 2)
    return round(float(value) / 86_400_000_000, 2)  # microseconds elsewhere


def monthly_series(
    *, hub: Hub, period: Period, filters: FactFilter | None = None
) -> list[tuple[date, int, float | None]]:
    """Contacts and mean working hours to decision, month by month (for trend charts)."""
    facts = facts_in_period(hub, period, filters)
    rows = {
        month: (n, mean)
        for month, n, mean in facts.values_list("received_month")
        .annotate(n=Count("pk"), mean=Avg("decision_working_minutes"))
        .order_by()
        .values_list("received_month", "n", "mean")
    }
    series = []
    month = period.start.replace(day=1)
    while month <= period.end:
        n, mean = rows.get(month, (0, None))
        series.append((month, n, round(mean / 60, 2) if mean is not None else None))
        month = date(month.year + (month.month == 12), month.month % 12 + 1, 1)
    return series
