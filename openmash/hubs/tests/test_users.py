from django.test import Client

from openmash.accounts.models import ApiToken, User
from openmash.accounts.services import token_issue
from openmash.audit.models import AuditEvent, AuditVerb
from openmash.hubs.models import ApprovalRequest
from openmash.hubs.role_approvals import approval_decide
from openmash.testing.world import World


def admin_client(world: World) -> Client:
    client = Client()
    client.force_login(world.admin)
    return client


def test_the_administrator_adds_a_user_who_can_sign_in(world: World) -> None:
    client = admin_client(world)
    assert "demo.police" in client.get("/hub/users").content.decode()
    response = client.post(
        "/hub/users",
        {
            "username": "jo.bloggs",
            "first_name": "Jo",
            "last_name": "Bloggs",
            "email": "jo@police.example",
            "agency": str(world.agencies["police"].pk),
            "roles": ["researcher"],
            "password": "a-long-enough-passphrase",
        },
    )
    assert response.status_code == 302
    added = User.objects.get(username="jo.bloggs")
    # Issue 11: a researcher reads requests, so the role waits for a second person (here the
    # MASH manager) before the new account holds it.
    assert (added.agency, added.roles) == (world.agencies["police"], [])
    request = ApprovalRequest.objects.get(subject=added)
    approval_decide(actor=world.manager, request_id=request.pk, approve=True)
    added.refresh_from_db()
    assert (added.agency, added.roles) == (world.agencies["police"], ["researcher"])
    assert added.check_password("a-long-enough-passphrase")
    assert AuditEvent.objects.filter(verb=AuditVerb.USER_CHANGED).exists()


def test_bad_accounts_are_refused(world: World) -> None:
    client = admin_client(world)
    response = client.post(
        "/hub/users",
        {
            "username": "demo.police",
            "first_name": "A",
            "last_name": "B",
            "email": "a@b.example",
            "agency": str(world.agencies["police"].pk),
            "roles": ["researcher"],
            "password": "short",
        },
    )
    assert response.status_code == 422
    body = response.content.decode()
    assert "That username is already taken" in body
    assert "at least 12 characters" in body


def test_switching_off_a_dormant_account_stops_its_tokens(world: World) -> None:
    raw, _token = token_issue(user=world.police)
    client = admin_client(world)
    response = client.post(
        f"/hub/users/{world.police.pk}", {"roles": ["researcher"], "active": "no"}
    )
    assert response.status_code == 302
    world.police.refresh_from_db()
    assert world.police.is_active is False
    assert ApiToken.objects.get(user=world.police).revoked_at is not None
    api = Client().get("/api/v1/contacts", headers={"Authorization": f"Bearer {raw}"})
    assert api.status_code == 401
    # An administrator cannot lock themselves out.
    response = client.post(f"/hub/users/{world.admin.pk}", {"roles": ["admin"], "active": "no"})
    assert response.status_code == 422


def test_only_the_administrator_manages_users(world: World) -> None:
    client = Client()
    client.force_login(world.manager)
    assert client.get("/hub/users").status_code == 404
    assert client.get(f"/hub/users/{world.police.pk}").status_code == 404
