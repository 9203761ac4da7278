"""Case-file audit criteria: managers add and change them; auditors read them."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from openmash.access.checks import require_any
from openmash.access.permissions import Permission
from openmash.core.errors import ValidationError
from openmash.quality import selectors as s
from openmash.quality.forms import CriterionForm
from openmash.quality.services import case_file_audit_criterion_save
from openmash.web.pages import casework_page, form_add_service_errors, require_page

from .common import render_no_store, user_hub


@casework_page
@require_http_methods(["GET", "POST"])
def criteria(request: HttpRequest) -> HttpResponse:
    user, hub = user_hub(request)
    require_any(user, Permission.QUALITY_MANAGE, Permission.CASE_AUDIT)
    form = CriterionForm(request.POST or None) if s.can_manage(user) else None
    status = 200
    if request.method == "POST":
        require_page(user, Permission.QUALITY_MANAGE)
        assert form is not None
        if form.is_valid():
            try:
                case_file_audit_criterion_save(
                    actor=user,
                    hub=hub,
                    code=form.cleaned_data["code"],
                    question=form.cleaned_data["question"],
                    guidance=form.cleaned_data["guidance"],
                    active=form.cleaned_data["active"],
                    order=form.cleaned_data["order"] or 0,
                )
            except ValidationError as exc:
                form_add_service_errors(form, exc)
            else:
                messages.success(request, "Criterion added.")
                return HttpResponseRedirect(reverse("quality:criteria"))
        status = 422
    context = {"hub": hub, "criteria": list(s.criteria_for(hub)), "form": form}
    return render_no_store(request, "quality/criteria.html", context, status)


@casework_page
@require_http_methods(["GET", "POST"])
def criterion_edit(request: HttpRequest, criterion_id: str) -> HttpResponse:
    user, hub = user_hub(request)
    criterion = s.criterion_get_for_user(user, criterion_id)
    form = CriterionForm(request.POST or None, criterion=criterion)
    if request.method == "POST":
        if form.is_valid():
            try:
                case_file_audit_criterion_save(
                    actor=user,
                    hub=hub,
                    criterion=criterion,
                    code=criterion.code,
                    question=form.cleaned_data["question"],
                    guidance=form.cleaned_data["guidance"],
                    active=form.cleaned_data["active"],
                    order=form.cleaned_data["order"] or 0,
                )
            except ValidationError as exc:
                form_add_service_errors(form, exc)
            else:
                messages.success(request, "Criterion saved.")
                return HttpResponseRedirect(reverse("quality:criteria"))
        context = {"form": form, "criterion": criterion}
        return render_no_store(request, "quality/criterion_edit.html", context, 422)
    return render_no_store(
        request, "quality/criterion_edit.html", {"form": form, "criterion": criterion}
    )
