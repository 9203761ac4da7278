"""The hub's leadership (recommendation 2): named roles and the accountable manager."""

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_POST

from openmash.access.permissions import Permission
from openmash.core.errors import ValidationError
from openmash.governance.forms import LeadershipRoleForm
from openmash.governance.selectors import leadership_role_get_for_user, leadership_roles
from openmash.governance.services import leadership_role_remove, leadership_role_save
from openmash.web.pages import casework_page, form_add_service_errors, page_user, require_page

from .common import governance_context


def _role_save(
    request: HttpRequest, form: LeadershipRoleForm, context: dict[str, Any], role: Any = None
) -> bool:
    user = page_user(request)
    hub = context["hub"]
    if not form.is_valid():
        return False
    try:
        leadership_role_save(
            actor=user,
            hub=hub,
            role=role,
            agency=form.chosen_agency(hub),
            title=form.cleaned_data["title"],
            user=form.chosen_user(hub),
            person_name=form.cleaned_data["person_name"],
            responsibilities=form.cleaned_data["responsibilities"],
            is_accountable_manager=form.cleaned_data["is_accountable_manager"],
        )
    except ValidationError as exc:
        form_add_service_errors(form, exc)
        return False
    return True


@casework_page
def leadership(request: HttpRequest) -> HttpResponse:
    user = page_user(request)
    context = governance_context(request)
    hub = context["hub"]
    form = LeadershipRoleForm(request.POST or None, hub=hub) if context["can_manage"] else None
    status = 200
    if request.method == "POST":
        require_page(user, Permission.GOVERNANCE_MANAGE)
        assert form is not None
        if _role_save(request, form, context):
            messages.success(request, "The role has been added.")
            return HttpResponseRedirect(reverse("governance:leadership"))
        status = 422
    return render(
        request,
        "governance/leadership.html",
        {**context, "roles": leadership_roles(hub), "form": form},
        status=status,
    )


@casework_page
def leadership_edit(request: HttpRequest, role_id: UUID) -> HttpResponse:
    user = page_user(request)
    context = governance_context(request)
    require_page(user, Permission.GOVERNANCE_MANAGE)
    role = leadership_role_get_for_user(user, role_id)
    initial = {
        "title": role.title,
        "agency": str(role.agency_id),
        "user": str(role.user_id) if role.user_id else "",
        "person_name": role.person_name,
        "responsibilities": role.responsibilities,
        "is_accountable_manager": "yes" if role.is_accountable_manager else "no",
    }
    form = LeadershipRoleForm(request.POST or None, hub=context["hub"], initial=initial)
    if request.method == "POST":
        if _role_save(request, form, context, role):
            messages.success(request, "The role has been changed.")
            return HttpResponseRedirect(reverse("governance:leadership"))
        status = 422
    else:
        status = 200
    return render(
        request,
        "governance/leadership_edit.html",
        {**context, "role": role, "form": form},
        status=status,
    )


@require_POST
@casework_page
def leadership_remove(request: HttpRequest, role_id: UUID) -> HttpResponse:
    user = page_user(request)
    require_page(user, Permission.GOVERNANCE_MANAGE)
    role = leadership_role_get_for_user(user, role_id)
    leadership_role_remove(actor=user, role=role)
    messages.success(request, f"The role {role.title} has been removed.")
    return HttpResponseRedirect(reverse("governance:leadership"))
