"""Quality in the browser: an auditor draws a sample and audits a case file (a missing grade
is explained first), a second auditor moderates it, a family uses the public feedback form,
and a manager reads the quality pages. axe-core checks every page."""

import re
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from openmash.decisions.models import Feedback
from openmash.decisions.services import feedback_send
from openmash.quality.models import CaseAudit, FamilyFeedback, ReferrerRating
from openmash.quality.services import rating_invite_issue
from openmash.quality.tests.scenes import case_file, criteria, second_auditor
from openmash.testing.world import World
from tests.browser.accessibility import assert_accessible

pytestmark = pytest.mark.browser
OWN_STATUS = re.compile(r"^Console: Failed to load resource: the server responded with a status")


def fill_date(page: Page, legend: str, value: Any) -> None:
    group = page.get_by_role("group", name=legend, exact=True)
    group.get_by_label("Day").fill(str(value.day))
    group.get_by_label("Month").fill(str(value.month))
    group.get_by_label("Year").fill(str(value.year))


def choose(page: Page, question: str, answer: str) -> None:
    page.get_by_role("group", name=question).get_by_label(answer, exact=True).check()


def test_an_auditor_samples_and_audits_and_a_second_auditor_moderates(
    page: Page, page_errors: list[str], world: World, sign_in: Any
) -> None:
    criteria(world)
    for rag in ("red", "amber", "green"):
        case_file(world, rag=rag)
    sign_in(world.auditor)
    page.goto("/")
    page.get_by_role("link", name="Quality", exact=True).click()
    expect(page.get_by_role("heading", name="Quality", level=1)).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Draw a sample of case files").click()
    today = timezone.localdate()
    fill_date(page, "From", today)
    fill_date(page, "To", today)
    page.get_by_label("How many case files").fill("3")
    page.get_by_label("Stratified by RAG rating").check()
    assert_accessible(page)
    page.get_by_role("button", name="Draw sample").click()
    expect(page.get_by_role("heading", name="Sample of case files")).to_be_visible()
    expect(
        page.locator(".govuk-notification-banner--success, .govuk-notification-banner")
    ).to_contain_text("3 case files drawn")
    for group in ("Red", "Amber", "Green"):
        expect(page.get_by_role("cell", name=group, exact=True)).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Audit case file 1").click()
    expect(page.get_by_role("heading", name="Audit case file 1")).to_be_visible()
    assert_accessible(page)
    choose(page, "1. Is the child's voice recorded?", "Good")
    page.get_by_role("button", name="Save audit").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Choose a grade for: Is the decision's rationale clear?")
    expect(summary).to_contain_text("Choose an overall grade")
    assert_accessible(page)
    assert not CaseAudit.objects.exists()
    choose(page, "2. Is the decision's rationale clear?", "Requires improvement")
    choose(page, "Overall grade", "Good")
    page.get_by_label("Findings").fill("The rationale is brief; the child's voice is clear.")
    page.get_by_role("button", name="Save audit").click()
    expect(page.get_by_role("link", name=re.compile(r"^Good"))).to_be_visible()
    assert CaseAudit.objects.get().overall_grade == "good"

    # The auditor cannot moderate their own audit; a second auditor can.
    page.get_by_role("link", name=re.compile(r"^Good")).click()
    expect(page.get_by_text("A second auditor moderates this audit.")).to_be_visible()
    page.context.clear_cookies()
    sign_in(second_auditor(world))
    page.reload()
    expect(page.get_by_role("heading", name="Moderate this audit")).to_be_visible()
    assert_accessible(page)
    choose(page, "Do you agree with the overall grade?", "No, I would grade it differently")
    page.get_by_role("button", name="Save moderation").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Choose the grade you give instead"
    )
    assert_accessible(page)
    choose(page, "Do you agree with the overall grade?", "No, I would grade it differently")
    choose(page, "Your grade (if you do not agree)", "Requires improvement")
    page.get_by_label("Comment").fill("The rationale falls short of the standard.")
    page.get_by_role("button", name="Save moderation").click()
    expect(page.get_by_text("Grade changed to")).to_be_visible()
    assert CaseAudit.objects.get().final_grade == "requires_improvement"
    assert_accessible(page)

    page.get_by_role("link", name="Quality", exact=True).click()
    sections = page.get_by_role("navigation", name="Quality sections")
    sections.get_by_role("link", name="Grade trends").click()
    expect(page.get_by_role("img", name=re.compile("Case-file audit grades"))).to_be_visible()
    assert_accessible(page)
    errors = [e for e in page_errors if not OWN_STATUS.match(e)]
    assert not errors, errors


def test_a_family_gives_feedback_on_the_public_form(
    page: Page, page_errors: list[str], world: World
) -> None:
    page.goto(f"/have-your-say/{world.hub.pk}")
    expect(page.get_by_role("heading", name="Tell us what you think")).to_be_visible()
    expect(page.get_by_label("Leave this empty")).to_be_hidden()
    assert_accessible(page)
    page.get_by_role("button", name="Send").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Choose who is giving the feedback")
    expect(summary).to_contain_text("Say whether you felt listened to")
    assert_accessible(page)
    choose(page, "Who is filling in this form?", "A young person (13 to 18)")
    choose(page, "Did you feel listened to?", "Yes")
    choose(page, "Did we explain what would happen next?", "Partly")
    choose(page, "Has our help made things better?", "Yes")
    page.get_by_label("Is there anything else you want to tell us? (optional)").fill("Thanks.")
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_role("heading", name="Thank you")).to_be_visible()
    assert_accessible(page)
    feedback = FamilyFeedback.objects.get()
    assert (feedback.respondent, feedback.understood) == ("young_person", "partly")
    errors = [e for e in page_errors if not OWN_STATUS.match(e)]
    assert not errors, errors


def test_the_quality_pages_for_a_manager(
    page: Page, page_errors: list[str], world: World, sign_in: Any
) -> None:
    criteria(world)
    sign_in(world.manager)
    for path, heading in [
        ("/quality/criteria", "Audit criteria"),
        ("/quality/actions", "Improvement actions"),
        ("/quality/feedback", "Feedback from referrers and families"),
        ("/quality/outcomes", "Theory of change and outcomes"),
        ("/quality/feedback/record", "Record a family's feedback"),
    ]:
        page.goto(path)
        expect(page.get_by_role("heading", name=heading, level=1)).to_be_visible()
        assert_accessible(page)
    # An outcome with a hand-recorded indicator, then its page with the chart and table.
    page.goto("/quality/outcomes")
    page.get_by_label("Outcome", exact=True).fill("Families feel listened to")
    page.get_by_label("Recorded by hand each month").check()
    page.get_by_label("Indicator name (if recorded by hand)").fill("Families who felt listened to")
    page.get_by_role("button", name="Add outcome").click()
    page.get_by_role("link", name="Families feel listened to").click()
    page.get_by_label("Month", exact=True).select_option(index=1)
    page.get_by_label("Value", exact=True).fill("72")
    page.get_by_role("button", name="Record value").click()
    expect(page.get_by_role("img", name="Families who felt listened to")).to_be_visible()
    assert_accessible(page)
    errors = [e for e in page_errors if not OWN_STATUS.match(e)]
    assert not errors, errors


def test_an_external_referrer_rates_feedback_with_the_emailed_link(
    page: Page, page_errors: list[str], world: World
) -> None:
    contact = case_file(world)
    feedback_send(actor=world.practitioner, contact=contact)
    token = rating_invite_issue(feedback=Feedback.objects.get())
    page.goto(f"/rate-feedback/{token}")
    expect(page.get_by_role("heading", name="Rate the feedback you were sent")).to_be_visible()
    expect(page.locator("main")).not_to_contain_text(contact.reference)
    assert_accessible(page)
    page.get_by_role("button", name="Send rating").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Say whether the decision was explained clearly"
    )
    assert_accessible(page)
    choose(page, "Was the decision explained clearly?", "Yes")
    choose(page, "Was the feedback timely?", "Partly")
    page.get_by_role("button", name="Send rating").click()
    expect(page.get_by_role("heading", name="Thank you")).to_be_visible()
    assert_accessible(page)
    assert ReferrerRating.objects.get().timely == "partly"
    page.goto(f"/rate-feedback/{token}")
    expect(page.get_by_role("heading", name="This link cannot be used")).to_be_visible()
    errors = [e for e in page_errors if not OWN_STATUS.match(e)]
    assert not errors, errors
