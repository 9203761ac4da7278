"""The governance overview: the hub's definition, leadership, documents and thresholds."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from openmash.governance.selectors import (
    definition_for,
    documents_overview,
    leadership_roles,
    thresholds_current,
)
from openmash.web.pages import casework_page

from .common import governance_context


@casework_page
def overview(request: HttpRequest) -> HttpResponse:
    context = governance_context(request)
    hub = context["hub"]
    return render(
        request,
        "governance/overview.html",
        {
            **context,
            "definition": definition_for(hub),
            "roles": leadership_roles(hub),
            "documents": documents_overview(hub),
            "thresholds": thresholds_current(hub),
        },
    )
