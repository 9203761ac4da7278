"""The Exports page: the MASH manager downloads the CIN census, Annex A and the
pseudonymised national dataset. The file is the POST's answer (never stored, never cached);
every download is audited."""

from datetime import date
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from openmash.access.permissions import Permission
from openmash.accounts.models import User
from openmash.core.errors import ValidationError
from openmash.reporting.dataset import dataset_export_zip
from openmash.reporting.metrics import Period
from openmash.web.pages import casework_page, form_add_service_errors, page_user, require_page

from .annex_a import default_period
from .forms import AnnexAForm, CinCensusForm, DatasetForm
from .services import annex_a_export, cin_census_export, cin_census_years

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TEMPLATE = "reporting/statutory/exports.html"


def _user(request: HttpRequest) -> User:
    user = page_user(request)
    require_page(user, Permission.STATUTORY_EXPORT)
    return user


def _default_year(today: date) -> int:
    """The last complete collection year."""
    return today.year if today >= date(today.year, 4, 1) else today.year - 1


def _page(
    request: HttpRequest,
    *,
    census: CinCensusForm | None = None,
    annex: AnnexAForm | None = None,
    dataset: DatasetForm | None = None,
    status: int = 200,
) -> HttpResponse:
    today = timezone.localdate()
    years = cin_census_years(today)
    start, end = default_period(today)
    failed = next((f for f in (census, annex, dataset) if f is not None), None)
    context: dict[str, Any] = {
        "census_form": census or CinCensusForm(years=years, initial={"year": _default_year(today)}),
        "annex_form": annex or AnnexAForm(initial={"start": start, "end": end}),
        "dataset_form": dataset or DatasetForm(),
        "can_export_dataset": page_user(request).can(Permission.DATASET_EXPORT),
        "form": failed,  # the page title says "Error:" and the summary lists its errors
    }
    return render(request, TEMPLATE, context, status=status)


def _file(content: bytes, *, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    # Identifiable children: never kept by a browser or a proxy.
    response["Cache-Control"] = "no-store"
    return response


@casework_page
@require_GET
def exports(request: HttpRequest) -> HttpResponse:
    _user(request)
    return _page(request)


@casework_page
@require_POST
def cin_census(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = CinCensusForm(request.POST, years=cin_census_years(timezone.localdate()))
    if not form.is_valid():
        return _page(request, census=form, status=422)
    year: int = form.cleaned_data["year"]
    assert user.hub is not None
    try:
        xml = cin_census_export(actor=user, hub=user.hub, year=year)
    except ValidationError as exc:
        form_add_service_errors(form, exc)
        return _page(request, census=form, status=422)
    name = f"CIN_census_{user.hub.la_code}_{year}.xml"
    return _file(xml, filename=name, content_type="application/xml")


@casework_page
@require_POST
def annex_a(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = AnnexAForm(request.POST)
    if not form.is_valid():
        return _page(request, annex=form, status=422)
    start, end = form.period()
    assert user.hub is not None
    try:
        xlsx = annex_a_export(actor=user, hub=user.hub, start=start, end=end)
    except ValidationError as exc:
        form_add_service_errors(form, exc)
        return _page(request, annex=form, status=422)
    name = f"Annex_A_{user.hub.la_code}_{start:%Y%m%d}_{end:%Y%m%d}.xlsx"
    return _file(xlsx, filename=name, content_type=XLSX)


@casework_page
@require_POST
def dataset(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    require_page(user, Permission.DATASET_EXPORT)
    form = DatasetForm(request.POST)
    if not form.is_valid():
        return _page(request, dataset=form, status=422)
    start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    period = Period(start, end) if start and end else None
    fmt: str = form.cleaned_data["fmt"]
    assert user.hub is not None
    try:
        content, _records = dataset_export_zip(actor=user, hub=user.hub, fmt=fmt, period=period)
    except ValidationError as exc:
        form_add_service_errors(form, exc)
        return _page(request, dataset=form, status=422)
    span = f"{start:%Y%m%d}_{end:%Y%m%d}" if period else "all"
    name = f"OpenMASH_dataset_{user.hub.la_code}_{span}_{fmt}.zip"
    return _file(content, filename=name, content_type="application/zip")
