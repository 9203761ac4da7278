"""One decision's page, and its forms: sign-off, return, dissent (and its resolution), the
agreed actions' status. Each form posts to its own view, which re-shows this page with that
form's errors in its slot."""

from collections.abc import Callable
from typing import Any
from uuid import UUID

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from openmash.access.permissions import Permission
from openmash.core.errors import Conflict, OpenMashError, PermissionDenied, ValidationError
from openmash.decisions.scopes import (
    action_get_for_user,
    decision_get_for_user,
    dissent_get_for_user,
)
from openmash.web.flows import form_page_post, page_shower, redirect_with_message
from openmash.web.pages import (
    after_casework_url,
    casework_page,
    contact_page_url,
    page_user,
    require_page,
)

from ..forms import ActionStatusForm, DissentForm, ResolveForm, ReturnForm, SignOffForm
from ..models import DecisionStatus, DissentStatus
from ..selectors import DecisionView, decision_view_for
from ..services import (
    action_update_status,
    decision_return,
    decision_sign_off,
    dissent_record,
    dissent_resolve,
)

TEMPLATE = "decisions/detail.html"


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


@casework_page
@require_GET
def detail(request: HttpRequest, decision_id: UUID) -> HttpResponse:
    decision = decision_view_for(page_user(request), decision_id)
    return render(request, TEMPLATE, _decision_context(request, decision))


def _decision_form_post(
    request: HttpRequest,
    *,
    decision_id: UUID,
    contact_id: UUID,
    slot: str,
    form: forms.Form,
    act: Callable[[dict[str, Any]], object],
    done: str,
    refused: tuple[type[OpenMashError], ...] = (ValidationError, Conflict),
) -> HttpResponse:
    """A form of the decision page through the one flow: on a refusal the decision page again,
    with this form's errors in its slot (nothing saved); on success, on to the contact."""
    user = page_user(request)

    def context() -> dict[str, Any]:
        return _decision_context(request, decision_view_for(user, decision_id), {slot: form})

    return form_page_post(
        request,
        form=form,
        act=act,
        show=page_shower(request, TEMPLATE, context),
        done=lambda _: redirect_with_message(request, after_casework_url(user, contact_id), done),
        refused=refused,
    )


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
