"""Signing in and out through the pages, with the audit trail and the idle timeout."""

import time

import pytest
from django.conf import settings
from django.test import Client

from openmash.audit.models import AuditEvent, AuditVerb
from openmash.testing.world import PASSWORD, World

pytestmark = pytest.mark.django_db


def sign_in(client: Client, username: str, password: str = PASSWORD, **extra: str):
    return client.post("/sign-in", {"username": username, "password": password, **extra})


def test_the_sign_in_page_is_a_govuk_form(client: Client, world: World) -> None:
    response = client.get("/sign-in")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<title>Sign in – OpenMASH</title>" in html
    assert 'autocomplete="username"' in html
    assert 'type="password"' in html


def test_a_good_sign_in_rotates_the_session_and_is_audited(client: Client, world: World) -> None:
    client.get("/sign-in")
    session = client.session
    session["something"] = "before"
    session.save()
    before_key = session.session_key
    response = sign_in(client, "demo.practitioner")
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.session.session_key != before_key
    assert int(client.session["_auth_user_id"]) == world.practitioner.pk
    assert abs(client.session["signed_in_at"] - time.time()) < 60
    event = AuditEvent.objects.filter(verb=AuditVerb.SIGNED_IN).latest("id")
    assert event.actor_id == world.practitioner.pk
    assert event.changes == {"channel": "web", "username": "demo.practitioner"}


@pytest.mark.parametrize(
    ("username", "password"),
    [("demo.practitioner", "not-the-password"), ("nobody.at.all", PASSWORD)],
)
def test_a_bad_sign_in_never_says_which_detail_was_wrong(
    client: Client, world: World, username: str, password: str
) -> None:
    response = sign_in(client, username, password)
    assert response.status_code == 422
    html = response.content.decode()
    assert "The username or password is wrong" in html
    assert "<title>Error: Sign in – OpenMASH</title>" in html
    assert "govuk-error-summary" in html
    assert "_auth_user_id" not in client.session
    event = AuditEvent.objects.filter(verb=AuditVerb.SIGN_IN_FAILED).latest("id")
    assert event.actor_id is None
    assert event.changes == {"channel": "web", "username": username}
    assert password not in str(event.changes)


def test_an_empty_form_asks_for_each_detail(client: Client, world: World) -> None:
    response = client.post("/sign-in", {"username": "", "password": ""})
    assert response.status_code == 422
    html = response.content.decode()
    assert "Enter your username" in html
    assert "Enter your password" in html
    assert not AuditEvent.objects.filter(verb=AuditVerb.SIGN_IN_FAILED).exists()


def test_an_inactive_account_cannot_sign_in(client: Client, world: World) -> None:
    world.police.is_active = False
    world.police.save()
    response = sign_in(client, "demo.police")
    assert response.status_code == 422
    assert "The username or password is wrong" in response.content.decode()


def test_sign_in_returns_to_a_safe_next_page_only(client: Client, world: World) -> None:
    response = sign_in(client, "demo.practitioner", next="/contacts/")
    assert response["Location"] == "/contacts/"
    client.post("/sign-out")
    response = sign_in(client, "demo.practitioner", next="https://evil.example/")
    assert response["Location"] == "/"


def test_pages_need_signing_in(client: Client, world: World) -> None:
    response = client.get("/contacts/")
    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in?next=")


def test_sign_out_is_post_only_and_ends_the_session(client: Client, world: World) -> None:
    sign_in(client, "demo.manager")
    assert client.get("/sign-out").status_code == 405
    assert "_auth_user_id" in client.session
    response = client.post("/sign-out")
    assert response.status_code == 302
    assert response["Location"] == "/sign-in"
    assert "_auth_user_id" not in client.session
    signed_out = AuditEvent.objects.filter(verb=AuditVerb.SIGNED_OUT).get()
    assert signed_out.actor == world.manager
    page = client.get("/sign-in")
    assert "You have signed out." in page.content.decode()
    assert client.get("/contacts/").status_code == 302


def test_an_idle_session_is_signed_out_with_a_notice(client: Client, world: World) -> None:
    sign_in(client, "demo.practitioner")
    assert client.get("/contacts/").status_code == 200
    session = client.session
    session["last_seen"] = int(time.time()) - settings.SESSION_IDLE_TIMEOUT_SECONDS - 5
    session.save()
    response = client.get("/contacts/")
    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in")
    page = client.get(response["Location"])
    assert "You were signed out because you had not used OpenMASH" in page.content.decode()
    # The notice shows once.
    assert "You were signed out" not in client.get("/sign-in").content.decode()


def test_a_session_past_its_absolute_limit_is_signed_out(client: Client, world: World) -> None:
    sign_in(client, "demo.practitioner")
    session = client.session
    session["signed_in_at"] = int(time.time()) - settings.SESSION_COOKIE_AGE - 5
    session.save()
    response = client.get("/contacts/")
    assert response["Location"].startswith("/sign-in")
    assert "had been signed in for" in client.get(response["Location"]).content.decode()


@pytest.mark.parametrize(
    ("username", "expected"),
    [
        ("demo.practitioner", "/contacts/"),
        ("demo.manager", "/contacts/"),
        ("demo.auditor", "/contacts/"),
        ("demo.referrer", "/referrals"),
        ("demo.analyst", "/reporting/dashboard"),
        ("demo.admin", "/reporting/dashboard"),
        ("demo.police_lead", "/governance/documents"),
    ],
)
def test_home_sends_each_role_to_its_work(
    client: Client, world: World, username: str, expected: str
) -> None:
    sign_in(client, username)
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == expected


def test_home_sends_a_researcher_to_their_agency_requests(client: Client, world: World) -> None:
    from django.urls import NoReverseMatch, reverse

    try:
        expected = reverse("enquiries:queue")
    except NoReverseMatch:
        expected = "/referrals"  # until the enquiries pages exist
    sign_in(client, "demo.police")
    assert client.get("/")["Location"] == expected


def test_navigation_follows_the_role(client: Client, world: World) -> None:
    sign_in(client, "demo.referrer")
    html = client.get("/referrals").content.decode()
    assert "Refer a concern" in html
    assert "My referrals" in html
    assert "New contact" not in html
    client.post("/sign-out")
    sign_in(client, "demo.practitioner")
    html = client.get("/contacts/").content.decode()
    assert "New contact" in html
    assert "My referrals" not in html


def test_five_wrong_passwords_lock_the_username_for_a_while(client: Client, world: World) -> None:
    for _ in range(5):
        response = client.post("/sign-in", {"username": "demo.police", "password": "wrong"})
        assert "The username or password is wrong" in response.content.decode()
    # Now even the right password is refused, on the page and through the API.
    response = client.post("/sign-in", {"username": "demo.police", "password": PASSWORD})
    assert response.status_code == 422
    assert "Too many wrong attempts" in response.content.decode()
    api = client.post(
        "/api/v1/auth/token",
        {"username": "demo.police", "password": PASSWORD},
        content_type="application/json",
    )
    assert api.status_code == 429
    # Other users are unaffected.
    other = client.post("/sign-in", {"username": "demo.health", "password": PASSWORD})
    assert other.status_code == 302
