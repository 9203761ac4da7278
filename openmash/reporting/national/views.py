"""Pages of the national view: the overview, hubs benchmarked, trends, the imported returns and
the import page. Figures only: these pages read imported returns and their measures, never a
contact or a person, so an analyst (aggregates only) sees everything here.

The views reverse their own URLs in the namespace they were reached through, so the app works
wherever it is mounted ("national:" or "reporting:national:")."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from openmash.access.permissions import Permission
from openmash.reporting.charts import Chart, ChartKind, Reference, Series, chart_csv_response
from openmash.reporting.charts import csv_response as make_csv
from openmash.web.pages import casework_page, page_user, require_page

from . import selectors
from .forms import FilterForm, ImportForm
from .measures import (
    BY_KEY,
    DEFAULT_BENCHMARK,
    GROUP_TITLES,
    RATE_SPECS,
    Kind,
    MeasureSpec,
    group_label,
)
from .selectors import Period
from .services import FileResult, ImportStatus, returns_import_many

RETURNS_SHOWN = 500
AT_LEAST = "at least"


@dataclass(frozen=True)
class Filters:
    period: Period
    hub_code: str  # "" for every hub
    hub_name: str
    spec: MeasureSpec


def _ns(request: HttpRequest) -> str:
    match = request.resolver_match
    return match.namespace if match is not None and match.namespace else "national"


def _url(request: HttpRequest, name: str, *args: object) -> str:
    return reverse(f"{_ns(request)}:{name}", args=args)


def _month(text: str) -> date:
    year, month = text.split("-")
    return date(int(year), int(month), 1)


def _filters(
    request: HttpRequest, *, with_measure: bool, latest_only: bool = False
) -> tuple[FilterForm, Filters | None]:
    """The filter form (always bound: the defaults where the query string says nothing) and,
    when there are returns and the form is valid, the filters it chose."""
    months = selectors.months_imported()
    hubs = selectors.hubs_imported()
    default = selectors.default_period()
    data: dict[str, Any] = {"hub": "", "measure": DEFAULT_BENCHMARK}
    if default is not None:
        start = default.end if latest_only else default.start
        data |= {"from_month": f"{start:%Y-%m}", "to_month": f"{default.end:%Y-%m}"}
    data |= {k: v for k, v in request.GET.items() if v}
    form = FilterForm(data, months=months, hubs=hubs, with_measure=with_measure)
    if default is None or not form.is_valid():
        return form, None
    cleaned = form.cleaned_data
    hub_code = cleaned.get("hub") or ""
    spec = BY_KEY[cleaned.get("measure") or DEFAULT_BENCHMARK]
    period = Period(_month(cleaned["from_month"]), _month(cleaned["to_month"]))
    return form, Filters(period, hub_code, hubs.get(hub_code, ""), spec)


def _links(request: HttpRequest) -> dict[str, str]:
    query = request.GET.urlencode()
    suffix = f"?{query}" if query else ""
    user = page_user(request)
    return {
        "overview_url": _url(request, "overview") + suffix,
        "benchmark_url": _url(request, "benchmark") + suffix,
        "trends_url": _url(request, "trends") + suffix,
        "returns_url": _url(request, "returns"),
        "import_url": _url(request, "import") if user.can(Permission.RETURNS_IMPORT) else "",
    }


CsvUrl = Callable[[str], str]


def _csv_url_for(request: HttpRequest, page: str) -> CsvUrl:
    query = request.GET.urlencode()

    def url(chart_id: str) -> str:
        base = _url(request, "chart-csv", page, chart_id)
        return f"{base}?{query}" if query else base

    return url


def _month_labels(period: Period) -> list[str]:
    return [f"{m:%b %Y}" for m in selectors.month_range(period)]


def _decimals(spec: MeasureSpec) -> int:
    return 0 if spec.kind == Kind.COUNT else 1


def _unit(spec: MeasureSpec) -> str:
    return {"%": "%", "h": " h", "": ""}[spec.unit]


# -- Page builders (shared by the pages and their CSV downloads) --------------------------------


@dataclass(frozen=True)
class Overview:
    coverage: selectors.Coverage
    contacts: selectors.Total | None
    charts: list[Chart]


def overview_build(f: Filters, csv_url: CsvUrl) -> Overview:
    hubs = [f.hub_code] if f.hub_code else None
    where = f.hub_name if f.hub_code else "All hubs"
    totals = selectors.national_totals(f.period, hub_codes=hubs)
    charts: list[Chart] = []

    contacts_spec = BY_KEY["contacts"]
    points = selectors.trend(contacts_spec, f.period, hub_codes=hubs)
    charts.append(
        Chart(
            id="contacts-by-month",
            kind=ChartKind.COLUMN,
            title=f"{where}: contacts received each month",
            categories=_month_labels(f.period),
            series=[
                Series(
                    "Contacts",
                    [p.value for p in points],
                    notes=[AT_LEAST if p.left_out else "" for p in points],
                )
            ],
            value_label="Contacts",
            category_label="Month",
            summary="A month marked \u201cat least\u201d had a hub whose count was suppressed.",
            csv_url=csv_url("contacts-by-month"),
        )
    )
    for group in ("by_source", "by_rag", "by_level", "by_outcome"):
        prefix = f"contacts.{group}."
        rows = sorted(
            (t for m, t in totals.items() if m.startswith(prefix)),
            key=lambda t: (-t.value, t.measure),
        )
        chart_id = f"contacts-{group.replace('_', '-')}"
        charts.append(
            Chart(
                id=chart_id,
                kind=ChartKind.BAR,
                title=f"{where}: {GROUP_TITLES[group][0]}",
                categories=[group_label(group, t.measure.removeprefix(prefix)) for t in rows],
                series=[
                    Series(
                        "Contacts",
                        # Every hub-month suppressed: no figure at all, not "at least 0".
                        [None if t.suppressed == t.reported else t.value for t in rows],
                        notes=[
                            AT_LEAST if t.at_least and t.suppressed < t.reported else ""
                            for t in rows
                        ],
                    )
                ],
                value_label="Contacts",
                category_label=GROUP_TITLES[group][1],
                summary="Figures marked \u201cat least\u201d leave out hubs that suppressed a "
                "small count.",
                csv_url=csv_url(chart_id),
                extra_columns=[("Hub-months suppressed", [str(t.suppressed) for t in rows])],
            )
        )
    measures = [s.measure for s in RATE_SPECS]
    national = selectors.national_rates(f.period, measures)
    series = [Series("All hubs", [_pct(national.get(s.measure)) for s in RATE_SPECS])]
    left_out = [str(_left_out(national.get(s.measure))) for s in RATE_SPECS]
    extra = [("Hub-months left out (all hubs)", left_out)]
    if hubs:
        local = selectors.national_rates(f.period, measures, hub_codes=hubs)
        series.append(Series(f.hub_name, [_pct(local.get(s.measure)) for s in RATE_SPECS]))
        extra.append(
            (
                f"Months left out ({f.hub_name})",
                [str(_left_out(local.get(s.measure))) for s in RATE_SPECS],
            )
        )
    charts.append(
        Chart(
            id="rates",
            kind=ChartKind.BAR,
            title="Timeliness, conversion and repeat contacts"
            + (f": {f.hub_name} and all hubs" if hubs else ": all hubs"),
            categories=[s.label for s in RATE_SPECS],
            series=series,
            value_label="Per cent",
            category_label="Measure",
            unit="%",
            decimals=1,
            summary="Each rate pools every hub: the sum of numerators over the sum of "
            "denominators, leaving out hub-months where either was suppressed.",
            csv_url=csv_url("rates"),
            extra_columns=extra,
        )
    )
    contacts = totals.get("contacts.total")
    return Overview(selectors.coverage(f.period, hubs), contacts, charts)


def _pct(rate: selectors.Rate | None) -> float | None:
    return rate.percent if rate is not None else None


def _left_out(rate: selectors.Rate | None) -> int:
    return rate.left_out if rate is not None else 0


def benchmark_build(f: Filters, csv_url: CsvUrl) -> tuple[selectors.Benchmark, list[Chart]]:
    bench = selectors.hub_benchmark(f.spec, f.period)
    spec = f.spec
    references = []
    if bench.median is not None:
        references.append(Reference("the median hub", bench.median))
    hubs = bench.hubs
    direction = {
        True: "Hubs are ranked best first (higher is better).",
        False: "Hubs are ranked best first (lower is better).",
        None: "Hubs are ranked from the highest figure to the lowest; neither end is better.",
    }[spec.higher_is_better]
    chart = Chart(
        id="benchmark",
        kind=ChartKind.BAR,
        title=f"{spec.label}, {f.period}: each hub",
        categories=[f"{h.hub_name} ({h.hub_code})" for h in hubs],
        series=[Series(spec.label, [h.value for h in hubs])],
        value_label=spec.label if spec.kind == Kind.COUNT else spec.unit_label.capitalize(),
        category_label="Hub",
        unit=_unit(spec),
        decimals=_decimals(spec),
        summary=direction,
        csv_url=csv_url("benchmark"),
        highlight=f"{f.hub_name} ({f.hub_code})" if f.hub_code else None,
        references=references,
        extra_columns=[
            ("Rank", [str(h.rank or "") for h in hubs]),
            ("Quartile", [str(h.quartile or "") for h in hubs]),
            ("Months reported", [str(h.months) for h in hubs]),
            ("Months left out (suppressed)", [str(h.left_out) for h in hubs]),
        ],
    )
    return bench, [chart]


def trends_build(f: Filters, csv_url: CsvUrl) -> list[Chart]:
    spec = f.spec
    national = selectors.trend(spec, f.period, per_hub=spec.kind == Kind.COUNT)
    label = "All hubs (mean per hub)" if spec.kind == Kind.COUNT else "All hubs"
    series = [Series(label, [p.value for p in national])]
    if f.hub_code:
        local = selectors.trend(spec, f.period, hub_codes=[f.hub_code])
        rate = spec.kind == Kind.RATE
        series.append(
            Series(
                f.hub_name,
                [p.value for p in local],
                lower=[p.lower for p in local] if rate else None,
                upper=[p.upper for p in local] if rate else None,
            )
        )
    summary = "Month by month, pooled across every hub that sent a return."
    if f.hub_code and spec.kind == Kind.RATE:
        summary += f" Error bars show the 95% interval of {f.hub_name}'s monthly figure."
    chart = Chart(
        id="trend",
        kind=ChartKind.LINE,
        title=f"{spec.label}, month by month"
        + (f": {f.hub_name} and all hubs" if f.hub_code else ": all hubs"),
        categories=_month_labels(f.period),
        series=series,
        value_label=spec.label if spec.kind == Kind.COUNT else spec.unit_label.capitalize(),
        category_label="Month",
        unit=_unit(spec),
        decimals=_decimals(spec),
        summary=summary,
        csv_url=csv_url("trend"),
        extra_columns=[("Hubs reporting", [str(p.hubs) for p in national])],
    )
    return [chart]


# -- Pages ------------------------------------------------------------------------------------


def _page(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    status = 422 if context["form"].errors else 200
    return render(request, template, context | _links(request), status=status)


@casework_page
@require_GET
def overview(request: HttpRequest) -> HttpResponse:
    require_page(page_user(request), Permission.AGGREGATES_VIEW)
    form, filters = _filters(request, with_measure=False)
    built = overview_build(filters, _csv_url_for(request, "overview")) if filters else None
    return _page(
        request,
        "reporting/national/overview.html",
        {"form": form, "filters": filters, "overview": built, "current": "overview"},
    )


@casework_page
@require_GET
def benchmark(request: HttpRequest) -> HttpResponse:
    require_page(page_user(request), Permission.AGGREGATES_VIEW)
    form, filters = _filters(request, with_measure=True)
    bench, charts = (
        benchmark_build(filters, _csv_url_for(request, "benchmark")) if filters else (None, [])
    )
    return _page(
        request,
        "reporting/national/benchmark.html",
        {
            "form": form,
            "filters": filters,
            "bench": bench,
            "charts": charts,
            "current": "benchmark",
        },
    )


@casework_page
@require_GET
def trends(request: HttpRequest) -> HttpResponse:
    require_page(page_user(request), Permission.AGGREGATES_VIEW)
    form, filters = _filters(request, with_measure=True)
    charts = trends_build(filters, _csv_url_for(request, "trends")) if filters else []
    return _page(
        request,
        "reporting/national/trends.html",
        {"form": form, "filters": filters, "charts": charts, "current": "trends"},
    )


BUILDERS: dict[str, Callable[[Filters, CsvUrl], list[Chart]]] = {
    "overview": lambda f, u: overview_build(f, u).charts,
    "benchmark": lambda f, u: benchmark_build(f, u)[1],
    "trends": trends_build,
}


@casework_page
@require_GET
def chart_csv(request: HttpRequest, page: str, chart: str) -> HttpResponse:
    require_page(page_user(request), Permission.AGGREGATES_VIEW)
    builder = BUILDERS.get(page)
    if builder is None:
        raise Http404("No such page")
    _, filters = _filters(request, with_measure=page != "overview")
    if filters is None:
        raise Http404("No figures for these filters")
    found = next((c for c in builder(filters, lambda _: "") if c.id == chart), None)
    if found is None:
        raise Http404("No such chart")
    period = f"{filters.period.start:%Y-%m}-to-{filters.period.end:%Y-%m}"
    return chart_csv_response(found, f"{found.id}-{period}.csv")


@casework_page
@require_GET
def returns(request: HttpRequest) -> HttpResponse:
    require_page(page_user(request), Permission.AGGREGATES_VIEW)
    form, filters = _filters(request, with_measure=False, latest_only=True)
    rows = selectors.returns_list(period=filters.period) if filters else None
    total = 0
    if rows is not None and filters is not None:
        if filters.hub_code:
            rows = rows.filter(hub_code=filters.hub_code)
        total = rows.count()
        rows = rows[:RETURNS_SHOWN]
    query = request.GET.urlencode()
    csv_url = _url(request, "returns-csv") + (f"?{query}" if query else "")
    return _page(
        request,
        "reporting/national/returns.html",
        {
            "form": form,
            "filters": filters,
            "rows": rows,
            "total": total,
            "shown": RETURNS_SHOWN,
            "csv_url": csv_url,
            "current": "returns",
        },
    )


@casework_page
@require_GET
def returns_csv(request: HttpRequest) -> HttpResponse:
    require_page(page_user(request), Permission.AGGREGATES_VIEW)
    _, filters = _filters(request, with_measure=False, latest_only=True)
    if filters is None:
        raise Http404("No returns for these filters")
    rows = selectors.returns_list(period=filters.period)
    if filters.hub_code:
        rows = rows.filter(hub_code=filters.hub_code)
    header = ["Hub code", "Hub", "Month", "Schema version", "Imported at", "Imported by", "SHA-256"]
    lines = [
        [
            r.hub_code,
            r.hub_name,
            f"{r.month:%Y-%m}",
            r.schema_version,
            r.imported_at.isoformat(),
            r.imported_by,
            r.checksum,
        ]
        for r in rows.iterator()
    ]
    return make_csv(
        f"returns-{filters.period.start:%Y-%m}-to-{filters.period.end:%Y-%m}.csv", [header, *lines]
    )


STATUS_TEXT = {
    ImportStatus.CREATED: "Imported",
    ImportStatus.UNCHANGED: "Already imported: no change",
    ImportStatus.REPLACED: "Replaced the earlier return",
}


@casework_page
@require_http_methods(["GET", "POST"])
def import_returns(request: HttpRequest) -> HttpResponse:
    user = page_user(request)
    require_page(user, Permission.RETURNS_IMPORT)
    posted = request.method == "POST"
    form = ImportForm(request.POST, request.FILES) if posted else ImportForm()
    results: list[FileResult] = []
    status = 200
    if posted:
        if form.is_valid():
            files = [(f.name or "return.json", f.read()) for f in form.cleaned_data["returns"]]
            results = returns_import_many(actor=user, files=files)
            refused = [r for r in results if r.errors]
            if not refused:
                counts = {
                    s: sum(r.result is not None and r.result.status == s for r in results)
                    for s in ImportStatus
                }
                messages.success(
                    request,
                    f"{len(results)} return{'s' if len(results) != 1 else ''} read: "
                    f"{counts[ImportStatus.CREATED]} new, {counts[ImportStatus.REPLACED]} "
                    f"replaced, {counts[ImportStatus.UNCHANGED]} unchanged.",
                )
                return HttpResponseRedirect(_url(request, "import"))
            for r in refused:
                problems = len(r.errors)
                form.add_error(
                    "returns",
                    f"{r.name} was refused: {problems} problem{'s' if problems != 1 else ''}",
                )
        status = 422
    recent = selectors.returns_list().order_by("-imported_at")[:20]
    return render(
        request,
        "reporting/national/import.html",
        {
            "form": form,
            "results": [
                (n, r, STATUS_TEXT[r.result.status] if r.result else "")
                for n, r in enumerate(results, start=1)
            ],
            "refused": sum(bool(r.errors) for r in results),
            "recent": recent,
            "current": "import",
        }
        | _links(request),
        status=status,
    )
