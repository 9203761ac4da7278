from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from openmash.access.permissions import Permission
from openmash.core.identifiers import is_uuid
from openmash.web.pages import casework_page, page_user, require_page

from .models import AuditVerb
from .selectors import AuditFilters, audit_event_shown, audit_events_for
from .services import audit_chain_verify


@casework_page
@require_http_methods(["GET", "POST"])
def trail(request: HttpRequest) -> HttpResponse:
    """The hub's audit trail, filterable; POST checks the whole hash chain."""
    user = page_user(request)
    require_page(user, Permission.AUDIT_VIEW)
    contact = request.GET.get("contact", "").strip()
    verb = request.GET.get("verb", "")
    filters = AuditFilters(
        username=request.GET.get("username", "").strip()[:150],
        verb=verb if verb in AuditVerb.values else "",
        contact_id=contact if is_uuid(contact) else "",
    )
    try:
        page = min(max(1, int(request.GET.get("page", "1"))), 100_000)
    except ValueError:
        page = 1
    events, more = audit_events_for(user, filters, page=page)
    report = audit_chain_verify() if request.method == "POST" else None
    return render(
        request,
        "audit/trail.html",
        {
            # Each event through the same field-level rules as the pages it describes.
            "events": [(e, audit_event_shown(e, user)) for e in events],
            "filters": filters,
            "verbs": AuditVerb.choices,
            "page": page,
            "more": more,
            "report": report,
        },
    )
