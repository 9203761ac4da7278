"""Improvement actions arising from case-file audits: the list, a new one, and its status."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from openmash.access.checks import require_any
from openmash.access.permissions import Permission
from openmash.accounts.models import User
from openmash.core.errors import NotFound, ValidationError
from openmash.core.identifiers import is_uuid
from openmash.hubs.models import Hub
from openmash.quality import selectors as s
from openmash.quality.forms import ActionStatusForm, ImprovementActionForm
from openmash.quality.models import CaseAudit
from openmash.quality.services import improvement_action_create, improvement_action_set_status
from openmash.web.pages import casework_page, form_add_service_errors, require_page

from .common import render_no_store, user_hub


def _audit_asked(request: HttpRequest, hub: Hub) -> CaseAudit | None:
    """The case-file audit an improvement action arises from (``?audit=``), if one is named."""
    audit_id = request.GET.get("audit") or request.POST.get("audit") or ""
    if not audit_id:
        return None
    found = (
        s.case_file_audits_for_hub(hub).filter(pk=audit_id).select_related("item").first()
        if is_uuid(audit_id)
        else None
    )
    if found is None:
        raise NotFound("Audit not found")
    return found


def _improvement_action_add(
    request: HttpRequest,
    user: User,
    hub: Hub,
    form: ImprovementActionForm,
    audit_row: CaseAudit | None,
) -> bool:
    """Add an improvement action from the valid form; False (errors on the form) if refused."""
    data = form.cleaned_data
    try:
        improvement_action_create(
            actor=user,
            hub=hub,
            description=data["description"],
            due_date=data["due_date"],
            owner_agency=hub.agencies.filter(pk=data["owner_agency"]).first()
            if data["owner_agency"]
            else None,
            owner=User.objects.filter(pk=data["owner"], agency__hub=hub).first()
            if data["owner"]
            else None,
            audit=audit_row,
        )
    except ValidationError as exc:
        form_add_service_errors(form, exc)
        return False
    messages.success(request, "Improvement action added.")
    return True


@casework_page
@require_http_methods(["GET", "POST"])
def actions(request: HttpRequest) -> HttpResponse:
    user, hub = user_hub(request)
    require_any(user, Permission.CASE_AUDIT, Permission.QUALITY_MANAGE)
    audit_row = _audit_asked(request, hub)
    form = ImprovementActionForm(request.POST or None, hub=hub) if s.can_manage(user) else None
    status = 200
    if request.method == "POST":
        require_page(user, Permission.QUALITY_MANAGE)
        assert form is not None
        if form.is_valid() and _improvement_action_add(request, user, hub, form, audit_row):
            return HttpResponseRedirect(reverse("quality:actions"))
        status = 422
    today = timezone.localdate()
    rows = [
        {"action": a, "overdue": s.is_overdue(a, today)}
        for a in s.improvement_actions_visible_to(user)
    ]
    context = {"rows": rows, "form": form, "audit": audit_row, "can_manage": s.can_manage(user)}
    return render_no_store(request, "quality/actions.html", context, status)


@casework_page
@require_http_methods(["GET", "POST"])
def action_edit(request: HttpRequest, action_id: str) -> HttpResponse:
    user, _hub = user_hub(request)
    require_page(user, Permission.QUALITY_MANAGE)
    action = s.improvement_action_get_for_user(user, action_id)
    form = ActionStatusForm(request.POST or None, initial={"status": action.status})
    if request.method == "POST" and form.is_valid():
        improvement_action_set_status(actor=user, action=action, status=form.cleaned_data["status"])
        messages.success(request, "Improvement action updated.")
        return HttpResponseRedirect(reverse("quality:actions"))
    status = 422 if request.method == "POST" else 200
    context = {"form": form, "action": action, "overdue": s.is_overdue(action)}
    return render_no_store(request, "quality/action_edit.html", context, status)
