"""Password change, reset by e-mail link, the forced change after an administrator chose the
first password, and the validators (common words, own details, the service's and hub's)."""

import re

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client

from openmash.accounts.models import User
from openmash.accounts.services import user_create
from openmash.audit.models import AuditEvent, AuditVerb
from openmash.testing.world import PASSWORD, World

pytestmark = pytest.mark.django_db

NEW = "correct horse battery staple"


def test_a_user_changes_their_own_password(client: Client, world: World) -> None:
    client.force_login(world.practitioner)
    page = client.get("/account/password")
    assert page.status_code == 200
    assert "Change your password" in page.content.decode()
    wrong = client.post(
        "/account/password",
        {"old_password": "nope", "new_password1": NEW, "new_password2": NEW},
    )
    assert wrong.status_code == 422
    assert "govuk-error-summary" in wrong.content.decode()
    response = client.post(
        "/account/password",
        {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW},
    )
    assert response["Location"] == "/account/password/changed"
    world.practitioner.refresh_from_db()
    assert world.practitioner.check_password(NEW)
    assert AuditEvent.objects.filter(
        verb=AuditVerb.PASSWORD_CHANGED, actor=world.practitioner
    ).exists()
    assert client.get("/contacts/").status_code == 200  # still signed in


def test_the_header_links_to_change_your_password(client: Client, world: World) -> None:
    client.force_login(world.practitioner)
    assert 'href="/account/password"' in client.get("/contacts/").content.decode()


@pytest.mark.parametrize(
    "password",
    [
        "password1234",  # common
        "OpenMASH-2026-spring",  # the product's name
        "northshire mash demo 1",  # the hub's name
        "Practitioner-Demo-2026",  # near the user's own details
    ],
)
def test_weak_and_context_passwords_are_refused(world: World, password: str) -> None:
    with pytest.raises(ValidationError):
        validate_password(password, world.practitioner)


def test_a_good_passphrase_is_accepted(world: World) -> None:
    validate_password(NEW, world.practitioner)


def test_the_la_code_is_refused(world: World) -> None:
    with pytest.raises(ValidationError):
        validate_password(f"quiet river {world.hub.la_code} lantern", world.practitioner)


def test_password_reset_by_email_link(client: Client, world: World) -> None:
    world.police.email = "police.user@example.org"
    world.police.save()
    response = client.post("/password-reset", {"email": "police.user@example.org"})
    assert response["Location"] == "/password-reset/sent"
    (message,) = mail.outbox
    # The e-mail carries the link and nothing about the person.
    assert world.police.username not in message.body
    assert world.police.get_full_name() not in message.body
    link = re.search(r"http\S+", str(message.body))
    assert link is not None
    path = link.group(0).split("8000", 1)[-1] if "8000" in link.group(0) else link.group(0)
    form_page = client.get(path, follow=True)
    assert "Choose a new password" in form_page.content.decode()
    done = client.post(
        form_page.redirect_chain[-1][0], {"new_password1": NEW, "new_password2": NEW}
    )
    assert done["Location"] == "/password-reset/done"
    world.police.refresh_from_db()
    assert world.police.check_password(NEW)
    assert AuditEvent.objects.filter(verb=AuditVerb.PASSWORD_RESET, actor=world.police).exists()
    assert AuditEvent.objects.filter(verb=AuditVerb.PASSWORD_RESET_REQUESTED).count() == 1
    # The link works once.
    again = client.get(path, follow=True)
    assert "This link has expired" in again.content.decode()
    assert client.post("/sign-in", {"username": "demo.police", "password": NEW}).status_code == 302


def test_the_reset_page_answers_the_same_for_an_unknown_address(
    client: Client, world: World
) -> None:
    response = client.post("/password-reset", {"email": "nobody@example.org"})
    assert response["Location"] == "/password-reset/sent"
    assert mail.outbox == []


def test_a_first_sign_in_after_an_administrator_chose_the_password_forces_a_change(
    client: Client, world: World
) -> None:
    agency = world.practitioner.agency
    assert agency is not None
    added = user_create(
        actor=world.admin,
        username="new.worker",
        first_name="New",
        last_name="Worker",
        email="new.worker@example.org",
        agency=agency,
        roles=["practitioner"],
        password="chosen by the administrator",
    )
    api = client.post(
        "/api/v1/auth/token",
        {"username": "new.worker", "password": "chosen by the administrator"},
        content_type="application/json",
    )
    assert api.status_code == 403
    assert "Choose your own password" in api.json()["detail"]
    client.post("/sign-in", {"username": "new.worker", "password": "chosen by the administrator"})
    response = client.get("/contacts/")
    assert response.status_code == 302
    assert response["Location"] == "/account/password"
    assert client.get("/api/v1/contacts").status_code == 403
    page = client.get("/account/password").content.decode()
    assert "chosen by your hub administrator" in page
    client.post(
        "/account/password",
        {
            "old_password": "chosen by the administrator",
            "new_password1": NEW,
            "new_password2": NEW,
        },
    )
    added.refresh_from_db()
    assert not added.must_change_password
    # The practitioner role waits for a second person's approval (issue 11, item 3; tested in
    # hubs): granted, the new password lets the worker in.
    User.objects.filter(pk=added.pk).update(roles=["practitioner"])
    assert client.get("/contacts/").status_code == 200


def test_existing_accounts_are_not_forced_to_change(client: Client, world: World) -> None:
    client.post("/sign-in", {"username": "demo.practitioner", "password": PASSWORD})
    assert client.get("/contacts/").status_code == 200
    assert not User.objects.get(username="demo.practitioner").must_change_password


def test_a_reset_links_token_never_reaches_a_log() -> None:
    from openmash.core.log_filters import redact

    line = '"GET /password-reset/MTI/cz4h9k-0123456789abcdef HTTP/1.1" 302 0'
    assert "cz4h9k" not in redact(line)
    assert "/password-reset/MTI/[redacted]" in redact(line)
    assert redact("/password-reset/sent") == "/password-reset/sent"
