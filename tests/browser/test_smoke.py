"""Smoke test: a page renders with GOV.UK Frontend styles and scripts, and passes axe."""

import uuid

import pytest
from playwright.sync_api import Page

from tests.browser.conftest import assert_accessible

pytestmark = pytest.mark.browser


def test_not_found_page_is_styled_and_accessible(page: Page, page_errors: list[str]) -> None:
    response = page.goto(f"/no-such-page-{uuid.uuid4().hex}/")

    assert response is not None
    assert response.status == 404
    assert page.title() == "Page not found – OpenMASH"
    assert page.locator("h1").inner_text() == "Page not found"
    # The stylesheet loaded: the header has its black background, headings GOV.UK's typeface.
    header_background = page.locator(".govuk-generic-header").evaluate(
        "element => getComputedStyle(element).backgroundColor"
    )
    assert header_background == "rgb(11, 12, 12)"
    heading_font = page.locator("h1").evaluate("element => getComputedStyle(element).fontFamily")
    assert "arial" in heading_font.lower()
    # init.js ran (a module script, so CSP allows it) and started GOV.UK Frontend.
    page.wait_for_function("document.body.classList.contains('govuk-frontend-supported')")
    assert page.locator(".app-demo-banner").inner_text().startswith("Demo hub:")
    # Chromium logs the page's own 404 as a console error; anything else is a real problem.
    assert [e for e in page_errors if "status of 404" not in e] == []
    assert_accessible(page)
