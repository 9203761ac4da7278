"""Governance pages: read by every role of the hub; changed by managers and administrators
(GOVERNANCE_MANAGE); core documents signed by agency leads (DOCUMENT_SIGN)."""

import csv
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from openmash.access.permissions import Permission
from openmash.core.errors import Conflict, NotFound, PermissionDenied, ValidationError
from openmash.hubs.models import Participation
from openmash.web.pages import casework_page, form_add_service_errors, page_user, require_page

from .forms import (
    AgencyForm,
    DefinitionForm,
    DocumentVersionForm,
    FundingForm,
    LeadershipRoleForm,
    ThresholdsForm,
)
from .models import DocumentKind, VersionStatus, financial_year_label
from .selectors import (
    agency_get_for_user,
    core_agencies_unsigned,
    definition_for,
    document_current,
    document_sign_up,
    document_version_get_for_user,
    document_versions,
    documents_overview,
    financial_year_of,
    funding_report,
    governance_hub_for,
    leadership_role_get_for_user,
    leadership_roles,
    review_notices,
    threshold_version_get_for_user,
    threshold_versions,
    thresholds_current,
)
from .services import (
    StaffInput,
    ThresholdLevelInput,
    agency_save,
    definition_update,
    document_publish,
    document_sign,
    document_version_create,
    funding_record,
    leadership_role_remove,
    leadership_role_save,
    threshold_version_publish,
)
from .standards import standards_check


def _context(request: HttpRequest, **extra: Any) -> dict[str, Any]:
    user = page_user(request)
    hub = governance_hub_for(user)
    return {
        "hub": hub,
        "can_manage": user.can(Permission.GOVERNANCE_MANAGE),
        "can_manage_agencies": user.can(Permission.GOVERNANCE_MANAGE)
        or user.can(Permission.HUB_CONFIGURE),
        "can_sign": user.can(Permission.DOCUMENT_SIGN),
        "notices": review_notices(hub, today=timezone.localdate()),
        **extra,
    }


@casework_page
def overview(request: HttpRequest) -> HttpResponse:
    context = _context(request)
    hub = context["hub"]
    return render(
        request,
        "governance/overview.html",
        {
            **context,
            "definition": definition_for(hub),
            "roles": leadership_roles(hub),
            "documents": documents_overview(hub),
            "thresholds": thresholds_current(hub),
        },
    )


@casework_page
def definition_edit(request: HttpRequest) -> HttpResponse:
    user = page_user(request)
    context = _context(request)
    require_page(user, Permission.GOVERNANCE_MANAGE)
    hub = context["hub"]
    definition = definition_for(hub)
    initial = {
        "purpose": definition.purpose,
        "scope": hub.scope,
        "who_may_be_referred": definition.who_may_be_referred,
        "working_arrangement": definition.working_arrangement,
        "arrangement_notes": definition.arrangement_notes,
    }
    form = DefinitionForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if form.is_valid():
            try:
                definition_update(actor=user, hub=hub, **form.cleaned_data)
            except ValidationError as exc:
                form_add_service_errors(form, exc)
            else:
                messages.success(request, "The hub's definition has been saved.")
                return HttpResponseRedirect(reverse("governance:overview"))
        return render(request, "governance/definition.html", {**context, "form": form}, status=422)
    return render(request, "governance/definition.html", {**context, "form": form})


# -- Leadership --------------------------------------------------------------------------------


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
    context = _context(request)
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
    context = _context(request)
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


# -- Agencies ----------------------------------------------------------------------------------


def _require_agency_manager(context: dict[str, Any]) -> None:
    if not context["can_manage_agencies"]:
        raise PermissionDenied("You do not have permission to do that.")


@casework_page
def agencies(request: HttpRequest) -> HttpResponse:
    user = page_user(request)
    context = _context(request)
    hub = context["hub"]
    form = AgencyForm(request.POST or None) if context["can_manage_agencies"] else None
    status = 200
    if request.method == "POST":
        _require_agency_manager(context)
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
    context = _context(request)
    _require_agency_manager(context)
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


# -- Core documents ------------------------------------------------------------------------------


@casework_page
def documents(request: HttpRequest) -> HttpResponse:
    context = _context(request)
    hub = context["hub"]
    return render(
        request,
        "governance/documents.html",
        {
            **context,
            "documents": documents_overview(hub),
            "history": list(
                document_versions(hub)
                .filter(status=VersionStatus.SUPERSEDED)
                .order_by("kind", "-effective_from")
            ),
        },
    )


@casework_page
def document_new(request: HttpRequest) -> HttpResponse:
    user = page_user(request)
    context = _context(request)
    require_page(user, Permission.GOVERNANCE_MANAGE)
    kind = request.GET.get("kind", "")
    initial = {"kind": kind} if kind in DocumentKind.values else {}
    form = DocumentVersionForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if form.is_valid():
            try:
                version = document_version_create(
                    actor=user, hub=context["hub"], **form.cleaned_data
                )
            except ValidationError as exc:
                form_add_service_errors(form, exc)
            else:
                messages.success(
                    request,
                    f"Version {version.version_label} is saved and awaiting sign-up by the "
                    "agencies.",
                )
                return HttpResponseRedirect(reverse("governance:document", args=[version.pk]))
        return render(
            request, "governance/document_new.html", {**context, "form": form}, status=422
        )
    return render(request, "governance/document_new.html", {**context, "form": form})


def _document_page(
    request: HttpRequest, version_id: UUID, *, error: str = "", status: int = 200
) -> HttpResponse:
    user = page_user(request)
    context = _context(request)
    version = document_version_get_for_user(user, version_id)
    rows = document_sign_up(version)
    own = user.agency
    own_signed = any(r.agency.pk == user.agency_id and r.signed_by for r in rows)
    return render(
        request,
        "governance/document.html",
        {
            **context,
            "version": version,
            "rows": rows,
            "unsigned_core": core_agencies_unsigned(version),
            "can_sign_here": context["can_sign"]
            and own is not None
            and own.hub_id == version.hub_id
            and version.status != VersionStatus.SUPERSEDED
            and not own_signed,
            "own_signed": own_signed,
            "error": error,
            "current": document_current(context["hub"], version.kind),
        },
        status=status,
    )


@casework_page
def document(request: HttpRequest, version_id: UUID) -> HttpResponse:
    return _document_page(request, version_id)


@casework_page
def document_current_redirect(request: HttpRequest, kind: str) -> HttpResponse:
    """The current version of a kind of document: the link beside the page where it applies."""
    context = _context(request)
    current = document_current(context["hub"], kind) if kind in DocumentKind.values else None
    if current is None:
        raise NotFound("No current version")
    return HttpResponseRedirect(reverse("governance:document", args=[current.pk]))


@require_POST
@casework_page
def document_sign_view(request: HttpRequest, version_id: UUID) -> HttpResponse:
    user = page_user(request)
    require_page(user, Permission.DOCUMENT_SIGN)
    version = document_version_get_for_user(user, version_id)
    if user.agency is None:
        raise PermissionDenied("You can sign only for your own agency.")
    try:
        document_sign(actor=user, version=version, agency=user.agency)
    except Conflict as exc:
        return _document_page(request, version_id, error=exc.message, status=409)
    messages.success(
        request, f"You have signed version {version.version_label} for {user.agency.name}."
    )
    return HttpResponseRedirect(reverse("governance:document", args=[version.pk]))


@require_POST
@casework_page
def document_publish_view(request: HttpRequest, version_id: UUID) -> HttpResponse:
    user = page_user(request)
    require_page(user, Permission.GOVERNANCE_MANAGE)
    version = document_version_get_for_user(user, version_id)
    try:
        document_publish(actor=user, version=version)
    except ValidationError as exc:
        return _document_page(request, version_id, error=exc.message, status=422)
    except Conflict as exc:
        return _document_page(request, version_id, error=exc.message, status=409)
    messages.success(request, f"Version {version.version_label} is now the current version.")
    return HttpResponseRedirect(reverse("governance:document", args=[version.pk]))


# -- Thresholds --------------------------------------------------------------------------------


@casework_page
def thresholds(request: HttpRequest) -> HttpResponse:
    context = _context(request)
    hub = context["hub"]
    return render(
        request,
        "governance/thresholds.html",
        {
            **context,
            "current": thresholds_current(hub),
            "versions": threshold_versions(hub),
            "document": document_current(hub, DocumentKind.THRESHOLDS),
        },
    )


@casework_page
def threshold_version(request: HttpRequest, version_id: UUID) -> HttpResponse:
    user = page_user(request)
    context = _context(request)
    version = threshold_version_get_for_user(user, version_id)
    return render(request, "governance/threshold_version.html", {**context, "version": version})


@casework_page
def thresholds_new(request: HttpRequest) -> HttpResponse:
    user = page_user(request)
    context = _context(request)
    require_page(user, Permission.GOVERNANCE_MANAGE)
    hub = context["hub"]
    form = ThresholdsForm(request.POST or None, hub=hub, current=thresholds_current(hub))
    if request.method == "POST":
        if form.is_valid():
            try:
                version = threshold_version_publish(
                    actor=user,
                    hub=hub,
                    version_label=form.cleaned_data["version_label"],
                    effective_from=form.cleaned_data["effective_from"],
                    introduction=form.cleaned_data["introduction"],
                    red_criteria=form.cleaned_data["red_criteria"],
                    amber_criteria=form.cleaned_data["amber_criteria"],
                    green_criteria=form.cleaned_data["green_criteria"],
                    levels=[
                        ThresholdLevelInput(level=n, name=name, descriptor=d)
                        for n, name, d in form.levels()
                    ],
                )
            except ValidationError as exc:
                form_add_service_errors(
                    form,
                    exc,
                    field_for=lambda key: (
                        f"name_{key.split('.')[1]}" if key.startswith("levels.") else key
                    ),
                )
            else:
                messages.success(
                    request, f"Thresholds version {version.version_label} is now in force."
                )
                return HttpResponseRedirect(reverse("governance:thresholds"))
        return render(
            request, "governance/thresholds_new.html", {**context, "form": form}, status=422
        )
    return render(request, "governance/thresholds_new.html", {**context, "form": form})


# -- Funding -------------------------------------------------------------------------------------


@casework_page
def funding(request: HttpRequest) -> HttpResponse:
    context = _context(request)
    return render(
        request, "governance/funding.html", {**context, "years": funding_report(context["hub"])}
    )


@casework_page
def funding_csv(request: HttpRequest) -> HttpResponse:
    context = _context(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="funding-and-resources.csv"'
    writer = csv.writer(response)
    writer.writerow(
        ["financial_year", "agency", "money_gbp", "share_of_money_percent", "staff_role", "fte"]
    )
    for year in funding_report(context["hub"]):
        for row in year.rows:
            money = f"{row.amount_pence / 100:.2f}"
            share = "" if row.share_percent is None else f"{row.share_percent:.1f}"
            writer.writerow([year.label, row.agency.name, money, share, "", ""])
            for role, fte in row.fte_by_role.items():
                writer.writerow([year.label, row.agency.name, "", "", role, f"{fte:.2f}"])
    return response


@casework_page
def funding_new(request: HttpRequest) -> HttpResponse:
    user = page_user(request)
    context = _context(request)
    require_page(user, Permission.GOVERNANCE_MANAGE)
    hub = context["hub"]
    initial = {"financial_year": financial_year_of(timezone.localdate())}
    form = FundingForm(request.POST or None, hub=hub, initial=initial)
    if request.method == "POST":
        if form.is_valid():
            staff = form.staff()
            try:
                saved = funding_record(
                    actor=user,
                    hub=hub,
                    agency=hub.agencies.filter(pk=form.cleaned_data["agency"]).first()
                    if form.cleaned_data["agency"]
                    else None,
                    financial_year=form.cleaned_data["financial_year"],
                    amount_pence=form.cleaned_data["amount"],
                    notes=form.cleaned_data["notes"],
                    staff=[StaffInput(role=role, fte=fte) for role, fte, _ in staff],
                )
            except ValidationError as exc:
                rows = {f"staff.{n}": f"role_{i}" for n, (_, _, i) in enumerate(staff)}
                form_add_service_errors(form, exc, field_for=lambda key: rows.get(key, key))
            else:
                messages.success(
                    request,
                    f"{saved.agency.name}'s contribution for "
                    f"{financial_year_label(saved.financial_year)} has been recorded.",
                )
                return HttpResponseRedirect(reverse("governance:funding"))
        return render(request, "governance/funding_new.html", {**context, "form": form}, status=422)
    return render(request, "governance/funding_new.html", {**context, "form": form})


# -- Standards self-assessment -------------------------------------------------------------------


@casework_page
def standards(request: HttpRequest) -> HttpResponse:
    user = page_user(request)
    context = _context(request)
    report = standards_check(actor=user, hub=context["hub"])
    return render(request, "governance/standards.html", {**context, "report": report})
