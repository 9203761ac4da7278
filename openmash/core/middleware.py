import uuid
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from .request_context import current_request_id


class RequestIdMiddleware:
    """Gives each request an id (or keeps a sane inbound X-Request-ID) for the audit trail."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        inbound = request.headers.get("X-Request-ID", "")
        request_id = inbound if inbound.isascii() and 8 <= len(inbound) <= 64 else ""
        request_id = request_id or uuid.uuid4().hex
        token = current_request_id.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            current_request_id.reset(token)
        response["X-Request-ID"] = request_id
        return response


class NoStoreMiddleware:
    """Nothing the application renders may be kept by a browser's or a proxy's cache: pages and
    API answers carry personal data, and a shared computer's back button or disk cache must not
    show them to the next person (ASVS 14.3.2). Static assets are served before this runs
    (WhiteNoise) and keep their long-lived caching; a view that sets its own Cache-Control
    keeps it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if "Cache-Control" not in response:
            response["Cache-Control"] = "no-store"
        return response
