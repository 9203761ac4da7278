"""Family feedback: a worker records it, or a family gives it on the public form (no sign-in,
no case data; CSRF, a rate limit and a honeypot field protect it)."""

import hashlib
from typing import Any

from django.contrib import messages
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from openmash.access.permissions import Permission
from openmash.core.client import client_address
from openmash.core.errors import ValidationError
from openmash.hubs.models import Hub
from openmash.quality.forms import FamilyFeedbackForm, FamilyRecordForm
from openmash.quality.services import family_feedback_record
from openmash.web.pages import casework_page, form_add_service_errors, require_page

from .common import render_no_store, user_hub

PUBLIC_LIMIT_PER_HOUR = 5  # one browser (by address) per hub
HUB_LIMIT_PER_HOUR = 200  # every address together: a flood stops here


@casework_page
@require_http_methods(["GET", "POST"])
def feedback_record(request: HttpRequest) -> HttpResponse:
    user, hub = user_hub(request)
    require_page(user, Permission.FEEDBACK_RECORD)
    form = FamilyRecordForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                family_feedback_record(
                    actor=user,
                    hub=hub,
                    respondent=data["respondent"],
                    listened=data["listened"],
                    understood=data["understood"],
                    helped=data["helped"],
                    comments=data["comments"],
                    contact_reference=data["contact_reference"],
                )
            except ValidationError as exc:
                form_add_service_errors(form, exc)
            else:
                messages.success(request, "Feedback recorded. Thank you.")
                return HttpResponseRedirect(reverse("quality:feedback-record"))
        return render_no_store(request, "quality/feedback_record.html", {"form": form}, 422)
    return render_no_store(request, "quality/feedback_record.html", {"form": form})


def _client_key(request: HttpRequest, hub: Hub) -> str:
    # A hash, so the cache never holds an address.
    address = client_address(request)
    return hashlib.sha256(f"{hub.pk}:{address}".encode()).hexdigest()


def _over_limit(request: HttpRequest, hub: Hub) -> bool:
    hour = timezone.now().strftime("%Y%m%d%H")
    keys = (f"quality:fb:{_client_key(request, hub)}:{hour}", f"quality:fb:{hub.pk}:{hour}")
    for key, limit in zip(keys, (PUBLIC_LIMIT_PER_HOUR, HUB_LIMIT_PER_HOUR), strict=True):
        cache.add(key, 0, timeout=3600)
        try:
            count = cache.incr(key)
        except ValueError:  # the key expired since add(): a fresh window
            cache.set(key, 1, timeout=3600)
            count = 1
        if count > limit:
            return True
    return False


def _public_hub(hub_id: str) -> Hub:
    hub = Hub.objects.filter(pk=hub_id).first()
    if hub is None:
        raise Http404("Page not found")
    return hub


@require_http_methods(["GET", "POST"])
def have_your_say(request: HttpRequest, hub_id: str) -> HttpResponse:
    hub = _public_hub(hub_id)
    form = FamilyFeedbackForm(request.POST or None)
    context: dict[str, Any] = {"form": form, "hub": hub}
    if request.method == "POST":
        if _over_limit(request, hub):
            context["limited"] = True
            return render_no_store(request, "quality/have_your_say.html", context, 429)
        if form.is_valid():
            data = form.cleaned_data
            if data["website"]:
                # A bot filled in the hidden field: thank it and keep nothing.
                return HttpResponseRedirect(reverse("quality:have-your-say-thanks", args=[hub.pk]))
            try:
                family_feedback_record(
                    actor=None,
                    hub=hub,
                    respondent=data["respondent"],
                    listened=data["listened"],
                    understood=data["understood"],
                    helped=data["helped"],
                    comments=data["comments"],
                )
            except ValidationError as exc:
                form_add_service_errors(form, exc)
            else:
                return HttpResponseRedirect(reverse("quality:have-your-say-thanks", args=[hub.pk]))
        return render_no_store(request, "quality/have_your_say.html", context, 422)
    return render_no_store(request, "quality/have_your_say.html", context)


def have_your_say_thanks(request: HttpRequest, hub_id: str) -> HttpResponse:
    return render_no_store(
        request, "quality/have_your_say_thanks.html", {"hub": _public_hub(hub_id)}
    )
