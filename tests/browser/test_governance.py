"""Governance in the browser: the manager adds a version of the escalation process, cannot make
it current before the core agencies sign, each agency lead signs it for their own agency, the
manager makes it current, and the standards self-assessment shows what the hub meets. Every
page is checked with axe-core."""

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from openmash.demo.governance import demo_governance_load
from openmash.governance.models import (
    DocumentVersion,
    LeadershipRole,
    ThresholdVersion,
    VersionStatus,
)
from openmash.testing.world import World
from tests.browser.accessibility import assert_accessible

pytestmark = pytest.mark.browser

# The refused submissions answer 422 on purpose; the browser logs each as a console error.
OWN_STATUS = re.compile(r"^Console: Failed to load resource: the server responded with a status")


def test_publish_sign_and_self_assess(
    page: Page, page_errors: list[str], world: World, sign_in: Any
) -> None:
    demo_governance_load(world.hub)

    sign_in(world.manager)
    page.goto("/governance")
    expect(page.get_by_role("heading", name="Governance", level=1)).to_be_visible()
    expect(page.locator(".govuk-warning-text")).to_contain_text("Data-protection protocol")
    assert_accessible(page)

    page.get_by_role("link", name="Core documents").first.click()
    assert_accessible(page)
    page.get_by_role(
        "link", name="Add a version of the escalation and accountability process"
    ).click()
    # A bad submission first: the error summary, nothing saved.
    page.get_by_role("button", name="Save the version").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter a version")
    assert_accessible(page)
    page.get_by_label("Escalation and accountability process").check()
    page.get_by_label("Version", exact=True).fill("3")
    page.get_by_label("Title").fill("Escalation and accountability process")
    page.get_by_label("Text of the document").fill(
        "# Stage 1\nRaise it with the MASH manager.\n\n# Stage 2\n- Head of service\n- Panel"
    )
    dates = page.get_by_role("group", name="Takes effect on")
    dates.get_by_label("Day").fill("1")
    dates.get_by_label("Month").fill("4")
    dates.get_by_label("Year").fill("2026")
    review = page.get_by_role("group", name="Review by")
    review.get_by_label("Day").fill("31")
    review.get_by_label("Month").fill("3")
    review.get_by_label("Year").fill("2028")
    page.get_by_role("button", name="Save the version").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("awaiting sign-up")
    expect(page.get_by_role("heading", name="Stage 2")).to_be_visible()
    assert_accessible(page)
    document_url = page.url

    # Not yet: the core agencies have not signed.
    page.get_by_role("button", name="Make this the current version").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "cannot be made current until every core agency has signed it"
    )
    assert_accessible(page)
    version = DocumentVersion.objects.get(kind="escalation", version_label="3")
    assert version.status == VersionStatus.DRAFT

    for lead in (world.social_care_lead, world.police_lead, world.health_lead):
        page.context.clear_cookies()
        sign_in(lead)
        page.goto(document_url)
        assert lead.agency is not None
        page.get_by_role("button", name=f"Sign for {lead.agency.name}").click()
        expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
            f"for {lead.agency.name}"
        )
    assert_accessible(page)

    page.context.clear_cookies()
    sign_in(world.manager)
    page.goto(document_url)
    page.get_by_role("button", name="Make this the current version").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "is now the current version"
    )
    version.refresh_from_db()
    assert version.status == VersionStatus.CURRENT

    page.get_by_role("link", name="Back to core documents").click()
    page.get_by_role("link", name="Standards self-assessment").first.click()
    expect(page.locator("#check-accountable_manager")).to_contain_text("Met")
    expect(page.locator("#check-documents_reviewed")).to_contain_text("Not met")
    expect(page.locator("#check-isa_signed")).to_contain_text("Warning")
    assert_accessible(page)

    role = LeadershipRole.objects.filter(is_accountable_manager=True).get()
    thresholds = ThresholdVersion.objects.filter(version_label="1").get()
    for path in (
        f"/governance/leadership/{role.pk}",
        f"/governance/agencies/{world.agencies['police'].pk}",
        f"/governance/thresholds/{thresholds.pk}",
        "/governance/leadership",
        "/governance/agencies",
        "/governance/thresholds",
        "/governance/thresholds/new",
        "/governance/funding",
        "/governance/funding/record",
        "/governance/definition",
    ):
        page.goto(path)
        assert_accessible(page)
    # A referrer reads the current escalation process, one click from the governance page.
    page.context.clear_cookies()
    sign_in(world.referrer)
    page.goto("/governance/documents/current/escalation")
    expect(
        page.get_by_role("heading", name="Escalation and accountability process")
    ).to_be_visible()
    expect(page.get_by_role("button", name=re.compile("^Sign for"))).to_have_count(0)
    assert_accessible(page)
    assert [e for e in page_errors if not OWN_STATUS.match(e)] == []
