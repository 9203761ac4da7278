"""The accessible SVG charts: valid XML, named and described, escaped, gaps for missing values,
told apart without colour, and their table and CSV."""

import csv
import io
import xml.etree.ElementTree as ET

import pytest
from django.template.loader import render_to_string

from openmash.reporting.charts import (
    Chart,
    ChartKind,
    Reference,
    Series,
    chart_csv_response,
    csv_response,
    nice_max,
)

SVG = "{http://www.w3.org/2000/svg}"


def parse(chart: Chart) -> ET.Element:
    return ET.fromstring(str(chart.svg))


def months_chart(kind: ChartKind = ChartKind.LINE, **extra: object) -> Chart:
    values: dict[str, object] = {
        "id": "Trend 1",
        "kind": kind,
        "title": "Screened on time",
        "categories": ["Jan 2024", "Feb 2024", "Mar 2024", "Apr 2024"],
        "series": [
            Series("All hubs", [80.0, 82.5, None, 85.0]),
            Series(
                "Hub <A> & co",
                [70.0, None, 75.0, 90.0],
                lower=[60, None, 65, 80],
                upper=[80, None, 85, 97],
            ),
        ],
        "value_label": "Per cent",
        "category_label": "Month",
        "unit": "%",
        "decimals": 1,
        "csv_url": "/x.csv",
    }
    values.update(extra)
    return Chart(**values)  # type: ignore[arg-type]


@pytest.mark.parametrize("kind", list(ChartKind))
def test_every_kind_is_valid_accessible_svg(kind: ChartKind) -> None:
    chart = months_chart(kind, references=[Reference("the median", 81.0)])
    root = parse(chart)
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "trend-1-title trend-1-desc"
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert title is not None and title.get("id") == "trend-1-title"
    assert title.text == "Screened on time"
    assert desc is not None and desc.get("id") == "trend-1-desc"
    assert "2 values are suppressed or missing and not drawn" in (desc.text or "")
    assert "The figures are in the table that follows." in (desc.text or "")
    # No inline styles or scripts (the CSP forbids them), readable text.
    markup = str(chart.svg)
    assert "style=" not in markup and "<script" not in markup and "on" + "load" not in markup
    sizes = {int(t.get("font-size", "0")) for t in root.iter(f"{SVG}text")}
    assert sizes and min(sizes) >= 14
    # The second series is told apart without colour: a pattern (bars) or dashes (lines).
    if kind == ChartKind.LINE:
        assert any(p.get("stroke-dasharray") == "8 4" for p in root.iter(f"{SVG}path"))
        assert root.find(f".//{SVG}rect") is not None  # the square markers
    else:
        assert root.find(f".//{SVG}pattern") is not None


def test_labels_are_escaped() -> None:
    chart = months_chart(title='<script>alert("x")</script>', categories=["<b>", "&", "'", '"'])
    markup = str(chart.svg)
    assert "<script>" not in markup and "<b>" not in markup
    root = parse(chart)
    assert root.find(f"{SVG}title").text == '<script>alert("x")</script>'  # type: ignore[union-attr]
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "<b>" in texts and "&" in texts and "Hub <A> & co" in texts


def test_missing_values_break_the_line() -> None:
    chart = months_chart()
    lines = [p.get("d", "") for p in parse(chart).iter(f"{SVG}path") if p.get("fill") == "none"]
    assert len(lines) == 2
    assert all(d.count("M") == 2 for d in lines), "each series restarts after its gap"


def test_suppressed_bars_are_labelled_not_drawn() -> None:
    chart = Chart(
        id="bars",
        kind=ChartKind.BAR,
        title="By source",
        categories=["Police", "Schools", "A very long source name " * 5],
        series=[Series("Contacts", [120, None, 30], notes=["at least", "", ""])],
        value_label="Contacts",
        category_label="Source",
    )
    root = parse(chart)
    assert len(list(root.iter(f"{SVG}rect"))) == 2
    texts = [t.text or "" for t in root.iter(f"{SVG}text")]
    assert "[c] suppressed" in texts
    assert "at least 120" in texts
    assert any(t.endswith("…") for t in texts), "long labels are shortened in the drawing"
    assert chart.table_rows[1][1][0].suppressed
    assert chart.table_rows[2][0] == "A very long source name " * 5  # whole in the table


@pytest.mark.parametrize("categories", [[], ["Apr 2024"]])
def test_empty_charts_say_so(categories: list[str]) -> None:
    chart = Chart(
        id="empty",
        kind=ChartKind.COLUMN,
        title="Nothing",
        categories=categories,
        series=[Series("Contacts", [None] * len(categories))],
        value_label="Contacts",
    )
    root = parse(chart)
    assert "There are no figures to show." in (root.find(f"{SVG}desc").text or "")  # type: ignore[union-attr]
    assert [t.text for t in root.iter(f"{SVG}text")] == ["No figures to show"]


def test_a_series_must_match_its_categories() -> None:
    with pytest.raises(ValueError, match="has 1 values, not 2"):
        Chart(
            id="x",
            kind=ChartKind.BAR,
            title="x",
            categories=["a", "b"],
            series=[Series("s", [1])],
            value_label="v",
        )


def test_description_names_highs_and_lows() -> None:
    desc = months_chart().description
    assert desc.startswith("Line chart of per cent by month.")
    assert "All hubs: highest 85.0% (Apr 2024), lowest 80.0% (Jan 2024)" in desc
    assert "Error bars show 95% confidence intervals." in desc


def test_nice_axis_maximum() -> None:
    assert [nice_max(v) for v in (0, 0.7, 7, 12, 23, 240, 999)] == [1, 1, 10, 20, 25, 250, 1000]


def test_the_include_renders_figure_table_and_csv_link() -> None:
    chart = months_chart(extra_columns=[("Hubs", ["1", "2", "3", "4"])])
    html = render_to_string("reporting/includes/chart.html", {"chart": chart})
    assert "<figure" in html and 'aria-labelledby="trend-1-caption"' in html
    assert '<caption class="govuk-table__caption govuk-table__caption--s">Screened on time' in html
    assert "Hub &lt;A&gt; &amp; co: 95% interval" in html
    assert "65.0% to 85.0%" in html
    assert '[c]<span class="govuk-visually-hidden"> suppressed</span>' in html
    assert 'href="/x.csv"' in html
    assert (
        '<th scope="col" class="govuk-table__header govuk-table__header--numeric">Hubs</th>' in html
    )


def test_csv_of_a_chart() -> None:
    response = chart_csv_response(months_chart(), "trend.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Cache-Control"] == "no-store"
    assert response["Content-Disposition"] == 'attachment; filename="trend.csv"'
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == [
        "Month",
        "All hubs (Per cent)",
        "Hub <A> & co (Per cent)",
        "Hub <A> & co 95% lower",
        "Hub <A> & co 95% upper",
    ]
    assert rows[3] == ["Mar 2024", "[c]", "75.0", "65.00", "85.00"]


def test_csv_cells_are_not_formulas() -> None:
    response = csv_response("../x y.csv", [["=cmd()", "-1.5", "-x", "+1", "@a", "ok"]])
    assert response["Content-Disposition"] == 'attachment; filename="x-y.csv"'
    row = next(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert row == ["'=cmd()", "-1.5", "'-x", "'+1", "'@a", "ok"]
