"""The dashboard's and the evaluation's charts, built from the metrics (no queries here): each
chart has a stable key, which names its CSV download (`?format=csv&chart=<key>`)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date

from openmash.core.standards import CONCERN_CATEGORIES, NATIONAL_OUTCOMES, REFERRAL_SOURCES

from .charts import Chart, ChartKind, Series
from .evaluation import Evaluation, TurnaroundTable
from .metrics import UNDECIDED, UNRATED, Metrics, Rate, Stats

CsvUrl = Callable[[str], str]
RAG_LABELS = {"red": "Red", "amber": "Amber", "green": "Green", UNRATED: "Not rated"}


@dataclass
class Section:
    id: str
    title: str
    intro: str
    charts: list[Chart] = field(default_factory=list)


@dataclass(frozen=True)
class Headline:
    label: str
    value: str
    hint: str = ""


def level_label(metrics: Metrics, key: str) -> str:
    if key == UNRATED:
        return "Not rated"
    name = metrics.level_names.get(key)
    return f"Level {key}: {name}" if name else f"Level {key}"


def source_label(code: str) -> str:
    return f"{code}: {REFERRAL_SOURCES[code]}" if code in REFERRAL_SOURCES else code or "Unknown"


def outcome_label(code: str) -> str:
    if code == UNDECIDED:
        return "Not yet decided"
    return NATIONAL_OUTCOMES.get(code, code)


def concern_label(key: str) -> str:
    return CONCERN_CATEGORIES[key][0] if key in CONCERN_CATEGORIES else key


def _hours(value: float | None) -> str:
    return "no decisions" if value is None else f"{value:,.1f} working hours"


def _percent(rate: Rate) -> str:
    return "none due" if rate.percent is None else f"{rate.percent:.1f}%"


def headlines(metrics: Metrics) -> list[Headline]:
    return [
        Headline("Contacts received", f"{metrics.total:,}"),
        Headline("Decided", f"{metrics.decided:,}"),
        Headline("Referrals (s17 or s47)", f"{metrics.referrals:,}"),
        Headline(
            "Mean time to decision",
            _hours(metrics.to_decision.all.mean_hours),
            "Working hours, by the hub's clock",
        ),
        Headline(
            "Decisions on time",
            _percent(metrics.on_time["decision"]),
            f"{metrics.on_time['decision'].numerator:,} of "
            f"{metrics.on_time['decision'].denominator:,} due",
        ),
    ]


def _counts_chart(
    key: str,
    title: str,
    counts: dict[str, int],
    label: Callable[[str], str],
    category_label: str,
    csv_url: CsvUrl,
    *,
    drop_zeros: bool = False,
) -> Chart:
    items = [(k, n) for k, n in counts.items() if n or not drop_zeros]
    summary = f"{category_label}s with no contacts are left out." if drop_zeros else ""
    return Chart(
        id=key,
        kind=ChartKind.BAR,
        title=title,
        categories=[label(k) for k, _n in items],
        series=[Series("Contacts", [float(n) for _k, n in items])],
        value_label="Contacts",
        category_label=category_label,
        summary=summary,
        csv_url=csv_url(key),
    )


def _rate_chart(
    key: str,
    title: str,
    rates: Sequence[tuple[str, Rate]],
    category_label: str,
    csv_url: CsvUrl,
    summary: str = "",
) -> Chart:
    """Percentages; the category says how many of how many ("12 of 40"). A measure with
    nothing due is left out (charts.py would draw a missing value as suppressed)."""
    rates = [(label, r) for label, r in rates if r.denominator]
    return Chart(
        id=key,
        kind=ChartKind.BAR,
        title=title,
        categories=[f"{label} ({r.numerator:,} of {r.denominator:,})" for label, r in rates],
        series=[Series("Percentage", [r.percent for _label, r in rates])],
        value_label="Percentage",
        category_label=category_label,
        unit="%",
        decimals=1,
        summary=summary or "Measures with nothing due are left out.",
        csv_url=csv_url(key),
    )


def _turnaround_chart(
    key: str,
    title: str,
    stats: Sequence[tuple[str, Stats]],
    category_label: str,
    csv_url: CsvUrl,
) -> Chart:
    stats = [(label, s) for label, s in stats if s.count]  # no figure is not a suppressed one
    return Chart(
        id=key,
        kind=ChartKind.BAR,
        title=title,
        categories=[f"{label} (n = {s.count:,})" for label, s in stats],
        series=[
            Series("Mean", [s.mean_hours for _l, s in stats]),
            Series("Median", [s.median_hours for _l, s in stats]),
            Series("90th percentile", [s.p90_hours for _l, s in stats]),
        ],
        value_label="Working hours",
        category_label=category_label,
        decimals=1,
        summary="Working hours by the hub's clock (its opening hours, weekends and bank "
        "holidays excluded); n is the number of contacts that reached this stage (groups with "
        "none are left out).",
        csv_url=csv_url(key),
    )


def _by_rag(stats: dict[str, Stats]) -> list[tuple[str, Stats]]:
    keys = ["red", "amber", "green"] + ([UNRATED] if UNRATED in stats else [])
    return [(RAG_LABELS[k], stats.get(k, Stats(count=0))) for k in keys]


def _by_level(metrics: Metrics, stats: dict[str, Stats]) -> list[tuple[str, Stats]]:
    keys = [k for k in metrics.by_level if k != UNRATED]
    keys += [k for k in stats if k not in keys and k != UNRATED]
    keys += [UNRATED] if UNRATED in stats else []
    return [(level_label(metrics, k), stats.get(k, Stats(count=0))) for k in keys]


def _month(day: date) -> str:
    return day.strftime("%b %Y")


def dashboard_sections(
    metrics: Metrics, series: list[tuple[date, int, float | None]], csv_url: CsvUrl
) -> list[Section]:
    """Every figure group of the monthly return, each as charts with their tables."""
    months = [_month(m) for m, _n, _h in series]
    trend = Section(
        "section-trend",
        "Month by month",
        "Contacts received each month, and the mean working hours from receipt to decision of "
        "the contacts received that month.",
        [
            Chart(
                id="contacts-by-month",
                kind=ChartKind.COLUMN,
                title="Contacts received each month",
                categories=months,
                series=[Series("Contacts", [float(n) for _m, n, _h in series])],
                value_label="Contacts",
                category_label="Month",
                csv_url=csv_url("contacts-by-month"),
            ),
            Chart(
                id="decision-hours-by-month",
                kind=ChartKind.LINE,
                title="Mean working hours to decision, by month received",
                categories=months,
                series=[Series("Mean working hours", [h for _m, _n, h in series])],
                value_label="Working hours",
                category_label="Month",
                decimals=1,
                summary="A month with no decisions yet has no value.",
                csv_url=csv_url("decision-hours-by-month"),
            ),
        ],
    )
    contacts = Section(
        "section-contacts",
        "Contacts",
        "Contacts received in the period: who sent them, what they were about, and how they "
        "were rated at screening (the rating in force now).",
        [
            _counts_chart(
                "contacts-by-source",
                "Contacts by source",
                metrics.by_source,
                source_label,
                "Source",
                csv_url,
                drop_zeros=True,
            ),
            _counts_chart(
                "contacts-by-concern",
                "Concerns recorded",
                metrics.by_concern,
                concern_label,
                "Concern",
                csv_url,
                drop_zeros=True,
            ),
            _counts_chart(
                "contacts-by-rag",
                "Contacts by RAG rating",
                metrics.by_rag,
                lambda k: RAG_LABELS.get(k, k),
                "RAG rating",
                csv_url,
            ),
            _counts_chart(
                "contacts-by-level",
                "Contacts by level of need",
                metrics.by_level,
                lambda k: level_label(metrics, k),
                "Level of need",
                csv_url,
            ),
        ],
    )
    decided = metrics.conversion["s17"].denominator
    outcomes = Section(
        "section-outcomes",
        "Outcomes",
        f"The outcome of the decision in force. {decided:,} of {metrics.total:,} contacts "
        "have been decided.",
        [
            _counts_chart(
                "contacts-by-outcome",
                "Contacts by outcome",
                metrics.by_outcome,
                outcome_label,
                "Outcome",
                csv_url,
            ),
            _rate_chart(
                "conversion",
                "Decisions leading to early help or statutory work",
                [
                    ("Early help", metrics.conversion["early_help"]),
                    ("Child in need assessment (s17)", metrics.conversion["s17"]),
                    ("Strategy discussion (s47)", metrics.conversion["s47"]),
                ],
                "Outcome",
                csv_url,
                "Percentages of the contacts decided.",
            ),
        ],
    )
    turnaround = Section(
        "section-turnaround",
        "Turnaround",
        "Time from receipt to screening and to the decision, for the contacts that reached "
        "each stage.",
        [
            _turnaround_chart(
                "screening-by-rag",
                "Working hours to screening, by RAG rating",
                _by_rag(metrics.to_screening.by_rag),
                "RAG rating",
                csv_url,
            ),
            _turnaround_chart(
                "screening-by-level",
                "Working hours to screening, by level of need",
                _by_level(metrics, metrics.to_screening.by_level),
                "Level of need",
                csv_url,
            ),
            _turnaround_chart(
                "decision-by-rag",
                "Working hours to decision, by RAG rating",
                _by_rag(metrics.to_decision.by_rag),
                "RAG rating",
                csv_url,
            ),
            _turnaround_chart(
                "decision-by-level",
                "Working hours to decision, by level of need",
                _by_level(metrics, metrics.to_decision.by_level),
                "Level of need",
                csv_url,
            ),
        ],
    )
    answered = [a for a in metrics.agency_checks if a.response.count]
    timeliness = Section(
        "section-timeliness",
        "Timeliness",
        "Work done by its deadline (the hub's timescales for each RAG rating), of the work "
        "done or already overdue. Work not yet due is not counted either way.",
        [
            _rate_chart(
                "on-time",
                "Done on time, by stage",
                [
                    ("Screening", metrics.on_time["screening"]),
                    ("Agency checks", metrics.on_time["agency_checks"]),
                    ("Decision", metrics.on_time["decision"]),
                    ("Feedback to the referrer", metrics.on_time["feedback"]),
                ],
                "Stage",
                csv_url,
            ),
            _rate_chart(
                "agency-on-time",
                "Agency checks answered on time, by agency",
                [(a.name, a.on_time) for a in metrics.agency_checks],
                "Agency",
                csv_url,
            ),
            Chart(
                id="agency-response",
                kind=ChartKind.BAR,
                title="Working hours to answer a check, by agency",
                categories=[f"{a.name} (n = {a.response.count:,})" for a in answered],
                series=[
                    Series("Mean", [a.response.mean_hours for a in answered]),
                    Series("Median", [a.response.median_hours for a in answered]),
                ],
                value_label="Working hours",
                category_label="Agency",
                decimals=1,
                summary="n is the number of checks answered (agencies with none are left out).",
                csv_url=csv_url("agency-response"),
            ),
        ],
    )
    quality = Section(
        "section-quality",
        "Repeat contacts and quality",
        "Repeat contacts look back 12 months from each contact. Rationale and feedback are "
        "of the contacts decided.",
        [
            _rate_chart(
                "repeat",
                "Repeat contacts and referrals within 12 months",
                [
                    (
                        "Contacts about a child already contacted about",
                        metrics.repeat["recontacts_12m"],
                    ),
                    ("Re-referrals", metrics.repeat["rereferrals_12m"]),
                    (
                        "Referrals after no further action",
                        metrics.repeat["referrals_after_nfa_12m"],
                    ),
                ],
                "Measure",
                csv_url,
            ),
            _rate_chart(
                "quality",
                "Rationale and feedback",
                [
                    ("Rationale recorded", metrics.rationale_recorded),
                    ("Feedback sent to the referrer", metrics.feedback_sent),
                    ("Feedback sent on time", metrics.feedback_on_time),
                ],
                "Measure",
                csv_url,
            ),
        ],
    )
    return [trend, contacts, outcomes, turnaround, timeliness, quality]


def chart_by_key(sections: list[Section], key: str) -> Chart | None:
    return next((c for s in sections for c in s.charts if c.id == key), None)


# -- The evaluation ----------------------------------------------------------------------------


def evaluation_chart(table: TurnaroundTable, csv_url: CsvUrl) -> Chart:
    """Before and after, grouped bars with their 95% confidence intervals as error bars."""
    rows = [r for r in table.rows if r.before.n and r.after.n]
    return Chart(
        id=f"{table.key}-chart",
        kind=ChartKind.BAR,
        title=f"Mean {table.title[0].lower()}{table.title[1:]}, before and after",
        categories=[r.label for r in rows],
        series=[
            Series(
                "Before",
                [r.before.mean for r in rows],
                lower=[r.before.low for r in rows],
                upper=[r.before.high for r in rows],
            ),
            Series(
                "After",
                [r.after.mean for r in rows],
                lower=[r.after.low for r in rows],
                upper=[r.after.high for r in rows],
            ),
        ],
        value_label="Mean days",
        category_label=table.group_label,
        decimals=2,
        summary="Groups without contacts in both periods are left out (they are in the "
        "table); a group with fewer than 2 contacts has no interval.",
        csv_url=csv_url(f"{table.key}-chart"),
    )


def evaluation_measures_chart(evaluation: Evaluation, csv_url: CsvUrl) -> Chart:
    rows = [m for m in evaluation.measures if m.before.denominator and m.after.denominator]
    return Chart(
        id="measures-chart",
        kind=ChartKind.BAR,
        title="Other measures, before and after",
        categories=[m.label for m in rows],
        series=[
            Series("Before", [m.before.percent for m in rows]),
            Series("After", [m.after.percent for m in rows]),
        ],
        value_label="Percentage",
        category_label="Measure",
        unit="%",
        decimals=1,
        summary="Measures with nothing due or decided in either period are left out.",
        csv_url=csv_url("measures-chart"),
    )
