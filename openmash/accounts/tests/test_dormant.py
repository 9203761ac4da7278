"""Dormant accounts are switched off after OPENMASH_DORMANT_AFTER_DAYS without a sign-in;
their sessions and API tokens stop working at once."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client, override_settings
from django.utils import timezone

from openmash.accounts.models import User
from openmash.accounts.services import token_issue
from openmash.audit.models import AuditEvent, AuditVerb
from openmash.testing.world import World

pytestmark = pytest.mark.django_db


@override_settings(OPENMASH_DORMANT_AFTER_DAYS=30)
def test_accounts_without_a_sign_in_are_switched_off_and_lose_sessions_and_tokens(
    world: World,
) -> None:
    browser = Client()
    browser.force_login(world.police)  # (sets last_login: before the clock is turned back)
    long_ago = timezone.now() - timedelta(days=31)
    User.objects.filter(pk=world.police.pk).update(last_login=long_ago)
    User.objects.filter(pk=world.health.pk).update(last_login=timezone.now() - timedelta(days=5))
    User.objects.filter(pk=world.analyst.pk).update(last_login=None, date_joined=long_ago)
    raw, _ = token_issue(user=world.police)
    assert browser.get("/").status_code == 302  # signed in: sent to their work

    out = StringIO()
    call_command("accounts_disable_dormant", stdout=out)
    assert "Switched off 2 accounts with no sign-in for 30 days." in out.getvalue()

    active = dict(User.objects.values_list("username", "is_active"))
    assert active["demo.police"] is False
    assert active["demo.analyst"] is False
    assert active["demo.health"] is True
    # The session and the token die at once.
    assert browser.get("/contacts/")["Location"].startswith("/sign-in")
    api = Client().get("/api/v1/contacts", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert api.status_code == 401
    events = AuditEvent.objects.filter(verb=AuditVerb.ACCOUNT_DORMANT)
    assert {e.target_id for e in events} == {str(world.police.pk), str(world.analyst.pk)}
    assert {e.hub_id for e in events} == {world.hub.pk}
    # A second run finds nothing more.
    call_command("accounts_disable_dormant", stdout=StringIO())
    assert events.count() == 2


def test_the_check_can_be_scheduled_once(world: World) -> None:
    out = StringIO()
    call_command("accounts_disable_dormant", "--schedule", stdout=out)
    assert "scheduled" in out.getvalue()
