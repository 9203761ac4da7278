"""The hub's figures as pages: the dashboard, the printable progress report (HTML and PDF), the
before-and-after evaluation and the monthly return.

Every page is figures only (Permission.AGGREGATES_VIEW; the return needs RETURN_SUBMIT), built
from the reporting facts by a bounded number of aggregate queries: `facts_refresh` brings the
facts up to date first, then `metrics_compute` / `evaluation_compute` count them. No page
lists, links to or names a person."""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from openmash.access.permissions import Permission
from openmash.accounts.models import User
from openmash.core.errors import NotFound, ValidationError
from openmash.hubs.models import Hub, LevelOfNeed
from openmash.web.pages import casework_page, form_add_service_errors, page_user, require_page

from .charts import Chart, chart_csv_response, csv_response
from .evaluation import (
    Evaluation,
    TurnaroundTable,
    evaluation_compute,
    evaluation_csv_rows,
    measures_csv_rows,
)
from .facts import facts_refresh
from .figures import (
    RAG_LABELS,
    chart_by_key,
    dashboard_sections,
    evaluation_chart,
    evaluation_measures_chart,
    headlines,
    outcome_label,
    source_label,
)
from .forms import EvaluationForm, PeriodFilterForm, ReturnMonthForm, quick_periods
from .metrics import Metrics, metrics_compute, monthly_series
from .monthly_return import monthly_return_build, return_csv
from .panels import dashboard_panels
from .report import filter_description, report_filename, report_pdf, report_tables


def _figures_user(request: HttpRequest, permission: Permission) -> tuple[User, Hub]:
    user = page_user(request)
    require_page(user, permission)
    hub = user.hub
    if hub is None:
        raise NotFound("Hub not found")
    return user, hub


def _no_store(response: HttpResponse) -> HttpResponse:
    # Figures change with every decision, and a shared machine must not keep them.
    response["Cache-Control"] = "no-store"
    return response


def _page(
    request: HttpRequest, template: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    user = page_user(request)
    context = context | {"perms_return": user.can(Permission.RETURN_SUBMIT)}
    return _no_store(render(request, template, context, status=status))


def _wants_csv(request: HttpRequest) -> bool:
    return request.GET.get("format") == "csv"


def _period_form(request: HttpRequest, hub: Hub) -> PeriodFilterForm:
    # Download links carry `format` and `chart`; they are not the form's fields.
    data = QueryDict(mutable=True)
    for key, values in request.GET.lists():
        if key not in ("format", "chart"):
            data.setlist(key, values)
    return PeriodFilterForm(data, hub=hub)


def _dashboard_context(request: HttpRequest, form: PeriodFilterForm) -> dict[str, Any]:
    """What the filter column needs, valid form or not."""
    period = form.cleaned_data.get("period")
    quick = []
    for label, choice in quick_periods(timezone.localdate()):
        quick.append(
            {
                "label": label,
                "url": f"{request.path}?{form.query(period=choice)}",
                "current": choice == period,
            }
        )
    return {"form": form, "quick": quick, "selected": form.selected() if period else []}


def _compute(hub: Hub, form: PeriodFilterForm) -> tuple[Metrics, list[Any]]:
    facts_refresh(hub=hub)
    metrics = metrics_compute(hub=hub, period=form.period, filters=form.filters)
    series = monthly_series(metrics)
    return metrics, series


@casework_page
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    _user, hub = _figures_user(request, Permission.AGGREGATES_VIEW)
    form = _period_form(request, hub)
    if not form.is_valid():
        context = _dashboard_context(request, form)
        return _page(request, "reporting/dashboard.html", context, status=422)
    metrics, series = _compute(hub, form)

    def csv_url(key: str) -> str:
        return f"{request.path}?{form.query(format='csv', chart=key)}"

    sections = dashboard_sections(metrics, series, csv_url)
    if _wants_csv(request):
        chart = chart_by_key(sections, request.GET.get("chart", ""))
        if chart is None:
            raise NotFound("There is no such chart")
        period = form.period
        return chart_csv_response(chart, f"{chart.id}-{period.start}-to-{period.end}.csv")
    context = _dashboard_context(request, form) | {
        "metrics": metrics,
        "headlines": headlines(metrics),
        "sections": sections,
        "filters_text": filter_description(metrics),
        "report_query": form.query(),
        # What apps above reporting show beside the figures (quality: feedback about the
        # service), registered in their AppConfig.ready().
        "dashboard_panels": dashboard_panels(hub, form.period),
    }
    return _page(request, "reporting/dashboard.html", context)


@casework_page
@require_GET
def report(request: HttpRequest) -> HttpResponse:
    _user, hub = _figures_user(request, Permission.AGGREGATES_VIEW)
    form = _period_form(request, hub)
    if not form.is_valid():
        context = _dashboard_context(request, form)
        return _page(request, "reporting/dashboard.html", context, status=422)
    metrics, series = _compute(hub, form)
    sections = dashboard_sections(metrics, series, lambda _key: "")
    context = {
        "metrics": metrics,
        "headlines": headlines(metrics),
        "tables": report_tables(metrics, series),
        "trend": sections[0].charts,
        "filters_text": filter_description(metrics),
        "query": form.query(),
    }
    return _page(request, "reporting/report.html", context)


@casework_page
@require_GET
def report_pdf_download(request: HttpRequest) -> HttpResponse:
    _user, hub = _figures_user(request, Permission.AGGREGATES_VIEW)
    form = _period_form(request, hub)
    if not form.is_valid():
        context = _dashboard_context(request, form)
        return _page(request, "reporting/dashboard.html", context, status=422)
    metrics, series = _compute(hub, form)
    response = HttpResponse(report_pdf(metrics, series), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{report_filename(metrics, "pdf")}"'
    return _no_store(response)


# -- Evaluation -------------------------------------------------------------------------------


def _evaluation_downloads(
    request: HttpRequest, evaluation: Evaluation, form: EvaluationForm
) -> tuple[dict[str, Chart], dict[str, tuple[TurnaroundTable, str]]]:
    def csv_url(key: str) -> str:
        return f"{request.path}?{form.query(format='csv', chart=key)}"

    charts = {key: evaluation_chart(table, csv_url) for key, table in evaluation.tables.items()}
    charts["measures"] = evaluation_measures_chart(evaluation, csv_url)
    tables = {
        key: (table, f"{request.path}?{form.query(format='csv', table=key)}")
        for key, table in evaluation.tables.items()
    }
    return charts, tables


@casework_page
@require_GET
def evaluation(request: HttpRequest) -> HttpResponse:
    _user, hub = _figures_user(request, Permission.AGGREGATES_VIEW)
    data = QueryDict(mutable=True)
    for key, values in request.GET.lists():
        if key not in ("format", "chart", "table"):
            data.setlist(key, values)
    form = EvaluationForm(data)
    if not form.is_valid():
        return _page(request, "reporting/evaluation.html", {"form": form}, status=422)
    before, after = form.periods
    facts_refresh(hub=hub)
    result = evaluation_compute(hub=hub, before=before, after=after)
    charts, tables = _evaluation_downloads(request, result, form)
    if _wants_csv(request):
        stamp = f"{before.start}-to-{after.end}"
        table_key, chart_key = request.GET.get("table", ""), request.GET.get("chart", "")
        if table_key == "measures":
            return csv_response(f"evaluation-measures-{stamp}.csv", measures_csv_rows(result))
        if table_key in result.tables:
            rows = evaluation_csv_rows(result.tables[table_key])
            return csv_response(f"evaluation-{table_key}-{stamp}.csv", rows)
        chart = next((c for c in charts.values() if c.id == chart_key), None)
        if chart is None:
            raise NotFound("There is no such table")
        return chart_csv_response(chart, f"evaluation-{chart.id}-{stamp}.csv")
    sections = [
        {
            "id": "decision",
            "title": "Time from receipt to decision",
            "tables": [
                (tables["decision-by-level"], charts["decision-by-level"]),
                (tables["decision-by-rag"], charts["decision-by-rag"]),
            ],
        },
        {
            "id": "screening",
            "title": "Time from receipt to screening",
            "tables": [
                (tables["screening-by-level"], charts["screening-by-level"]),
                (tables["screening-by-rag"], charts["screening-by-rag"]),
            ],
        },
    ]
    context = {
        "form": form,
        "evaluation": result,
        "sections": sections,
        "measures_chart": charts["measures"],
        "measures_csv": f"{request.path}?{form.query(format='csv', table='measures')}",
    }
    return _page(request, "reporting/evaluation.html", context)


# -- The monthly return -----------------------------------------------------------------------


def _cell(node: Any) -> dict[str, Any]:
    """A published count: its text, or "[c]" when suppressed."""
    if not isinstance(node, dict) or node.get("suppressed"):
        return {"text": "[c]", "suppressed": True}
    value = node.get("value")
    return {"text": "–" if value is None else f"{value:,}", "suppressed": False}


def _rate_cell(node: dict[str, Any]) -> dict[str, Any]:
    if node["numerator"]["suppressed"] or node["denominator"]["suppressed"]:
        return {"text": "[c]", "suppressed": True}
    percent = node.get("percent")
    text = "–" if percent is None else f"{percent:.1f}%"
    numerator, denominator = node["numerator"]["value"], node["denominator"]["value"]
    return {"text": f"{text} ({numerator:,} of {denominator:,})", "suppressed": False}


def _return_sections(document: dict[str, Any], level_names: dict[str, str]) -> list[Any]:
    contacts = document["contacts"]

    def level(key: str) -> str:
        if key == "unrated":
            return "Not rated"
        return f"Level {key}: {level_names[key]}" if key in level_names else f"Level {key}"

    def group(node: dict[str, Any], label: Any, *, skip_zero: bool = False) -> list[Any]:
        rows = []
        for key, cell in node.items():
            if skip_zero and not cell["suppressed"] and not cell["value"]:
                continue
            rows.append((label(key), _cell(cell)))
        return rows

    decision = document["turnaround"]["to_decision"]

    def hours(stats: dict[str, Any]) -> dict[str, Any]:
        if stats["count"]["suppressed"]:
            return {"text": "[c]", "suppressed": True}
        mean = stats.get("mean_hours")
        n = stats["count"]["value"]
        text = "–" if mean is None else f"{mean:,.1f} hours (n = {n:,})"
        return {"text": text, "suppressed": False}

    rate_labels = {
        "on_time": {
            "screening": "Screened on time",
            "agency_checks": "Agency checks answered on time",
            "decision": "Decided on time",
            "feedback": "Feedback on time",
        },
        "conversion": {
            "early_help": "Early help",
            "s17": "Child in need assessment (s17)",
            "s47": "Strategy discussion (s47)",
        },
        "repeat": {
            "recontacts_12m": "Re-contacts within 12 months",
            "rereferrals_12m": "Re-referrals within 12 months",
            "referrals_after_nfa_12m": "Referrals within 12 months of no further action",
        },
    }
    rates = [
        (label, _rate_cell(document[group_key][key]))
        for group_key, labels in rate_labels.items()
        for key, label in labels.items()
    ]
    rates += [
        ("Rationale recorded", _rate_cell(document["decisions"]["rationale_recorded"])),
        ("Feedback sent", _rate_cell(document["feedback"]["sent"])),
    ]
    return [
        ("Contacts", [("Contacts received", _cell(contacts["total"]))]),
        ("Contacts by RAG rating", group(contacts["by_rag"], lambda k: RAG_LABELS.get(k, k))),
        ("Contacts by level of need", group(contacts["by_level"], level)),
        ("Contacts by outcome", group(contacts["by_outcome"], outcome_label)),
        ("Contacts by source", group(contacts["by_source"], source_label, skip_zero=True)),
        (
            "Mean working hours to decision",
            [("All contacts", hours(decision["all"]))]
            + [(RAG_LABELS.get(k, k), hours(v)) for k, v in decision["by_rag"].items()]
            + [(level(k), hours(v)) for k, v in decision["by_level"].items()],
        ),
        ("Rates", rates),
    ]


@casework_page
@require_GET
def monthly_return(request: HttpRequest) -> HttpResponse:
    user, hub = _figures_user(request, Permission.RETURN_SUBMIT)
    if "month" not in request.GET:
        return _page(request, "reporting/monthly_return.html", {"form": ReturnMonthForm()})
    form = ReturnMonthForm(request.GET)
    document: dict[str, Any] | None = None
    if form.is_valid():
        year, month = form.year_month
        try:
            document = monthly_return_build(actor=user, hub=hub, year=year, month=month)
        except ValidationError as exc:
            form_add_service_errors(form, exc)
    if document is None:
        return _page(request, "reporting/monthly_return.html", {"form": form}, status=422)
    name = f"monthly-return-{hub.la_code or 'hub'}-{form.cleaned_data['month']}"
    fmt = request.GET.get("format", "")
    if fmt == "json":
        response = HttpResponse(
            json.dumps(document, indent=2, ensure_ascii=False),
            content_type="application/json; charset=utf-8",
        )
        response["Content-Disposition"] = f'attachment; filename="{name}.json"'
        return _no_store(response)
    if fmt == "csv":
        response = HttpResponse(return_csv(document), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        return _no_store(response)
    level_names = _level_names(hub)
    query = f"month={form.cleaned_data['month']}"
    context = {
        "form": form,
        "document": document,
        "month_label": form.month_labels.get(form.cleaned_data["month"], ""),
        "sections": _return_sections(document, level_names),
        "json_url": f"{request.path}?{query}&format=json",
        "csv_url": f"{request.path}?{query}&format=csv",
    }
    return _page(request, "reporting/monthly_return.html", context)


def _level_names(hub: Hub) -> dict[str, str]:
    return {str(lv.level): lv.name for lv in LevelOfNeed.objects.filter(hub=hub)}
