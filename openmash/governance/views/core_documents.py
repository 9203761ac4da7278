"""Core documents: versions, their sign-up by each agency, and publication."""

from uuid import UUID

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_POST

from openmash.access.permissions import Permission
from openmash.core.errors import Conflict, NotFound, PermissionDenied, ValidationError
from openmash.governance.forms import DocumentVersionForm
from openmash.governance.models import DocumentKind, VersionStatus
from openmash.governance.selectors import (
    core_agencies_unsigned,
    document_current,
    document_sign_up,
    document_version_get_for_user,
    document_versions,
    documents_overview,
)
from openmash.governance.services import document_publish, document_sign, document_version_create
from openmash.web.pages import casework_page, form_add_service_errors, page_user, require_page

from .common import governance_context


@casework_page
def documents(request: HttpRequest) -> HttpResponse:
    context = governance_context(request)
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
    context = governance_context(request)
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
    context = governance_context(request)
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
    context = governance_context(request)
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
