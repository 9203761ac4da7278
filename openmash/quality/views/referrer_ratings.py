"""Referrer ratings: a referrer rates the feedback they were sent, signed in or through the
single-use link in the e-mail (no sign-in, no case data)."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from openmash.access.permissions import Permission
from openmash.core.errors import Conflict, NotFound, ValidationError
from openmash.decisions.scopes import feedback_get_for_user
from openmash.quality.forms import RatingForm
from openmash.quality.services import (
    referrer_rating_exists,
    referrer_rating_invite_find,
    referrer_rating_record,
)
from openmash.web.pages import casework_page, form_add_service_errors, page_user, require_page

from .common import render_no_store


@casework_page
@require_http_methods(["GET", "POST"])
def rate_feedback(request: HttpRequest, feedback_id: str) -> HttpResponse:
    """A signed-in referrer rates the feedback on one of their own referrals."""
    user = page_user(request)
    require_page(user, Permission.CONTACT_VIEW_OWN_SUBMISSIONS)
    fb = feedback_get_for_user(user, feedback_id)
    if fb.contact.submitted_by_id != user.pk:
        raise NotFound("Feedback not found")
    if referrer_rating_exists(fb.pk):
        return render_no_store(
            request, "quality/rate_done.html", {"already": True, "signed_in": True}
        )
    form = RatingForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                referrer_rating_record(
                    actor=user,
                    feedback_id=str(fb.pk),
                    explained=form.cleaned_data["explained"],
                    timely=form.cleaned_data["timely"],
                    comment=form.cleaned_data["comment"],
                )
            except ValidationError as exc:
                form_add_service_errors(form, exc)
            else:
                messages.success(request, "Thank you for rating the feedback.")
                return HttpResponseRedirect(reverse("contacts:mine"))
        context = {"form": form, "reference": fb.contact.reference}
        return render_no_store(request, "quality/rate.html", context, 422)
    return render_no_store(
        request, "quality/rate.html", {"form": form, "reference": fb.contact.reference}
    )


@require_http_methods(["GET", "POST"])
def rate_by_link(request: HttpRequest, token: str) -> HttpResponse:
    """An external referrer follows the single-use link in their feedback e-mail. The page
    shows no case data, not even the reference."""
    try:
        referrer_rating_invite_find(token)
    except NotFound:
        return render_no_store(request, "quality/rate_done.html", {"invalid": True}, 404)
    form = RatingForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                referrer_rating_record(
                    actor=None,
                    token=token,
                    explained=form.cleaned_data["explained"],
                    timely=form.cleaned_data["timely"],
                    comment=form.cleaned_data["comment"],
                )
            except ValidationError as exc:
                form_add_service_errors(form, exc)
            except (NotFound, Conflict):
                return render_no_store(request, "quality/rate_done.html", {"invalid": True}, 404)
            else:
                return render_no_store(request, "quality/rate_done.html", {"thanks": True})
        return render_no_store(request, "quality/rate.html", {"form": form}, 422)
    return render_no_store(request, "quality/rate.html", {"form": form})
