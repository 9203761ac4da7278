"""The hub's agencies: core or contributing."""

from uuid import UUID

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse

from openmash.access.checks import require_any
from openmash.access.permissions import Permission
from openmash.core.errors import ValidationError
from openmash.governance.forms import AgencyForm
from openmash.governance.selectors import agency_get_for_user
from openmash.governance.services import agency_save
from openmash.hubs.models import Participation
from openmash.web.pages import casework_page, form_add_service_errors, page_user

from .common import governance_context


@casework_page
def agencies(request: HttpRequest) -> HttpResponse:
    user = page_user(request)
    context = governance_context(request)
    hub = context["hub"]
    form = AgencyForm(request.POST or None) if context["can_manage_agencies"] else None
    status = 200
    if request.method == "POST":
        require_any(user, Permission.GOVERNANCE_MANAGE, Permission.HUB_CONFIGURE)
        assert form is not None
        if form.is_valid():
            try:
                added = agency_save(actor=user, hub=hub, **form.cleaned_data)
            except ValidationError as exc:
                form_add_service_errors(form, exc)
            else:
                messages.success(request, f"{added.name} has been added.")
                return HttpResponseRedirect(reverse("governance:agencies"))
        status = 422
    all_agencies = list(hub.agencies.all())
    return render(
        request,
        "governance/agencies.html",
        {
            **context,
            "form": form,
            "core": [a for a in all_agencies if a.participation == Participation.CORE],
            "contributing": [a for a in all_agencies if a.participation != Participation.CORE],
        },
        status=status,
    )


@casework_page
def agency_edit(request: HttpRequest, agency_id: UUID) -> HttpResponse:
    user = page_user(request)
    context = governance_context(request)
    require_any(user, Permission.GOVERNANCE_MANAGE, Permission.HUB_CONFIGURE)
    agency = agency_get_for_user(user, agency_id)
    initial = {
        "code": agency.code,
        "name": agency.name,
        "agency_type": agency.agency_type,
        "participation": agency.participation,
        "referral_source_code": agency.referral_source_code,
    }
    form = AgencyForm(request.POST or None, initial=initial, editing=True)
    if request.method == "POST":
        if form.is_valid():
            data = {k: v for k, v in form.cleaned_data.items() if k != "code"}
            try:
                agency_save(actor=user, hub=context["hub"], agency=agency, **data)
            except ValidationError as exc:
                form_add_service_errors(form, exc)
            else:
                messages.success(request, f"{agency.name} has been changed.")
                return HttpResponseRedirect(reverse("governance:agencies"))
        status = 422
    else:
        status = 200
    return render(
        request,
        "governance/agency_edit.html",
        {**context, "agency": agency, "form": form},
        status=status,
    )
