"""The before-and-after comparison reproduces, from generated contacts with known turnaround,
the London MASH study's figures (mean days to decision by level of need, pre vs post), with
correct t intervals; and the page shows them to an analyst without showing a person."""

import csv
import io
import math

import pytest
from django.test import Client

from openmash.reporting.evaluation import (
    Change,
    Moments,
    Summary,
    evaluation_compute,
    t_critical,
)
from openmash.reporting.facts import facts_refresh
from openmash.reporting.tests.generated import AFTER, BEFORE, london_study
from openmash.testing.world import World

QUERY = {
    "before_from": BEFORE.start.isoformat(),
    "before_to": BEFORE.end.isoformat(),
    "after_from": AFTER.start.isoformat(),
    "after_to": AFTER.end.isoformat(),
}


@pytest.mark.parametrize(
    ("df", "expected"),
    [(1, 12.706), (2, 4.303), (4, 2.776), (10, 2.228), (30, 2.042), (120, 1.980), (1e6, 1.960)],
)
def test_t_critical_values_match_the_tables(df: float, expected: float) -> None:
    assert t_critical(df) == pytest.approx(expected, abs=5e-4)


def test_moments_combine_exactly() -> None:
    values = [[1.0, 2.0, 4.0], [10.0], [3.0, 3.0]]
    combined = Moments()
    for group in values:
        combined = combined + Moments.from_sums(len(group), sum(group), sum(v * v for v in group))
    flat = [v for group in values for v in group]
    mean = sum(flat) / len(flat)
    assert combined.n == 6
    assert combined.mean == pytest.approx(mean)
    assert combined.variance == pytest.approx(sum((v - mean) ** 2 for v in flat) / 5)


def test_a_group_of_one_has_no_interval() -> None:
    one = Summary.of(Moments.from_sums(1, 720.0, 720.0**2))
    assert (one.n, one.mean, one.sd, one.low, one.high) == (1, 0.5, None, None, None)
    change = Change.between(one, Summary.of(Moments.from_sums(2, 1440.0, 2 * 720.0**2)))
    assert change.estimate == 0 and not change.has_interval


@pytest.mark.django_db
def test_the_london_study_figures_are_reproduced(world: World) -> None:
    london_study(world)
    facts_refresh(hub=world.hub)
    result = evaluation_compute(hub=world.hub, before=BEFORE, after=AFTER)
    by_level = {row.key: row for row in result.london_table.rows}

    level3, level2, level4 = by_level["3"], by_level["2"], by_level["4"]
    assert (level3.before.n, level3.after.n) == (3, 3)
    assert level3.before.mean == pytest.approx(2.5)
    assert level3.after.mean == pytest.approx(1.25)
    assert level2.before.mean == pytest.approx(4.5)
    assert level2.after.mean == pytest.approx(2.5)
    # Sample standard deviations: 0.5 days (2, 2.5, 3) and 0.25 days (1, 1.25, 1.5).
    assert level3.before.sd == pytest.approx(0.5)
    assert level3.after.sd == pytest.approx(0.25)
    # 95% interval of a mean of 3: mean +/- t(0.975, 2) * sd / sqrt(3), t = 4.3027.
    half = 4.302653 * 0.5 / math.sqrt(3)
    assert level3.before.low == pytest.approx(2.5 - half, abs=1e-4)
    assert level3.before.high == pytest.approx(2.5 + half, abs=1e-4)
    # Welch: level 3 change -1.25 days, df = 2.94, interval -2.289 to -0.211 (excludes 0).
    assert level3.change.estimate == pytest.approx(-1.25)
    assert level3.change.df == pytest.approx(2.9412, abs=1e-3)
    assert level3.change.low == pytest.approx(-2.2888, abs=1e-3)
    assert level3.change.high == pytest.approx(-0.2112, abs=1e-3)
    assert level3.change.significant
    # Level 2: equal spreads, df = 4, t = 2.7764: -2.0 +/- 1.1335.
    assert level2.change.estimate == pytest.approx(-2.0)
    assert level2.change.df == pytest.approx(4.0)
    assert level2.change.low == pytest.approx(-3.1335, abs=1e-3)
    # One Red (level 4) contact before and none after: a mean, no interval, no change.
    assert (level4.before.n, level4.before.mean, level4.before.low) == (1, 0.5, None)
    assert level4.after.n == 0 and level4.change.estimate is None
    assert "Fewer than 2 contacts before" in level4.note

    # By RAG the same groups (Amber = level 3, Green = level 2), and the overall row.
    by_rag = {row.key: row for row in result.tables["decision-by-rag"].rows}
    assert by_rag["amber"].before.mean == pytest.approx(2.5)
    assert by_rag["green"].after.mean == pytest.approx(2.5)
    overall = result.london_table.overall
    assert overall.before.n == 7
    assert overall.before.mean == pytest.approx((2 + 2.5 + 3 + 4 + 4.5 + 5 + 0.5) / 7)
    assert overall.after.mean == pytest.approx((1 + 1.25 + 1.5 + 2 + 2.5 + 3) / 6)
    # Screening: 4 hours before, 2 after, with no spread: an exact difference.
    screening = result.tables["screening-by-level"].overall
    assert screening.before.mean == pytest.approx(4 / 24)
    assert screening.after.mean == pytest.approx(2 / 24)
    assert screening.change.low == screening.change.high == pytest.approx(-2 / 24)

    # The other measures side by side: every contact decided, with a rationale, as s17.
    measures = {m.key: m for m in result.measures}
    assert result.before_total == 7 and result.after_total == 6
    assert measures["conversion.s17"].before.percent == 100.0
    assert measures["conversion.s17"].change_points == 0.0
    assert measures["decisions.rationale_recorded"].after.percent == 100.0


@pytest.mark.django_db
def test_the_evaluation_page_shows_the_table_to_an_analyst(world: World, client: Client) -> None:
    london_study(world)
    client.force_login(world.analyst)
    response = client.get("/reporting/evaluation", QUERY)
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    html = response.content.decode()
    assert "Days from receipt to decision, by level of need" in html
    for figure in ("2.50", "1.25", "4.50", "-1.25", "-2.00", "1.26 to 3.74"):
        assert figure in html
    assert "Hartley" not in html and "Ashby" not in html  # figures, never a person
    assert 'role="img"' in html  # the grouped bar chart with its error bars

    table = client.get(
        "/reporting/evaluation", QUERY | {"format": "csv", "table": "decision-by-level"}
    )
    assert table.status_code == 200
    rows = list(csv.reader(io.StringIO(table.content.decode("utf-8-sig"))))
    row3 = next(r for r in rows if r[0].startswith("Level 3"))
    header = rows[0]
    assert row3[header.index("before mean days")] == "2.500"
    assert row3[header.index("after mean days")] == "1.250"
    assert row3[header.index("change days")] == "-1.250"

    chart = client.get(
        "/reporting/evaluation", QUERY | {"format": "csv", "chart": "decision-by-level-chart"}
    )
    assert chart.status_code == 200 and "Before 95% lower" in chart.content.decode()
    measures = client.get("/reporting/evaluation", QUERY | {"format": "csv", "table": "measures"})
    assert "Decisions with a rationale recorded" in measures.content.decode()
    missing = client.get("/reporting/evaluation", QUERY | {"format": "csv", "table": "nope"})
    assert missing.status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "message"),
    [
        (QUERY | {"before_to": "2025-02-30"}, "The end of the period before must be a real date"),
        (
            QUERY | {"after_to": "2025-05-01"},
            "The period after must end on or after the day it starts",
        ),
        (
            QUERY | {"after_from": "2025-03-15"},
            "The period after must start after the period before ends",
        ),
        (
            QUERY | {"before_from": "2015-01-01"},
            "The period before must be 5 years or shorter",
        ),
        (
            {"before_from_day": "1", "before_from_month": "", "before_from_year": "2025"},
            "must include a month",
        ),
    ],
)
def test_bad_periods_are_explained_not_a_server_error(
    world: World, client: Client, query: dict[str, str], message: str
) -> None:
    client.force_login(world.manager)
    response = client.get("/reporting/evaluation", query)
    assert response.status_code == 422
    html = response.content.decode()
    assert "govuk-error-summary" in html and message in html


@pytest.mark.django_db
def test_without_periods_the_last_two_years_are_compared(world: World, client: Client) -> None:
    client.force_login(world.practitioner)
    response = client.get("/reporting/evaluation")
    assert response.status_code == 200
    assert "Results" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["referrer", "police", "health", "education"])
def test_roles_without_aggregates_are_refused(world: World, client: Client, role: str) -> None:
    client.force_login(world.users()[role])
    assert client.get("/reporting/evaluation", QUERY).status_code == 403
