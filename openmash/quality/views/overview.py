"""The quality overview: what the signed-in user may open, and the open improvement actions."""

from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from openmash.access.checks import require_any
from openmash.access.permissions import Permission
from openmash.quality import selectors as s
from openmash.web.pages import casework_page

from .common import render_no_store, user_hub


@casework_page
def overview(request: HttpRequest) -> HttpResponse:
    user, hub = user_hub(request)
    require_any(
        user,
        Permission.CASE_AUDIT,
        Permission.QUALITY_MANAGE,
        Permission.FEEDBACK_RECORD,
        Permission.AGGREGATES_VIEW,
    )
    today = timezone.localdate()
    actions = s.improvement_actions_visible_to(user).filter(status="open")
    context = {
        "hub": hub,
        "sees_audits": s.sees_case_file_audits(user),
        "can_manage": s.can_manage(user),
        "can_record": user.can(Permission.FEEDBACK_RECORD),
        "sees_feedback": s.sees_feedback_figures(user),
        "sees_outcomes": s.sees_outcomes(user),
        "open_actions": actions.count(),
        "overdue_actions": actions.filter(due_date__lt=today).count(),
        "samples": list(s.samples_visible_to(user)[:3]),
    }
    return render_no_store(request, "quality/overview.html", context)
