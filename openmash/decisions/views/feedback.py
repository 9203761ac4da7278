"""Feedback to the referrer: the message, and what became of its e-mail."""

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from openmash.access.permissions import Permission
from openmash.contacts.models import Contact, JourneyStage
from openmash.contacts.selectors import contact_open_for
from openmash.core.errors import Conflict, ValidationError
from openmash.decisions.scopes import feedback_get_for_user
from openmash.web.flows import form_page_post, page_shower
from openmash.web.pages import casework_page, contact_page_url, page_user, require_page

from ..forms import FeedbackForm
from ..models import DecisionStatus, EmailStatus, Feedback
from ..services import feedback_compose, feedback_email_resend, feedback_send

TEMPLATE = "decisions/feedback.html"


def _recipient(contact: Contact) -> str:
    return contact.referrer_email or (contact.submitted_by.email if contact.submitted_by else "")


def _feedback_context(contact: Contact, form: FeedbackForm | None) -> dict[str, Any]:
    decision = (
        contact.decisions.filter(status=DecisionStatus.SIGNED_OFF).select_related("outcome").first()
    )
    can_send = decision is not None and contact.stage == JourneyStage.FEEDBACK
    if form is None and can_send:
        assert decision is not None
        form = FeedbackForm(initial={"message": feedback_compose(contact, decision)})
    return {
        "contact": contact,
        "decision": decision,
        "form": form,
        "can_send": can_send,
        "recipient": _recipient(contact),
        "sent": list(contact.feedback.select_related("sent_by").order_by("sent_at")),
        "contact_url": contact_page_url(contact.pk),
    }


@casework_page
@require_http_methods(["GET", "POST"])
def feedback(request: HttpRequest, contact_id: UUID) -> HttpResponse:
    user = page_user(request)
    contact = contact_open_for(user, contact_id, writing=request.method == "POST")
    require_page(user, Permission.FEEDBACK_SEND)
    if request.method != "POST":
        return render(request, TEMPLATE, _feedback_context(contact, None))
    form = FeedbackForm(request.POST)

    def send(data: dict[str, Any]) -> Feedback:
        try:
            return feedback_send(actor=user, contact=contact, message=data["message"])
        except (ValidationError, Conflict):
            contact.refresh_from_db()  # the page shows the contact as it is now
            raise

    return form_page_post(
        request,
        form=form,
        act=send,
        show=page_shower(request, TEMPLATE, lambda: _feedback_context(contact, form)),
        done=lambda sent: _after_email(request, sent, first=True),
    )


def _after_email(request: HttpRequest, feedback: Feedback, *, first: bool) -> HttpResponse:
    """Say what became of the e-mail (with the test settings' immediate task backend it has
    already been tried; with the worker it is queued). A failure stays on the feedback page,
    which offers to send it again."""
    feedback.refresh_from_db()
    to = feedback.sent_to
    if feedback.email_status == EmailStatus.FAILED:
        messages.error(
            request,
            f"{'Feedback recorded, but the' if first else 'The'} e-mail to {to} could not be "
            "sent. Send it again, or tell the referrer another way.",
        )
        return HttpResponseRedirect(reverse("decisions:feedback", args=[feedback.contact_id]))
    if feedback.email_status == EmailStatus.SENT:
        messages.success(request, f"Feedback sent to {to}")
    elif feedback.email_status == EmailStatus.QUEUED:
        messages.success(request, f"Feedback recorded: the e-mail to {to} is on its way")
    else:
        messages.success(
            request, "Feedback recorded: there is no e-mail address, so tell the referrer by phone"
        )
    return HttpResponseRedirect(contact_page_url(feedback.contact_id))


@casework_page
@require_POST
def feedback_resend(request: HttpRequest, feedback_id: UUID) -> HttpResponse:
    """A button, not a form page: a refusal is a message on the feedback page."""
    user = page_user(request)
    sent = feedback_get_for_user(user, feedback_id)
    require_page(user, Permission.FEEDBACK_SEND)
    try:
        feedback_email_resend(actor=user, feedback=sent)
    except Conflict as exc:
        messages.error(request, exc.message)
        return HttpResponseRedirect(reverse("decisions:feedback", args=[sent.contact_id]))
    return _after_email(request, sent, first=False)
