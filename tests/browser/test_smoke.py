"""Smoke test: a page renders with GOV.UK Frontend styles and scripts, and passes axe."""

import uuid

import pytest
from playwright.sync_api import Page

from tests.browser.accessibility import assert_accessible

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


@pytest.mark.urls("openmash.web.tests.urls")
def test_signed_in_home_page(page: Page, page_errors: list[str], sign_in, django_user_model):
    user = django_user_model.objects.create_user(
        username="hv", password="a-long-test-password", first_name="Hana", last_name="Visitor"
    )
    sign_in(user)
    page.goto("/")

    assert page.title() == "Home – OpenMASH"
    assert page.get_by_role("heading", level=1).inner_text() == "You are signed in"
    assert "Hana Visitor" in page.locator(".app-user-bar__name").inner_text()
    assert page.get_by_role("button", name="Sign out").is_visible()
    assert page_errors == []
    assert_accessible(page)
