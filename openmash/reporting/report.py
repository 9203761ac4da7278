"""The printable progress report: the same tables for the HTML page and the PDF, so the two
never disagree. Built from the metrics (no queries here)."""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime

from django.utils import timezone

from .figures import (
    RAG_LABELS,
    concern_label,
    headlines,
    level_label,
    outcome_label,
    source_label,
)
from .metrics import UNRATED, Metrics, Rate, Stats


@dataclass(frozen=True)
class ReportTable:
    title: str
    header: list[str]
    rows: list[list[str]]
    numeric: list[bool] = field(default_factory=list)  # per column: right-aligned

    def cells(self) -> list[list[tuple[str, bool]]]:
        """Rows with each cell's alignment, for the template."""
        return [list(zip(row, self.numeric, strict=True)) for row in self.rows]

    @property
    def header_cells(self) -> list[tuple[str, bool]]:
        return list(zip(self.header, self.numeric, strict=True))


def _n(value: int) -> str:
    return f"{value:,}"


def _f(value: float | None, decimals: int = 1) -> str:
    return "–" if value is None else f"{value:,.{decimals}f}"


def _pct(rate: Rate) -> str:
    return "–" if rate.percent is None else f"{rate.percent:.1f}%"


def _counts(title: str, what: str, counts: list[tuple[str, int]], total: int) -> ReportTable:
    rows = [[label, _n(n), _pct(Rate(n, total))] for label, n in counts]
    return ReportTable(title, [what, "Contacts", "Share"], rows, [False, True, True])


def _rates(title: str, rates: list[tuple[str, Rate]]) -> ReportTable:
    rows = [[label, _n(r.numerator), _n(r.denominator), _pct(r)] for label, r in rates]
    header = ["Measure", "Number", "Out of", "Percentage"]
    return ReportTable(title, header, rows, [False] + [True] * 3)


def _turnaround(title: str, groups: list[tuple[str, Stats]]) -> ReportTable:
    header = ["Group", "Contacts", "Mean hours", "Median hours", "90th percentile hours"]
    header.append("Mean days")
    rows = [
        [
            label,
            _n(s.count),
            _f(s.mean_hours),
            _f(s.median_hours),
            _f(s.p90_hours),
            _f(s.mean_days, 2),
        ]
        for label, s in groups
    ]
    return ReportTable(title, header, rows, [False] + [True] * 5)


def filter_description(metrics: Metrics) -> str:
    f = metrics.filters
    parts = []
    if f.rag:
        parts.append(f"RAG rating {RAG_LABELS.get(f.rag, f.rag)}")
    if f.level is not None:
        parts.append(level_label(metrics, str(f.level)))
    if f.source:
        parts.append(f"source {source_label(f.source)}")
    if f.outcome:
        parts.append(f"outcome {outcome_label(f.outcome)}")
    return "; ".join(parts) if parts else "All contacts"


def report_tables(
    metrics: Metrics, series: list[tuple[date, int, float | None]]
) -> list[ReportTable]:
    total = metrics.total
    rag_keys = ["red", "amber", "green", UNRATED]

    def groups(
        stats: dict[str, Stats], keys: list[str], label: Callable[[str], str]
    ) -> list[tuple[str, Stats]]:
        return [(label(k), stats.get(k, Stats(count=0))) for k in keys]

    level_keys = list(metrics.by_level)
    tables = [
        ReportTable(
            "Month by month",
            ["Month", "Contacts", "Mean working hours to decision"],
            [[m.strftime("%B %Y"), _n(n), _f(h)] for m, n, h in series],
            [False, True, True],
        ),
        _counts(
            "Contacts by source",
            "Source",
            [(source_label(k), n) for k, n in metrics.by_source.items() if n],
            total,
        ),
        _counts(
            "Concerns recorded",
            "Concern",
            [(concern_label(k), n) for k, n in metrics.by_concern.items() if n],
            total,
        ),
        _counts(
            "Contacts by RAG rating",
            "RAG rating",
            [(RAG_LABELS.get(k, k), n) for k, n in metrics.by_rag.items()],
            total,
        ),
        _counts(
            "Contacts by level of need",
            "Level of need",
            [(level_label(metrics, k), n) for k, n in metrics.by_level.items()],
            total,
        ),
        _counts(
            "Contacts by outcome",
            "Outcome",
            [(outcome_label(k), n) for k, n in metrics.by_outcome.items()],
            total,
        ),
    ]
    for stage, turnaround in (
        ("screening", metrics.to_screening),
        ("decision", metrics.to_decision),
    ):
        rows = [("All contacts", turnaround.all)]
        rows += groups(turnaround.by_rag, rag_keys, lambda k: RAG_LABELS.get(k, k))
        rows += groups(turnaround.by_level, level_keys, lambda k: level_label(metrics, k))
        tables.append(_turnaround(f"Time from receipt to {stage}", rows))
    tables += [
        _rates(
            "Done on time",
            [
                ("Screening", metrics.on_time["screening"]),
                ("Agency checks", metrics.on_time["agency_checks"]),
                ("Decision", metrics.on_time["decision"]),
                ("Feedback to the referrer", metrics.on_time["feedback"]),
            ],
        ),
        ReportTable(
            "Agency checks",
            ["Agency", "Requested", "Answered", "On time", "Mean working hours to answer"],
            [
                [
                    a.name,
                    _n(a.requested),
                    _n(a.answered),
                    _pct(a.on_time),
                    _f(a.response.mean_hours),
                ]
                for a in metrics.agency_checks
            ],
            [False, True, True, True, True],
        ),
        _rates(
            "Outcomes of the contacts decided",
            [
                ("Early help", metrics.conversion["early_help"]),
                ("Child in need assessment (s17)", metrics.conversion["s17"]),
                ("Strategy discussion (s47)", metrics.conversion["s47"]),
            ],
        ),
        _rates(
            "Repeat contacts within 12 months",
            [
                ("Contacts about a child contacted about before", metrics.repeat["recontacts_12m"]),
                ("Re-referrals", metrics.repeat["rereferrals_12m"]),
                ("Referrals after no further action", metrics.repeat["referrals_after_nfa_12m"]),
            ],
        ),
        _rates(
            "Rationale and feedback",
            [
                ("Rationale recorded", metrics.rationale_recorded),
                ("Feedback sent to the referrer", metrics.feedback_sent),
                ("Feedback sent on time", metrics.feedback_on_time),
            ],
        ),
    ]
    return tables


def report_filename(metrics: Metrics, extension: str) -> str:
    period = metrics.period
    return (
        f"progress-report-{metrics.hub.la_code or 'hub'}-"
        f"{period.start:%Y-%m-%d}-to-{period.end:%Y-%m-%d}.{extension}"
    )


def report_pdf(
    metrics: Metrics,
    series: list[tuple[date, int, float | None]],
    *,
    generated_at: datetime | None = None,
) -> bytes:
    """The progress report as a PDF (A4, portrait): headline figures, a chart of contacts by
    month and every table of the HTML report."""
    from xml.sax.saxutils import escape

    from reportlab.graphics.charts.barcharts import VerticalBarChart
    from reportlab.graphics.shapes import Drawing, String
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.lib.units import mm
    from reportlab.platypus import (
        KeepTogether,
        Paragraph,
        SimpleDocTemplate,
        Spacer,
        Table,
        TableStyle,
    )

    generated_at = generated_at or timezone.now()
    styles = getSampleStyleSheet()
    black = colors.HexColor("#0b0c0c")
    grey = colors.HexColor("#b1b4b6")
    blue = colors.HexColor("#1d70b8")
    title = f"Progress report: {metrics.hub.name}"
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=18 * mm,
        bottomMargin=18 * mm,
        title=title,
        author="OpenMASH",
        subject=f"{metrics.period.start:%-d %B %Y} to {metrics.period.end:%-d %B %Y}",
        lang="en-GB",
    )
    width = A4[0] - 36 * mm
    story: list[object] = [
        Paragraph(escape(title), styles["Title"]),
        Paragraph(
            escape(
                f"Contacts received {metrics.period.start:%-d %B %Y} to "
                f"{metrics.period.end:%-d %B %Y}. {filter_description(metrics)}. "
                f"Figures as at {timezone.localtime(metrics.as_of):%-d %B %Y, %H:%M}."
            ),
            styles["Normal"],
        ),
        Spacer(1, 4 * mm),
    ]

    def table(header: list[str], rows: list[list[str]], numeric: list[bool]) -> Table:
        cell = styles["BodyText"]
        data = [[Paragraph(f"<b>{escape(h)}</b>", cell) for h in header]]
        data += [[Paragraph(escape(c), cell) for c in row] for row in rows]
        first = width * (0.4 if len(header) > 2 else 0.6)
        rest = (width - first) / max(1, len(header) - 1)
        t = Table(data, colWidths=[first] + [rest] * (len(header) - 1), repeatRows=1)
        style = [
            ("LINEBELOW", (0, 0), (-1, -1), 0.5, grey),
            ("LINEBELOW", (0, 0), (-1, 0), 1, black),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ]
        style += [("ALIGN", (i, 0), (i, -1), "RIGHT") for i, num in enumerate(numeric) if num]
        t.setStyle(TableStyle(style))
        return t

    heads = headlines(metrics)
    story.append(Paragraph("Headline figures", styles["Heading2"]))
    story.append(table(["Figure", "Value"], [[h.label, h.value] for h in heads], [False, True]))
    if series:
        drawing = Drawing(width, 60 * mm)
        chart = VerticalBarChart()
        chart.x, chart.y, chart.width, chart.height = 12 * mm, 12 * mm, width - 16 * mm, 40 * mm
        chart.data = [[n for _m, n, _h in series]]
        chart.categoryAxis.categoryNames = [m.strftime("%b %y") for m, _n, _h in series]
        chart.categoryAxis.labels.fontSize = 7
        chart.categoryAxis.labels.angle = 45 if len(series) > 12 else 0
        chart.categoryAxis.labels.boxAnchor = "ne" if len(series) > 12 else "n"
        chart.valueAxis.valueMin = 0
        chart.bars[0].fillColor = blue
        drawing.add(chart)
        drawing.add(String(0, 56 * mm, "Contacts received each month", fontSize=10))
        story += [Spacer(1, 4 * mm), drawing]
    for t in report_tables(metrics, series):
        if not t.rows:
            continue
        story.append(
            KeepTogether(
                [Paragraph(escape(t.title), styles["Heading2"]), table(t.header, t.rows, t.numeric)]
            )
            if len(t.rows) < 25
            else Paragraph(escape(t.title), styles["Heading2"])
        )
        if len(t.rows) >= 25:
            story.append(table(t.header, t.rows, t.numeric))

    stamp = f"{timezone.localtime(generated_at):%-d %B %Y %H:%M}"

    def footer(canvas: object, document: object) -> None:
        canvas.saveState()  # type: ignore[attr-defined]
        canvas.setFont("Helvetica", 8)  # type: ignore[attr-defined]
        canvas.drawString(  # type: ignore[attr-defined]
            18 * mm,
            10 * mm,
            f"OpenMASH progress report, generated {stamp}. Page {document.page}",  # type: ignore[attr-defined]
        )
        canvas.restoreState()  # type: ignore[attr-defined]

    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()
