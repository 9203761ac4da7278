"""The hub dashboard through HTTP: every figure group as a chart with its table and CSV, the
period and filters, validation as GOV.UK errors, figures only for the roles allowed them,
and a bounded number of queries whatever the number of contacts."""

import csv
import io

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from openmash.reporting.tests.generated import london_study
from openmash.testing.world import World

PERIOD = {"start": "2025-01-01", "end": "2025-12-31"}
CHARTS = [
    "contacts-by-month",
    "decision-hours-by-month",
    "contacts-by-source",
    "contacts-by-concern",
    "contacts-by-rag",
    "contacts-by-level",
    "contacts-by-outcome",
    "conversion",
    "screening-by-rag",
    "screening-by-level",
    "decision-by-rag",
    "decision-by-level",
    "on-time",
    "agency-on-time",
    "agency-response",
    "repeat",
    "quality",
]


def csv_rows(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["analyst", "manager", "practitioner", "auditor", "admin"])
def test_every_figure_group_is_shown_to_roles_with_aggregates(
    world: World, client: Client, role: str
) -> None:
    london_study(world)
    client.force_login(world.users()[role])
    response = client.get("/reporting/dashboard", PERIOD)
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    html = response.content.decode()
    for key in CHARTS:
        assert f'id="{key}"' in html, key
        assert f"chart={key}" in html, key
    assert html.count('role="img"') == len(CHARTS)
    assert "Contacts received from 1 January 2025 to 31 December 2025" in html
    assert "Hartley" not in html and "Ashby" not in html  # figures, never a person


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["referrer", "police", "health", "education"])
def test_roles_without_aggregates_are_refused(world: World, client: Client, role: str) -> None:
    client.force_login(world.users()[role])
    assert client.get("/reporting/dashboard", PERIOD).status_code == 403


def test_signing_in_is_required(client: Client, db: None) -> None:
    response = client.get("/reporting/dashboard")
    assert response.status_code == 302 and "next=" in response["Location"]


@pytest.mark.django_db
def test_each_chart_downloads_as_csv(world: World, client: Client) -> None:
    london_study(world)
    client.force_login(world.analyst)
    months = client.get(
        "/reporting/dashboard", PERIOD | {"format": "csv", "chart": "contacts-by-month"}
    )
    assert months.status_code == 200
    assert months["Content-Type"].startswith("text/csv")
    assert "contacts-by-month-2025-01-01-to-2025-12-31.csv" in months["Content-Disposition"]
    rows = dict(csv_rows(months.content)[1:])
    assert rows["Mar 2025"] == "7" and rows["Jun 2025"] == "6" and rows["Jan 2025"] == "0"
    rag = dict(
        r[:2]
        for r in csv_rows(
            client.get(
                "/reporting/dashboard", PERIOD | {"format": "csv", "chart": "contacts-by-rag"}
            ).content
        )[1:]
    )
    assert (rag["Red"], rag["Amber"], rag["Green"]) == ("1", "6", "6")
    assert (
        client.get("/reporting/dashboard", PERIOD | {"format": "csv", "chart": "nope"}).status_code
        == 404
    )


@pytest.mark.django_db
def test_filters_narrow_every_figure(world: World, client: Client) -> None:
    london_study(world)
    client.force_login(world.manager)
    response = client.get("/reporting/dashboard", PERIOD | {"rag": "amber", "level": "3"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Selected filters" in html and "Remove this filter" in html
    assert "RAG rating Amber; Level 3" in html
    rows = csv_rows(
        client.get(
            "/reporting/dashboard",
            PERIOD | {"rag": "amber", "level": "3", "format": "csv", "chart": "contacts-by-level"},
        ).content
    )
    counts = {r[0]: r[1] for r in rows[1:]}
    assert sum(int(v) for v in counts.values()) == 6
    # The same period with the filters in the query of every download link.
    assert "rag=amber" in html and "level=3" in html and "chart=contacts-by-rag" in html


@pytest.mark.django_db
def test_quick_choices_and_the_default_period(world: World, client: Client) -> None:
    client.force_login(world.analyst)
    html = client.get("/reporting/dashboard").content.decode()
    # Today is fixed by nothing: the default is the 12 whole months before this month.
    assert "Last month" in html and "Last 12 months" in html and "This financial year" in html
    assert 'aria-current="true"' in html  # the default is the "last 12 months" choice


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"start": "2025-13-01", "end": "2025-12-31"}, "The start date must be a real date"),
        ({"start": "2025-06-01", "end": "2025-05-31"}, "The period must end on or after"),
        ({"start": "2015-01-01", "end": "2025-12-31"}, "The period must be 5 years or shorter"),
        (
            {"start_day": "1", "start_month": "1", "start_year": "25", "end": "2025-12-31"},
            "Year must include 4 numbers",
        ),
        ({"start": "2025-01-01"}, "Enter the end date"),
        (PERIOD | {"rag": "purple"}, "Select a valid choice"),
        (PERIOD | {"level": "9"}, "Select a valid choice"),
    ],
)
def test_bad_periods_and_filters_are_explained(
    world: World, client: Client, query: dict[str, str], message: str
) -> None:
    client.force_login(world.analyst)
    response = client.get("/reporting/dashboard", query)
    assert response.status_code == 422
    html = response.content.decode()
    assert "govuk-error-summary" in html and message in html
    assert "<title>Error: " in html


@pytest.mark.django_db
def test_the_page_makes_a_bounded_number_of_queries(world: World, client: Client) -> None:
    client.force_login(world.analyst)
    client.get("/reporting/dashboard", PERIOD)  # the facts are brought up to date once
    with CaptureQueriesContext(connection) as few:
        client.get("/reporting/dashboard", PERIOD)
    london_study(world)
    client.get("/reporting/dashboard", PERIOD)
    with CaptureQueriesContext(connection) as more:
        assert client.get("/reporting/dashboard", PERIOD).status_code == 200
    # The same queries for 0 and 13 contacts: nothing iterates contacts.
    assert len(more) == len(few)
    assert len(more) < 60
