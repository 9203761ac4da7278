"""Sign-in and sign-out pages. Every attempt is recorded in the audit trail by the service."""

import time
from typing import cast

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from openmash.access.permissions import Permission

from .forms import SignInForm
from .lockout import sign_in_failed, sign_in_locked, sign_in_unlock
from .models import User
from .passwords import password_change_flag
from .services import sign_in_record, sign_out_record

SIGNED_OUT_NOTICES = {
    "idle": (
        "You were signed out because you had not used OpenMASH for "
        f"{settings.SESSION_IDLE_TIMEOUT_SECONDS // 60} minutes. Anything you had not "
        "submitted was not saved."
    ),
    "expired": (
        "You were signed out because you had been signed in for "
        f"{settings.SESSION_COOKIE_AGE // 3600} hours. Sign in again to carry on."
    ),
    "signed_out": "You have signed out.",
}


def _safe_next(request: HttpRequest, candidate: str) -> str:
    """Where to go after signing in: a path on this site, else the home page."""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return resolve_url(settings.LOGIN_REDIRECT_URL)


@sensitive_post_parameters("password")
@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
def sign_in(request: HttpRequest) -> HttpResponse:
    next_url = request.POST.get("next") or request.GET.get("next", "")
    if request.user.is_authenticated:
        return HttpResponseRedirect(_safe_next(request, next_url))
    notice = SIGNED_OUT_NOTICES.get(str(request.session.pop("signed_out_reason", "")), "")
    status = 200
    if request.method == "POST":
        form = SignInForm(request.POST)
        if form.is_valid() and sign_in_locked(request, username=form.cleaned_data["username"]):
            form.too_many_attempts()
        elif form.is_valid():
            username = form.cleaned_data["username"]
            user = authenticate(request, username=username, password=form.cleaned_data["password"])
            if isinstance(user, User) and user.is_active:
                password_change_flag(user)  # before login() sets last_login
                login(request, user)  # a new session key: no session fixation
                now = int(time.time())
                request.session["signed_in_at"] = now
                request.session["last_seen"] = now
                sign_in_record(user=user, username=username, channel="web")
                return HttpResponseRedirect(_safe_next(request, next_url))
            sign_in_failed(request, username=username, channel="web")
            form.wrong_details()
        status = 422
    else:
        form = SignInForm()
    return render(
        request,
        "accounts/sign_in.html",
        {"form": form, "next": next_url, "notice": notice},
        status=status,
    )


@require_POST
@csrf_protect
def sign_out(request: HttpRequest) -> HttpResponse:
    user = request.user
    was_signed_in = isinstance(user, User) and user.is_authenticated
    if was_signed_in:
        sign_out_record(user=cast(User, user))
    logout(request)
    if was_signed_in:
        request.session["signed_out_reason"] = "signed_out"
    return redirect("accounts:sign-in")


@login_required
@require_POST
@csrf_protect
def user_unlock(request: HttpRequest, user_id: int) -> HttpResponse:
    """The hub administrator lifts a user's sign-in lockout (a button on the user's page)."""
    admin = request.user
    assert isinstance(admin, User)
    if admin.hub_id is None or not admin.can(Permission.HUB_CONFIGURE):
        raise Http404("Page not found")
    account = User.objects.filter(pk=user_id, agency__hub_id=admin.hub_id).first()
    if account is None:
        raise Http404("Page not found")
    sign_in_unlock(actor=admin, user=account)
    messages.success(request, f"{account.display_name} can sign in again.")
    return HttpResponseRedirect(reverse("hubs:user-change", args=[account.pk]))
