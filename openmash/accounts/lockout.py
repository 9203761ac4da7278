"""Sign-in lockout (django-axes): wrong passwords are counted per username AND address
together, so a stranger guessing someone's password from elsewhere never locks the real user
out, plus a per-address limit across usernames that stops password spraying. Both cool off
after ``OPENMASH_SIGN_IN_COOL_OFF_SECONDS``; a hub administrator can unlock a user sooner.

The web sign-in page and the API token endpoint both ask ``sign_in_locked`` first and call
``sign_in_failed`` after a wrong password, so they lock alike."""

import hashlib
import logging
from datetime import timedelta
from typing import Any

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.handlers.proxy import AxesProxyHandler
from axes.models import AccessAttempt
from axes.utils import reset
from django.conf import settings
from django.db import transaction
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse

from openmash.access.checks import require, require_same_hub
from openmash.access.permissions import Permission
from openmash.audit.models import AuditVerb
from openmash.audit.services import audit_record

from .models import User

log = logging.getLogger(__name__)

USERNAME_LENGTH = 150  # the User model's limit; longer input is cut before it is stored


def cool_off(request: HttpRequest | None = None) -> timedelta:
    """AXES_COOLOFF_TIME: read on every call, so tests may shorten it."""
    return timedelta(seconds=settings.OPENMASH_SIGN_IN_COOL_OFF_SECONDS)


def lockout_username(request: HttpRequest, credentials: dict[str, Any] | None) -> str:
    """AXES_USERNAME_CALLABLE: the username as typed, cut to the model's length."""
    raw = (credentials or {}).get("username")
    if raw is None:
        raw = request.POST.get("username", "")
    return str(raw)[:USERNAME_LENGTH]


def client_str(
    username: str, ip_address: str, user_agent: str, path_info: str, request: HttpRequest
) -> str:
    """AXES_CLIENT_STR_CALLABLE: axes' own log lines name neither the username nor the
    address (no personal data in logs), only a short reference an operator can match."""
    digest = hashlib.sha256(f"{username}|{ip_address}".encode()).hexdigest()[:12]
    return f"{{client: {digest}, path: {path_info}}}"


def lockout_response(
    request: HttpRequest,
    original_response: HttpResponse | None,
    credentials: dict[str, Any] | None = None,
) -> HttpResponse:
    """AXES_LOCKOUT_CALLABLE: the page or the API already answered in its own words (a GOV.UK
    error summary, a JSON error), so axes' middleware keeps that answer."""
    if original_response is not None:
        return original_response
    return HttpResponse("Too many wrong attempts. Try again later.", status=429)


def _address_failures(request: HttpRequest) -> int:
    """Wrong passwords from this address, for any username, inside the cool-off."""
    total = AccessAttempt.objects.filter(
        ip_address=request.axes_ip_address,  # type: ignore[attr-defined]
        attempt_time__gte=get_cool_off_threshold(request),
    ).aggregate(total=Sum("failures_since_start"))["total"]
    return int(total or 0)


class LockoutHandler(AxesDatabaseHandler):
    """Axes' database handler plus the per-address limit across usernames."""

    def is_locked(self, request: HttpRequest, credentials: dict[str, Any] | None = None) -> bool:
        if super().is_locked(request, credentials):
            return True
        return _address_failures(request) >= settings.OPENMASH_SIGN_IN_ADDRESS_LIMIT


def sign_in_locked(request: HttpRequest, *, username: str) -> bool:
    """Whether this username from this address (or this address at all) is locked out now."""
    return bool(AxesProxyHandler.is_locked(request, {"username": username}))


def _hub_of(username: str) -> Any:
    user = User.objects.filter(username=username[:USERNAME_LENGTH]).select_related("agency").first()
    return user.hub_id if user is not None else None


def sign_in_failed(request: HttpRequest, *, username: str, channel: str) -> None:
    """After a wrong password (axes has already counted it): audit the failure on the hub of
    the username when it exists and, when this failure locked the username or the address,
    alert: a warning in the log (no username, no address) and an audit event the hub's
    administrators see on the audit trail."""
    username = username[:USERNAME_LENGTH]
    hub_id = _hub_of(username)
    with transaction.atomic():
        audit_record(
            actor=None,
            verb=AuditVerb.SIGN_IN_FAILED,
            hub_id=hub_id,
            changes={"channel": channel, "username": username},
        )
    if not sign_in_locked(request, username=username):
        return
    by_address = _address_failures(request) >= settings.OPENMASH_SIGN_IN_ADDRESS_LIMIT
    scope = "address" if by_address else "username_and_address"
    log.warning("Sign-in locked out after repeated wrong passwords (%s, %s)", scope, channel)
    with transaction.atomic():
        audit_record(
            actor=None,
            verb=AuditVerb.SIGN_IN_LOCKED_OUT,
            hub_id=hub_id,
            changes={"channel": channel, "username": username, "scope": scope},
        )


def sign_in_unlock(*, actor: User, user: User) -> int:
    """A hub administrator lifts a user's lockout before the cool-off ends (every address's
    count for that username). Returns how many lockout records were cleared."""
    require(actor, Permission.HUB_CONFIGURE)
    require_same_hub(actor, user.hub_id, "User not found")
    with transaction.atomic():
        cleared = int(reset(username=user.username))
        audit_record(
            actor=actor,
            verb=AuditVerb.SIGN_IN_UNLOCKED,
            target=user,
            changes={"username": user.username, "cleared": cleared},
        )
    return cleared
