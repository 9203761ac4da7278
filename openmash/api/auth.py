"""API authentication: bearer tokens (hashed at rest, expiring, revocable) or the session."""

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer, SessionAuth

from openmash.accounts.models import ApiToken, User, hash_token


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        found = (
            ApiToken.objects.select_related("user", "user__agency", "user__agency__hub")
            .filter(key_hash=hash_token(token))
            .first()
        )
        if found is None or not found.is_live() or not found.user.is_active:
            return None
        ApiToken.objects.filter(pk=found.pk).update(last_used_at=timezone.now())
        request.user = found.user
        request.api_token = found  # type: ignore[attr-defined]
        return found.user


class Session(SessionAuth):
    """Signed-in browser sessions may call the API too (CSRF protected by ninja)."""

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = super().authenticate(request, key)
        return user if user is not None and user.is_active else None
