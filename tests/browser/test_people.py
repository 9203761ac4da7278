"""The person index in the browser: an agency loads its index (a bad file first), the
practitioner sees who a contact's people may be and judges a match, and a possible
duplicate is merged and the merge undone. Every page is checked with axe-core."""

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from openmash.people.models import AgencyIndexRecord, MatchReview, PersonMerge
from openmash.testing.world import World, child_subject, contact_make
from tests.browser.accessibility import assert_accessible

pytestmark = pytest.mark.browser

HEADER = "action,record_ref,given_name,family_name,date_of_birth,sex,postcode,nhs_number\n"
OWN_STATUS = re.compile(r"^Console: Failed to load resource: the server responded with a status")


def test_index_matches_and_duplicates(
    page: Page,
    page_errors: list[str],
    world: World,
    sign_in: Any,
    tmp_path: Path,
    live_server: Any,
) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + "upsert,P1,Amelia,Hartley,2016-02-31,F,NT1 4AB,9434765919\n")
    good = tmp_path / "police.csv"
    good.write_text(HEADER + "upsert,P1,Amelia,Hartley,2016-03-14,F,NT1 4AB,9434765919\n")

    sign_in(world.police)
    page.goto("/people/index")
    assert_accessible(page)
    page.get_by_label("Index file (CSV)").set_input_files(str(bad))
    page.get_by_role("button", name="Load the index").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Line 2: date_of_birth")
    assert_accessible(page)
    assert not AgencyIndexRecord.objects.exists()
    page.get_by_label("Index file (CSV)").set_input_files(str(good))
    page.get_by_role("button", name="Load the index").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("1 added")
    assert_accessible(page)

    first = contact_make(world.practitioner)
    second = contact_make(
        world.practitioner,
        people=[
            child_subject(
                given_name="Amelai", nhs_number="", address_line_1="", town="", postcode=""
            )
        ],
    )
    sign_in(world.practitioner)
    page.goto(f"/contacts/{second.pk}")
    card = page.locator(".govuk-summary-card", has_text="Amelai Hartley: who this may be")
    expect(card).to_contain_text("Northshire Police holds a record that may be this person")
    expect(card).to_contain_text("Possibly the same as Amelia Hartley")
    assert_accessible(page)
    card.get_by_role("button", name=re.compile("^Same person.*Northshire Police")).click()
    expect(page.locator(".govuk-notification-banner--success")).to_be_visible()
    assert MatchReview.objects.get().decision == "confirmed"
    assert_accessible(page)

    # On the screening page: confirm the police record, screen, and the police are suggested.
    page.goto(f"/contacts/{second.pk}/screening")
    card = page.locator(".govuk-summary-card", has_text="Amelai Hartley: who this may be")
    expect(card).to_contain_text("Possibly the same as Amelia Hartley")
    assert_accessible(page)
    page.get_by_label("MASH enquiry", exact=True).check()
    page.get_by_label(re.compile(r"^Level 3: ")).check()
    page.get_by_role("group", name="RAG rating").get_by_label("Amber", exact=True).check()
    page.get_by_label("Rationale").fill("Checks needed")
    page.get_by_role("button", name="Save screening").click()
    page.get_by_role("button", name="Request information").click()
    police_box = page.get_by_label("Northshire Police", exact=True)
    expect(police_box).to_be_checked()
    expect(
        page.get_by_label(
            "Northshire Community Health (health visiting and school nursing)", exact=True
        )
    ).not_to_be_checked()
    assert_accessible(page)

    sign_in(world.manager)
    page.goto("/people/duplicates")
    assert_accessible(page)
    page.get_by_label("Why are these the same person?").first.fill("A typo in the name")
    page.get_by_role("button", name=re.compile("^Merge")).first.click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Merged")
    assert PersonMerge.objects.filter(undone_at__isnull=True).count() == 1
    assert_accessible(page)
    page.get_by_label("Why undo this merge?").fill("Different children")
    page.get_by_role("button", name="Undo this merge").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("undone")
    assert PersonMerge.objects.get().undone_at is not None
    assert first.pk != second.pk
    assert [e for e in page_errors if not OWN_STATUS.match(e)] == []
