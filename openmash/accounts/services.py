"""Account writes: API tokens and sign-in records."""

import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from openmash.audit.models import AuditEvent, AuditVerb
from openmash.audit.services import audit_record

from .models import ApiToken, User, hash_token


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
    with transaction.atomic():
        ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
        audit_record(actor=actor, verb=AuditVerb.TOKEN_REVOKED, target=token)


# Five wrong passwords for one username in 15 minutes locks that username for the rest of
# the window (counted from the audit trail, so every process and server agrees).
SIGN_IN_ATTEMPTS = 5
SIGN_IN_WINDOW = timedelta(minutes=15)


def sign_in_throttled(username: str) -> bool:
    since = timezone.now() - SIGN_IN_WINDOW
    failures = AuditEvent.objects.filter(
        verb=AuditVerb.SIGN_IN_FAILED, at__gte=since, changes__username=username[:150]
    )
    return failures.count() >= SIGN_IN_ATTEMPTS


def sign_in_record(*, user: User | None, username: str, succeeded: bool, channel: str) -> None:
    """Successful and failed sign-ins go into the audit trail (never the password)."""
    with transaction.atomic():
        audit_record(
            actor=user if succeeded else None,
            verb=AuditVerb.SIGNED_IN if succeeded else AuditVerb.SIGN_IN_FAILED,
            changes={"channel": channel, "username": username[:150]},
        )


def sign_out_record(*, user: User) -> None:
    with transaction.atomic():
        audit_record(actor=user, verb=AuditVerb.SIGNED_OUT)
