"""Template context shared by every page (registered in settings.TEMPLATES)."""

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from openmash.web.navigation import nav_items_for


def service(request: HttpRequest) -> dict[str, Any]:
    return {
        "demo_banner": bool(getattr(settings, "OPENMASH_DEMO_BANNER", False)),
        "nav_items": nav_items_for(request),
    }
