"""Links to the current core document beside the page where it applies ("one click away"):
`{% current_document "thresholds" as doc %}` gives the current version (or None) of the
signed-in user's hub."""

from typing import Any

from django import template
from django.utils.safestring import SafeString

from openmash.access.permissions import Permission
from openmash.governance.models import DocumentVersion
from openmash.governance.rendering import markdown_render
from openmash.governance.selectors import document_current

register = template.Library()


@register.simple_tag(takes_context=True)
def current_document(context: dict[str, Any], kind: str) -> DocumentVersion | None:
    request = context.get("request")
    user = getattr(request, "user", None)
    if getattr(user, "hub_id", None) is None or not user.can(Permission.GOVERNANCE_VIEW):  # type: ignore[union-attr]
        return None
    return document_current(user.hub, kind)  # type: ignore[union-attr]


@register.filter
def document_markdown(text: str) -> SafeString:
    return markdown_render(text)


@register.filter
def pounds(pence: int) -> str:
    return f"£{pence / 100:,.2f}"
