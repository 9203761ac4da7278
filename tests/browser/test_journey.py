"""The whole MASH journey in a real browser, driven the way each person would drive it.

A school's safeguarding lead refers a child (with a refuge address and an alleged perpetrator);
the practitioner screens it and asks the police and health; each researcher sees only their own
request, never the concern or the refuge address, and never the other agency's answer; the
practitioner proposes a decision, the manager signs it off and the practitioner sends the
referrer feedback that carries the outcome and nothing an agency shared.

Every distinct page, and every form's error state, is checked with axe-core, and no page may
log a JavaScript error or a CSP violation, or fail to load one of its assets.
"""

import re
from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.utils import dateformat, timezone
from playwright.sync_api import Locator, Page, Response, expect

from openmash.accounts.models import User
from openmash.contacts.models import Contact
from openmash.testing.world import PASSWORD, World
from tests.browser.accessibility import assert_accessible

pytestmark = pytest.mark.browser

CHILD = "Amelia Hartley"
REFUGE_LINE = "Flat 3, Haven House Refuge"
REFUGE_POSTCODE = "NT9 9ZZ"
NARRATIVE = "Amelia came in with a bruise on her cheek and said her stepdad hit her last night."
POLICE_ANSWER = "Two domestic abuse call-outs in 2025 to the family home; no charges."
POLICE = "Northshire Police"
HEALTH = "Northshire Community Health (health visiting and school nursing)"
OUTCOME = "Strategy discussion (section 47)"
# Chromium logs a page's own 4xx status as a console error. Those statuses are checked where
# they are expected; a failed asset is caught by `failed_responses` instead.
OWN_STATUS = re.compile(
    r"^Console: Failed to load resource: the server responded with a status of 4"
)


@pytest.fixture
def failed_responses(page: Page) -> Iterator[list[str]]:
    """Every asset (not page) that failed to load, and every server error, on ``page``."""
    failed: list[str] = []

    def record(response: Response) -> None:
        is_page = response.request.resource_type == "document"
        if response.status >= 500 or (response.status >= 400 and not is_page):
            failed.append(f"{response.status} {response.request.method} {response.url}")

    page.on("response", record)
    yield failed
    assert failed == []


CheckPage = Callable[[Page], None]


@pytest.fixture
def check_page(live_server: Any) -> CheckPage:
    """``check_page(page)``: axe-core finds nothing on the page, and every link on it to this site
    opens for whoever is signed in (each link checked once per person)."""
    opened: set[tuple[str, str]] = set()

    def _check(page: Page) -> None:
        assert_accessible(page)
        who = " ".join(page.locator(".app-user-bar__name").all_inner_texts())
        hrefs = page.locator("a[href]:not([href^='#'])").evaluate_all(
            "links => links.map(a => a.href)"
        )
        for href in hrefs:
            url = href.partition("#")[0]
            if not url.startswith(live_server.url) or (who, url) in opened:
                continue
            opened.add((who, url))
            response = page.request.get(url)
            assert response.status < 400, f"{page.url} links to {url}: {response.status}"
            if who:  # opened as the person signed in, not bounced to the sign-in page
                assert "/sign-in" not in response.url, url

    return _check


def assert_no_errors(page_errors: list[str], failed_responses: list[str]) -> None:
    """No JavaScript error or CSP violation so far, and every asset loaded."""
    assert [e for e in page_errors if not OWN_STATUS.match(e)] == []
    assert failed_responses == []


def sign_in_with_form(page: Page, user: User, check_page: CheckPage | None = None) -> None:
    """Sign out whoever is signed in, then sign in as ``user`` through the sign-in page (checked
    with ``check_page`` if given)."""
    sign_out = page.get_by_role("button", name="Sign out")
    if sign_out.count():
        sign_out.click()
        expect(page.get_by_text("You have signed out.")).to_be_visible()
    else:
        page.goto("/sign-in")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in to OpenMASH")
    if check_page is not None:
        check_page(page)
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator(".app-user-bar__name")).to_contain_text(user.display_name)


def fill_date(group: Locator, day: int, month: int, year: int) -> None:
    group.get_by_label("Day").fill(str(day))
    group.get_by_label("Month").fill(str(month))
    group.get_by_label("Year").fill(str(year))


def submit_and_expect_errors(
    page: Page, check_page: CheckPage, button: str, *messages: str
) -> None:
    """Submit a form that is not right yet: the page reports each problem, accessibly."""
    page.get_by_role("button", name=button, exact=True).click()
    expect(page).to_have_title(re.compile(r"^Error: "))
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    for message in messages:
        expect(summary).to_contain_text(message)
    check_page(page)


def refer(page: Page, check_page: CheckPage) -> str:
    """The referrer sends a contact through /refer; returns its reference."""
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Refer a concern").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Refer a concern to the MASH")
    check_page(page)
    submit_and_expect_errors(
        page, check_page, "Send referral", "Select yes if anyone is at immediate risk of harm"
    )

    concerns = page.get_by_role("group", name="What are the concerns?")
    concerns.get_by_label("Physical abuse by an adult", exact=True).check()
    concerns.get_by_label("Domestic abuse: the child", exact=True).check()
    page.get_by_label("Describe the concern").fill(NARRATIVE)
    immediate_risk = page.get_by_role("group", name="Is anyone at immediate risk of harm?")
    immediate_risk.get_by_label("No", exact=True).check()
    awareness = page.get_by_role("group", name="Does the family know about this contact")
    awareness.get_by_label("Not aware", exact=True).check()
    page.get_by_label("If the family has not been told or has not agreed, why not?").fill(
        "Telling the stepfather could put Amelia at risk."
    )

    child = page.get_by_role("group", name="Person 1", exact=True)
    child.get_by_label("Subject of the concern").check()
    child.get_by_label("Child", exact=True).check()
    child.get_by_label("Given name").fill("Amelia")
    child.get_by_label("Family name").fill("Hartley")
    fill_date(child.get_by_role("group", name="Date of birth", exact=True), 14, 3, 2016)
    child.get_by_label("Female", exact=True).check()
    child.get_by_label("Address line 1").fill(REFUGE_LINE)
    child.get_by_label("Town or city").fill("Northtown")
    child.get_by_label("Postcode").fill(REFUGE_POSTCODE)
    child.get_by_label("Refuge or safe address: never disclosed").check()

    adult = page.get_by_role("group", name="Person 2 (optional)", exact=True)
    adult.get_by_label("Household member or linked person").check()
    adult.get_by_label("Adult", exact=True).check()
    adult.get_by_label("Relationship to the subject").select_option(label="Alleged perpetrator")
    adult.get_by_label("Given name").fill("Lee")
    adult.get_by_label("Family name").fill("Hartley")
    fill_date(adult.get_by_role("group", name="Date of birth", exact=True), 2, 1, 1988)
    adult.get_by_label("Male", exact=True).check()

    page.get_by_role("button", name="Send referral").click()
    panel = page.locator(".govuk-panel--confirmation")
    expect(panel.get_by_role("heading", level=1)).to_have_text("Referral sent")
    reference = panel.locator("strong").inner_text().strip()
    assert re.fullmatch(r"\S+", reference), reference
    check_page(page)
    return reference


def open_contact(page: Page, reference: str) -> None:
    """From the work queue, open the contact with this reference."""
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Contacts").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Work queue")
    page.get_by_role("link", name=reference, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(reference)


def screen_and_ask(page: Page, check_page: CheckPage, reference: str) -> dict[str, str]:
    """The practitioner screens the contact and asks the police and health; returns the URLs
    of the contact and of both requests."""
    expect(page.get_by_role("heading", level=1)).to_have_text("Work queue")
    expect(page.get_by_role("row", name=re.compile(re.escape(reference)))).to_contain_text(CHILD)
    check_page(page)
    open_contact(page, reference)
    # MASH staff see the refuge address, flagged; the whole concern is there.
    expect(page.get_by_text("Confidential address", exact=True)).to_be_visible()
    expect(page.get_by_text(REFUGE_LINE)).to_be_visible()
    expect(page.get_by_text(NARRATIVE)).to_be_visible()
    check_page(page)
    contact_url = page.url

    page.get_by_role("button", name="Screen this contact").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Screen the contact")
    check_page(page)
    page.get_by_label("MASH enquiry", exact=True).check()
    page.get_by_label(re.compile(r"^Level 3: ")).check()
    page.get_by_role("group", name="RAG rating").get_by_label("Amber", exact=True).check()
    submit_and_expect_errors(
        page, check_page, "Save screening", "Enter the rationale for this rating"
    )
    page.get_by_label("Rationale").fill("Injury disclosed by the child; a parent is named.")
    page.get_by_role("button", name="Save screening").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "Screening recorded"
    )

    page.get_by_role("button", name="Request information").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ask agencies what they know")
    check_page(page)
    submit_and_expect_errors(page, check_page, "Send requests")
    agencies = page.get_by_role("group", name="Which agencies should check their records?")
    agencies.get_by_label(POLICE, exact=True).check()
    agencies.get_by_label(HEALTH, exact=True).check()
    page.get_by_label("Question for the agencies (optional)").fill(
        "Any domestic abuse call-outs, or health concerns about Amelia?"
    )
    page.get_by_role("button", name="Send requests").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "Information requested from"
    )
    assert page.url == contact_url

    def request_url(agency: str) -> str:
        link = page.get_by_role("link", name=f"View the request to {agency}", exact=True)
        href = link.get_attribute("href")
        assert href
        return href

    return {"contact": contact_url, "police": request_url(POLICE), "health": request_url(HEALTH)}


def open_only_request(page: Page, reference: str) -> None:
    """A researcher's queue holds exactly this contact's request: open it."""
    expect(page.get_by_role("heading", level=1)).to_have_text("Information requests")
    rows = page.locator(".govuk-table__body .govuk-table__row")
    expect(rows).to_have_count(1)
    expect(rows.get_by_role("link")).to_have_text(reference)
    rows.get_by_role("link", name=reference, exact=True).click()
    expect(page.get_by_role("heading", level=2, name="People to search for")).to_be_visible()


def assert_researcher_view(page: Page) -> None:
    """What any researcher sees of the contact: the people, never the concern or refuge."""
    expect(page.get_by_role("heading", level=3, name=CHILD, exact=True)).to_be_visible()
    expect(page.get_by_text("Withheld: confidential address")).to_be_visible()
    main = page.locator("main")
    for secret in (NARRATIVE, REFUGE_LINE, REFUGE_POSTCODE):
        expect(main).not_to_contain_text(secret)


def police_answer(page: Page, check_page: CheckPage, reference: str, urls: dict[str, str]) -> None:
    open_only_request(page, reference)
    assert_researcher_view(page)
    check_page(page)
    submit_and_expect_errors(
        page,
        check_page,
        "Send answer to the MASH",
        "Choose whether the people are known to your agency",
    )
    page.get_by_label("Known, with information").check()
    page.get_by_label("Information your agency holds").fill(POLICE_ANSWER)
    page.get_by_role("group", name="How may this information be shared?").get_by_label(
        "MASH only", exact=True
    ).check()
    page.get_by_label("DPA 2018 Part 3 (law enforcement processing)").check()
    page.get_by_role("button", name="Send answer to the MASH").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        f"Answer sent to the MASH for {reference}"
    )
    expect(page.get_by_text("There are no open requests to your agency.")).to_be_visible()

    # Neither the contact itself nor another agency's request: the same 404 as a missing page.
    for url in (urls["contact"], urls["health"]):
        response = page.goto(url)
        assert response is not None and response.status == 404, url
        expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
        expect(page.locator("main")).not_to_contain_text(CHILD)
    check_page(page)


def health_answer(page: Page, check_page: CheckPage, reference: str) -> None:
    open_only_request(page, reference)
    assert_researcher_view(page)
    expect(page.locator("main")).not_to_contain_text("Two domestic abuse")
    page.get_by_label("Not known", exact=True).check()
    page.get_by_label(re.compile(r"^UK GDPR 6\(1\)\(e\) public task")).check()
    page.get_by_role("button", name="Send answer to the MASH").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(reference)
    expect(page.get_by_text("There are no open requests to your agency.")).to_be_visible()
    # The answered tab: only this contact, and never the police's answer.
    page.get_by_role("link", name="Answered").click()
    rows = page.locator(".govuk-table__body .govuk-table__row")
    expect(rows).to_have_count(1)
    rows.get_by_role("link", name=reference, exact=True).click()
    result = page.locator(".govuk-summary-list__row").filter(
        has=page.get_by_text("Result", exact=True)
    )
    expect(result).to_contain_text("Not known")
    check_page(page)  # a request page once answered
    expect(page.locator("main")).not_to_contain_text("Two domestic abuse")


def propose(page: Page, check_page: CheckPage, reference: str) -> None:
    open_contact(page, reference)
    page.get_by_role("button", name="Propose a decision").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Record a decision")
    check_page(page)
    submit_and_expect_errors(
        page,
        check_page,
        "Propose the decision for sign-off",
        "Choose an outcome",
        "Enter the rationale for the decision",
    )
    page.get_by_label(OUTCOME, exact=True).check()
    page.get_by_label(re.compile(r"^Level 4: ")).check()
    page.get_by_label("The child's primary need").select_option("N1")
    page.get_by_label("Rationale").fill("Police hold a history of domestic abuse at the home.")
    page.get_by_label("The child's voice and lived experience").fill(
        "Amelia says she is scared when her stepdad shouts."
    )
    page.get_by_label("Action 1: Agency that owns it").select_option(label=POLICE)
    page.get_by_label("Action 1: What will be done").fill("Attend the strategy discussion.")
    due = timezone.localdate() + timedelta(days=7)
    fill_date(page.get_by_role("group", name="Action 1: Due date"), due.day, due.month, due.year)
    page.get_by_role("button", name="Propose the decision for sign-off").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Decision proposed")


def sign_off(page: Page, check_page: CheckPage, reference: str) -> None:
    open_contact(page, reference)
    page.get_by_role("button", name="View decision to sign off").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Decision: {OUTCOME}")
    expect(page.get_by_text("Attend the strategy discussion.")).to_be_visible()
    check_page(page)
    submit_and_expect_errors(
        page, check_page, "Return to practitioner", "Explain why the decision is being returned"
    )
    page.get_by_role("button", name="Sign off", exact=True).click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "Decision signed off"
    )


def send_feedback(page: Page, check_page: CheckPage, reference: str, referrer: User) -> None:
    page.get_by_role("button", name="Send feedback to the referrer").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Feedback to the referrer")
    check_page(page)
    # The message is composed from the decision (issue 11): the outcome and the reference,
    # never casework text; the practitioner may only add a short note.
    summary = page.locator(".govuk-inset-text").first
    expect(summary).to_contain_text(OUTCOME)
    expect(summary).to_contain_text(reference)
    note = page.get_by_label("A note to the referrer (optional)")
    # Pasting an agency's answer into the note is still refused.
    note.fill(f"The police told us: {POLICE_ANSWER}")
    submit_and_expect_errors(
        page,
        check_page,
        "Send feedback",
        f"The message must not contain information supplied by {POLICE}",
    )
    page.get_by_label("A note to the referrer (optional)").fill("")
    page.get_by_role("button", name="Send feedback").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        f"Feedback sent to {referrer.email}"
    )

    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == [referrer.email]
    assert reference in email.subject
    assert OUTCOME in str(email.body)
    for secret in ("Two domestic abuse", REFUGE_LINE, REFUGE_POSTCODE, NARRATIVE):
        assert secret not in str(email.body), secret
        assert secret not in email.subject, secret


def test_the_whole_journey(
    page: Page,
    page_errors: list[str],
    failed_responses: list[str],
    check_page: CheckPage,
    world: World,
) -> None:
    # 1. The school's safeguarding lead refers a child.
    sign_in_with_form(page, world.referrer, check_page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Your referrals")
    check_page(page)
    reference = refer(page, check_page)
    assert_no_errors(page_errors, failed_responses)

    # 2. The practitioner screens it and asks the police and health.
    sign_in_with_form(page, world.practitioner, check_page)  # with "You have signed out."
    urls = screen_and_ask(page, check_page, reference)
    assert_no_errors(page_errors, failed_responses)

    # 3. The police researcher answers, and can open nothing else.
    sign_in_with_form(page, world.police)
    check_page(page)  # the researcher's queue
    police_answer(page, check_page, reference, urls)
    assert_no_errors(page_errors, failed_responses)

    # 4. The health researcher answers "not known", never seeing the police's answer.
    sign_in_with_form(page, world.health)
    health_answer(page, check_page, reference)
    assert_no_errors(page_errors, failed_responses)

    # 5. The practitioner proposes a decision; the manager signs it off.
    sign_in_with_form(page, world.practitioner)
    propose(page, check_page, reference)
    sign_in_with_form(page, world.manager)
    sign_off(page, check_page, reference)
    assert_no_errors(page_errors, failed_responses)

    # 6. The practitioner sends the referrer feedback: the outcome, nothing an agency shared.
    sign_in_with_form(page, world.practitioner)
    open_contact(page, reference)
    send_feedback(page, check_page, reference, world.referrer)

    # 8. (While the practitioner is here) the contact's timeline records the sign-off and
    # the feedback.
    timeline = page.locator(".moj-timeline")
    for event in ("Decision signed off", "Feedback sent to referrer"):
        expect(timeline.get_by_role("heading", name=event, exact=True)).to_be_visible()
    check_page(page)
    assert_no_errors(page_errors, failed_responses)

    # 7. The referrer sees the feedback, and when it was sent, in their referrals.
    sign_in_with_form(page, world.referrer)
    expect(page.get_by_role("heading", level=1)).to_have_text("Your referrals")
    feedback = Contact.objects.get(reference=reference).feedback.get()
    sent_at = dateformat.format(timezone.localtime(feedback.sent_at), "j F Y, H:i")
    row = page.get_by_role("row", name=re.compile(re.escape(reference)))
    expect(row).to_contain_text("Closed: feedback sent")
    expect(row).to_contain_text(f"Sent {sent_at}")
    expect(row).to_contain_text(OUTCOME)
    expect(row).not_to_contain_text("Two domestic abuse")
    check_page(page)
    assert_no_errors(page_errors, failed_responses)
