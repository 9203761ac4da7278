"""Screening, decision, sign-off, dissent, action and feedback pages.

Views read through gates and selectors and write only through `decisions.services`. A service's
ValidationError becomes inline errors (422), a Conflict an error summary (409), NotFound the 404
page and PermissionDenied the 403 page. Every successful POST redirects (PRG)."""

from collections.abc import Callable
from typing import Any
from uuid import UUID

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from openmash.access.gates import (
    action_get_for_user,
    contact_get_for_user,
    decision_get_for_user,
    dissent_get_for_user,
    feedback_get_for_user,
)
from openmash.access.permissions import Permission
from openmash.accounts.models import User
from openmash.contacts.models import Contact, JourneyStage
from openmash.contacts.selectors import contact_open
from openmash.core.errors import Conflict, PermissionDenied, ValidationError
from openmash.hubs.models import Agency
from openmash.hubs.selectors import (
    active_outcomes,
    enquiry_stage_for_rag,
    levels_of_need,
    timescale_description,
)
from openmash.people.selectors import agencies_suggested, contact_matches
from openmash.web.pages import (
    after_casework_url,
    casework_page,
    contact_page_url,
    form_add_service_errors,
    page_user,
    require_page,
)

from .forms import (
    DEFAULT_ACTION_ROWS,
    MAX_ACTION_ROWS,
    ActionStatusForm,
    DecisionForm,
    DissentForm,
    FeedbackForm,
    ReferralProgressForm,
    ResolveForm,
    ReturnForm,
    ScreeningForm,
    SignOffForm,
)
from .models import DecisionStatus, DissentStatus, EmailStatus, Feedback
from .selectors import DecisionView, ReferralView, decision_view_for, referral_view_for
from .services import (
    OPEN_STAGES,
    ActionInput,
    ReferralProgressInput,
    action_update_status,
    assessment_factors_default,
    decision_propose,
    decision_return,
    decision_sign_off,
    dissent_record,
    dissent_resolve,
    feedback_compose,
    feedback_email_resend,
    feedback_send,
    referral_progress_record,
    screening_record,
)


def _render_error(
    request: HttpRequest, template: str, context: dict[str, Any], form: forms.Form, exc: Exception
) -> HttpResponse:
    """Put a service error on the form and render the page with the right status."""
    if isinstance(exc, ValidationError):
        form_add_service_errors(form, exc)
        return render(request, template, context, status=422)
    assert isinstance(exc, Conflict | PermissionDenied)
    form.add_error(None, exc.message)
    return render(request, template, context, status=exc.status_code)


# -- Screening and re-rating ----------------------------------------------------------------


def _rag_hints(contact: Contact) -> dict[str, str]:
    return {
        rag: "Agencies answer within "
        + timescale_description(contact.hub, enquiry_stage_for_rag(rag))
        for rag in ("red", "amber", "green")
    }


def _screen_context(user: User, contact: Contact, form: ScreeningForm) -> dict[str, Any]:
    history = list(contact.screenings.select_related("recorded_by").order_by("recorded_at"))
    # Who the people may be, beside the rating (the same panel as on the contact page).
    matches = contact_matches(user, contact)
    suggested = agencies_suggested(matches)
    return {
        "matches": matches,
        "suggested_agencies": sorted(a.name for a in Agency.objects.filter(pk__in=list(suggested))),
        "can_review": user.can(Permission.PERSON_MERGE),
        "contact": contact,
        "form": form,
        "history": history,
        "is_rerating": contact.stage != JourneyStage.SCREENING,
        "can_rate": contact.stage in OPEN_STAGES,
        "contact_url": contact_page_url(contact.pk),
    }


@casework_page
@require_http_methods(["GET", "POST"])
def screen(request: HttpRequest, contact_id: UUID) -> HttpResponse:
    user = page_user(request)
    if request.method == "POST":
        contact = contact_get_for_user(user, contact_id)
    else:
        contact = contact_open(user, contact_id)
    require_page(user, Permission.SCREENING_RECORD)
    levels = levels_of_need(contact.hub)
    kwargs: dict[str, Any] = {"levels": levels, "rag_hints": _rag_hints(contact)}
    if request.method != "POST":
        latest = contact.screenings.order_by("-recorded_at").first()
        initial = (
            {"outcome": latest.outcome, "level_of_need": contact.level_of_need, "rag": contact.rag}
            if latest is not None
            else {}
        )
        form = ScreeningForm(initial=initial, **kwargs)
        return render(request, "decisions/screen.html", _screen_context(user, contact, form))
    form = ScreeningForm(request.POST, **kwargs)
    if not form.is_valid():
        return render(
            request, "decisions/screen.html", _screen_context(user, contact, form), status=422
        )
    data = form.cleaned_data
    was_rerating = contact.stage != JourneyStage.SCREENING
    try:
        screening_record(
            actor=user,
            contact=contact,
            outcome=data["outcome"],
            level_of_need=data["level_of_need"],
            rag=data["rag"],
            rationale=data["rationale"],
        )
    except (ValidationError, Conflict) as exc:
        contact.refresh_from_db()
        return _render_error(
            request, "decisions/screen.html", _screen_context(user, contact, form), form, exc
        )
    messages.success(request, "Contact re-rated" if was_rerating else "Screening recorded")
    return HttpResponseRedirect(contact_page_url(contact.pk))


# -- Proposing a decision -------------------------------------------------------------------


def _rows_from(request: HttpRequest) -> int:
    try:
        rows = int(request.POST.get("action_rows") or DEFAULT_ACTION_ROWS)
    except ValueError:
        rows = DEFAULT_ACTION_ROWS
    if "add_action" in request.POST:
        rows += 1
    return max(1, min(rows, MAX_ACTION_ROWS))


def _propose_context(contact: Contact, form: DecisionForm) -> dict[str, Any]:
    current = contact.decisions.filter(status=DecisionStatus.SIGNED_OFF).first()
    pending = contact.decisions.filter(status=DecisionStatus.PROPOSED).first()
    return {
        "contact": contact,
        "form": form,
        "action_rows": form.action_row_fields(),
        "can_add_rows": form.rows < MAX_ACTION_ROWS,
        "current": current,
        "pending": pending,
        "needs_screening": contact.stage == JourneyStage.SCREENING,
        "contact_url": contact_page_url(contact.pk),
    }


def _action_field_for(filled: list[int]) -> Any:
    """Service keys `actions.<i>.<field>` index the actions sent; map them to page rows."""

    def rename(key: str) -> str | None:
        if not key.startswith("actions."):
            return key
        _, index, name = key.split(".", 2)
        row = filled[int(index)]
        return f"action_{row}_{'owner_agency' if name == 'owner_agency_id' else name}"

    return rename


@casework_page
@require_http_methods(["GET", "POST"])
def propose(request: HttpRequest, contact_id: UUID) -> HttpResponse:
    user = page_user(request)
    if request.method == "POST":
        contact = contact_get_for_user(user, contact_id)
    else:
        contact = contact_open(user, contact_id)
    require_page(user, Permission.DECISION_PROPOSE)
    kwargs: dict[str, Any] = {
        "outcomes": active_outcomes(contact.hub),
        "levels": levels_of_need(contact.hub),
        "agencies": Agency.objects.filter(hub=contact.hub).order_by("name"),
    }
    if request.method != "POST":
        form = DecisionForm(initial={"level_of_need": contact.level_of_need}, **kwargs)
        return render(request, "decisions/propose.html", _propose_context(contact, form))
    form = DecisionForm(request.POST, rows=_rows_from(request), **kwargs)
    if "add_action" in request.POST:
        # Only a new empty row: nothing is saved and the service's rules are not checked yet.
        return render(request, "decisions/propose.html", _propose_context(contact, form))
    if not form.is_valid():
        return render(
            request, "decisions/propose.html", _propose_context(contact, form), status=422
        )
    data = form.cleaned_data
    filled = form.filled_action_rows()
    actions = [
        ActionInput(
            owner_agency_id=data[f"action_{row}_owner_agency"] or "",
            description=data[f"action_{row}_description"] or "",
            due_date=data[f"action_{row}_due_date"],
        )
        for row in filled
    ]
    try:
        decision_propose(
            actor=user,
            contact=contact,
            outcome_code=data["outcome"] or "",
            level_of_need=data["level_of_need"],
            rationale=data["rationale"],
            childs_voice=data["childs_voice"],
            actions=actions,
            primary_need_code=data["primary_need_code"] or "",
        )
    except ValidationError as exc:
        form_add_service_errors(form, _numbered(exc, filled), field_for=_action_field_for(filled))
        return render(
            request, "decisions/propose.html", _propose_context(contact, form), status=422
        )
    except Conflict as exc:
        form.add_error(None, exc.message)
        return render(
            request, "decisions/propose.html", _propose_context(contact, form), status=409
        )
    messages.success(request, "Decision proposed: a manager must sign it off")
    return HttpResponseRedirect(contact_page_url(contact.pk))


def _numbered(exc: ValidationError, filled: list[int]) -> ValidationError:
    """Say which action row a message is about ("Action 2: Describe the action")."""
    errors: dict[str, list[str]] = {}
    for key, messages_ in exc.errors.items():
        if key.startswith("actions."):
            number = filled[int(key.split(".")[1])] + 1
            messages_ = [f"Action {number}: {m[:1].lower()}{m[1:]}" for m in messages_]
        errors[key] = list(messages_)
    return ValidationError(exc.message, errors=errors)


# -- One decision: sign-off, return, dissent, actions --------------------------------------


def _decision_context(
    request: HttpRequest, decision: DecisionView, bound: dict[str, Any] | None = None
) -> dict[str, Any]:
    """The decision page for this user, from the projection of what they may see. `bound`
    holds the one form that was posted with errors (by its slot name), which replaces the
    empty form in that slot."""
    user = page_user(request)
    bound = bound or {}
    whole = decision.whole
    status = decision.status
    can_update_actions = (
        whole and user.can(Permission.ACTION_UPDATE) and status == DecisionStatus.SIGNED_OFF
    )
    can_resolve = whole and user.can(Permission.DISSENT_RESOLVE)
    can_judge = status == DecisionStatus.PROPOSED and user.can(Permission.DECISION_SIGN_OFF)
    own_proposal = can_judge and decision.proposed_by_id == user.pk

    def slot(name: str, make: Any, **kwargs: Any) -> Any:
        form = bound.get(name)
        return form if form is not None else make(prefix=name, **kwargs)

    action_items = [
        {
            "action": action,
            "form": slot(f"action-{action.id}", ActionStatusForm, initial={"status": action.status})
            if can_update_actions
            else None,
        }
        for action in decision.actions
    ]
    dissent_items = [
        {
            "dissent": dissent,
            "form": slot(f"resolve-{dissent.id}", ResolveForm)
            if can_resolve and dissent.status == DissentStatus.OPEN
            else None,
        }
        for dissent in decision.dissents
    ]
    failed = next(iter(bound.values()), None)
    return {
        "decision": decision,
        "whole": whole,
        "action_items": action_items,
        "dissent_items": dissent_items,
        "can_update_actions": can_update_actions,
        "own_proposal": own_proposal,
        "sign_off_form": slot("sign-off", SignOffForm) if can_judge and not own_proposal else None,
        "return_form": slot("return", ReturnForm) if can_judge else None,
        "dissent_form": slot("dissent", DissentForm)
        if decision.is_current and user.can(Permission.DECISION_DISSENT)
        else None,
        "can_propose": whole and user.can(Permission.DECISION_PROPOSE),
        "form": failed,  # the page title says "Error:" and the summary lists its errors
        "back_url": contact_page_url(decision.contact_id) if whole else reverse("enquiries:queue"),
    }


def _decision_page(
    request: HttpRequest,
    decision_id: UUID,
    slot: str,
    form: forms.Form,
    exc: Exception | None = None,
) -> HttpResponse:
    """The decision page again, with the posted form's errors: its own (422), or the service's
    (422, 409 or 403). Nothing has been saved."""
    user = page_user(request)
    context = _decision_context(request, decision_view_for(user, decision_id), {slot: form})
    if exc is None:
        return render(request, "decisions/detail.html", context, status=422)
    return _render_error(request, "decisions/detail.html", context, form, exc)


@casework_page
@require_http_methods(["GET"])
def detail(request: HttpRequest, decision_id: UUID) -> HttpResponse:
    decision = decision_view_for(page_user(request), decision_id)
    return render(request, "decisions/detail.html", _decision_context(request, decision))


def _done(request: HttpRequest, contact_id: UUID, message: str) -> HttpResponse:
    messages.success(request, message)
    return HttpResponseRedirect(after_casework_url(page_user(request), contact_id))


def _decision_form_post(
    request: HttpRequest,
    *,
    decision_id: UUID,
    contact_id: UUID,
    slot: str,
    form: forms.Form,
    act: Callable[[dict[str, Any]], object],
    done: str,
    refused: tuple[type[Exception], ...] = (ValidationError, Conflict),
) -> HttpResponse:
    """The shared flow of the forms on the decision page: an invalid form or a refused service
    call re-shows the page with the errors (nothing saved); success redirects with a message."""
    if not form.is_valid():
        return _decision_page(request, decision_id, slot, form)
    try:
        act(form.cleaned_data)
    except refused as exc:
        return _decision_page(request, decision_id, slot, form, exc)
    return _done(request, contact_id, done)


@casework_page
@require_POST
def sign_off(request: HttpRequest, decision_id: UUID) -> HttpResponse:
    user = page_user(request)
    decision = decision_get_for_user(user, decision_id)
    require_page(user, Permission.DECISION_SIGN_OFF)
    return _decision_form_post(
        request,
        decision_id=decision.pk,
        contact_id=decision.contact_id,
        slot="sign-off",
        form=SignOffForm(request.POST, prefix="sign-off"),
        act=lambda data: decision_sign_off(actor=user, decision=decision, note=data["note"]),
        done="Decision signed off",
        # Signing off one's own proposal is refused on the page, with the reason.
        refused=(ValidationError, Conflict, PermissionDenied),
    )


@casework_page
@require_POST
def return_decision(request: HttpRequest, decision_id: UUID) -> HttpResponse:
    user = page_user(request)
    decision = decision_get_for_user(user, decision_id)
    require_page(user, Permission.DECISION_SIGN_OFF)
    return _decision_form_post(
        request,
        decision_id=decision.pk,
        contact_id=decision.contact_id,
        slot="return",
        form=ReturnForm(request.POST, prefix="return"),
        act=lambda data: decision_return(actor=user, decision=decision, note=data["note"]),
        done="Decision returned to the practitioner",
    )


@casework_page
@require_POST
def dissent_create(request: HttpRequest, decision_id: UUID) -> HttpResponse:
    user = page_user(request)
    decision = decision_get_for_user(user, decision_id)
    require_page(user, Permission.DECISION_DISSENT)
    return _decision_form_post(
        request,
        decision_id=decision.pk,
        contact_id=decision.contact_id,
        slot="dissent",
        form=DissentForm(request.POST, prefix="dissent"),
        act=lambda data: dissent_record(
            actor=user, decision=decision, reason=data["reason"], escalated_to=data["escalated_to"]
        ),
        done="Your agency's disagreement has been recorded",
    )


@casework_page
@require_POST
def dissent_resolve_view(request: HttpRequest, dissent_id: UUID) -> HttpResponse:
    user = page_user(request)
    dissent = dissent_get_for_user(user, dissent_id)
    require_page(user, Permission.DISSENT_RESOLVE)
    prefix = f"resolve-{dissent.pk}"
    return _decision_form_post(
        request,
        decision_id=dissent.decision_id,
        contact_id=dissent.decision.contact_id,
        slot=prefix,
        form=ResolveForm(request.POST, prefix=prefix),
        act=lambda data: dissent_resolve(
            actor=user, dissent=dissent, resolution=data["resolution"]
        ),
        done="Disagreement resolved",
    )


@casework_page
@require_POST
def action_status(request: HttpRequest, action_id: UUID) -> HttpResponse:
    user = page_user(request)
    action = action_get_for_user(user, action_id)
    require_page(user, Permission.ACTION_UPDATE)
    prefix = f"action-{action.pk}"
    return _decision_form_post(
        request,
        decision_id=action.decision_id,
        contact_id=action.decision.contact_id,
        slot=prefix,
        form=ActionStatusForm(request.POST, prefix=prefix),
        act=lambda data: action_update_status(
            actor=user, action=action, status=data["status"] or ""
        ),
        done="Action updated",
    )


# -- Feedback to the referrer --------------------------------------------------------------


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
    if request.method == "POST":
        contact = contact_get_for_user(user, contact_id)
    else:
        contact = contact_open(user, contact_id)
    require_page(user, Permission.FEEDBACK_SEND)
    if request.method != "POST":
        return render(request, "decisions/feedback.html", _feedback_context(contact, None))
    form = FeedbackForm(request.POST)
    if not form.is_valid():
        return render(
            request, "decisions/feedback.html", _feedback_context(contact, form), status=422
        )
    try:
        sent = feedback_send(actor=user, contact=contact, message=form.cleaned_data["message"])
    except (ValidationError, Conflict) as exc:
        contact.refresh_from_db()
        return _render_error(
            request, "decisions/feedback.html", _feedback_context(contact, form), form, exc
        )
    return _after_email(request, sent, first=True)


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
    user = page_user(request)
    sent = feedback_get_for_user(user, feedback_id)
    require_page(user, Permission.FEEDBACK_SEND)
    try:
        feedback_email_resend(actor=user, feedback=sent)
    except Conflict as exc:
        messages.error(request, exc.message)
        return HttpResponseRedirect(reverse("decisions:feedback", args=[sent.contact_id]))
    return _after_email(request, sent, first=False)


# -- After a referral: assessment, section 47, closure -----------------------------------------


def _progress_context(
    contact: Contact, referral: ReferralView | None, form: ReferralProgressForm
) -> dict[str, Any]:
    return {
        "contact": contact,
        "referral": referral,
        "form": form,
        "contact_url": contact_page_url(contact.pk),
    }


@casework_page
@require_http_methods(["GET", "POST"])
def referral_progress(request: HttpRequest, contact_id: UUID) -> HttpResponse:
    user = page_user(request)
    if request.method == "POST":
        contact = contact_get_for_user(user, contact_id)
    else:
        contact = contact_open(user, contact_id)
    require_page(user, Permission.REFERRAL_PROGRESS_RECORD)
    referral = referral_view_for(contact)
    template = "decisions/referral_progress.html"
    if request.method != "POST":
        progress = referral.progress if referral is not None else None
        if progress is not None:
            names = ReferralProgressForm.base_fields
            initial = {name: getattr(progress, name) for name in names}
        else:
            initial = {"assessment_factors": assessment_factors_default(contact)}
        form = ReferralProgressForm(initial=initial)
        return render(request, template, _progress_context(contact, referral, form))
    form = ReferralProgressForm(request.POST)
    if not form.is_valid():
        return render(request, template, _progress_context(contact, referral, form), status=422)
    data = form.cleaned_data
    try:
        referral_progress_record(
            actor=user,
            contact=contact,
            data=ReferralProgressInput(
                assessment_started_on=data["assessment_started_on"],
                assessment_authorised_on=data["assessment_authorised_on"],
                assessment_factors=list(data["assessment_factors"]),
                s47_started_on=data["s47_started_on"],
                icpc_on=data["icpc_on"],
                icpc_not_required=data["icpc_not_required"],
                closed_on=data["closed_on"],
                closure_reason=data["closure_reason"] or "",
            ),
        )
    except (ValidationError, Conflict) as exc:
        return _render_error(
            request, template, _progress_context(contact, referral, form), form, exc
        )
    messages.success(request, "Referral progress recorded")
    return HttpResponseRedirect(contact_page_url(contact.pk))
