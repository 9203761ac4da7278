"""Browser tests: Playwright driving Debian's Chromium against pytest-django's live server.

Run with ``make test-browser`` (which builds the front-end assets first). Mark tests with
``@pytest.mark.browser``. Fixtures:

- ``browser``: one headless Chromium for the session (/usr/bin/chromium; never downloaded).
- ``page``: a fresh browser context per test, pointed at the live server (``page.goto("/")``);
  requests to anywhere but the live server are blocked.
- ``page_errors``: JavaScript errors and console errors seen by ``page`` (CSP violations
  show up here).
- ``sign_in``: ``sign_in(user)`` signs ``page`` in as a user (no sign-in form needed).

``tests.browser.accessibility.assert_accessible(page)`` runs axe-core's WCAG 2.x A/AA rules.
"""

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import Browser, Page, Route, sync_playwright

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
STYLESHEET = Path(settings.BASE_DIR) / "var" / "assets" / "css" / "application.css"


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: run scripts/ensure_system_packages.sh")
    if not STYLESHEET.exists():
        pytest.fail("The front-end assets are not built: run `make assets`")
    # Playwright's sync API runs an event loop in this thread, and Django refuses database
    # access from a thread with a running loop ("You cannot call this from an async
    # context") unless told otherwise. Only the browser tests are told.
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(
                executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
            )
            yield chromium
            chromium.close()


@pytest.fixture
def page_errors() -> list[str]:
    return []


@pytest.fixture
def page(browser: Browser, live_server: Any, page_errors: list[str]) -> Iterator[Page]:
    context = browser.new_context(
        base_url=live_server.url, locale="en-GB", timezone_id="Europe/London"
    )
    context.set_default_timeout(10_000)

    def only_live_server(route: Route) -> None:
        url = route.request.url
        if url.startswith(live_server.url) or url.startswith("data:"):
            route.continue_()
        else:
            route.abort()

    context.route("**/*", only_live_server)
    new_page = context.new_page()
    new_page.on("pageerror", lambda error: page_errors.append(f"JavaScript error: {error}"))
    new_page.on(
        "console",
        lambda message: (
            page_errors.append(f"Console: {message.text}") if message.type == "error" else None
        ),
    )
    yield new_page
    context.close()


@pytest.fixture
def sign_in(page: Page, live_server: Any) -> Callable[[Any], None]:
    """``sign_in(user)``: gives ``page`` a session for ``user``, as if they had signed in."""

    def _sign_in(user: Any) -> None:
        client = Client()
        client.force_login(user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        page.context.add_cookies(
            [{"name": cookie.key, "value": cookie.value, "url": live_server.url}]
        )

    return _sign_in
