"""The hub's figures in the browser: an analyst filters the dashboard, opens a chart's table
and downloads its CSV, and a manager compares two periods on the evaluation page and prints
the progress report. Every page is checked with axe-core."""

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from openmash.reporting.tests.generated import AFTER, BEFORE, london_study
from openmash.testing.world import World
from tests.browser.accessibility import assert_accessible

pytestmark = pytest.mark.browser
# A page that shows errors answers 422: the browser logs the status, which is not a fault.
OWN_STATUS = re.compile(r"^Console: Failed to load resource: the server responded with a status")


def fill_date(page: Page, legend: str, value: str, *, within: Any = None) -> None:
    year, month, day = value.split("-")
    group = (within or page).get_by_role("group", name=legend, exact=True)
    group.get_by_label("Day").fill(str(int(day)))
    group.get_by_label("Month").fill(str(int(month)))
    group.get_by_label("Year").fill(year)


def test_dashboard_with_filters(
    page: Page, page_errors: list[str], world: World, sign_in: Any
) -> None:
    london_study(world)
    sign_in(world.analyst)
    page.goto("/reporting/dashboard")
    expect(page.get_by_role("heading", name="Hub dashboard", level=1)).to_be_visible()
    assert_accessible(page)

    # A bad period first: the error summary, linked to the input.
    fill_date(page, "From", "2025-01-01")
    fill_date(page, "To", "2024-12-31")
    page.get_by_role("button", name="Apply filters").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("The period must end on or after the day it starts")
    assert_accessible(page)

    fill_date(page, "From", "2025-01-01")
    fill_date(page, "To", "2025-12-31")
    page.get_by_label("RAG rating").select_option("amber")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.locator(".govuk-body-l")).to_contain_text(
        "Contacts received from 1 January 2025 to 31 December 2025. RAG rating Amber."
    )
    expect(page.locator(".moj-filter__tag")).to_contain_text("Amber")
    received = page.locator(".govuk-summary-list__row", has_text="Contacts received")
    expect(received).to_contain_text("6")
    assert_accessible(page)

    figure = page.locator("figure#contacts-by-rag")
    expect(figure.get_by_role("img", name="Contacts by RAG rating")).to_be_visible()
    figure.get_by_text("Show the figures as a table").click()
    amber = figure.get_by_role("row", name=re.compile("^Amber"))
    expect(amber).to_contain_text("6")
    with page.expect_download() as download:
        figure.get_by_role("link", name=re.compile("Download these figures")).click()
    assert download.value.suggested_filename.startswith("contacts-by-rag-2025-01-01")

    # Removing the filter brings every contact back.
    page.locator(".moj-filter__tag").click()
    expect(received).to_contain_text("13")
    assert_accessible(page)

    page.get_by_role("link", name="Printable progress report").click()
    expect(page.get_by_role("heading", name="Progress report")).to_be_visible()
    assert_accessible(page)
    page.emulate_media(media="print")
    expect(page.get_by_role("link", name="Back to the dashboard")).to_be_hidden()
    expect(page.locator(".govuk-service-navigation")).to_be_hidden()
    errors = [e for e in page_errors if not OWN_STATUS.match(e)]
    assert not errors, errors


def test_evaluation_page(page: Page, page_errors: list[str], world: World, sign_in: Any) -> None:
    london_study(world)
    sign_in(world.manager)
    page.goto("/reporting/evaluation")
    expect(
        page.get_by_role("heading", name="Before and after a change of practice")
    ).to_be_visible()
    assert_accessible(page)

    before = page.get_by_role("group", name="Before the change")
    after = page.get_by_role("group", name="After the change")
    fill_date(page, "From", BEFORE.start.isoformat(), within=before)
    fill_date(page, "To", BEFORE.end.isoformat(), within=before)
    fill_date(page, "From", AFTER.start.isoformat(), within=after)
    fill_date(page, "To", AFTER.end.isoformat(), within=after)
    page.get_by_role("button", name="Compare").click()

    table = page.locator("table#decision-by-level")
    level3 = table.get_by_role("row", name=re.compile("^Level 3"))
    expect(level3).to_contain_text("2.50")
    expect(level3).to_contain_text("1.25")
    expect(level3).to_contain_text("-1.25")
    level2 = table.get_by_role("row", name=re.compile("^Level 2"))
    expect(level2).to_contain_text("4.50")
    expect(level2).to_contain_text("2.50")
    expect(table.get_by_role("row", name=re.compile("^Level 4"))).to_contain_text(
        "Fewer than 2 contacts before"
    )
    chart = page.get_by_role("img", name=re.compile("Mean days from receipt to decision"))
    expect(chart.first).to_be_visible()
    assert_accessible(page)

    # Periods the wrong way round are explained.
    fill_date(page, "From", "2025-03-10", within=after)
    page.get_by_role("button", name="Compare").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "The period after must start after the period before ends"
    )
    assert_accessible(page)
    errors = [e for e in page_errors if not OWN_STATUS.match(e)]
    assert not errors, errors
