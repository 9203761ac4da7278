"""The client's network address, found one way for every rate limit and lockout."""

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    """The client's address: from the trusted proxy's header when one is configured
    (``OPENMASH_CLIENT_IP_HEADER``; its rightmost entry, the one the proxy added), else the
    connection's."""
    header = settings.OPENMASH_CLIENT_IP_HEADER
    if header:
        forwarded = str(request.META.get("HTTP_" + header.upper().replace("-", "_"), ""))
        entries = [e.strip() for e in forwarded.split(",") if e.strip()]
        if entries:
            return entries[-1]
    return str(request.META.get("REMOTE_ADDR", ""))
