"""Refused and not-found attempts are audited too (DPA 2018 s.62; ASVS 16.3.2).

A signed-in user (or an API token's user) who asks for an object and is answered 403 or 404
leaves an ``access.refused`` event on their hub's trail: method, path (ids only; secret path
segments redacted) and status. Probing for another agency's request or another hub's contact
is therefore visible to the data-protection officer, not just the successful reads. Only
resolved routes count: a mistyped address is not an access attempt on anything."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from openmash.core.log_filters import redact

from .models import AuditVerb
from .services import audit_record

REFUSED_STATUSES = frozenset({403, 404})


class RefusedAccessAuditMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code in REFUSED_STATUSES and request.resolver_match is not None:
            user = getattr(request, "user", None)
            if user is not None and user.is_authenticated:
                audit_record(
                    actor=user,
                    verb=AuditVerb.ACCESS_REFUSED,
                    changes={
                        "method": request.method or "",
                        "path": redact(request.path)[:300],
                        "status": response.status_code,
                    },
                )
        return response
