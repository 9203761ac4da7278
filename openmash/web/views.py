"""Home page and the error pages (handler400/403/404/500 in config/urls.py)."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template import loader
from django.urls import NoReverseMatch, reverse
from django.views.decorators.csrf import requires_csrf_token

from openmash.access.permissions import Permission


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Send each signed-in user to their own work: MASH staff to the work queue, agency
    researchers to their agency's requests, referrers to their referrals, agency leads to the
    core documents they sign, analysts and administrators to the dashboard."""
    user = request.user
    can = getattr(user, "can", None)
    if can is not None:
        for permission, name in (
            (Permission.CONTACT_VIEW_HUB, "contacts:queue"),
            (Permission.REQUEST_VIEW_OWN_AGENCY, "enquiries:queue"),
            (Permission.CONTACT_VIEW_OWN_SUBMISSIONS, "contacts:mine"),
            (Permission.DOCUMENT_SIGN, "governance:documents"),
            (Permission.AGGREGATES_VIEW, "reporting:dashboard"),
        ):
            if can(permission):
                try:
                    return redirect(reverse(name))
                except NoReverseMatch:
                    continue  # that page is not built yet: try the next one
    return render(request, "web/home.html")


# The footer's pages: public, the same for everyone, no personal data.


def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "web/about/accessibility.html")


def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "web/about/privacy.html")


def cookies(request: HttpRequest) -> HttpResponse:
    context = {
        "session_hours": settings.SESSION_COOKIE_AGE // 3600,
        "idle_minutes": settings.SESSION_IDLE_TIMEOUT_SECONDS // 60,
        "session_cookie": settings.SESSION_COOKIE_NAME,
        "csrf_cookie": settings.CSRF_COOKIE_NAME,
    }
    return render(request, "web/about/cookies.html", context)


# Error pages. They never show the exception: it may carry personal data.


@requires_csrf_token
def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "400.html", status=400)


@requires_csrf_token
def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "403.html", status=403)


@requires_csrf_token
def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


@requires_csrf_token
def server_error(request: HttpRequest) -> HttpResponse:
    # No RequestContext: context processors may be what failed.
    template = loader.get_template("500.html")
    return HttpResponse(template.render(), status=500)
