"""Roles that read personal data need a second person's approval (ASVS 5.0 2.3.5)."""

import pytest
from django.test import Client

from openmash.accounts.models import User
from openmash.audit.models import AuditEvent, AuditVerb
from openmash.core.errors import NotFound, PermissionDenied
from openmash.hubs.models import ApprovalRequest, ApprovalState
from openmash.hubs.role_approvals import (
    approval_decide,
    user_add_with_approval,
    user_change_with_approval,
)
from openmash.testing.world import World


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def second_admin(world: World) -> User:
    return User.objects.create_user(
        "demo.admin2", password="x" * 12, agency=world.agencies["mash"], roles=["admin"]
    )


def test_an_administrator_cannot_grant_themselves_a_casework_role(world: World) -> None:
    client = signed_in(world.admin)
    response = client.post(
        f"/hub/users/{world.admin.pk}", {"roles": ["admin", "manager"], "active": "yes"}
    )
    assert response.status_code == 302
    world.admin.refresh_from_db()
    assert world.admin.roles == ["admin"]
    assert signed_in(world.admin).get("/contacts/").status_code in (403, 404)
    request = ApprovalRequest.objects.get(subject=world.admin)
    assert (request.roles, request.state) == (["manager"], ApprovalState.PENDING)
    # Nor approve it: neither as the one who asked nor as the one it is about.
    with pytest.raises(PermissionDenied):
        approval_decide(actor=world.admin, request_id=request.pk, approve=True)
    other = second_admin(world)
    mine = user_change_with_approval(
        actor=other, user=world.practitioner, roles=["practitioner", "manager"], active=True
    )[1]
    assert mine is not None
    with pytest.raises(PermissionDenied):
        approval_decide(actor=other, request_id=mine.pk, approve=True)
    request2 = user_change_with_approval(
        actor=other, user=other, roles=["admin", "auditor"], active=True
    )[1]
    assert request2 is not None
    with pytest.raises(PermissionDenied):  # about themselves, asked by themselves
        approval_decide(actor=other, request_id=request2.pk, approve=True)
    # The second administrator approves the first one's request; the role now applies.
    approval_decide(actor=other, request_id=request.pk, approve=True)
    world.admin.refresh_from_db()
    assert world.admin.roles == ["admin", "manager"]
    verbs = set(AuditEvent.objects.values_list("verb", flat=True))
    assert {AuditVerb.APPROVAL_REQUESTED, AuditVerb.APPROVAL_APPROVED} <= verbs


def test_a_new_manager_account_holds_no_role_until_someone_else_approves(world: World) -> None:
    client = signed_in(world.admin)
    response = client.post(
        "/hub/users",
        {
            "username": "sock.puppet",
            "first_name": "Sock",
            "last_name": "Puppet",
            "email": "sock@example.org",
            "agency": str(world.agencies["mash"].pk),
            "roles": ["manager"],
            "password": "a-long-enough-passphrase",
        },
    )
    assert response.status_code == 302
    puppet = User.objects.get(username="sock.puppet")
    assert puppet.roles == [] and not puppet.permissions
    # Refused whatever comes first: the forced password change, or the missing role.
    assert signed_in(puppet).get("/contacts/").status_code in (302, 403, 404)
    page = client.get("/hub/users").content.decode()
    assert "Waiting for a second person" in page and "Someone else must decide" in page
    # The MASH manager sees it with the buttons and refuses it.
    request = ApprovalRequest.objects.get(subject=puppet)
    manager = signed_in(world.manager)
    listing = manager.get("/hub/approvals")
    assert listing.status_code == 200 and "sock.puppet" in listing.content.decode()
    response = manager.post(
        f"/hub/approvals/{request.pk}", {"decision": "refuse", "back": "approvals"}
    )
    assert response.status_code == 302
    puppet.refresh_from_db()
    assert puppet.roles == []
    request.refresh_from_db()
    assert (request.state, request.decided_by) == (ApprovalState.REFUSED, world.manager)
    assert AuditEvent.objects.filter(verb=AuditVerb.APPROVAL_REFUSED).exists()
    # Decided once: a second decision finds nothing.
    again = manager.post(f"/hub/approvals/{request.pk}", {"decision": "approve", "back": "users"})
    assert again.status_code == 404


def test_own_request_through_the_page_is_refused_with_a_403(world: World) -> None:
    _user, request = user_add_with_approval(
        actor=world.admin,
        username="new.worker",
        first_name="New",
        last_name="Worker",
        email="new@example.org",
        agency=world.agencies["mash"],
        roles=["practitioner", "analyst"],
        password="a-long-enough-passphrase",
    )
    assert request is not None and request.roles == ["practitioner"]
    assert User.objects.get(username="new.worker").roles == ["analyst"]
    page = signed_in(world.admin).get("/hub/users").content.decode()
    assert "Never signed in: check with the person" in page
    response = signed_in(world.admin).post(
        f"/hub/approvals/{request.pk}", {"decision": "approve", "back": "users"}
    )
    assert response.status_code == 403
    assert "A second person must decide" in response.content.decode()
    assert User.objects.get(username="new.worker").roles == ["analyst"]


def test_removing_a_role_needs_no_approval_and_others_cannot_decide(world: World) -> None:
    user_change_with_approval(actor=world.admin, user=world.manager, roles=["analyst"], active=True)
    world.manager.refresh_from_db()
    assert world.manager.roles == ["analyst"]
    assert not ApprovalRequest.objects.exists()
    _u, request = user_change_with_approval(
        actor=world.admin, user=world.auditor, roles=["auditor", "practitioner"], active=True
    )
    assert request is not None
    for role_holder in (world.practitioner, world.analyst, world.auditor):
        with pytest.raises(PermissionDenied):
            approval_decide(actor=role_holder, request_id=request.pk, approve=True)
    assert signed_in(world.practitioner).get("/hub/approvals").status_code == 404


def test_another_hubs_approver_finds_nothing(world: World) -> None:
    from openmash.access.tests.test_hub_isolation import stranger_of_another_hub

    _u, request = user_change_with_approval(
        actor=world.admin, user=world.analyst, roles=["analyst", "manager"], active=True
    )
    assert request is not None
    with pytest.raises(NotFound):
        approval_decide(actor=stranger_of_another_hub(), request_id=request.pk, approve=True)
    with pytest.raises(NotFound):
        approval_decide(actor=world.manager, request_id="not-a-uuid", approve=True)
