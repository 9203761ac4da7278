"""Accessible charts, drawn on the server as SVG (no JavaScript, no inline styles: the CSP
forbids both, so colours and sizes are SVG presentation attributes).

Each chart is an `<svg role="img">` named by its `<title>` and described by a `<desc>` that
says what it shows, its highest and lowest values and what is missing; the include
`reporting/includes/chart.html` puts the same data in a GOV.UK table and links its CSV
(`chart_csv_response`). Series are told apart without colour: bars by fill pattern and a value
label on every bar, lines by dash pattern and marker shape, and a legend names each.

Missing values (None: a suppressed cell, or a month without returns) are gaps in the chart,
"[c]" in the table and the CSV (the GSS symbol for a confidential value), and counted in the
description.

    chart = Chart(
        id="contacts-by-source", kind=ChartKind.BAR, title="Contacts by source",
        categories=["Police", "Schools"], series=[Series("Contacts", [120, None])],
        value_label="Contacts", category_label="Source", csv_url="...",
    )
    {% include "reporting/includes/chart.html" with chart=chart %}
"""

import csv
import io
import math
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from django.http import HttpResponse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from openmash.core.spreadsheets import csv_row

# GOV.UK Frontend palette: every colour has at least 3:1 contrast with white (WCAG 1.4.11).
BLUE = "#1d70b8"
BLACK = "#0b0c0c"
GREEN = "#00703c"
RED = "#d4351c"
PURPLE = "#4c2c92"
DARK_GREY = "#505a5f"
MID_GREY = "#b1b4b6"  # grid lines only (decorative)
WHITE = "#ffffff"
SERIES_COLOURS = (BLUE, BLACK, GREEN, RED, PURPLE, DARK_GREY)
DASHES = ("", "8 4", "2 4", "12 4 2 4", "4 4", "16 6")
MARKERS = ("circle", "square", "triangle", "diamond", "cross", "circle")
# Bars of the second and later series: hatches in the series colour on white.
PATTERNS = ("solid", "diagonal", "dots", "horizontal", "vertical", "cross")

FONT = "Arial, sans-serif"
TEXT_SIZE = 16
SMALL_TEXT = 14
WIDTH = 760
CHAR_WIDTH = 8.4  # Arial at 16px, on average: enough to lay out labels without measuring
SUPPRESSED = "[c]"
Scale = Callable[[float], float]  # a value to a coordinate


class ChartKind(StrEnum):
    BAR = "bar"  # horizontal bars, one group per category (several series: grouped)
    COLUMN = "column"  # vertical bars, categories along the bottom (e.g. months)
    LINE = "line"  # one line per series, categories along the bottom


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[float | None]
    lower: Sequence[float | None] | None = None  # confidence interval (drawn as error bars)
    upper: Sequence[float | None] | None = None
    notes: Sequence[str] | None = None  # per value, e.g. "at least": shown in table and CSV


@dataclass(frozen=True)
class Reference:
    """A reference line across the plot (e.g. the national median)."""

    label: str
    value: float


@dataclass(frozen=True)
class Cell:
    text: str
    suppressed: bool = False
    note: str = ""


@dataclass
class Chart:
    id: str
    kind: ChartKind
    title: str
    categories: Sequence[str]
    series: Sequence[Series]
    value_label: str
    category_label: str = "Category"
    unit: str = ""  # appended to values: "%" or " h"
    decimals: int = 0
    summary: str = ""  # a sentence for the description: the point of the chart
    csv_url: str = ""
    highlight: str | None = None  # a category drawn in black with a bold label
    references: Sequence[Reference] = field(default_factory=tuple)
    table_open: bool = False
    # Further columns for the table and the CSV only (not drawn): (header, one text per category).
    extra_columns: Sequence[tuple[str, Sequence[str]]] = field(default_factory=tuple)

    def __post_init__(self) -> None:
        # The id prefixes element ids (title, desc, patterns): keep it a safe, unique slug.
        self.id = re.sub(r"[^a-z0-9-]+", "-", self.id.lower()).strip("-") or "chart"
        for s in self.series:
            if len(s.values) != len(self.categories):
                raise ValueError(
                    f"Series {s.name!r} has {len(s.values)} values, not {len(self.categories)}"
                )

    # -- Formatting ---------------------------------------------------------------------------

    def format(self, value: float | None) -> str:
        if value is None:
            return SUPPRESSED
        return f"{value:,.{self.decimals}f}{self.unit}"

    def format_tick(self, value: float) -> str:
        decimals = 0 if float(value).is_integer() else self.decimals
        return f"{value:,.{decimals}f}{self.unit}"

    @property
    def has_data(self) -> bool:
        return any(v is not None for s in self.series for v in s.values)

    @property
    def missing(self) -> int:
        return sum(v is None for s in self.series for v in s.values)

    @property
    def has_intervals(self) -> bool:
        return any(s.lower is not None and s.upper is not None for s in self.series)

    # -- The table ---------------------------------------------------------------------------

    @property
    def table_header(self) -> list[str]:
        header = [self.category_label]
        for s in self.series:
            header.append(s.name)
            if s.lower is not None and s.upper is not None:
                header.append(f"{s.name}: 95% interval")
        return header + [name for name, _ in self.extra_columns]

    @property
    def table_rows(self) -> list[tuple[str, list[Cell]]]:
        rows = []
        for i, category in enumerate(self.categories):
            cells: list[Cell] = []
            for s in self.series:
                value = s.values[i]
                note = s.notes[i] if s.notes else ""
                cells.append(Cell(self.format(value), value is None, note))
                if s.lower is not None and s.upper is not None:
                    lo, hi = s.lower[i], s.upper[i]
                    text = (
                        ""
                        if lo is None or hi is None
                        else f"{self.format(lo)} to {self.format(hi)}"
                    )
                    cells.append(Cell(text))
            cells += [Cell(values[i]) for _, values in self.extra_columns]
            rows.append((category, cells))
        return rows

    def csv_rows(self) -> list[list[str]]:
        header = [self.category_label]
        for s in self.series:
            header.append(f"{s.name} ({self.value_label})" if self.value_label else s.name)
            if s.lower is not None and s.upper is not None:
                header += [f"{s.name} 95% lower", f"{s.name} 95% upper"]
            if s.notes:
                header.append(f"{s.name} note")
        header += [name for name, _ in self.extra_columns]
        rows = [header]
        for i, category in enumerate(self.categories):
            row = [category]
            for s in self.series:
                row.append(_raw(s.values[i], self.decimals))
                if s.lower is not None and s.upper is not None:
                    row += [
                        _raw(s.lower[i], self.decimals + 1),
                        _raw(s.upper[i], self.decimals + 1),
                    ]
                if s.notes:
                    row.append(s.notes[i])
            row += [values[i] for _, values in self.extra_columns]
            rows.append(row)
        return rows

    # -- The description ---------------------------------------------------------------------

    @property
    def description(self) -> str:
        kind = {
            ChartKind.BAR: "Bar chart",
            ChartKind.COLUMN: "Column chart",
            ChartKind.LINE: "Line chart",
        }[self.kind]
        parts = [
            f"{kind} of {self.value_label.lower() or 'values'} by {self.category_label.lower()}."
        ]
        if self.summary:
            parts.append(self.summary)
        if not self.categories or not self.has_data:
            parts.append("There are no figures to show.")
            return " ".join(parts)
        for s in self.series:
            points = [
                (v, c) for v, c in zip(s.values, self.categories, strict=True) if v is not None
            ]
            if not points:
                parts.append(f"{s.name}: no figures.")
                continue
            high = max(points, key=lambda p: p[0])
            low = min(points, key=lambda p: p[0])
            fmt = self.format
            text = f"{s.name}: highest {fmt(high[0])} ({high[1]}), lowest {fmt(low[0])} ({low[1]})"
            if self.kind == ChartKind.LINE and len(points) > 1:
                first, last = points[0], points[-1]
                text += f"; {fmt(first[0])} in {first[1]}, {fmt(last[0])} in {last[1]}"
            parts.append(text + ".")
        for ref in self.references:
            parts.append(f"A line marks {ref.label}: {self.format(ref.value)}.")
        if self.missing:
            parts.append(
                f"{self.missing} value{'s are' if self.missing != 1 else ' is'} suppressed or "
                "missing and not drawn."
            )
        if self.has_intervals:
            parts.append("Error bars show 95% confidence intervals.")
        parts.append("The figures are in the table that follows.")
        return " ".join(parts)

    # -- The SVG -----------------------------------------------------------------------------

    @property
    def svg(self) -> SafeString:
        return mark_safe(render_svg(self))  # noqa: S308 - every text is escaped in render_svg


def _raw(value: float | None, decimals: int) -> str:
    if value is None:
        return SUPPRESSED
    return f"{value:.{decimals}f}"


def _num(value: float) -> str:
    return f"{value:.1f}".removesuffix(".0")


def _text(
    x: float,
    y: float,
    content: str,
    *,
    size: int = TEXT_SIZE,
    anchor: str = "start",
    weight: str = "normal",
    fill: str = BLACK,
    transform: str = "",
) -> str:
    extra = f' transform="{transform}"' if transform else ""
    bold = ' font-weight="bold"' if weight == "bold" else ""
    return (
        f'<text x="{_num(x)}" y="{_num(y)}" font-size="{size}" text-anchor="{anchor}" '
        f'fill="{fill}"{bold}{extra}>{escape(content)}</text>'
    )


def _truncate(label: str, chars: int) -> str:
    return label if len(label) <= chars else label[: max(1, chars - 1)].rstrip() + "…"


def nice_max(value: float) -> float:
    """A round axis maximum at or above `value` (1, 2, 2.5 or 5 times a power of ten)."""
    if value <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * power:
            return step * power
    return 10 * power  # pragma: no cover - the loop always returns


def _ticks(top: float, count: int = 5) -> list[float]:
    return [top * i / count for i in range(count + 1)]


def _scale_top(chart: Chart) -> float:
    values = [v for s in chart.series for v in s.values if v is not None]
    values += [v for s in chart.series for v in (s.upper or []) if v is not None]
    values += [r.value for r in chart.references]
    top = nice_max(max(values, default=0))
    if chart.unit == "%" and top > 100 and max(values, default=0) <= 100:
        top = 100.0
    return top


def _defs(chart: Chart) -> str:
    out = []
    for n in range(len(chart.series)):
        pattern = PATTERNS[n % len(PATTERNS)]
        colour = SERIES_COLOURS[n % len(SERIES_COLOURS)]
        if pattern == "solid":
            continue
        pid = f"{chart.id}-pattern-{n}"
        shapes = {
            "diagonal": (
                f'<path d="M0,8 L8,0 M-2,2 L2,-2 M6,10 L10,6" stroke="{colour}" '
                'stroke-width="2.5"/>'
            ),
            "dots": f'<circle cx="4" cy="4" r="2.2" fill="{colour}"/>',
            "horizontal": f'<path d="M0,4 L8,4" stroke="{colour}" stroke-width="3"/>',
            "vertical": f'<path d="M4,0 L4,8" stroke="{colour}" stroke-width="3"/>',
            "cross": f'<path d="M0,4 L8,4 M4,0 L4,8" stroke="{colour}" stroke-width="2"/>',
        }[pattern]
        out.append(
            f'<pattern id="{pid}" width="8" height="8" patternUnits="userSpaceOnUse">'
            f'<rect width="8" height="8" fill="{WHITE}"/>{shapes}</pattern>'
        )
    return f"<defs>{''.join(out)}</defs>" if out else ""


def _fill(chart: Chart, n: int) -> str:
    if PATTERNS[n % len(PATTERNS)] == "solid":
        return SERIES_COLOURS[n % len(SERIES_COLOURS)]
    return f"url(#{chart.id}-pattern-{n})"


def _marker(shape: str, x: float, y: float, colour: str) -> str:
    if shape == "square":
        return f'<rect x="{_num(x - 5)}" y="{_num(y - 5)}" width="10" height="10" fill="{colour}"/>'
    if shape == "triangle":
        return (
            f'<path d="M{_num(x)},{_num(y - 6)} L{_num(x + 6)},{_num(y + 5)} '
            f'L{_num(x - 6)},{_num(y + 5)} Z" fill="{colour}"/>'
        )
    if shape == "diamond":
        return (
            f'<path d="M{_num(x)},{_num(y - 7)} L{_num(x + 7)},{_num(y)} L{_num(x)},{_num(y + 7)} '
            f'L{_num(x - 7)},{_num(y)} Z" fill="{colour}"/>'
        )
    if shape == "cross":
        return (
            f'<path d="M{_num(x - 5)},{_num(y - 5)} L{_num(x + 5)},{_num(y + 5)} '
            f'M{_num(x - 5)},{_num(y + 5)} L{_num(x + 5)},{_num(y - 5)}" stroke="{colour}" '
            'stroke-width="3"/>'
        )
    return f'<circle cx="{_num(x)}" cy="{_num(y)}" r="5" fill="{colour}"/>'


def _legend(chart: Chart, y: float) -> tuple[str, float]:
    """A one-line (wrapping) legend; returns its markup and height."""
    if len(chart.series) < 2 and not chart.references:
        return "", 0
    parts, x, row = [], 10.0, 0
    items: list[tuple[str, str]] = []
    for n, s in enumerate(chart.series):
        colour = SERIES_COLOURS[n % len(SERIES_COLOURS)]
        if chart.kind == ChartKind.LINE:
            dash = DASHES[n % len(DASHES)]
            dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
            swatch = (
                f'<path d="M0,0 L28,0" stroke="{colour}" stroke-width="3"{dash_attr}/>'
                + _marker(MARKERS[n % len(MARKERS)], 14, 0, colour)
            )
        else:
            swatch = (
                f'<rect x="0" y="-8" width="24" height="16" fill="{_fill(chart, n)}" '
                f'stroke="{colour}" stroke-width="2"/>'
            )
        items.append((swatch, s.name))
    for ref in chart.references:
        items.append(
            (
                f'<path d="M0,0 L28,0" stroke="{BLACK}" stroke-width="2" stroke-dasharray="6 3"/>',
                ref.label,
            )
        )
    for swatch, name in items:
        width = 40 + len(name) * CHAR_WIDTH + 24
        if x + width > WIDTH and x > 10:
            x, row = 10.0, row + 1
        yy = y + row * 26 + 8
        parts.append(f'<g transform="translate({_num(x)},{_num(yy)})">{swatch}</g>')
        parts.append(_text(x + 36, yy + 5, name))
        x += width
    return "".join(parts), (row + 1) * 26 + 8


def render_svg(chart: Chart) -> str:
    title_id, desc_id = f"{chart.id}-title", f"{chart.id}-desc"
    if not chart.categories or not chart.has_data:
        body, height = _text(WIDTH / 2, 40, "No figures to show", anchor="middle"), 64.0
    elif chart.kind == ChartKind.BAR:
        body, height = _bars(chart)
    else:
        body, height = _vertical(chart)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" '
        f'aria-labelledby="{title_id} {desc_id}" viewBox="0 0 {WIDTH} {_num(height)}" '
        f'width="100%" font-family="{FONT}" focusable="false" class="app-chart__svg">'
        f'<title id="{title_id}">{escape(chart.title)}</title>'
        f'<desc id="{desc_id}">{escape(chart.description)}</desc>'
        f"{_defs(chart)}{body}</svg>"
    )


def _bars(chart: Chart) -> tuple[str, float]:
    legend, legend_h = _legend(chart, 0)
    n_series = len(chart.series)
    longest = max(len(c) for c in chart.categories)
    label_w = min(280.0, max(60.0, longest * CHAR_WIDTH))
    chars = int(label_w / CHAR_WIDTH)
    x0 = label_w + 16
    plot_w = WIDTH - x0 - 110  # room for the value labels
    bar_h, inner, gap = 20.0, 4.0, 14.0
    group_h = n_series * bar_h + (n_series - 1) * inner
    top = legend_h + 10
    plot_h = len(chart.categories) * (group_h + gap)
    scale_top = _scale_top(chart)

    def sx(v: float) -> float:
        return x0 + plot_w * v / scale_top

    out = [legend]
    for tick in _ticks(scale_top):
        x = sx(tick)
        out.append(
            f'<path d="M{_num(x)},{_num(top)} L{_num(x)},{_num(top + plot_h)}" '
            f'stroke="{MID_GREY}" stroke-width="1"/>'
        )
        out.append(
            _text(x, top + plot_h + 20, chart.format_tick(tick), size=SMALL_TEXT, anchor="middle")
        )
    out.append(_text(x0 + plot_w / 2, top + plot_h + 44, chart.value_label, anchor="middle"))
    for i, category in enumerate(chart.categories):
        gy = top + i * (group_h + gap) + gap / 2
        bold = "bold" if category == chart.highlight else "normal"
        out.append(
            _text(
                label_w + 6,
                gy + group_h / 2 + 5,
                # Bold text is wider: shorten a highlighted label a little more.
                _truncate(category, chars if bold == "normal" else int(chars * 0.85)),
                anchor="end",
                weight=bold,
            )
        )
        for n, s in enumerate(chart.series):
            y = gy + n * (bar_h + inner)
            value = s.values[i]
            colour = SERIES_COLOURS[n % len(SERIES_COLOURS)]
            if value is None:
                out.append(
                    _text(x0 + 4, y + bar_h - 5, f"{SUPPRESSED} suppressed", size=SMALL_TEXT)
                )
                continue
            fill = BLACK if category == chart.highlight and n_series == 1 else _fill(chart, n)
            width = max(0.0, sx(value) - x0)
            out.append(
                f'<rect x="{_num(x0)}" y="{_num(y)}" width="{_num(width)}" height="{_num(bar_h)}" '
                f'fill="{fill}" stroke="{colour}" stroke-width="1.5"/>'
            )
            label = chart.format(value)
            if s.notes and s.notes[i]:
                label = f"{s.notes[i]} {label}"
            out.append(_text(sx(value) + 6, y + bar_h - 5, label, size=SMALL_TEXT, weight=bold))
            out.append(_error_bar_h(s, i, y + bar_h / 2, sx))
    for ref in chart.references:
        x = sx(ref.value)
        # Under the bars and their labels (drawn after it), so it never hides a value.
        out.insert(
            1,
            f'<path d="M{_num(x)},{_num(top - 4)} L{_num(x)},{_num(top + plot_h)}" '
            f'stroke="{BLACK}" stroke-width="2" stroke-dasharray="6 3"/>',
        )
    out.append(
        f'<path d="M{_num(x0)},{_num(top)} L{_num(x0)},{_num(top + plot_h)}" stroke="{BLACK}" '
        'stroke-width="2"/>'
    )
    return "".join(out), top + plot_h + 56


def _error_bar_h(s: Series, i: int, y: float, sx: Scale) -> str:
    if s.lower is None or s.upper is None or s.lower[i] is None or s.upper[i] is None:
        return ""
    lo, hi = sx(s.lower[i] or 0), sx(s.upper[i] or 0)
    return (
        f'<path d="M{_num(lo)},{_num(y)} L{_num(hi)},{_num(y)} M{_num(lo)},{_num(y - 6)} '
        f'L{_num(lo)},{_num(y + 6)} M{_num(hi)},{_num(y - 6)} L{_num(hi)},{_num(y + 6)}" '
        f'stroke="{BLACK}" stroke-width="2"/>'
    )


def _vertical(chart: Chart) -> tuple[str, float]:
    legend, legend_h = _legend(chart, 0)
    count = len(chart.categories)
    rotate = count > 8 or max(len(c) for c in chart.categories) * CHAR_WIDTH > 600 / count
    longest = max(len(c) for c in chart.categories)
    bottom = min(140.0, longest * CHAR_WIDTH * 0.72 + 24) if rotate else 34.0
    top = legend_h + 34  # the value label sits above the plot
    x0, plot_w, plot_h = 76.0, WIDTH - 76.0 - 20, 300.0
    band = plot_w / count
    scale_top = _scale_top(chart)

    def sy(v: float) -> float:
        return top + plot_h - plot_h * v / scale_top

    out = [legend, _text(10, top - 14, chart.value_label, weight="bold")]
    for tick in _ticks(scale_top):
        y = sy(tick)
        out.append(
            f'<path d="M{_num(x0)},{_num(y)} L{_num(x0 + plot_w)},{_num(y)}" stroke="{MID_GREY}" '
            'stroke-width="1"/>'
        )
        out.append(_text(x0 - 8, y + 5, chart.format_tick(tick), size=SMALL_TEXT, anchor="end"))
    for i, category in enumerate(chart.categories):
        cx = x0 + band * (i + 0.5)
        bold = "bold" if category == chart.highlight else "normal"
        if rotate:
            out.append(
                _text(
                    cx + 4,
                    top + plot_h + 16,
                    category,
                    size=SMALL_TEXT,
                    anchor="end",
                    weight=bold,
                    transform=f"rotate(-45 {_num(cx + 4)} {_num(top + plot_h + 16)})",
                )
            )
        else:
            out.append(
                _text(
                    cx, top + plot_h + 22, category, size=SMALL_TEXT, anchor="middle", weight=bold
                )
            )
    if chart.kind == ChartKind.COLUMN:
        out.append(_columns(chart, x0, band, sy, top + plot_h))
    else:
        out.append(_lines(chart, x0, band, sy))
    for ref in chart.references:
        y = sy(ref.value)
        out.append(
            f'<path d="M{_num(x0)},{_num(y)} L{_num(x0 + plot_w)},{_num(y)}" stroke="{BLACK}" '
            'stroke-width="2" stroke-dasharray="6 3"/>'
        )
    out.append(
        f'<path d="M{_num(x0)},{_num(top + plot_h)} L{_num(x0 + plot_w)},{_num(top + plot_h)}" '
        f'stroke="{BLACK}" stroke-width="2"/>'
    )
    return "".join(out), top + plot_h + bottom + 10


def _columns(chart: Chart, x0: float, band: float, sy: Scale, base: float) -> str:
    n_series = len(chart.series)
    inner = band * 0.8 / n_series
    out = []
    show_labels = band / n_series >= 34  # value labels only where they fit
    for i, category in enumerate(chart.categories):
        for n, s in enumerate(chart.series):
            value = s.values[i]
            x = x0 + band * i + band * 0.1 + n * inner
            colour = SERIES_COLOURS[n % len(SERIES_COLOURS)]
            if value is None:
                out.append(
                    _text(x + inner / 2, base - 6, SUPPRESSED, size=SMALL_TEXT, anchor="middle")
                )
                continue
            fill = BLACK if category == chart.highlight and n_series == 1 else _fill(chart, n)
            y = sy(value)
            out.append(
                f'<rect x="{_num(x)}" y="{_num(y)}" width="{_num(inner - 2)}" '
                f'height="{_num(max(0.0, base - y))}" fill="{fill}" stroke="{colour}" '
                'stroke-width="1.5"/>'
            )
            if show_labels:
                out.append(
                    _text(
                        x + inner / 2, y - 6, chart.format(value), size=SMALL_TEXT, anchor="middle"
                    )
                )
            if (
                s.lower is not None
                and s.upper is not None
                and s.lower[i] is not None
                and s.upper[i] is not None
            ):
                out.append(
                    _error_bar_v(x + inner / 2 - 1, sy(s.lower[i] or 0), sy(s.upper[i] or 0))
                )
    return "".join(out)


def _error_bar_v(x: float, lo: float, hi: float) -> str:
    return (
        f'<path d="M{_num(x)},{_num(lo)} L{_num(x)},{_num(hi)} M{_num(x - 6)},{_num(lo)} '
        f'L{_num(x + 6)},{_num(lo)} M{_num(x - 6)},{_num(hi)} L{_num(x + 6)},{_num(hi)}" '
        f'stroke="{BLACK}" stroke-width="1.5"/>'
    )


def _lines(chart: Chart, x0: float, band: float, sy: Scale) -> str:
    out = []
    for n, s in enumerate(chart.series):
        colour = SERIES_COLOURS[n % len(SERIES_COLOURS)]
        dash = DASHES[n % len(DASHES)]
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        # A missing value breaks the line: each run of present values is its own segment.
        path, pen_down = [], False
        for i, value in enumerate(s.values):
            if value is None:
                pen_down = False
                continue
            x, y = x0 + band * (i + 0.5), sy(value)
            path.append(f"{'L' if pen_down else 'M'}{_num(x)},{_num(y)}")
            pen_down = True
        if path:
            out.append(
                f'<path d="{" ".join(path)}" fill="none" stroke="{colour}" stroke-width="3"'
                f"{dash_attr}/>"
            )
        for i, value in enumerate(s.values):
            x = x0 + band * (i + 0.5)
            if (
                s.lower is not None
                and s.upper is not None
                and s.lower[i] is not None
                and s.upper[i] is not None
            ):
                out.append(_error_bar_v(x, sy(s.lower[i] or 0), sy(s.upper[i] or 0)))
            if value is not None:
                out.append(_marker(MARKERS[n % len(MARKERS)], x, sy(value), colour))
    return "".join(out)


# -- CSV -------------------------------------------------------------------------------------


def csv_response(filename: str, rows: Iterable[Sequence[object]]) -> HttpResponse:
    """A CSV download: UTF-8 with a byte-order mark (so spreadsheets read it as UTF-8), never
    cached (figures change with each import)."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, lineterminator="\r\n")
    for row in rows:
        writer.writerow(csv_row(row))
    safe_name = re.sub(r"[^A-Za-z0-9._-]+", "-", filename).strip("-.") or "data.csv"
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{safe_name}"'
    response["Cache-Control"] = "no-store"
    return response


def chart_csv_response(chart: Chart, filename: str | None = None) -> HttpResponse:
    return csv_response(filename or f"{chart.id}.csv", chart.csv_rows())
