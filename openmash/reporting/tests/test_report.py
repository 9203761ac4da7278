"""The printable progress report: an HTML page made for printing and the same figures as a
PDF, neither cached, both for the roles that see figures."""

import pytest
from django.test import Client

from openmash.reporting.tests.generated import london_study
from openmash.testing.world import World

PERIOD = {"start": "2025-01-01", "end": "2025-12-31"}


@pytest.mark.django_db
def test_the_html_report_has_the_headlines_and_every_table(world: World, client: Client) -> None:
    london_study(world)
    client.force_login(world.analyst)
    response = client.get("/reporting/report", PERIOD | {"rag": "green"})
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    html = response.content.decode()
    assert "Progress report" in html and "RAG rating Green" in html
    for title in (
        "Headline figures",
        "Month by month",
        "Contacts by RAG rating",
        "Time from receipt to decision",
        "Done on time",
        "Repeat contacts within 12 months",
        "Rationale and feedback",
    ):
        assert title in html, title
    assert "app-no-print" in html  # links and notes are left off the printed page
    assert 'href="/reporting/report.pdf?start=2025-01-01&amp;end=2025-12-31&amp;rag=green"' in html
    assert "Hartley" not in html


@pytest.mark.django_db
def test_the_pdf_report(world: World, client: Client) -> None:
    london_study(world)
    client.force_login(world.manager)
    response = client.get("/reporting/report.pdf", PERIOD)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "no-store"
    assert response["Content-Disposition"] == (
        f'attachment; filename="progress-report-{world.hub.la_code}-2025-01-01-to-2025-12-31.pdf"'
    )
    assert response.content.startswith(b"%PDF-")
    assert len(response.content) > 3000


@pytest.mark.django_db
def test_a_bad_period_shows_the_form_with_its_errors(world: World, client: Client) -> None:
    client.force_login(world.analyst)
    for url in ("/reporting/report", "/reporting/report.pdf"):
        response = client.get(url, {"start": "2025-02-30", "end": "2025-03-01"})
        assert response.status_code == 422
        assert "The start date must be a real date" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/reporting/report", "/reporting/report.pdf"])
def test_a_referrer_is_refused(world: World, client: Client, url: str) -> None:
    client.force_login(world.referrer)
    assert client.get(url, PERIOD).status_code == 403
