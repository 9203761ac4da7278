"""The GOV.UK form renderer in a real browser: errors, the error summary and accessibility."""

import pytest
from playwright.sync_api import Page, expect

from tests.browser.accessibility import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.urls("openmash.web.tests.urls")]


def test_form_page_is_accessible(page: Page, page_errors: list[str]) -> None:
    page.goto("/form-example/")

    expect(page).to_have_title("Record a contact – OpenMASH")
    current = page.get_by_role("navigation", name="Menu").get_by_role("link", name="Record")
    expect(current).to_have_attribute("aria-current", "page")
    assert_accessible(page)
    assert page_errors == []


def test_errors_are_summarised_and_linked_to_their_inputs(
    page: Page, page_errors: list[str]
) -> None:
    page.goto("/form-example/")
    page.get_by_label("Full name").fill("Alex Example")
    page.get_by_label("Month").first.fill("3")
    page.get_by_role("button", name="Continue").click()

    expect(page).to_have_title("Error: Record a contact – OpenMASH")
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()  # GOV.UK Frontend moves focus to the summary
    expect(summary).to_contain_text("Date of birth must include a day and year")
    # Every link in the summary leads to an input on the page.
    for href in summary.locator("a").evaluate_all("links => links.map(a => a.hash)"):
        assert page.locator(href).count() == 1, href
    summary.get_by_role("link", name="Date of birth must include a day and year").click()
    expect(page.locator("#id_date_of_birth_day")).to_be_focused()
    expect(page.get_by_label("Full name")).to_have_value("Alex Example")  # kept
    assert_accessible(page)
    assert page_errors == []


def test_a_valid_submission_shows_a_success_banner(page: Page) -> None:
    page.goto("/form-example/")
    page.get_by_label("Full name").fill("Alex Example")
    page.get_by_label("Summary of concern").fill("Worried")
    page.get_by_label("Source of contact").select_option("police")
    page.get_by_label("Amber").check()
    page.get_by_label("Yes").check()
    date_of_birth = page.get_by_role("group", name="Date of birth")
    date_of_birth.get_by_label("Day").fill("3")
    date_of_birth.get_by_label("Month").fill("3")
    date_of_birth.get_by_label("Year").fill("2015")
    received = page.get_by_role("group", name="When was it received?")
    received.get_by_label("Day").fill("27")
    received.get_by_label("Month").fill("3")
    received.get_by_label("Year").fill("2025")
    received.get_by_label("Time (24-hour)").fill("14:30")
    page.get_by_role("button", name="Continue").click()

    banner = page.locator(".govuk-notification-banner--success")
    expect(banner).to_contain_text("Contact recorded")
    assert_accessible(page)
