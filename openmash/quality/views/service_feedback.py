"""Feedback about the service: referrers' ratings and families' feedback, summarised."""

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone

from openmash.access.permissions import Permission
from openmash.quality import selectors as s
from openmash.quality.figures import feedback_trend_chart
from openmash.quality.forms import FamilyFeedbackForm
from openmash.reporting.charts import chart_csv_response
from openmash.web.pages import casework_page, require_page

from .common import TREND_MONTHS, render_no_store, user_hub


@casework_page
def feedback(request: HttpRequest) -> HttpResponse:
    user, hub = user_hub(request)
    if not s.sees_feedback_figures(user):
        require_page(user, Permission.AGGREGATES_VIEW)
    months = s.months_back(TREND_MONTHS)
    start, end = months[0], timezone.localdate()
    chart = feedback_trend_chart(s.feedback_by_month(hub, months), f"{request.path}?format=csv")
    if request.GET.get("format") == "csv":
        return chart_csv_response(chart, f"feedback-by-month-{start}-to-{end}.csv")
    summary = s.feedback_summary(hub, start, end)
    comments = s.sees_feedback_comments(user)
    context = {
        "hub": hub,
        "summary": summary,
        "chart": chart,
        "respondents": [
            (label, summary.by_respondent[key])
            for key, label in FamilyFeedbackForm.base_fields["respondent"].choices  # type: ignore[attr-defined]
        ],
        "family_comments": s.family_comments(hub) if comments else [],
        "referrer_comments": s.referrer_comments(hub) if comments else [],
        "shows_comments": comments,
        "shows_audits": s.sees_case_file_audits(user),
        "can_record": user.can(Permission.FEEDBACK_RECORD),
        "public_url": request.build_absolute_uri(reverse("quality:have-your-say", args=[hub.pk])),
        "small_number": s.SMALL_NUMBER,
    }
    return render_no_store(request, "quality/feedback.html", context)
