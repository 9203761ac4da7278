"""Charts for the quality pages, drawn with the reporting app's accessible SVG charts."""

from collections.abc import Sequence

from openmash.reporting.charts import Chart, ChartKind, Series

from .models import Grade, Outcome
from .selectors import GRADE_KEYS, FeedbackMonth, GradeRow, IndicatorPoint, indicator_label


def grade_trend_chart(rows: Sequence[GradeRow], csv_url: str, by: str) -> Chart:
    return Chart(
        id="grade-trend",
        kind=ChartKind.COLUMN,
        title=f"Case-file audit grades by {by} the contact was received",
        categories=[r.label for r in rows],
        series=[Series(Grade(g).label, [r.share(g) for r in rows]) for g in GRADE_KEYS],
        value_label="Share of audited case files",
        category_label=by.capitalize(),
        unit="%",
        decimals=1,
        summary="Final grades: the moderator's where an audit was moderated.",
        csv_url=csv_url,
        extra_columns=[("Case files audited", [str(r.total) for r in rows])],
    )


def feedback_trend_chart(months: Sequence[FeedbackMonth], csv_url: str) -> Chart:
    def values(attr: str) -> list[float | None]:
        return [getattr(m, attr).percent for m in months]

    return Chart(
        id="feedback-trend",
        kind=ChartKind.LINE,
        title="Feedback answered yes, by month",
        categories=[f"{m.month:%b %Y}" for m in months],
        series=[
            Series("Referrers: decision explained clearly", values("explained")),
            Series("Referrers: feedback timely", values("timely")),
            Series("Families: felt listened to", values("listened")),
            Series("Families: help made things better", values("helped")),
        ],
        value_label="Per cent answering yes",
        category_label="Month",
        unit="%",
        decimals=1,
        summary=(
            "A month with fewer than 5 responses to a question is not drawn "
            "(shown as [c] in the table)."
        ),
        csv_url=csv_url,
        extra_columns=[
            ("Referrer ratings", [str(m.explained.total) for m in months]),
            ("Family responses", [str(m.listened.total) for m in months]),
        ],
    )


def indicator_chart(outcome: Outcome, points: Sequence[IndicatorPoint], csv_url: str) -> Chart:
    series = [Series("This hub", [p.hub for p in points])]
    if any(p.national is not None for p in points):
        series.append(Series("National (imported returns)", [p.national for p in points]))
    return Chart(
        id="indicator",
        kind=ChartKind.LINE,
        title=indicator_label(outcome),
        categories=[f"{p.month:%b %Y}" for p in points],
        series=series,
        value_label=indicator_label(outcome),
        category_label="Month",
        unit=outcome.unit,
        decimals=1,
        csv_url=csv_url,
        table_open=True,
        extra_columns=[("Detail", [p.note for p in points])],
    )
