"""Sign-in lockout that cannot be turned against the real user: counted per username and
address together, a per-address limit across usernames, a cool-off, an alert, an
administrator's unlock, and the same rules for the API's token endpoint."""

import logging
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.test import Client, override_settings
from django.utils import timezone

from openmash.audit.models import AuditEvent, AuditVerb
from openmash.testing.world import PASSWORD, World

pytestmark = pytest.mark.django_db

STRANGER = "203.0.113.9"


def attempt(client: Client, username: str, password: str, address: str = "127.0.0.1"):
    return client.post(
        "/sign-in", {"username": username, "password": password}, REMOTE_ADDR=address
    )


def token(client: Client, username: str, password: str, address: str = "127.0.0.1"):
    return client.post(
        "/api/v1/auth/token",
        {"username": username, "password": password},
        content_type="application/json",
        REMOTE_ADDR=address,
    )


def test_wrong_guesses_from_another_address_never_lock_out_the_real_user(
    client: Client, world: World
) -> None:
    for _ in range(settings.AXES_FAILURE_LIMIT + 2):
        attempt(Client(), "demo.manager", "guess", address=STRANGER)
    # The stranger is locked out of that username...
    assert (
        "Too many wrong attempts"
        in attempt(Client(), "demo.manager", PASSWORD, address=STRANGER).content.decode()
    )
    assert token(Client(), "demo.manager", PASSWORD, address=STRANGER).status_code == 429
    # ...but the manager at their own desk signs in, on the pages and through the API.
    assert attempt(client, "demo.manager", PASSWORD).status_code == 302
    assert token(Client(), "demo.manager", PASSWORD).status_code == 200


def test_password_spraying_from_one_address_is_stopped(client: Client, world: World) -> None:
    limit = settings.OPENMASH_SIGN_IN_ADDRESS_LIMIT
    for n in range(limit):  # one guess each for many usernames: no username reaches 5
        response = attempt(Client(), f"someone.{n}", "Winter2026!", address=STRANGER)
        assert "The username or password is wrong" in response.content.decode()
    # The address is now refused, even with a real user's right password...
    refused = attempt(Client(), "demo.health", PASSWORD, address=STRANGER)
    assert refused.status_code == 422
    assert "Too many wrong attempts" in refused.content.decode()
    assert token(Client(), "demo.health", PASSWORD, address=STRANGER).status_code == 429
    # ...while everyone elsewhere carries on.
    assert attempt(client, "demo.health", PASSWORD).status_code == 302


def test_the_address_comes_from_the_trusted_proxys_header(world: World) -> None:
    with override_settings(OPENMASH_CLIENT_IP_HEADER="X-Forwarded-For"):
        for _ in range(settings.AXES_FAILURE_LIMIT):
            Client().post(
                "/sign-in",
                {"username": "demo.police", "password": "guess"},
                HTTP_X_FORWARDED_FOR=f"10.9.9.9, {STRANGER}",
            )
        assert AccessAttempt.objects.get().ip_address == STRANGER
        # The real user behind the same proxy, from another address, is not locked.
        ok = Client().post(
            "/sign-in",
            {"username": "demo.police", "password": PASSWORD},
            HTTP_X_FORWARDED_FOR=f"{STRANGER}, 198.51.100.20",
        )
        assert ok.status_code == 302


def test_a_lockout_cools_off(client: Client, world: World) -> None:
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, "demo.police", "guess")
    assert "Too many wrong attempts" in attempt(client, "demo.police", PASSWORD).content.decode()
    AccessAttempt.objects.update(
        attempt_time=timezone.now()
        - timedelta(seconds=settings.OPENMASH_SIGN_IN_COOL_OFF_SECONDS + 1)
    )
    assert attempt(client, "demo.police", PASSWORD).status_code == 302


def test_failed_sign_ins_are_on_the_hubs_audit_trail_without_saying_who_exists(
    client: Client, world: World
) -> None:
    known = attempt(client, "demo.police", "guess")
    unknown = attempt(client, "nobody.at.all", "guess")
    # The person signing in sees the same answer either way.
    assert known.status_code == unknown.status_code == 422
    assert known.content.decode().count("wrong") == unknown.content.decode().count("wrong")
    events = AuditEvent.objects.filter(verb=AuditVerb.SIGN_IN_FAILED).order_by("id")
    assert [e.hub_id for e in events] == [world.hub.pk, None]
    assert [e.actor_id for e in events] == [None, None]


def test_a_lockout_alerts_the_hub_without_personal_data_in_the_log(
    client: Client, world: World, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO):
        for _ in range(settings.AXES_FAILURE_LIMIT):
            attempt(client, "demo.police", "guess", address=STRANGER)
    alert = AuditEvent.objects.get(verb=AuditVerb.SIGN_IN_LOCKED_OUT)
    assert alert.hub_id == world.hub.pk
    assert alert.changes["username"] == "demo.police"
    assert alert.changes["scope"] == "username_and_address"
    assert "locked out" in caplog.text
    assert "demo.police" not in caplog.text
    assert STRANGER not in caplog.text


def test_the_hub_administrator_can_unlock_a_user(client: Client, world: World) -> None:
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(Client(), "demo.police", "guess")
    assert "Too many" in attempt(Client(), "demo.police", PASSWORD).content.decode()
    # Only the hub administrator may unlock.
    manager = Client()
    manager.force_login(world.manager)
    assert manager.post(f"/hub/users/{world.police.pk}/unlock").status_code == 404
    assert manager.get(f"/hub/users/{world.police.pk}/unlock").status_code == 405
    admin = Client()
    admin.force_login(world.admin)
    page = admin.get(f"/hub/users/{world.police.pk}").content.decode()
    assert f'action="/hub/users/{world.police.pk}/unlock"' in page
    response = admin.post(f"/hub/users/{world.police.pk}/unlock")
    assert response.status_code == 302
    assert response["Location"] == f"/hub/users/{world.police.pk}"
    event = AuditEvent.objects.get(verb=AuditVerb.SIGN_IN_UNLOCKED)
    assert event.actor == world.admin
    assert event.target_id == str(world.police.pk)
    assert attempt(Client(), "demo.police", PASSWORD).status_code == 302


def test_an_unknown_or_other_hubs_user_cannot_be_unlocked(client: Client, world: World) -> None:
    client.force_login(world.admin)
    assert client.post("/hub/users/999999/unlock").status_code == 404


def test_the_api_counts_against_the_same_lockout(client: Client, world: World) -> None:
    for _ in range(settings.AXES_FAILURE_LIMIT):
        assert token(client, "demo.police", "guess").status_code == 401
    assert token(client, "demo.police", PASSWORD).status_code == 429
    assert "Too many wrong attempts" in attempt(client, "demo.police", PASSWORD).content.decode()
    failures = AuditEvent.objects.filter(verb=AuditVerb.SIGN_IN_FAILED, changes__channel="api")
    assert failures.count() == settings.AXES_FAILURE_LIMIT
    assert {e.hub_id for e in failures} == {world.hub.pk}


def test_a_very_long_username_is_refused_cleanly(client: Client, world: World) -> None:
    response = token(client, "x" * 10_000, "guess")
    assert response.status_code == 401
