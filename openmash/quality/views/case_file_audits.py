"""Case-file audits: grading a sampled case file, its moderation, and the grade trends."""

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from openmash.access.checks import require_any
from openmash.access.permissions import Permission
from openmash.accounts.models import User
from openmash.audit.services import audit_list_read
from openmash.core.errors import NotFound, ValidationError
from openmash.quality import selectors as s
from openmash.quality.figures import grade_trend_chart
from openmash.quality.forms import AuditForm, ModerationForm
from openmash.quality.services import GradeInput, case_file_audit_moderate, case_file_audit_record
from openmash.reporting.charts import chart_csv_response
from openmash.web.pages import casework_page, form_add_service_errors

from .common import render_no_store, user_hub


def _grades_for(form: AuditForm) -> dict[str, GradeInput]:
    return {
        str(c.pk): GradeInput(
            grade=form.cleaned_data.get(f"grade_{c.pk}") or "",
            comment=form.cleaned_data.get(f"comment_{c.pk}") or "",
        )
        for c in form.criteria
        if form.cleaned_data.get(f"grade_{c.pk}")
    }


def _audit_field(key: str) -> str | None:
    head, _, tail = key.partition(".")
    if head == "grades":
        return f"grade_{tail}"
    if head == "comments" and tail:
        return f"comment_{tail}"
    return key


@casework_page
@require_http_methods(["GET", "POST"])
def case_file_audit(request: HttpRequest, item_id: str) -> HttpResponse:
    user, hub = user_hub(request)
    item = s.item_get_for_user(user, item_id)
    if request.method == "GET":  # the page shows the case file's contact: a consultation
        audit_list_read(actor=user, kind="case_file_audit", objects=[item.contact])
    existing = getattr(item, "audit", None)
    if existing is not None:
        return _case_file_audit_done(request, user, item)
    form = AuditForm(request.POST or None, criteria=list(s.criteria_for(hub, active_only=True)))
    if request.method == "POST":
        if form.is_valid():
            try:
                case_file_audit_record(
                    actor=user,
                    item=item,
                    grades=_grades_for(form),
                    overall_grade=form.cleaned_data["overall_grade"],
                    comments=form.cleaned_data["comments"],
                )
            except ValidationError as exc:
                form_add_service_errors(form, exc, field_for=_audit_field)
            else:
                messages.success(request, f"Audit of case file {item.order} saved.")
                return HttpResponseRedirect(reverse("quality:sample", args=[item.sample_id]))
        return render_no_store(request, "quality/audit.html", {"form": form, "item": item}, 422)
    return render_no_store(request, "quality/audit.html", {"form": form, "item": item})


def _case_file_audit_done(
    request: HttpRequest,
    user: User,
    item: Any,
    form: ModerationForm | None = None,
    status: int = 200,
) -> HttpResponse:
    audit_row = item.audit
    can_moderate = audit_row.moderated_at is None and audit_row.auditor_id != user.pk
    context = {
        "item": item,
        "audit": audit_row,
        "grades": s.case_file_audit_grades(audit_row),
        "can_moderate": can_moderate,
        "form": form or (ModerationForm() if can_moderate else None),
        "can_manage": s.can_manage(user),
    }
    return render_no_store(request, "quality/audit_done.html", context, status)


@casework_page
@require_http_methods(["POST"])
def moderate(request: HttpRequest, item_id: str) -> HttpResponse:
    user, _hub = user_hub(request)
    item = s.item_get_for_user(user, item_id)
    audit_row = getattr(item, "audit", None)
    if audit_row is None:
        raise NotFound("Audit not found")
    form = ModerationForm(request.POST)
    if form.is_valid():
        try:
            case_file_audit_moderate(
                actor=user,
                audit=audit_row,
                agree=form.agree_value,
                grade=form.cleaned_data["grade"],
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        else:
            messages.success(request, "Moderation saved.")
            return HttpResponseRedirect(reverse("quality:audit", args=[item.pk]))
    return _case_file_audit_done(request, user, item, form, 422)


@casework_page
def trends(request: HttpRequest) -> HttpResponse:
    user, hub = user_hub(request)
    require_any(user, Permission.CASE_AUDIT, Permission.QUALITY_MANAGE)
    by = "month" if request.GET.get("by") == "month" else "quarter"
    rows = s.grade_trend(hub, by=by)
    chart = grade_trend_chart(rows, f"{request.path}?by={by}&format=csv", by)
    if request.GET.get("format") == "csv":
        return chart_csv_response(chart, f"audit-grades-by-{by}.csv")
    return render_no_store(request, "quality/trends.html", {"chart": chart, "by": by, "rows": rows})
