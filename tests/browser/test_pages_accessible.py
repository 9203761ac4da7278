"""The pages the journey test does not reach, and their error states, checked with axe-core;
and the intake forms used with JavaScript turned off (progressive enhancement)."""

import re
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, Locator, Page, Response, Route, expect

from openmash.accounts.models import User
from openmash.decisions.services import screening_record
from openmash.decisions.tests.scenes import screened, signed_decision
from openmash.enquiries.services import request_answer, requests_create
from openmash.testing.world import PASSWORD, World, contact_make
from tests.browser.accessibility import assert_accessible

pytestmark = pytest.mark.browser

SignIn = Callable[[Any], None]
# Chromium logs a page's own 4xx status as a console error: each case checks its status itself,
# and a failed asset is caught by `failed_responses`.
OWN_STATUS = re.compile(
    r"^Console: Failed to load resource: the server responded with a status of 4"
)


def record_failures(page: Page, failed: list[str]) -> None:
    """Record every asset (not page) that fails to load on ``page``, and every server error."""

    def record(response: Response) -> None:
        is_page = response.request.resource_type == "document"
        if response.status >= 500 or (response.status >= 400 and not is_page):
            failed.append(f"{response.status} {response.request.method} {response.url}")

    page.on("response", record)


@pytest.fixture
def failed_responses(page: Page) -> list[str]:
    failed: list[str] = []
    record_failures(page, failed)
    return failed


def assert_links_open(page: Page, site: str) -> None:
    """Every link on the page to this site opens for whoever is signed in."""
    hrefs = page.locator("a[href]:not([href^='#'])").evaluate_all("links => links.map(a => a.href)")
    for url in {href.partition("#")[0] for href in hrefs if href.startswith(site)}:
        response = page.request.get(url)
        assert response.status < 400, f"{page.url} links to {url}: {response.status}"


def heading(page: Page) -> Locator:
    return page.get_by_role("heading", level=1)


def expect_error_summary(page: Page, *messages: str) -> None:
    expect(page).to_have_title(re.compile(r"^Error: "))
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    for message in messages:
        expect(summary).to_contain_text(message)


# -- The pages, one case each ---------------------------------------------------------------


def summary(page: Page, world: World, sign_in: SignIn) -> None:
    contact_make(world.practitioner)
    sign_in(world.analyst)
    page.goto("/summary")
    expect(heading(page)).to_have_text("Hub summary")
    expect(page.get_by_text("1 contact in all")).to_be_visible()


def hub_settings(page: Page, world: World, sign_in: SignIn) -> None:
    sign_in(world.admin)
    page.goto("/hub/settings")
    expect(heading(page)).to_have_text("Hub settings")
    expect(page.get_by_label("Monday opens")).to_have_value("09:00")


def hub_settings_error(page: Page, world: World, sign_in: SignIn) -> None:
    hub_settings(page, world, sign_in)
    page.get_by_label("Saturday opens").fill("10:00")
    page.get_by_role("button", name="Save settings").click()
    expect_error_summary(page, "Enter both times for Saturday, or neither")
    expect(page.get_by_label("Saturday opens")).to_have_value("10:00")


def new_contact(page: Page, world: World, sign_in: SignIn) -> None:
    sign_in(world.practitioner)
    page.goto("/contacts/new")
    expect(heading(page)).to_have_text("Record a contact")


def new_contact_error(page: Page, world: World, sign_in: SignIn) -> None:
    new_contact(page, world, sign_in)
    page.get_by_role("button", name="Record contact").click()
    expect_error_summary(
        page,
        "Choose how the contact was received",
        "Select yes if anyone is at immediate risk of harm",
        "Person 1: ",
    )


def not_found(page: Page, world: World, sign_in: SignIn) -> None:
    sign_in(world.practitioner)
    response = page.goto(f"/contacts/{uuid.uuid4()}")
    assert response is not None and response.status == 404
    expect(heading(page)).to_have_text("Page not found")


def sign_in_error(page: Page, world: World, sign_in: SignIn) -> None:
    page.goto("/sign-in")
    page.get_by_label("Username").fill(world.practitioner.username)
    page.get_by_label("Password", exact=True).fill("not-the-password")
    page.get_by_role("button", name="Sign in").click()
    expect_error_summary(page, "The username or password is wrong")
    expect(page.get_by_label("Password", exact=True)).to_have_value("")


def police_answer_one_request(world: World) -> str:
    """A contact screened, the police asked and their answer in; returns its reference."""
    contact = contact_make(world.practitioner)
    screening_record(
        actor=world.practitioner,
        contact=contact,
        outcome="mash_enquiry",
        level_of_need=3,
        rag="amber",
        rationale="A disclosure of harm.",
    )
    (request,) = requests_create(
        actor=world.practitioner, contact=contact, agency_ids=[str(world.police.agency_id)]
    )
    request_answer(
        actor=world.police,
        request=request,
        result="known",
        information="One call-out in 2024.",
        handling="mash_only",
        lawful_basis="law_enforcement",
    )
    return contact.reference


def answered_requests(page: Page, world: World, sign_in: SignIn, user: User) -> None:
    reference = police_answer_one_request(world)
    sign_in(user)
    page.goto("/requests/?status=answered")
    expect(heading(page)).to_have_text("Information requests")
    expect(page.get_by_role("link", name="Answered")).to_have_attribute("aria-current", "page")
    row = page.locator(".govuk-table__body .govuk-table__row")
    expect(row).to_have_count(1)
    expect(row).to_contain_text(reference)
    expect(row).to_contain_text("Known, with information")


def answered_requests_to_my_agency(page: Page, world: World, sign_in: SignIn) -> None:
    answered_requests(page, world, sign_in, world.police)


def answered_requests_hub_wide(page: Page, world: World, sign_in: SignIn) -> None:
    """MASH staff see every agency's answers, with an agency column."""
    answered_requests(page, world, sign_in, world.practitioner)
    expect(page.get_by_role("columnheader", name="Agency")).to_be_visible()


def audit_trail(page: Page, world: World, sign_in: SignIn) -> None:
    contact_make(world.practitioner)
    sign_in(world.auditor)
    page.goto("/audit")
    expect(heading(page)).to_have_text("Audit trail")
    page.get_by_role("button", name="Verify the whole chain").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("intact")


def people_pages(page: Page, world: World, sign_in: SignIn) -> None:
    sign_in(world.admin)
    page.goto("/people/index")
    expect(heading(page)).to_have_text("Load an agency index")


def hub_users(page: Page, world: World, sign_in: SignIn) -> None:
    sign_in(world.admin)
    page.goto("/hub/users")
    page.get_by_role("button", name="Add the user").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()


def hub_approvals(page: Page, world: World, sign_in: SignIn) -> None:
    from openmash.hubs.role_approvals import user_change_with_approval

    user_change_with_approval(
        actor=world.admin, user=world.analyst, roles=["analyst", "auditor"], active=True
    )
    user_change_with_approval(
        actor=world.admin,
        user=world.police_lead,
        roles=["agency_lead", "manager"],
        active=True,
    )
    sign_in(world.manager)
    page.goto("/hub/approvals")
    expect(heading(page)).to_have_text("Access changes waiting for approval")
    page.get_by_role("button", name="Approve demo.analyst").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("approved")


def exports(page: Page, world: World, sign_in: SignIn) -> None:
    sign_in(world.manager)
    page.goto("/reporting/exports")
    expect(heading(page)).to_have_text("Exports")


def exports_error(page: Page, world: World, sign_in: SignIn) -> None:
    exports(page, world, sign_in)
    page.locator("#id_dataset-start_day").fill("1")
    page.locator("#id_dataset-start_month").fill("10")
    page.locator("#id_dataset-start_year").fill("2026")
    page.get_by_role("button", name="Download the dataset").click()
    expect_error_summary(page, "Enter both dates of the period, or neither")


def referral_progress(page: Page, world: World, sign_in: SignIn) -> None:
    contact = screened(world)
    signed_decision(world, contact, "s17", primary_need_code="N1")
    sign_in(world.practitioner)
    page.goto(f"/contacts/{contact.pk}/referral-progress")
    expect(heading(page)).to_have_text("Referral progress")


def footer_page(path: str, title: str) -> Callable[[Page, World, SignIn], None]:
    def visit(page: Page, world: World, sign_in: SignIn) -> None:
        page.goto(path)
        expect(heading(page)).to_have_text(title)

    return visit


def families_form(page: Page, world: World, sign_in: SignIn) -> None:
    page.goto(f"/have-your-say/{world.hub.pk}")
    expect(page.get_by_role("button", name="Emergency Exit this page")).to_be_visible()


CASES: dict[str, Callable[[Page, World, SignIn], None]] = {
    "accessibility-statement": footer_page(
        "/accessibility", "Accessibility statement for OpenMASH"
    ),
    "privacy-notice": footer_page("/privacy", "Privacy notice"),
    "cookies": footer_page("/cookies", "Cookies"),
    "families-form": families_form,
    "hub-users-error": hub_users,
    "hub-approvals": hub_approvals,
    "audit-trail": audit_trail,
    "agency-index": people_pages,
    "summary": summary,
    "hub-settings": hub_settings,
    "hub-settings-error": hub_settings_error,
    "new-contact": new_contact,
    "new-contact-error": new_contact_error,
    "not-found": not_found,
    "sign-in-error": sign_in_error,
    "answered-requests": answered_requests_to_my_agency,
    "answered-requests-hub-wide": answered_requests_hub_wide,
    "exports": exports,
    "exports-error": exports_error,
    "referral-progress": referral_progress,
}


@pytest.mark.parametrize("case", CASES.keys())
def test_page_is_accessible(
    case: str,
    page: Page,
    page_errors: list[str],
    failed_responses: list[str],
    world: World,
    sign_in: SignIn,
    live_server: Any,
) -> None:
    CASES[case](page, world, sign_in)

    assert_accessible(page)
    assert_links_open(page, live_server.url)
    assert [e for e in page_errors if not OWN_STATUS.match(e)] == []
    assert failed_responses == []


# -- Without JavaScript ---------------------------------------------------------------------


@pytest.fixture
def no_js_problems() -> list[str]:
    """Console errors (CSP violations included) and failed loads seen by ``no_js_page``."""
    return []


@pytest.fixture
def no_js_page(browser: Browser, live_server: Any, no_js_problems: list[str]) -> Iterator[Page]:
    """A page in a browser context with JavaScript turned off."""
    context = browser.new_context(
        base_url=live_server.url,
        locale="en-GB",
        timezone_id="Europe/London",
        java_script_enabled=False,
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
    new_page.on(
        "console",
        lambda message: (
            no_js_problems.append(f"Console: {message.text}") if message.type == "error" else None
        ),
    )
    record_failures(new_page, no_js_problems)
    yield new_page
    context.close()


def sign_in_without_js(page: Page, user: User) -> None:
    page.goto("/sign-in")
    # GOV.UK Frontend never started: the page is the plain HTML.
    expect(page.locator("body")).not_to_have_class(re.compile(r"govuk-frontend-supported"))
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator(".app-user-bar__name")).to_contain_text(user.display_name)


def fill_concern(page: Page) -> None:
    page.get_by_role("group", name="What are the concerns?").get_by_label("Neglect").check()
    page.get_by_label("Describe the concern").fill("The children are often left alone at night.")
    page.get_by_role("group", name="Is anyone at immediate risk of harm?").get_by_label(
        "No", exact=True
    ).check()
    page.get_by_label("Aware and consented").check()


def fill_person(person: Locator, given: str, family: str, *, relationship: str = "") -> None:
    """A child subject, or (with a relationship) an adult in the household."""
    if relationship:
        person.get_by_label("Household member or linked person").check()
        person.get_by_label("Adult", exact=True).check()
        person.get_by_label("Relationship to the subject").select_option(label=relationship)
    else:
        person.get_by_label("Subject of the concern").check()
        person.get_by_label("Child", exact=True).check()
    person.get_by_label("Given name").fill(given)
    person.get_by_label("Family name").fill(family)


def test_referrer_can_refer_without_javascript(
    no_js_page: Page, no_js_problems: list[str], world: World
) -> None:
    page = no_js_page
    sign_in_without_js(page, world.referrer)
    page.goto("/refer")
    fill_concern(page)
    fill_person(page.get_by_role("group", name="Person 1", exact=True), "Ivy", "Brook")
    page.get_by_role("button", name="Send referral").click()

    expect(heading(page)).to_have_text("Referral sent")
    expect(page.locator(".govuk-panel__body strong")).to_have_text(re.compile(r"\S+"))
    assert no_js_problems == []


def test_practitioner_can_add_a_person_without_javascript(
    no_js_page: Page, no_js_problems: list[str], world: World
) -> None:
    page = no_js_page
    sign_in_without_js(page, world.practitioner)
    page.goto("/contacts/new")
    expect(page.get_by_role("group", name=re.compile(r"^Person \d"))).to_have_count(2)
    page.get_by_label("Phone", exact=True).check()
    page.get_by_label("Referral source").select_option(label="2A: Schools")
    page.get_by_label("Referrer's name").fill("Sam Teacher")
    fill_concern(page)
    fill_person(page.get_by_role("group", name="Person 1", exact=True), "Ivy", "Brook")
    fill_person(
        page.get_by_role("group", name="Person 2 (optional)", exact=True),
        "Jo",
        "Brook",
        relationship="Parent",
    )

    page.get_by_role("button", name="Add another person").click()

    # The same form, re-shown with one more block, what was typed kept and no error.
    expect(heading(page)).to_have_text("Record a contact")
    expect(page).not_to_have_title(re.compile(r"^Error"))
    assert page.url.endswith("/contacts/new#person-3")
    expect(page.get_by_role("group", name=re.compile(r"^Person \d"))).to_have_count(3)
    first = page.get_by_role("group", name="Person 1", exact=True)
    expect(first.get_by_label("Given name")).to_have_value("Ivy")
    expect(page.get_by_label("Referrer's name")).to_have_value("Sam Teacher")
    fill_person(
        page.get_by_role("group", name="Person 3 (optional)", exact=True),
        "Kit",
        "Moss",
        relationship="Alleged perpetrator",
    )
    page.get_by_role("button", name="Record contact").click()

    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("recorded")
    for name in ("Ivy Brook", "Jo Brook", "Kit Moss"):
        expect(page.get_by_role("heading", level=3, name=name, exact=True)).to_be_visible()
    assert no_js_problems == []


def test_an_added_person_starts_with_the_defaults_of_the_others(
    no_js_page: Page, no_js_problems: list[str], world: World
) -> None:
    page = no_js_page
    sign_in_without_js(page, world.practitioner)
    page.goto("/contacts/new")
    page.get_by_role("button", name="Add another person").click()

    expect(page.get_by_role("group", name=re.compile(r"^Person \d"))).to_have_count(3)
    defaults = {}
    for name in ("Person 2 (optional)", "Person 3 (optional)"):
        person = page.get_by_role("group", name=name, exact=True)
        defaults[name] = (
            person.get_by_label("Household member or linked person").is_checked(),
            person.get_by_label("Child", exact=True).is_checked(),
            person.get_by_label("Unknown", exact=True).is_checked(),
            person.get_by_label("Ethnicity").input_value(),
        )
    assert defaults["Person 2 (optional)"] == (True, True, True, "NOBT")
    assert no_js_problems == []
    assert defaults["Person 3 (optional)"] == defaults["Person 2 (optional)"]
