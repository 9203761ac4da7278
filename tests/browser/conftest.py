"""Browser tests: Playwright driving Debian's Chromium against pytest-django's live server.

Run with ``make test-browser`` (which builds the front-end assets first). Mark tests with
``@pytest.mark.browser``. Fixtures:

- ``browser``: one headless Chromium for the session (/usr/bin/chromium; never downloaded).
- ``page``: a fresh browser context per test, pointed at the live server (``page.goto("/")``);
  requests to anywhere but the live server are blocked.
- ``page_errors``: JavaScript errors and console errors seen by ``page`` (CSP violations
  show up here).

``assert_accessible(page)`` runs axe-core's WCAG 2.0, 2.1 and 2.2 A and AA rules.
"""

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

# Playwright's sync API runs an event loop in this thread; Django would otherwise refuse
# database access from fixtures and tests ("You cannot call this from an async context").
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

from axe_playwright_python.sync_playwright import Axe  # noqa: E402
from playwright.sync_api import Browser, Page, Route, sync_playwright  # noqa: E402

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
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
ASSETS = Path(__file__).resolve().parents[2] / "var" / "assets" / "css" / "application.css"


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: run scripts/ensure_system_packages.sh")
    if not ASSETS.exists():
        pytest.fail("Front-end assets are not built: run `make assets`")
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
        lambda message: page_errors.append(f"Console: {message.text}")
        if message.type == "error"
        else None,
    )
    yield new_page
    context.close()


def _describe(violation: dict[str, Any]) -> str:
    lines = [f"- {violation['id']} ({violation['impact']}): {violation['help']}"]
    lines += [f"    {node['target']}: {node['html'][:160]}" for node in violation["nodes"][:5]]
    if len(violation["nodes"]) > 5:
        lines.append(f"    ... and {len(violation['nodes']) - 5} more")
    lines.append(f"    {violation['helpUrl']}")
    return "\n".join(lines)


def assert_accessible(page: Page) -> None:
    """Fail with a readable list if axe-core finds any WCAG 2.x A or AA violation."""
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
    violations = results.response["violations"]
    if violations:
        report = "\n".join(_describe(v) for v in violations)
        pytest.fail(f"Accessibility violations on {page.url}:\n{report}", pytrace=False)
