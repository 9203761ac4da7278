"""Access changes that need a second person (ASVS 5.0 2.3.5, multi-party approval).

Adding a role that reads personal data (accounts/role_approvals.py says which) does not take
effect when an administrator asks for it: it becomes a pending ApprovalRequest that another
person approves or refuses. Who may decide: any active user of the same hub who holds
ACCESS_APPROVE (another hub administrator, or the MASH manager, who answers for who reads the
hub's cases), never the person who asked and never the person the request is about. Removing a
role needs no approval. Every step is audited (requested, approved, refused).

The request has a kind, so that other changes needing two people (an MFA reset, when MFA is
built) reuse the same queue, pages and rules: add an ApprovalKind and its `_APPLY` step.

The demo hub and the test world create their users directly (demo.hub_setup), not through here.
"""

from collections.abc import Callable
from typing import TYPE_CHECKING
from uuid import UUID

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from openmash.access.checks import get_visible_or_404, require, require_same_hub
from openmash.access.permissions import Permission
from openmash.accounts.models import User
from openmash.accounts.role_approvals import roles_needing_approval, roles_split
from openmash.accounts.services import user_create, user_update
from openmash.audit.models import AuditVerb
from openmash.audit.services import audit_record
from openmash.core.errors import NotFound, PermissionDenied

from .models import ApprovalKind, ApprovalRequest, ApprovalState

if TYPE_CHECKING:
    from .models import Agency


def _request_file(*, actor: User, subject: User, roles: list[str]) -> ApprovalRequest | None:
    """A pending request for the roles the subject neither holds nor already waits for."""
    waiting = {
        role
        for request in ApprovalRequest.objects.filter(
            subject=subject, kind=ApprovalKind.ROLE_GRANT, state=ApprovalState.PENDING
        )
        for role in request.roles
    }
    wanted = sorted(set(roles) - set(subject.roles) - waiting)
    if not wanted:
        return None
    assert subject.hub_id is not None
    request = ApprovalRequest.objects.create(
        hub_id=subject.hub_id,
        kind=ApprovalKind.ROLE_GRANT,
        subject=subject,
        roles=wanted,
        requested_by=actor,
    )
    audit_record(
        actor=actor,
        verb=AuditVerb.APPROVAL_REQUESTED,
        target=request,
        changes={"kind": request.kind, "user": subject.username, "roles": wanted},
    )
    return request


def user_add_with_approval(
    *,
    actor: User,
    username: str,
    first_name: str,
    last_name: str,
    email: str,
    agency: "Agency",
    roles: list[str],
    password: str,
) -> tuple[User, ApprovalRequest | None]:
    """Add a user; the roles that read personal data wait for a second person's approval."""
    with transaction.atomic():
        user = user_create(
            actor=actor,
            username=username,
            first_name=first_name,
            last_name=last_name,
            email=email,
            agency=agency,
            roles=roles,
            password=password,
        )
        request = _request_file(
            actor=actor, subject=user, roles=sorted(roles_needing_approval(roles))
        )
    return user, request


def user_change_with_approval(
    *, actor: User, user: User, roles: list[str], active: bool
) -> tuple[User, ApprovalRequest | None]:
    """Change a user's roles and switch; added roles that read personal data wait for a second
    person's approval, everything else takes effect at once."""
    _granted, withheld = roles_split(current=user.roles, wanted=roles)
    with transaction.atomic():
        user_update(actor=actor, user=user, roles=roles, active=active)
        request = _request_file(actor=actor, subject=user, roles=withheld)
    return user, request


def approvals_pending_for(*, actor: User) -> QuerySet[ApprovalRequest]:
    """The hub's requests waiting for a decision, for those who ask or decide."""
    if actor.hub_id is None or not (
        actor.can(Permission.ACCESS_APPROVE) or actor.can(Permission.HUB_CONFIGURE)
    ):
        return ApprovalRequest.objects.none()
    return (
        ApprovalRequest.objects.filter(hub_id=actor.hub_id, state=ApprovalState.PENDING)
        .select_related("subject", "subject__agency", "requested_by")
        .order_by("created_at")
    )


def approval_decidable_by(request: ApprovalRequest, actor: User) -> bool:
    """Whether `actor` may approve or refuse `request` (a page shows the buttons only then)."""
    return (
        actor.can(Permission.ACCESS_APPROVE)
        and request.state == ApprovalState.PENDING
        and request.requested_by_id != actor.pk
        and request.subject_id != actor.pk
        and str(request.hub_id) == str(actor.hub_id)
    )


def _apply_role_grant(request: ApprovalRequest) -> None:
    subject = User.objects.select_for_update().get(pk=request.subject_id)
    subject.roles = sorted(set(subject.roles) | set(request.roles))
    subject.save(update_fields=["roles"])


_APPLY: dict[str, Callable[[ApprovalRequest], None]] = {
    ApprovalKind.ROLE_GRANT: _apply_role_grant,
}


def approval_decide(*, actor: User, request_id: UUID | str, approve: bool) -> ApprovalRequest:
    """The second person approves (the change takes effect now) or refuses a pending request."""
    require(actor, Permission.ACCESS_APPROVE)
    with transaction.atomic():
        request = get_visible_or_404(
            ApprovalRequest.objects.select_for_update(), request_id, "Request not found"
        )
        require_same_hub(actor, request.hub_id, "Request not found")
        if request.state != ApprovalState.PENDING:
            raise NotFound("Request not found")  # decided already: nothing left to decide
        if request.requested_by_id == actor.pk:
            raise PermissionDenied("A second person must decide on a change you asked for.")
        if request.subject_id == actor.pk:
            raise PermissionDenied("Someone else must decide on a change to your own access.")
        if approve:
            _APPLY[request.kind](request)
        request.state = ApprovalState.APPROVED if approve else ApprovalState.REFUSED
        request.decided_by = actor
        request.decided_at = timezone.now()
        request.save(update_fields=["state", "decided_by", "decided_at", "updated_at"])
        audit_record(
            actor=actor,
            verb=AuditVerb.APPROVAL_APPROVED if approve else AuditVerb.APPROVAL_REFUSED,
            target=request,
            changes={
                "kind": request.kind,
                "user": request.subject.username,
                "roles": request.roles,
                "requested_by": request.requested_by.username,
            },
        )
    return request
