"""The service navigation: which links a signed-in user sees in the header."""

from typing import TypedDict

from django.http import HttpRequest
from django.urls import reverse


class NavItem(TypedDict):
    label: str
    url: str
    active: bool


def _item(request: HttpRequest, label: str, url: str, *, prefix: bool = True) -> NavItem:
    """A navigation link, active when the current page is at (or, with prefix, under) its URL."""
    path = request.path
    active = path == url or (prefix and url != "/" and path.startswith(url))
    return {"label": label, "url": url, "active": active}


def nav_items_for(request: HttpRequest) -> list[NavItem]:
    """The navigation links for the signed-in user ([] when nobody is signed in)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    return [_item(request, "Home", reverse("web:home"), prefix=False)]
