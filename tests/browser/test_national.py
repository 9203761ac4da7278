"""The national view in the browser, as an analyst: import returns through the page (a bad file
beside good ones), then the overview, hubs compared, trends and returns pages, each checked
with axe-core; the CSV links download."""

import copy
import json
import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from openmash.reporting.models import ImportedReturn
from openmash.reporting.national import synthetic
from openmash.reporting.tests.test_national_urlconf import NATIONAL_URLCONF
from openmash.testing.world import World
from tests.browser.accessibility import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.urls(NATIONAL_URLCONF)]
BASE = "/reporting/national/"
OWN_STATUS = re.compile(r"^Console: Failed to load resource: the server responded with a status")


def test_analyst_imports_and_reads_the_national_view(
    page: Page, page_errors: list[str], world: World, sign_in: Any, tmp_path: Path
) -> None:
    docs = list(synthetic.returns(6, 4, seed=21))
    paths = []
    for n, doc in enumerate(docs):
        path = tmp_path / f"return-{n:02d}.json"
        path.write_text(json.dumps(doc))
        paths.append(str(path))
    bad = copy.deepcopy(docs[0])
    bad["period"]["end"] = "2023-04-15"
    bad_path = tmp_path / "bad.json"
    bad_path.write_text(json.dumps(bad))

    sign_in(world.analyst)
    page.goto(BASE + "import")
    expect(page.get_by_role("heading", name="Import monthly returns")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Monthly returns (JSON)").set_input_files([str(bad_path), *paths[:3]])
    page.get_by_role("button", name="Import").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("bad.json was refused: 1 problem")
    expect(page.locator(".govuk-summary-card", has_text="bad.json")).to_contain_text(
        "$.period.end: The period ends on 2023-04-15"
    )
    assert_accessible(page)
    assert ImportedReturn.objects.count() == 3

    page.get_by_label("Monthly returns (JSON)").set_input_files(paths)
    page.get_by_role("button", name="Import").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "24 returns read: 21 new, 0 replaced, 3 unchanged."
    )
    assert_accessible(page)

    page.get_by_role("link", name="Overview").click()
    expect(page.get_by_role("heading", name="All hubs, April 2023 to July 2023")).to_be_visible()
    expect(page.locator("svg[role=img]")).to_have_count(6)
    page.get_by_text("Show the figures as a table").first.click()
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role(
            "link", name=re.compile("Download these figures.*contacts by source")
        ).click()
    assert download.value.suggested_filename == "contacts-by-source-2023-04-to-2023-07.csv"

    hub = docs[0]["hub"]
    page.get_by_label("Hub", exact=True).select_option(hub["code"])
    page.get_by_role("button", name="Show figures").click()
    expect(
        page.get_by_role("heading", name=f"{hub['name']}, April 2023 to July 2023")
    ).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Hubs compared").click()
    page.get_by_label("Measure", exact=True).select_option("hours_to_decision")
    page.get_by_role("button", name="Show figures").click()
    expect(page.locator("svg[role=img] title")).to_have_text(
        "Mean working hours to decision, April 2023 to July 2023: each hub"
    )
    expect(page.get_by_text("Median hub", exact=True)).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Trends").click()
    page.get_by_label("Measure", exact=True).select_option("screened_on_time")
    page.get_by_role("button", name="Show figures").click()
    expect(page.locator("svg[role=img] title")).to_contain_text("Screened on time, month by month")
    assert_accessible(page)

    page.get_by_label("From", exact=True).select_option("2023-07")
    page.get_by_label("To", exact=True).select_option("2023-04")
    page.get_by_role("button", name="Show figures").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "The end month must be the same as or after the start month"
    )
    assert_accessible(page)

    page.get_by_role("link", name="Returns received").click()
    expect(page.get_by_text("6 returns for July 2023")).to_be_visible()
    assert_accessible(page)
    assert [e for e in page_errors if not OWN_STATUS.match(e)] == []
