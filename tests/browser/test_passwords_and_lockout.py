"""Password reset from the e-mailed link to signing in with the new password, and a lockout
that cools off: in a real browser, each page axe-clean."""

import re
import time
from typing import Any

import pytest
from django.core import mail
from playwright.sync_api import Page, expect

from openmash.testing.world import PASSWORD, World
from tests.browser.accessibility import assert_accessible

pytestmark = pytest.mark.browser

NEW = "quiet harbour lantern velvet"


def sign_in_form(page: Page, username: str, password: str) -> None:
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def test_password_reset_from_the_email_link(page: Page, world: World, live_server: Any) -> None:
    world.police.email = "police.researcher@example.org"
    world.police.save()
    page.goto("/sign-in")
    page.get_by_role("link", name="Forgotten your password?").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Reset your password")
    assert_accessible(page)
    page.locator("#id_email").fill("police.researcher@example.org")
    page.get_by_role("button", name="Send the link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your e-mail")
    assert_accessible(page)

    (message,) = mail.outbox
    link = re.search(r"https?://\S+", str(message.body))
    assert link is not None
    path = "/" + link.group(0).split("/", 3)[3]
    page.goto(path)
    expect(page.get_by_role("heading", level=1)).to_have_text("Choose a new password")
    # A refused password shows the GOV.UK error summary.
    page.locator("#id_new_password1").fill("openmash-northshire")
    page.locator("#id_new_password2").fill("openmash-northshire")
    page.get_by_role("button", name="Save new password").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page)
    page.locator("#id_new_password1").fill(NEW)
    page.locator("#id_new_password2").fill(NEW)
    page.get_by_role("button", name="Save new password").click()
    expect(page.locator(".govuk-panel__title")).to_have_text("Your password has been reset")
    assert_accessible(page)

    page.get_by_role("link", name="Sign in with your new password").click()
    sign_in_form(page, "demo.police", NEW)
    expect(page.locator(".app-user-bar__name")).to_contain_text(world.police.display_name)


def test_a_lockout_cools_off(page: Page, world: World, settings: Any) -> None:
    settings.OPENMASH_SIGN_IN_COOL_OFF_SECONDS = 2
    page.goto("/sign-in")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in_form(page, "demo.manager", "not-the-password")
        expect(page.locator(".govuk-error-summary")).to_contain_text(
            "The username or password is wrong"
        )
    sign_in_form(page, "demo.manager", PASSWORD)
    expect(page.locator(".govuk-error-summary")).to_contain_text("Too many wrong attempts")
    assert_accessible(page)
    time.sleep(2.5)
    sign_in_form(page, "demo.manager", PASSWORD)
    expect(page.locator(".app-user-bar__name")).to_contain_text(world.manager.display_name)
    assert_accessible(page)
