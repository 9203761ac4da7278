"""Feedback to the referrer: the message, and what became of its e-mail."""

from typing import TYPE_CHECKING, Any
from uuid import UUID

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from openmash.access.permissions import Permission
from openmash.contacts.models import Contact, JourneyStage
from openmash.contacts.selectors import contact_open_for
from openmash.core.errors import Conflict, PermissionDenied, ValidationError
from openmash.decisions.scopes import feedback_awaiting_get_for_user, feedback_get_for_user
from openmash.web.flows import form_page_post, page_shower
from openmash.web.pages import casework_page, contact_page_url, page_user, require_page

from ..forms import FeedbackApprovalForm, FeedbackForm
from ..models import DecisionStatus, EmailStatus, Feedback, FeedbackStatus
from ..services import (
    feedback_approval_reasons,
    feedback_approve,
    feedback_compose,
    feedback_email_resend,
    feedback_next_steps,
    feedback_return,
    feedback_send,
)

if TYPE_CHECKING:
    from openmash.accounts.models import User

TEMPLATE = "decisions/feedback.html"


def _recipient(contact: Contact) -> str:
    return contact.referrer_email or (contact.submitted_by.email if contact.submitted_by else "")


def _feedback_context(user: "User", contact: Contact, form: FeedbackForm | None) -> dict[str, Any]:
    decision = (
        contact.decisions.filter(status=DecisionStatus.SIGNED_OFF).select_related("outcome").first()
    )
    held = list(
        Feedback.all_objects.filter(contact=contact)
        .exclude(status=FeedbackStatus.SENT)
        .select_related("sent_by", "approved_by")
        .order_by("sent_at")
    )
    awaiting = next((f for f in held if f.status == FeedbackStatus.AWAITING_APPROVAL), None)
    can_send = decision is not None and contact.stage == JourneyStage.FEEDBACK and not awaiting
    steps = feedback_next_steps(decision) if decision else {}
    if form is None and can_send:
        form = FeedbackForm(next_steps=steps, initial={"next_step": next(iter(steps), "")})
    return {
        "contact": contact,
        "decision": decision,
        "form": form,
        "can_send": can_send,
        "summary": feedback_compose(contact, decision) if decision else "",
        "approval_reasons": feedback_approval_reasons(contact) if decision else [],
        "awaiting": awaiting,
        "approval_form": FeedbackApprovalForm(),
        "perms_sign_off": user.can(Permission.DECISION_SIGN_OFF),
        "returned": [f for f in held if f.status == FeedbackStatus.RETURNED],
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
        return render(request, TEMPLATE, _feedback_context(user, contact, None))
    decision = contact.decisions.filter(status=DecisionStatus.SIGNED_OFF).first()
    form = FeedbackForm(request.POST, next_steps=feedback_next_steps(decision) if decision else {})

    def send(data: dict[str, Any]) -> Feedback:
        try:
            return feedback_send(
                actor=user,
                contact=contact,
                message=data["message"],
                next_step=data.get("next_step") or "",
            )
        except (ValidationError, Conflict):
            contact.refresh_from_db()  # the page shows the contact as it is now
            raise

    return form_page_post(
        request,
        form=form,
        act=send,
        show=page_shower(request, TEMPLATE, lambda: _feedback_context(user, contact, form)),
        done=lambda sent: _after_email(request, sent, first=True),
    )


def _after_email(request: HttpRequest, feedback: Feedback, *, first: bool) -> HttpResponse:
    """Say what became of the e-mail (with the test settings' immediate task backend it has
    already been tried; with the worker it is queued). A failure stays on the feedback page,
    which offers to send it again."""
    feedback.refresh_from_db()
    to = feedback.sent_to
    if feedback.status == FeedbackStatus.AWAITING_APPROVAL:
        messages.success(
            request, "Feedback recorded: a manager must approve the note before it is sent"
        )
        return HttpResponseRedirect(reverse("decisions:feedback", args=[feedback.contact_id]))
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


@casework_page
@require_POST
def feedback_approval(request: HttpRequest, feedback_id: UUID) -> HttpResponse:
    """A manager (not the sender) approves a held message, or returns it with a note."""
    user = page_user(request)
    held = feedback_awaiting_get_for_user(user, feedback_id)
    contact = contact_open_for(user, held.contact_id, writing=True)
    require_page(user, Permission.DECISION_SIGN_OFF)
    form = FeedbackApprovalForm(request.POST)

    def act(data: dict[str, Any]) -> Feedback:
        if data["decision"] == "approve":
            return feedback_approve(actor=user, feedback=held)
        return feedback_return(actor=user, feedback=held, note=data["note"])

    def context() -> dict[str, Any]:
        return {**_feedback_context(user, contact, None), "approval_form": form}

    def done(result: Feedback) -> HttpResponse:
        if result.status == FeedbackStatus.RETURNED:
            messages.success(request, "The message has been returned to its sender")
            return HttpResponseRedirect(reverse("decisions:feedback", args=[contact.pk]))
        return _after_email(request, result, first=True)

    return form_page_post(
        request,
        form=form,
        act=act,
        show=page_shower(request, TEMPLATE, context),
        done=done,
        refused=(ValidationError, Conflict, PermissionDenied),
    )
