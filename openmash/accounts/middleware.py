import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import reverse


class SessionTimeoutMiddleware:
    """Signs a user out after SESSION_IDLE_TIMEOUT_SECONDS without a request. The absolute
    limit is the session cookie age (set at sign-in, not refreshed on activity)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = int(time.time())
            last_seen = request.session.get("last_seen", now)
            signed_in_at = request.session.get("signed_in_at", now)
            idle = now - int(last_seen) > settings.SESSION_IDLE_TIMEOUT_SECONDS
            expired = now - int(signed_in_at) > settings.SESSION_COOKIE_AGE
            if idle or expired:
                logout(request)
                request.session["signed_out_reason"] = "idle" if idle else "expired"
            else:
                request.session["last_seen"] = now
                request.session.setdefault("signed_in_at", now)
        return self.get_response(request)


class PasswordChangeRequiredMiddleware:
    """An account whose password an administrator chose sees nothing but the password change
    page (and can sign out) until its user has chosen their own: no page with personal data,
    and the API (through the session) answers 403."""

    ALLOWED = ("accounts:password-change", "accounts:password-change-done", "accounts:sign-out")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated and getattr(user, "must_change_password", False):
            allowed = {reverse(name) for name in self.ALLOWED}
            if request.path not in allowed and not request.path.startswith(settings.STATIC_URL):
                if request.path.startswith("/api/"):
                    return JsonResponse({"detail": CHANGE_FIRST, "errors": {}}, status=403)
                return HttpResponseRedirect(reverse("accounts:password-change"))
        return self.get_response(request)


CHANGE_FIRST = "Choose your own password on the web pages first: yours was set by an administrator."
