"""The monitoring figures of a hub for any period: counts, turnaround, timeliness, agency
responses, conversion and repeat contacts. Computed by aggregate queries over the facts: on
PostgreSQL one hashed GROUPING SETS scan for the contacts and one for the agency checks, with
exact percentiles from histograms of working minutes; elsewhere (SQLite, a small hub) a query
per figure, with the values fetched for percentiles. A test holds the two paths to the same
answers.

Everything here is a count or a statistic: no function returns anything about one person.
Suppression of small numbers is applied where figures are published (`monthly_return`),
not here, so a hub's own dashboard can show its own exact figures to its own staff."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.db import connection
from django.db.models import (
    Avg,
    Count,
    F,
    Q,
    QuerySet,
)
from django.utils import timezone

from openmash.contacts.models import Rag
from openmash.core.standards import CONCERN_CATEGORIES, NATIONAL_OUTCOMES, REFERRAL_SOURCES
from openmash.hubs.models import Agency, Hub, LevelOfNeed

from .models import AgencyCheckFact, ConcernFact, ContactFact

UNRATED = "unrated"
UNDECIDED = "undecided"
RAG_KEYS = [Rag.RED.value, Rag.AMBER.value, Rag.GREEN.value]


def percentile(values: Sequence[float], fraction: float) -> float:
    """PostgreSQL's PERCENTILE_CONT: linear interpolation between the ranks either side."""
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
    # Month of receipt -> (contacts, mean working minutes to decision or None), for trends.
    monthly: dict[date, tuple[int, float | None]] = field(default_factory=dict)

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


def _cohort_rows(
    model: Any, received: str, hub: Hub, period: Period, filters: FactFilter, facts: QuerySet[Any]
) -> QuerySet[Any]:
    """Concern or check facts of the cohort's contacts. Each carries its contact's receipt time,
    so the period is an indexed range on the table itself; the filters (on the contact) join
    only when there are any."""
    low, high = period.bounds(ZoneInfo(hub.timezone))
    rows = model.objects.filter(**{"hub": hub, f"{received}__gte": low, f"{received}__lt": high})
    return rows.filter(contact_id__in=facts.values("pk")) if filters.active else rows


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
    """Stats of (working minutes, calendar minutes) pairs: through the same histogram as the
    PostgreSQL path, so both give identical figures."""
    histogram: dict[int, list[int]] = {}
    for working, elapsed in values:
        cell = histogram.setdefault(working, [0, 0])
        cell[0] += 1
        cell[1] += elapsed
    return _stats_from_histogram(histogram)


def _turnaround(facts: QuerySet[ContactFact], working: str, elapsed: str) -> Turnaround:
    """Working-time turnaround overall, by RAG and by level, from the values themselves (for
    databases without PERCENTILE_CONT; PostgreSQL computes it in `_cohort_postgresql`)."""
    done = facts.filter(**{f"{working}__isnull": False})
    groups: dict[str, dict[str, Stats]] = {"rag": {}, "level": {}}
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
    conditions = _cohort_conditions(as_of)
    if connection.vendor == "postgresql":
        cohort = _cohort_postgresql(facts, conditions)
    else:
        cohort = _cohort_portable(facts, conditions)
    sums, counts = cohort.sums, cohort.counts
    concern_counts = dict(
        _cohort_rows(ConcernFact, "received_at", hub, period, filters, facts)
        .values_list("concern")
        .annotate(n=Count("pk"))
        .order_by()
    )
    checks = _cohort_rows(
        AgencyCheckFact, "contact_received_at", hub, period, filters, facts
    ).filter(withdrawn=False)
    agency_figures, checks_on_time = _agency_figures(hub, checks, as_of)
    return Metrics(
        hub=hub,
        period=period,
        filters=filters,
        as_of=as_of,
        total=sums["total"],
        by_source=_keyed(counts["source_code"], REFERRAL_SOURCES, None),
        by_concern={key: concern_counts.get(key, 0) for key in CONCERN_CATEGORIES},
        by_rag=_keyed(counts["rag"], RAG_KEYS, UNRATED),
        by_level=_keyed(counts["level"], sorted(level_names, key=int), UNRATED),
        by_outcome=_keyed(counts["outcome"], NATIONAL_OUTCOMES, UNDECIDED),
        to_screening=cohort.turnaround["screening"],
        to_decision=cohort.turnaround["decision"],
        on_time={
            "screening": Rate(sums["screening_n"], sums["screening_d"]),
            "agency_checks": checks_on_time,
            "decision": Rate(sums["decision_n"], sums["decision_d"]),
            "feedback": Rate(sums["feedback_n"], sums["feedback_d"]),
        },
        agency_checks=agency_figures,
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
        monthly=cohort.monthly,
    )


# The cohort's breakdowns and the turnaround stages: (working minutes, calendar minutes).
COUNTED_BY = ("rag", "level", "source_code", "outcome")
STAGES = {
    "screening": ("screening_working_minutes", "screening_elapsed_minutes"),
    "decision": ("decision_working_minutes", "decision_elapsed_minutes"),
}


@dataclass(frozen=True)
class _Cohort:
    sums: dict[str, int]  # "total" and one count per condition
    counts: dict[str, dict[str, int]]  # column -> value ("" when blank) -> contacts
    turnaround: dict[str, Turnaround]  # stage -> turnaround
    monthly: dict[date, tuple[int, float | None]]  # as Metrics.monthly


def _cohort_conditions(as_of: datetime) -> dict[str, Q]:
    """Each count of the cohort is the contacts meeting one condition."""
    screening = _on_time("screened_at", "screening_due_at", as_of)
    decision = _on_time("decided_at", "decision_due_at", as_of)
    feedback = _on_time("feedback_at", "feedback_due_at", as_of)
    decided = Q(decided_at__isnull=False)
    return {
        "screening_n": screening[0],
        "screening_d": screening[1],
        "decision_n": decision[0],
        "decision_d": decision[1],
        "feedback_n": feedback[0],
        "feedback_d": feedback[1],
        "feedback_sent": decided & Q(feedback_at__isnull=False),
        "decided": decided,
        "rationale": decided & Q(rationale_recorded=True),
        "early_help": Q(outcome="EARLY_HELP"),
        "s17": Q(outcome="S17"),
        "s47": Q(outcome="S47"),
        "referrals": Q(is_referral=True),
        "recontacts": Q(recontact_12m=True),
        "rereferrals": Q(rereferral_12m=True),
        "after_nfa": Q(referral_after_nfa_12m=True),
    }


def _cohort_sums(facts: QuerySet[ContactFact], conditions: dict[str, Q]) -> dict[str, int]:
    return facts.aggregate(
        total=Count("pk"), **{name: Count("pk", filter=q) for name, q in conditions.items()}
    )


def _cohort_portable(facts: QuerySet[ContactFact], conditions: dict[str, Q]) -> _Cohort:
    return _Cohort(
        sums=_cohort_sums(facts, conditions),
        counts={column: _counts(facts, column) for column in COUNTED_BY},
        turnaround={stage: _turnaround(facts, *columns) for stage, columns in STAGES.items()},
        monthly={
            month: (n, mean)
            for month, n, mean in facts.values_list("received_month")
            .annotate(n=Count("pk"), mean=Avg("decision_working_minutes"))
            .order_by()
            .values_list("received_month", "n", "mean")
        },
    )


def _cohort_postgresql(facts: QuerySet[ContactFact], conditions: dict[str, Q]) -> _Cohort:
    """The cohort in two scans of the period's facts (a year of a large hub is a quarter of a
    million rows; a query per figure read them a dozen times): the totals, then every
    breakdown, month and turnaround in one hashed GROUPING SETS query. Percentiles come from
    exact histograms of working minutes (a few thousand distinct values), not from sorting
    every row per group."""
    keys = [*COUNTED_BY, "received_month", *(working for working, _ in STAGES.values())]
    stage_columns = [column for columns in STAGES.values() for column in columns]
    inner, params = facts.values(
        *COUNTED_BY, "received_month", *stage_columns
    ).query.sql_with_params()
    decision_working = STAGES["decision"][0]
    select = [f"GROUPING({', '.join(keys)})", *keys, "COUNT(*)"]
    select += [f"SUM({elapsed})" for _, elapsed in STAGES.values()]
    select += [f"COUNT({decision_working})", f"SUM({decision_working})"]
    sets = [
        *(f"({column})" for column in [*COUNTED_BY, "received_month"]),
        *(f"(rag, level, {working})" for working, _ in STAGES.values()),
    ]
    sql = (
        f"SELECT {', '.join(select)} FROM ({inner}) AS cohort "
        f"GROUP BY GROUPING SETS ({', '.join(sets)})"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()

    def mask(*grouped: str) -> int:  # GROUPING(): a 1 bit for each key not grouped by
        return sum(1 << (len(keys) - 1 - i) for i, key in enumerate(keys) if key not in grouped)

    single = {mask(column): column for column in [*COUNTED_BY, "received_month"]}
    stage_of = {mask("rag", "level", working): stage for stage, (working, _) in STAGES.items()}
    at = {key: 1 + i for i, key in enumerate(keys)}
    count_at = 1 + len(keys)
    counts: dict[str, dict[str, int]] = {column: {} for column in COUNTED_BY}
    monthly: dict[date, tuple[int, float | None]] = {}
    histograms: dict[str, list[tuple[Any, Any, int, int, int]]] = {stage: [] for stage in STAGES}
    for row in rows:
        group, n = row[0], row[count_at]
        if group in stage_of:
            stage = stage_of[group]
            minutes = row[at[STAGES[stage][0]]]
            if minutes is not None:
                elapsed = row[count_at + 1 + list(STAGES).index(stage)]
                histograms[stage].append((row[at["rag"]], row[at["level"]], minutes, n, elapsed))
        elif single[group] == "received_month":
            decided_n, decided_sum = row[count_at + 1 + len(STAGES) :]
            mean = decided_sum / decided_n if decided_n else None
            monthly[row[at["received_month"]]] = (n, mean)
        else:
            column = single[group]
            value = row[at[column]]
            counts[column][str(value) if value not in ("", None) else ""] = n
    return _Cohort(
        sums=_cohort_sums(facts, conditions),
        counts=counts,
        turnaround={stage: _turnaround_from(histograms[stage]) for stage in STAGES},
        monthly=monthly,
    )


def _turnaround_from(buckets: list[tuple[Any, Any, int, int, int]]) -> Turnaround:
    """Turnaround from (rag, level, working minutes, contacts, their calendar minutes) buckets."""
    everyone: dict[int, list[int]] = {}
    by: dict[str, dict[str, dict[int, list[int]]]] = {"rag": {}, "level": {}}
    for rag, level, minutes, n, elapsed in buckets:
        for histogram in (
            everyone,
            by["rag"].setdefault(_group_key(rag), {}),
            by["level"].setdefault(_group_key(level), {}),
        ):
            cell = histogram.setdefault(minutes, [0, 0])
            cell[0] += n
            cell[1] += elapsed
    return Turnaround(
        all=_stats_from_histogram(everyone),
        by_rag={key: _stats_from_histogram(h) for key, h in by["rag"].items()},
        by_level={key: _stats_from_histogram(h) for key, h in by["level"].items()},
    )


def _stats_from_histogram(histogram: dict[int, list[int]]) -> Stats:
    """Stats of working minutes given as {minutes: [how many, their calendar minutes]}: the
    same figures as `_stats_from_values` over the expanded values (PERCENTILE_CONT's
    interpolation between the ranks either side)."""
    n = sum(count for count, _ in histogram.values())
    if not n:
        return Stats(count=0)
    ordered = sorted(histogram.items())

    def value_at(rank: int) -> int:
        seen = 0
        for minutes, (count, _elapsed) in ordered:
            seen += count
            if rank < seen:
                return minutes
        return ordered[-1][0]

    def percentile_hours(fraction: float) -> float:
        rank = fraction * (n - 1)
        low = math.floor(rank)
        below, above = value_at(low), value_at(min(low + 1, n - 1))
        return (below + (above - below) * (rank - low)) / 60

    total = sum(minutes * count for minutes, (count, _) in ordered)
    elapsed = sum(e for _, (_c, e) in ordered)
    return Stats(
        count=n,
        mean_hours=round(total / n / 60, 2),
        median_hours=round(percentile_hours(0.5), 2),
        p90_hours=round(percentile_hours(0.9), 2),
        mean_days=round(elapsed / n / 1440, 2),
    )


def _agency_figures(
    hub: Hub, checks: QuerySet[AgencyCheckFact], as_of: datetime
) -> tuple[list[AgencyFigures], Rate]:
    """Each agency's requests, answers, timeliness and response time, and the on-time rate of
    every check together (the MASH team's own checks included)."""
    numerator, denominator = _on_time("answered_at", "due_at", as_of)
    counted = {
        "requested": Count("pk"),
        "answered": Count("pk", filter=Q(answered_at__isnull=False)),
        "on_time_n": Count("pk", filter=numerator),
        "on_time_d": Count("pk", filter=denominator),
    }
    rows = {
        row["agency_id"]: row for row in checks.values("agency_id").annotate(**counted).order_by()
    }
    answered = checks.filter(working_minutes__isnull=False, answered_at__isnull=False)
    if connection.vendor == "postgresql":
        response = {
            key: _stats_from_histogram(h) for key, h in _answer_histograms(answered).items()
        }
    else:
        buckets: dict[Any, list[tuple[int, int]]] = {}
        for agency_id, minutes, asked, answered_at in answered.values_list(
            "agency_id", "working_minutes", "requested_at", "answered_at"
        ):
            if minutes is None or answered_at is None:  # excluded above; for the type checker
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
    on_time = Rate(
        sum(r["on_time_n"] for r in rows.values()), sum(r["on_time_d"] for r in rows.values())
    )
    return figures, on_time


def _answer_histograms(answered: QuerySet[AgencyCheckFact]) -> dict[Any, dict[int, list[int]]]:
    """Per agency, a histogram of working minutes with the calendar minutes of the answers in
    each bucket: percentiles without sorting every answer per agency (PostgreSQL)."""
    inner, params = answered.values(
        "agency_id", "working_minutes", "requested_at", "answered_at"
    ).query.sql_with_params()
    sql = (
        "SELECT agency_id, working_minutes, COUNT(*), "
        "SUM(ROUND(EXTRACT(EPOCH FROM (answered_at - requested_at)) / 60))::bigint "
        f"FROM ({inner}) AS answered GROUP BY agency_id, working_minutes"
    )
    histograms: dict[Any, dict[int, list[int]]] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for agency_id, minutes, n, elapsed in cursor.fetchall():
            histograms.setdefault(agency_id, {})[minutes] = [n, elapsed]
    return histograms


def monthly_series(metrics: Metrics) -> list[tuple[date, int, float | None]]:
    """Contacts and mean working hours to decision, month by month (for trend charts), every
    month of the period included."""
    series = []
    month = metrics.period.start.replace(day=1)
    while month <= metrics.period.end:
        n, mean = metrics.monthly.get(month, (0, None))
        series.append((month, n, round(mean / 60, 2) if mean is not None else None))
        month = date(month.year + (month.month == 12), month.month % 12 + 1, 1)
    return series
