"""Funding and resources (recommendation 6): the report, its CSV, and a contribution."""

import csv

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from openmash.access.permissions import Permission
from openmash.core.errors import ValidationError
from openmash.core.spreadsheets import csv_row
from openmash.governance.forms import FundingForm
from openmash.governance.models import financial_year_label
from openmash.governance.selectors import financial_year_of, funding_report
from openmash.governance.services import StaffInput, funding_record
from openmash.web.pages import casework_page, form_add_service_errors, page_user, require_page

from .common import governance_context


@casework_page
def funding(request: HttpRequest) -> HttpResponse:
    context = governance_context(request)
    return render(
        request, "governance/funding.html", {**context, "years": funding_report(context["hub"])}
    )


@casework_page
def funding_csv(request: HttpRequest) -> HttpResponse:
    context = governance_context(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="funding-and-resources.csv"'
    writer = csv.writer(response)
    writer.writerow(
        ["financial_year", "agency", "money_gbp", "share_of_money_percent", "staff_role", "fte"]
    )
    # Agency names and staff roles are typed by people: every cell through the one neutraliser.
    for year in funding_report(context["hub"]):
        for row in year.rows:
            money = f"{row.amount_pence / 100:.2f}"
            share = "" if row.share_percent is None else f"{row.share_percent:.1f}"
            writer.writerow(csv_row([year.label, row.agency.name, money, share, "", ""]))
            for role, fte in row.fte_by_role.items():
                writer.writerow(csv_row([year.label, row.agency.name, "", "", role, f"{fte:.2f}"]))
    return response


@casework_page
def funding_new(request: HttpRequest) -> HttpResponse:
    user = page_user(request)
    context = governance_context(request)
    require_page(user, Permission.GOVERNANCE_MANAGE)
    hub = context["hub"]
    initial = {"financial_year": financial_year_of(timezone.localdate())}
    form = FundingForm(request.POST or None, hub=hub, initial=initial)
    if request.method == "POST":
        if form.is_valid():
            staff = form.staff()
            try:
                saved = funding_record(
                    actor=user,
                    hub=hub,
                    agency=hub.agencies.filter(pk=form.cleaned_data["agency"]).first()
                    if form.cleaned_data["agency"]
                    else None,
                    financial_year=form.cleaned_data["financial_year"],
                    amount_pence=form.cleaned_data["amount"],
                    notes=form.cleaned_data["notes"],
                    staff=[StaffInput(role=role, fte=fte) for role, fte, _ in staff],
                )
            except ValidationError as exc:
                rows = {f"staff.{n}": f"role_{i}" for n, (_, _, i) in enumerate(staff)}
                form_add_service_errors(form, exc, field_for=lambda key: rows.get(key, key))
            else:
                messages.success(
                    request,
                    f"{saved.agency.name}'s contribution for "
                    f"{financial_year_label(saved.financial_year)} has been recorded.",
                )
                return HttpResponseRedirect(reverse("governance:funding"))
        return render(request, "governance/funding_new.html", {**context, "form": form}, status=422)
    return render(request, "governance/funding_new.html", {**context, "form": form})
