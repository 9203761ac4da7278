"""Before and after: the hub's figures for two periods side by side, in the form the London
MASH impact study used (mean turnaround in days by level of need, pre vs post), with 95%
confidence intervals, and the other monthly-return measures with their change in percentage
points.

Turnaround is calendar time from receipt to screening and to the decision in force, in days
(`*_elapsed_minutes / 1440`), grouped by the contact's current level of need and RAG rating,
as the metrics group them. Each group's n, mean and standard deviation come from one aggregate
query per period (count, sum and sum of squares per RAG x level cell), combined exactly into
the margins, so no contact is ever read one by one and nothing about a person leaves here.

The statistics:
- the confidence interval of a mean is mean +/- t(0.975, n - 1) * sd / sqrt(n);
- the difference after - before has a Welch interval: se = sqrt(sd1^2/n1 + sd2^2/n2), with
  Welch-Satterthwaite degrees of freedom (no assumption of equal variances);
- t quantiles come from the Student t distribution itself (regularised incomplete beta
  function, solved by bisection), so small groups get the right, wider intervals;
- a group with fewer than 2 items has no standard deviation, hence no interval.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any

from django.db.models import Count, F, FloatField, Sum
from django.db.models.functions import Cast

from openmash.hubs.models import Hub, LevelOfNeed

from .metrics import RAG_KEYS, UNRATED, FactFilter, Metrics, Period, Rate, metrics_compute
from .metrics import facts_in_period as _facts_in_period

MINUTES_PER_DAY = 1440
CONFIDENCE = 0.95
RAG_LABELS = {"red": "Red", "amber": "Amber", "green": "Green", UNRATED: "Not rated"}


# -- The Student t distribution ---------------------------------------------------------------


def _beta_continued_fraction(a: float, b: float, x: float) -> float:
    """The continued fraction of the incomplete beta function (modified Lentz's method)."""
    tiny = 1e-300
    qab, qap, qam = a + b, a + 1.0, a - 1.0
    c, d = 1.0, 1.0 - qab * x / qap
    d = 1.0 / (d if abs(d) > tiny else tiny)
    h = d
    for m in range(1, 500):
        m2 = 2 * m
        aa = m * (b - m) * x / ((qam + m2) * (a + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > tiny else tiny)
        c = 1.0 + aa / c
        c = c if abs(c) > tiny else tiny
        h *= d * c
        aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > tiny else tiny)
        c = 1.0 + aa / c
        c = c if abs(c) > tiny else tiny
        delta = d * c
        h *= delta
        if abs(delta - 1.0) < 1e-15:
            break
    return h


def regularized_beta(a: float, b: float, x: float) -> float:
    """I_x(a, b), the regularised incomplete beta function."""
    if x <= 0:
        return 0.0
    if x >= 1:
        return 1.0
    log_front = (
        math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x)
    )
    front = math.exp(log_front)
    # The continued fraction converges fast only on one side of the mean: use symmetry.
    if x < (a + 1) / (a + b + 2):
        return front * _beta_continued_fraction(a, b, x) / a
    return 1.0 - front * _beta_continued_fraction(b, a, 1.0 - x) / b


def t_cdf(t: float, df: float) -> float:
    """P(T <= t) for Student's t with `df` (real, > 0) degrees of freedom."""
    if df <= 0:
        raise ValueError("degrees of freedom must be positive")
    tail = 0.5 * regularized_beta(df / 2, 0.5, df / (df + t * t))
    return 1.0 - tail if t >= 0 else tail


@lru_cache(maxsize=1024)
def t_quantile(p: float, df: float) -> float:
    """The t value below which a fraction `p` (0.5 < p < 1) of the distribution lies."""
    if not 0.5 < p < 1:
        raise ValueError("p must be between 0.5 and 1")
    low, high = 0.0, 1.0
    while t_cdf(high, df) < p:  # bracket it (12.7 for df 1 at 0.975; far more for tiny df)
        low, high = high, high * 2
    for _ in range(200):
        middle = (low + high) / 2
        if t_cdf(middle, df) < p:
            low = middle
        else:
            high = middle
        if high - low < 1e-12:
            break
    return (low + high) / 2


def t_critical(df: float, confidence: float = CONFIDENCE) -> float:
    """The two-sided critical value, e.g. 2.776 for df 4 at 95%; 1.960 as df grows."""
    return t_quantile(1 - (1 - confidence) / 2, round(df, 6))


# -- Summaries of groups -----------------------------------------------------------------------


@dataclass(frozen=True)
class Moments:
    """n, mean and the sum of squared deviations (m2) of a group: enough to combine groups
    exactly (Chan, Golub and LeVeque's pairwise formula)."""

    n: int = 0
    mean: float = 0.0
    m2: float = 0.0

    @classmethod
    def from_sums(cls, n: int, total: float, squares: float) -> Moments:
        if n <= 0:
            return cls()
        mean = total / n
        return cls(n, mean, max(0.0, squares - n * mean * mean))

    def __add__(self, other: Moments) -> Moments:
        if not other.n:
            return self
        if not self.n:
            return other
        n = self.n + other.n
        delta = other.mean - self.mean
        mean = self.mean + delta * other.n / n
        return Moments(n, mean, self.m2 + other.m2 + delta * delta * self.n * other.n / n)

    @property
    def variance(self) -> float | None:
        return self.m2 / (self.n - 1) if self.n >= 2 else None


@dataclass(frozen=True)
class Summary:
    """A group's turnaround in one period, in days."""

    n: int
    mean: float | None = None
    sd: float | None = None
    low: float | None = None  # 95% confidence interval of the mean
    high: float | None = None

    @classmethod
    def of(cls, moments: Moments, scale: float = MINUTES_PER_DAY) -> Summary:
        if not moments.n:
            return cls(n=0)
        mean = moments.mean / scale
        variance = moments.variance
        if variance is None:
            return cls(n=moments.n, mean=mean)
        sd = math.sqrt(variance) / scale
        half = t_critical(moments.n - 1) * sd / math.sqrt(moments.n)
        return cls(n=moments.n, mean=mean, sd=sd, low=mean - half, high=mean + half)

    @property
    def has_interval(self) -> bool:
        return self.low is not None and self.high is not None


@dataclass(frozen=True)
class Change:
    """After minus before, with its Welch 95% confidence interval."""

    estimate: float | None = None
    low: float | None = None
    high: float | None = None
    df: float | None = None

    @classmethod
    def between(cls, before: Summary, after: Summary) -> Change:
        if before.mean is None or after.mean is None:
            return cls()
        estimate = after.mean - before.mean
        if before.sd is None or after.sd is None:
            return cls(estimate=estimate)
        v1, v2 = before.sd**2 / before.n, after.sd**2 / after.n
        se = math.sqrt(v1 + v2)
        if se == 0:  # both groups without spread: the difference is exact
            return cls(estimate=estimate, low=estimate, high=estimate)
        df = (v1 + v2) ** 2 / (v1**2 / (before.n - 1) + v2**2 / (after.n - 1))
        half = t_critical(df) * se
        return cls(estimate=estimate, low=estimate - half, high=estimate + half, df=df)

    @property
    def has_interval(self) -> bool:
        return self.low is not None and self.high is not None

    @property
    def significant(self) -> bool | None:
        """Whether the interval excludes no change (None without an interval)."""
        if self.low is None or self.high is None:
            return None
        return self.high < 0 or self.low > 0


@dataclass(frozen=True)
class Row:
    key: str
    label: str
    before: Summary
    after: Summary
    change: Change

    @property
    def sides(self) -> tuple[Summary, Summary]:
        return self.before, self.after

    @property
    def note(self) -> str:
        """Why a figure is missing, if one is."""
        if not self.before.n and not self.after.n:
            return "No contacts in either period."
        notes = []
        for name, side in (("before", self.before), ("after", self.after)):
            if not side.n:
                notes.append(f"No contacts {name}.")
            elif side.n < 2:
                notes.append(f"Fewer than 2 contacts {name}: no confidence interval.")
        return " ".join(notes)


@dataclass(frozen=True)
class TurnaroundTable:
    key: str  # "decision-by-level" etc.: also the chart's id and the CSV's name
    title: str
    group_label: str  # "Level of need" or "RAG rating"
    rows: list[Row]
    overall: Row


@dataclass(frozen=True)
class MeasureRow:
    key: str
    section: str
    label: str
    before: Rate
    after: Rate

    @property
    def sides(self) -> tuple[Rate, Rate]:
        return self.before, self.after

    @property
    def change_points(self) -> float | None:
        """The change in percentage points (None when either side has no denominator)."""
        if self.before.percent is None or self.after.percent is None:
            return None
        return round(self.after.percent - self.before.percent, 1)


@dataclass(frozen=True)
class Evaluation:
    hub: Hub
    before: Period
    after: Period
    filters: FactFilter
    before_total: int
    after_total: int
    tables: dict[str, TurnaroundTable]
    measures: list[MeasureRow]

    @property
    def london_table(self) -> TurnaroundTable:
        """The London study's table: mean days from receipt to decision, by level of need."""
        return self.tables["decision-by-level"]


# -- Computing ---------------------------------------------------------------------------------

_STAGES = {
    "decision": ("decision_elapsed_minutes", "Days from receipt to decision"),
    "screening": ("screening_elapsed_minutes", "Days from receipt to screening"),
}


def _cell_moments(
    hub: Hub, period: Period, filters: FactFilter
) -> dict[str, dict[tuple[str, str], Moments]]:
    """Per stage, the moments of each (RAG, level) cell: one aggregate query for the period."""
    aggregates: dict[str, Any] = {}
    for stage, (column, _title) in _STAGES.items():
        # Squares in floating point: an integer square overflows PostgreSQL's integer type.
        value = Cast(F(column), FloatField())
        aggregates[f"{stage}_n"] = Count(column)
        aggregates[f"{stage}_sum"] = Sum(value)
        aggregates[f"{stage}_squares"] = Sum(value * value)
    rows = _facts_in_period(hub, period, filters).values("rag", "level").annotate(**aggregates)
    cells: dict[str, dict[tuple[str, str], Moments]] = {stage: {} for stage in _STAGES}
    for row in rows.order_by():
        key = (_key(row["rag"]), _key(row["level"]))
        for stage in _STAGES:
            n = int(row[f"{stage}_n"] or 0)
            cells[stage][key] = Moments.from_sums(
                n, float(row[f"{stage}_sum"] or 0), float(row[f"{stage}_squares"] or 0)
            )
    return cells


def _key(value: Any) -> str:
    return UNRATED if value in ("", None) else str(value)


def _margin(cells: dict[tuple[str, str], Moments], index: int | None) -> dict[str, Moments]:
    """Combine cells into groups by RAG (index 0), by level (1) or overall (None -> "all")."""
    out: dict[str, Moments] = {}
    for key, moments in cells.items():
        group = "all" if index is None else key[index]
        out[group] = out.get(group, Moments()) + moments
    return out


def _row(key: str, label: str, before: Moments, after: Moments) -> Row:
    b, a = Summary.of(before), Summary.of(after)
    return Row(key=key, label=label, before=b, after=a, change=Change.between(b, a))


def _measures(before: Metrics, after: Metrics) -> list[MeasureRow]:
    def row(key: str, section: str, label: str, pick: Any) -> MeasureRow:
        return MeasureRow(key, section, label, pick(before), pick(after))

    stages = {
        "screening": "Screened on time",
        "agency_checks": "Agency checks answered on time",
        "decision": "Decided on time",
        "feedback": "Feedback to the referrer on time",
    }
    rows = [
        row(f"on_time.{k}", "On time", label, lambda m, k=k: m.on_time[k])
        for k, label in stages.items()
    ]
    conversions = {
        "early_help": "Decided: early help",
        "s17": "Decided: child in need assessment (s17)",
        "s47": "Decided: strategy discussion (s47)",
    }
    rows += [
        row(f"conversion.{k}", "Outcomes", label, lambda m, k=k: m.conversion[k])
        for k, label in conversions.items()
    ]
    repeats = {
        "recontacts_12m": "Contacts about a child contacted about in the last 12 months",
        "rereferrals_12m": "Re-referrals within 12 months",
        "referrals_after_nfa_12m": "Referrals within 12 months of no further action",
    }
    rows += [
        row(f"repeat.{k}", "Repeat contacts", label, lambda m, k=k: m.repeat[k])
        for k, label in repeats.items()
    ]
    rows += [
        row(
            "decisions.rationale_recorded",
            "Quality",
            "Decisions with a rationale recorded",
            lambda m: m.rationale_recorded,
        ),
        row("feedback.sent", "Quality", "Decisions with feedback sent", lambda m: m.feedback_sent),
    ]
    return rows


def evaluation_compute(
    *,
    hub: Hub,
    before: Period,
    after: Period,
    filters: FactFilter | None = None,
    as_of: datetime | None = None,
) -> Evaluation:
    """Compare contacts received in `before` with those received in `after`. Facts must be
    fresh: callers use `facts.facts_refresh` first."""
    filters = filters or FactFilter()
    moments = {
        "before": _cell_moments(hub, before, filters),
        "after": _cell_moments(hub, after, filters),
    }
    levels = {str(lv.level): str(lv) for lv in LevelOfNeed.objects.filter(hub=hub)}
    tables: dict[str, TurnaroundTable] = {}
    for stage, (_column, title) in _STAGES.items():
        b_cells, a_cells = moments["before"][stage], moments["after"][stage]
        overall = _row(
            "all",
            "All contacts",
            _margin(b_cells, None).get("all", Moments()),
            _margin(a_cells, None).get("all", Moments()),
        )
        for grouping, index, label, keys in (
            ("level", 1, "Level of need", levels),
            ("rag", 0, "RAG rating", {k: RAG_LABELS[k] for k in RAG_KEYS}),
        ):
            b, a = _margin(b_cells, index), _margin(a_cells, index)
            names = dict(keys)
            for key in sorted((b.keys() | a.keys()) - names.keys(), key=_order):
                names[key] = RAG_LABELS.get(key) or levels.get(key) or f"Level {key}"
            rows = [
                _row(key, name, b.get(key, Moments()), a.get(key, Moments()))
                for key, name in sorted(names.items(), key=lambda item: _order(item[0]))
                if key != UNRATED or key in b or key in a
            ]
            tables[f"{stage}-by-{grouping}"] = TurnaroundTable(
                key=f"{stage}-by-{grouping}",
                title=f"{title}, by {label.lower()}",
                group_label=label,
                rows=rows,
                overall=overall,
            )
    metrics_before = metrics_compute(hub=hub, period=before, filters=filters, as_of=as_of)
    metrics_after = metrics_compute(hub=hub, period=after, filters=filters, as_of=as_of)
    return Evaluation(
        hub=hub,
        before=before,
        after=after,
        filters=filters,
        before_total=metrics_before.total,
        after_total=metrics_after.total,
        tables=tables,
        measures=_measures(metrics_before, metrics_after),
    )


def _order(key: str) -> tuple[int, int, str]:
    """Levels in number order, RAG red to green, "not rated" last."""
    if key == UNRATED:
        return (2, 0, key)
    if key in RAG_KEYS:
        return (0, RAG_KEYS.index(key), key)
    return (0, int(key), key) if key.isdigit() else (1, 0, key)


def evaluation_csv_rows(table: TurnaroundTable) -> list[list[str]]:
    """A turnaround table as CSV rows: every figure with its interval, blank where none."""

    def fmt(value: float | None) -> str:
        return "" if value is None else f"{value:.3f}"

    header = [table.group_label]
    for side in ("before", "after"):
        header += [f"{side} n", f"{side} mean days", f"{side} sd"]
        header += [f"{side} 95% lower", f"{side} 95% upper"]
    header += ["change days", "change 95% lower", "change 95% upper", "note"]
    rows = [header]
    for row in [*table.rows, table.overall]:
        line = [row.label]
        for s in (row.before, row.after):
            line += [str(s.n), fmt(s.mean), fmt(s.sd), fmt(s.low), fmt(s.high)]
        line += [fmt(row.change.estimate), fmt(row.change.low), fmt(row.change.high), row.note]
        rows.append(line)
    return rows


def measures_csv_rows(evaluation: Evaluation) -> list[list[str]]:
    rows = [
        [
            "measure",
            "before numerator",
            "before denominator",
            "before %",
            "after numerator",
            "after denominator",
            "after %",
            "change (percentage points)",
        ]
    ]
    for m in evaluation.measures:

        def pct(value: float | None) -> str:
            return "" if value is None else f"{value:.1f}"

        rows.append(
            [
                m.label,
                str(m.before.numerator),
                str(m.before.denominator),
                pct(m.before.percent),
                str(m.after.numerator),
                str(m.after.denominator),
                pct(m.after.percent),
                pct(m.change_points),
            ]
        )
    return rows
