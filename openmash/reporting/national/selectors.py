"""Reads for the national view: figures across hubs, from the flattened measures.

Each function is a handful of aggregate queries over ReturnMeasure (grouped in the database),
never a loop over rows in Python. Suppressed cells are left out of sums and counted, so pages
can say "at least" honestly; rates are pooled (sum of numerators over sum of denominators)
over the hub-months where both are published."""

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, F, FloatField, Max, Min, Q, QuerySet, Sum
from django.db.models.functions import Cast

from openmash.reporting.models import ImportedReturn, ReturnMeasure

from .measures import Kind, MeasureSpec

PUBLISHED_RATE = Q(numerator__isnull=False, denominator__isnull=False)
PUBLISHED_MEAN = Q(value__isnull=False, denominator__isnull=False, denominator__gt=0)


@dataclass(frozen=True)
class Period:
    start: date  # first day of the first month
    end: date  # first day of the last month

    @property
    def months(self) -> int:
        return (self.end.year - self.start.year) * 12 + self.end.month - self.start.month + 1

    def __str__(self) -> str:
        if self.start == self.end:
            return f"{self.start:%B %Y}"
        return f"{self.start:%B %Y} to {self.end:%B %Y}"


@dataclass(frozen=True)
class Total:
    measure: str
    value: int  # sum of the published cells
    suppressed: int  # hub-months whose cell was suppressed (left out of `value`)
    reported: int  # hub-months that reported this cell at all

    @property
    def at_least(self) -> bool:
        return self.suppressed > 0

    @property
    def value_text(self) -> str:
        return f"{self.value:,}"


@dataclass(frozen=True)
class Rate:
    measure: str
    numerator: int
    denominator: int
    left_out: int  # hub-months with the numerator or denominator suppressed
    reported: int

    @property
    def percent(self) -> float | None:
        return 100 * self.numerator / self.denominator if self.denominator else None

    @property
    def interval(self) -> tuple[float, float] | None:
        """95% Wilson score interval of the percent."""
        return wilson(self.numerator, self.denominator)


@dataclass(frozen=True)
class HubFigure:
    hub_code: str
    hub_name: str
    value: float | None
    months: int  # months reported in the period
    left_out: int  # of which suppressed (not in `value`)
    rank: int | None = None
    quartile: int | None = None  # 1 = the best quarter (by the measure's direction)


@dataclass(frozen=True)
class Benchmark:
    spec: MeasureSpec
    period: Period
    hubs: list[HubFigure]  # ranked: best (or largest) first; hubs without a value last
    national: float | None  # pooled across every hub
    median: float | None  # of the hubs' values
    lower_quartile: float | None
    upper_quartile: float | None


@dataclass(frozen=True)
class TrendPoint:
    month: date
    value: float | None
    lower: float | None = None
    upper: float | None = None
    left_out: int = 0
    hubs: int = 0


def wilson(numerator: int, denominator: int, z: float = 1.96) -> tuple[float, float] | None:
    if denominator <= 0:
        return None
    p = numerator / denominator
    centre = p + z * z / (2 * denominator)
    spread = z * math.sqrt(p * (1 - p) / denominator + z * z / (4 * denominator**2))
    scale = 1 + z * z / denominator
    return (100 * max(0.0, (centre - spread) / scale), 100 * min(1.0, (centre + spread) / scale))


def _in_period(period: Period, hub_codes: Sequence[str] | None) -> QuerySet[ReturnMeasure]:
    rows = ReturnMeasure.objects.filter(month__gte=period.start, month__lte=period.end)
    if hub_codes:
        rows = rows.filter(hub_code__in=list(hub_codes))
    return rows


# -- What is there -----------------------------------------------------------------------------


def months_imported() -> list[date]:
    return list(ImportedReturn.objects.order_by("month").values_list("month", flat=True).distinct())


def hubs_imported() -> dict[str, str]:
    """hub code -> the name in its latest return."""
    names: dict[str, str] = {}
    for code, name in ImportedReturn.objects.order_by("hub_code", "month").values_list(
        "hub_code", "hub_name"
    ):
        names[code] = name
    return names


def default_period() -> Period | None:
    """The latest 12 months that have returns (fewer if there are fewer)."""
    bounds = ImportedReturn.objects.aggregate(first=Min("month"), last=Max("month"))
    if bounds["last"] is None:
        return None
    last: date = bounds["last"]
    year, month = last.year, last.month - 11
    while month < 1:
        year, month = year - 1, month + 12
    return Period(max(bounds["first"], date(year, month, 1)), last)


def returns_list(*, period: Period | None = None) -> QuerySet[ImportedReturn]:
    rows = ImportedReturn.objects.defer("payload").order_by("-month", "hub_code")
    if period is not None:
        rows = rows.filter(month__gte=period.start, month__lte=period.end)
    return rows


@dataclass(frozen=True)
class Coverage:
    returns: int
    hubs: int
    months: int


def coverage(period: Period, hub_codes: Sequence[str] | None = None) -> Coverage:
    rows = ImportedReturn.objects.filter(month__gte=period.start, month__lte=period.end)
    if hub_codes:
        rows = rows.filter(hub_code__in=list(hub_codes))
    figures = rows.aggregate(
        returns=Count("id"),
        hubs=Count("hub_code", distinct=True),
        months=Count("month", distinct=True),
    )
    return Coverage(figures["returns"], figures["hubs"], figures["months"])


# -- National totals and rates ----------------------------------------------------------------


def national_totals(
    period: Period, *, prefix: str = "contacts.", hub_codes: Sequence[str] | None = None
) -> dict[str, Total]:
    """Every count measure under `prefix`, summed across hubs and months: measure -> Total."""
    rows = (
        _in_period(period, hub_codes)
        .filter(measure__startswith=prefix)
        .values("measure")
        .annotate(
            total=Sum("value", filter=Q(suppressed=False)),
            hidden=Count("id", filter=Q(suppressed=True)),
            reported=Count("id"),
        )
    )
    return {
        r["measure"]: Total(r["measure"], int(r["total"] or 0), r["hidden"], r["reported"])
        for r in rows
    }


def national_rates(
    period: Period, measures: Sequence[str], *, hub_codes: Sequence[str] | None = None
) -> dict[str, Rate]:
    rows = (
        _in_period(period, hub_codes)
        .filter(measure__in=list(measures))
        .values("measure")
        .annotate(
            num=Sum("numerator", filter=PUBLISHED_RATE),
            den=Sum("denominator", filter=PUBLISHED_RATE),
            left_out=Count("id", filter=~PUBLISHED_RATE),
            reported=Count("id"),
        )
    )
    return {
        r["measure"]: Rate(
            r["measure"], int(r["num"] or 0), int(r["den"] or 0), r["left_out"], r["reported"]
        )
        for r in rows
    }


# -- Benchmarking hubs --------------------------------------------------------------------------


def _aggregates(spec: MeasureSpec) -> dict[str, Any]:
    """The aggregate expressions that give a measure's figure for a group of rows."""
    if spec.kind == Kind.RATE:
        return {
            "a": Sum("numerator", filter=PUBLISHED_RATE),
            "b": Sum("denominator", filter=PUBLISHED_RATE),
            "left_out": Count("id", filter=~PUBLISHED_RATE),
            "n": Count("id"),
        }
    if spec.kind == Kind.MEAN:
        weighted = F("value") * Cast("denominator", FloatField())
        return {
            "a": Sum(weighted, filter=PUBLISHED_MEAN, output_field=FloatField()),
            "b": Sum("denominator", filter=PUBLISHED_MEAN),
            "left_out": Count("id", filter=~PUBLISHED_MEAN),
            "n": Count("id"),
        }
    return {
        "a": Sum("value", filter=Q(suppressed=False)),
        "b": Count("id", filter=Q(suppressed=False)),
        "left_out": Count("id", filter=Q(suppressed=True)),
        "n": Count("id"),
    }


def _figure(spec: MeasureSpec, a: float | None, b: float | None) -> float | None:
    if not b:
        return None
    if spec.kind == Kind.RATE:
        return 100 * (a or 0) / b
    return (a or 0) / b  # a weighted mean, or a count's mean per month


def _quantiles(values: list[float]) -> tuple[float | None, float | None, float | None]:
    if not values:
        return None, None, None
    if len(values) == 1:
        return values[0], values[0], values[0]
    q1, q2, q3 = statistics.quantiles(values, n=4, method="inclusive")
    return q2, q1, q3


def hub_benchmark(spec: MeasureSpec, period: Period) -> Benchmark:
    """Each hub's figure over the period against the others: ranked, with the national
    (pooled) figure, the median hub and the quartiles."""
    rows = (
        _in_period(period, None)
        .filter(measure=spec.measure)
        .values("hub_code")
        .annotate(**_aggregates(spec))
    )
    names = hubs_imported()
    a_all = b_all = 0.0
    figures: list[HubFigure] = []
    for r in rows:
        a_all += r["a"] or 0
        b_all += r["b"] or 0
        figures.append(
            HubFigure(
                hub_code=r["hub_code"],
                hub_name=names.get(r["hub_code"], r["hub_code"]),
                value=_figure(spec, r["a"], r["b"]),
                months=r["n"],
                left_out=r["left_out"],
            )
        )
    national = _figure(spec, a_all, b_all)
    if spec.kind == Kind.COUNT:
        # Nationally a count is the mean hub's contacts per month, not the sum's average.
        national = a_all / b_all if b_all else None
    values = sorted(f.value for f in figures if f.value is not None)
    median, q1, q3 = _quantiles(values)
    descending = spec.higher_is_better is not False
    valued = sorted(
        (f for f in figures if f.value is not None),
        key=lambda f: (-(f.value or 0) if descending else (f.value or 0), f.hub_code),
    )
    ranked: list[HubFigure] = []
    for n, f in enumerate(valued, start=1):
        quartile = min(4, 1 + (n - 1) * 4 // len(valued))
        ranked.append(HubFigure(f.hub_code, f.hub_name, f.value, f.months, f.left_out, n, quartile))
    ranked += sorted((f for f in figures if f.value is None), key=lambda f: f.hub_code)
    return Benchmark(spec, period, ranked, national, median, q1, q3)


# -- Trends ---------------------------------------------------------------------------------------


def trend(
    spec: MeasureSpec,
    period: Period,
    *,
    hub_codes: Sequence[str] | None = None,
    per_hub: bool = False,
) -> list[TrendPoint]:
    """Month by month: the national figure (or, with hub_codes, those hubs'), with a 95%
    interval for rates. A count is the total across hubs (at least, where suppressed), or
    with per_hub the mean hub's count (comparable with one hub's)."""
    rows = (
        _in_period(period, hub_codes)
        .filter(measure=spec.measure)
        .values("month")
        .annotate(**_aggregates(spec))
        .order_by("month")
    )
    by_month = {r["month"]: r for r in rows}
    points: list[TrendPoint] = []
    for month in month_range(period):
        r = by_month.get(month)
        if r is None:
            points.append(TrendPoint(month, None))
            continue
        if spec.kind == Kind.COUNT:
            value: float | None = float(r["a"] or 0) if r["b"] else None
            if per_hub and value is not None:
                value /= r["b"]
        else:
            value = _figure(spec, r["a"], r["b"])
        lower = upper = None
        if spec.kind == Kind.RATE and r["b"]:
            interval = wilson(int(r["a"] or 0), int(r["b"]))
            if interval:
                lower, upper = interval
        points.append(TrendPoint(month, value, lower, upper, r["left_out"], r["n"]))
    return points


def month_range(period: Period) -> list[date]:
    months = []
    year, month = period.start.year, period.start.month
    for _ in range(period.months):
        months.append(date(year, month, 1))
        month += 1
        if month > 12:
            year, month = year + 1, 1
    return months
