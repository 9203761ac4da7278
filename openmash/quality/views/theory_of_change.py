"""The theory of change: activities, outputs and outcomes, and each outcome's indicator."""

from datetime import date
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from openmash.access.permissions import Permission
from openmash.accounts.models import User
from openmash.core.errors import Conflict, ValidationError
from openmash.hubs.models import Hub
from openmash.quality import selectors as s
from openmash.quality.figures import indicator_chart
from openmash.quality.forms import IndicatorValueForm, OutcomeForm, StepForm
from openmash.quality.models import ChangeStep, Grade, IndicatorSource, StepKind
from openmash.quality.services import change_step_create, indicator_value_record, outcome_create
from openmash.reporting.charts import chart_csv_response
from openmash.web.pages import casework_page, form_add_service_errors, require_page

from .common import TREND_MONTHS, render_no_store, user_hub


def _step_add(request: HttpRequest, user: User, hub: Hub, form: StepForm) -> bool:
    """Add an activity or output from the valid form; False (errors on the form) if refused."""
    try:
        change_step_create(
            actor=user,
            hub=hub,
            kind=form.cleaned_data["kind"],
            title=form.cleaned_data["title"],
            description=form.cleaned_data["description"],
        )
    except ValidationError as exc:
        form_add_service_errors(form, exc)
        return False
    messages.success(request, "Added to the theory of change.")
    return True


def _outcome_add(
    request: HttpRequest, user: User, hub: Hub, form: OutcomeForm, steps: list[ChangeStep]
) -> bool:
    """Add an outcome from the valid form; False (errors on the form) if refused."""
    data = form.cleaned_data
    chosen = [st for st in steps if str(st.pk) in set(data["leads_from"])]
    try:
        outcome_create(
            actor=user,
            hub=hub,
            title=data["title"],
            description=data["description"],
            source=data["source"],
            indicator_key=data["indicator_key"],
            indicator_name=data["indicator_name"],
            unit=data["unit"],
            target=data["target"],
            leads_from=chosen,
        )
    except ValidationError as exc:
        form_add_service_errors(form, exc)
        return False
    messages.success(request, "Outcome added.")
    return True


def _outcome_rows(hub: Hub) -> list[dict[str, Any]]:
    months = s.months_back(TREND_MONTHS)
    return [
        {
            "outcome": o,
            "indicator": s.indicator_label(o),
            "latest": s.indicator_latest(o, months[-3:]),
            "national": s.national_measure_of(o),
        }
        for o in s.outcomes_for(hub)
    ]


@casework_page
@require_http_methods(["GET", "POST"])
def outcomes(request: HttpRequest) -> HttpResponse:
    user, hub = user_hub(request)
    if not s.sees_outcomes(user):
        require_page(user, Permission.QUALITY_MANAGE)
    steps = s.steps_for(hub)
    manage = s.can_manage(user)
    posted = request.POST
    step_form = (
        StepForm(posted if "add_step" in posted else None, prefix="step") if manage else None
    )
    outcome_form = (
        OutcomeForm(posted if "add_outcome" in posted else None, steps=steps, prefix="outcome")
        if manage
        else None
    )
    status = 200
    if request.method == "POST":
        require_page(user, Permission.QUALITY_MANAGE)
        assert step_form is not None and outcome_form is not None
        if "add_step" in posted and step_form.is_valid():
            if _step_add(request, user, hub, step_form):
                return HttpResponseRedirect(reverse("quality:outcomes"))
        elif (
            "add_outcome" in posted
            and outcome_form.is_valid()
            and _outcome_add(request, user, hub, outcome_form, steps)
        ):
            return HttpResponseRedirect(reverse("quality:outcomes"))
        status = 422
    invalid = next((f for f in (step_form, outcome_form) if f is not None and f.errors), None)
    context = {
        "activities": [st for st in steps if st.kind == StepKind.ACTIVITY],
        "outputs": [st for st in steps if st.kind == StepKind.OUTPUT],
        "rows": _outcome_rows(hub),
        "step_form": step_form,
        "outcome_form": outcome_form,
        "form": invalid,  # the page title says "Error:" when a form was refused
        "can_manage": manage,
    }
    return render_no_store(request, "quality/outcomes.html", context, status)


def _month_choices(count: int = 24) -> list[tuple[str, str]]:
    return [(m.isoformat(), f"{m:%B %Y}") for m in reversed(s.months_back(count))]


@casework_page
@require_http_methods(["GET", "POST"])
def outcome_detail(request: HttpRequest, outcome_id: str) -> HttpResponse:
    user, hub = user_hub(request)
    outcome = s.outcome_get_for_user(user, outcome_id)
    recorded = outcome.source == IndicatorSource.RECORDED
    form = (
        IndicatorValueForm(request.POST or None, months=_month_choices())
        if recorded and s.can_manage(user)
        else None
    )
    status = 200
    if request.method == "POST":
        require_page(user, Permission.QUALITY_MANAGE)
        if form is None:
            raise Conflict("This indicator is computed from the monitoring figures.")
        if form.is_valid():
            month = form.cleaned_data["month"]
            try:
                indicator_value_record(
                    actor=user,
                    outcome=outcome,
                    month=date.fromisoformat(month) if month else None,
                    value=form.cleaned_data["value"],
                    note=form.cleaned_data["note"],
                )
            except ValidationError as exc:
                form_add_service_errors(form, exc)
            else:
                messages.success(request, "Value recorded.")
                return HttpResponseRedirect(reverse("quality:outcome", args=[outcome.pk]))
        status = 422
    months = s.months_back(TREND_MONTHS)
    points = s.indicator_series(outcome, months)
    chart = indicator_chart(outcome, points, f"{request.path}?format=csv")
    if request.GET.get("format") == "csv":
        return chart_csv_response(chart, f"outcome-indicator-{months[0]}-to-{months[-1]}.csv")
    context = {
        "outcome": outcome,
        "indicator": s.indicator_label(outcome),
        "chart": chart,
        "form": form,
        "recorded": recorded,
        "national_measure": s.national_measure_of(outcome),
        "has_national": any(p.national is not None for p in points),
        "leads_from": list(outcome.leads_from.all()),
        "grades": Grade,
    }
    return render_no_store(request, "quality/outcome.html", context, status)
