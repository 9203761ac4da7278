"""What every quality page shares."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from openmash.accounts.models import User
from openmash.core.errors import NotFound
from openmash.hubs.models import Hub
from openmash.web.pages import page_user

TREND_MONTHS = 12


def user_hub(request: HttpRequest) -> tuple[User, Hub]:
    """The signed-in user and their hub (NotFound without one)."""
    user = page_user(request)
    if user.hub is None:
        raise NotFound("Hub not found")
    return user, user.hub


def render_no_store(
    request: HttpRequest, template: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    """A quality page, never kept in a cache."""
    response = render(request, template, context, status=status)
    response["Cache-Control"] = "no-store"
    return response
