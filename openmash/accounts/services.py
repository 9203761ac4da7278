"""Account writes: API tokens and sign-in records."""

import secrets
from datetime import timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.utils import timezone

from openmash.access.checks import require, require_same_hub
from openmash.access.permissions import Permission, Role
from openmash.audit.models import AuditVerb
from openmash.audit.services import audit_record, diff
from openmash.core.errors import NotFound, ValidationError

from .models import ApiToken, User, hash_token
from .role_approvals import roles_needing_approval, roles_split

if TYPE_CHECKING:
    from openmash.hubs.models import Agency


def token_issue(*, user: User) -> tuple[str, ApiToken]:
    """A new bearer token; the raw value is returned once and only its hash is kept."""
    raw = "om_" + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user,
            key_hash=hash_token(raw),
            expires_at=timezone.now() + timedelta(seconds=settings.API_TOKEN_LIFETIME_SECONDS),
        )
        audit_record(actor=user, verb=AuditVerb.TOKEN_ISSUED, target=token)
    return raw, token


def token_revoke(*, actor: User, token: ApiToken) -> None:
    require_same_hub(actor, token.user.hub_id, "Token not found")
    with transaction.atomic():
        ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
        audit_record(actor=actor, verb=AuditVerb.TOKEN_REVOKED, target=token)


def sign_in_record(*, user: User, username: str, channel: str) -> None:
    """A successful sign-in goes into the audit trail (failures: lockout.sign_in_failed)."""
    with transaction.atomic():
        audit_record(
            actor=user,
            verb=AuditVerb.SIGNED_IN,
            changes={"channel": channel, "username": username[:150]},
        )


def sign_out_record(*, user: User) -> None:
    with transaction.atomic():
        audit_record(actor=user, verb=AuditVerb.SIGNED_OUT)


def _require_admin_of(actor: User, agency: "Agency") -> None:
    require(actor, Permission.HUB_CONFIGURE)
    if agency.hub_id != actor.hub_id:
        raise NotFound("Agency not found")


def user_create(
    *,
    actor: User,
    username: str,
    first_name: str,
    last_name: str,
    email: str,
    agency: "Agency",
    roles: list[str],
    password: str,
) -> User:
    """The hub administrator adds a user to one of the hub's agencies, with roles.

    Roles that read personal data (role_approvals.py) are not granted here: the new account
    holds only the others (possibly none) until a second person approves the request that
    `hubs.role_approvals.user_add_with_approval` files for the rest."""
    _require_admin_of(actor, agency)
    errors: dict[str, list[str]] = {}
    username = username.strip()
    if not username:
        errors["username"] = ["Enter a username"]
    elif User.objects.filter(username__iexact=username).exists():
        errors["username"] = ["That username is already taken"]
    if not roles or any(r not in Role.__members__.values() for r in roles):
        errors["roles"] = ["Choose at least one role"]
    if not (first_name.strip() and last_name.strip()):
        errors["first_name"] = ["Enter the person's first and last names"]
    candidate = User(username=username, first_name=first_name, last_name=last_name, email=email)
    try:
        validate_password(password, candidate)
    except DjangoValidationError as exc:
        errors["password"] = list(exc.messages)
    if errors:
        raise ValidationError(next(iter(errors.values()))[0], errors=errors)
    withheld = roles_needing_approval(roles)
    granted = sorted(set(roles) - withheld)
    with transaction.atomic():
        user = User(
            username=username,
            first_name=first_name.strip(),
            last_name=last_name.strip(),
            email=email.strip(),
            agency=agency,
            roles=granted,
            # The administrator chose this password: its owner picks their own at first sign-in.
            must_change_password=True,
        )
        user.set_password(password)
        user.save()
        audit_record(
            actor=actor,
            verb=AuditVerb.USER_CHANGED,
            target=user,
            changes={
                "created": username,
                "agency": agency.code,
                "roles": granted,
                "roles_awaiting_approval": sorted(withheld),
            },
        )
    return user


def user_update(*, actor: User, user: User, roles: list[str], active: bool) -> User:
    """Change a user's roles, or switch the account off (a dormant or departed user) and on.

    Removals take effect at once; an added role that reads personal data does not (it needs a
    second person: `hubs.role_approvals.user_change_with_approval`), so the user keeps their
    current roles plus the added ones that need no approval."""
    if user.agency is None:
        raise NotFound("User not found")
    _require_admin_of(actor, user.agency)
    if not roles or any(r not in Role.__members__.values() for r in roles):
        raise ValidationError.for_field("roles", "Choose at least one role")
    if user.pk == actor.pk and (not active or Role.ADMIN not in roles):
        raise ValidationError.for_field(
            "roles", "You cannot remove your own administration or switch yourself off"
        )
    granted, _withheld = roles_split(current=user.roles, wanted=roles)
    before = {"roles": sorted(user.roles), "active": user.is_active}
    after = {"roles": granted, "active": active}
    with transaction.atomic():
        user.roles = after["roles"]
        user.is_active = active
        user.save(update_fields=["roles", "is_active"])
        if not active:  # a switched-off account loses its API tokens at once
            ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(
                revoked_at=timezone.now()
            )
        audit_record(
            actor=actor, verb=AuditVerb.USER_CHANGED, target=user, changes=diff(before, after)
        )
    return user
