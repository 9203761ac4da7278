"""The standards self-assessment."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from openmash.governance.standards import standards_check
from openmash.web.pages import casework_page, page_user

from .common import governance_context


@casework_page
def standards(request: HttpRequest) -> HttpResponse:
    user = page_user(request)
    context = governance_context(request)
    report = standards_check(actor=user, hub=context["hub"])
    return render(request, "governance/standards.html", {**context, "report": report})
