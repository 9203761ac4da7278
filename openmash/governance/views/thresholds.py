"""The hub's local thresholds: the version in force, earlier versions, and a new one."""

from uuid import UUID

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse

from openmash.access.permissions import Permission
from openmash.core.errors import ValidationError
from openmash.governance.forms import ThresholdsForm
from openmash.governance.models import DocumentKind
from openmash.governance.selectors import (
    document_current,
    threshold_version_get_for_user,
    threshold_versions,
    thresholds_current,
)
from openmash.governance.services import ThresholdLevelInput, threshold_version_publish
from openmash.web.pages import casework_page, form_add_service_errors, page_user, require_page

from .common import governance_context


@casework_page
def thresholds(request: HttpRequest) -> HttpResponse:
    context = governance_context(request)
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
    context = governance_context(request)
    version = threshold_version_get_for_user(user, version_id)
    return render(request, "governance/threshold_version.html", {**context, "version": version})


@casework_page
def thresholds_new(request: HttpRequest) -> HttpResponse:
    user = page_user(request)
    context = governance_context(request)
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
