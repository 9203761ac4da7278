"""``assert_accessible(page)``: axe-core's WCAG 2.0, 2.1 and 2.2 A and AA rules, as a test, and
unique element ids (axe no longer checks them, but a label or error link pointing at the wrong
one of two fields is a real failure for screen-reader and keyboard users)."""

from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]


def _describe(violation: dict[str, Any]) -> str:
    lines = [f"- {violation['id']} ({violation['impact']}): {violation['help']}"]
    lines += [f"    {node['target']}: {node['html'][:160]}" for node in violation["nodes"][:5]]
    if len(violation["nodes"]) > 5:
        lines.append(f"    ... and {len(violation['nodes']) - 5} more")
    lines.append(f"    {violation['helpUrl']}")
    return "\n".join(lines)


def assert_accessible(page: Page) -> None:
    """Fail with a readable list if axe-core finds any WCAG 2.x A or AA violation."""
    ids: list[str] = page.locator("[id]").evaluate_all("nodes => nodes.map(n => n.id)")
    repeated = sorted({i for i in ids if i and ids.count(i) > 1})
    if repeated:
        pytest.fail(f"Ids used more than once on {page.url}: {', '.join(repeated)}", pytrace=False)
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
    violations = results.response["violations"]
    if violations:
        report = "\n".join(_describe(v) for v in violations)
        pytest.fail(f"Accessibility violations on {page.url}:\n{report}", pytrace=False)
