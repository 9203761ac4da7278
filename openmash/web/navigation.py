"""The service navigation: which links a signed-in user sees in the header."""

from typing import TypedDict

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse

from openmash.access.permissions import Permission


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
    """The navigation links for the signed-in user ([] when nobody is signed in), by what
    their roles allow. A link to a page another app has not built yet is left out."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not hasattr(user, "can"):
        return []
    wanted: list[tuple[str, str, tuple[Permission, ...]]] = [
        ("Contacts", "contacts:queue", (Permission.CONTACT_VIEW_HUB,)),
        ("New contact", "contacts:new", (Permission.CONTACT_RECORD,)),
        ("Requests for my agency", "enquiries:queue", (Permission.REQUEST_VIEW_OWN_AGENCY,)),
        ("Refer a concern", "contacts:refer", (Permission.CONTACT_SUBMIT,)),
        ("My referrals", "contacts:mine", (Permission.CONTACT_VIEW_OWN_SUBMISSIONS,)),
        ("Dashboard", "reporting:dashboard", (Permission.AGGREGATES_VIEW,)),
        ("National view", "reporting:national:overview", (Permission.RETURNS_IMPORT,)),
        ("Possible duplicates", "people:duplicates", (Permission.PERSON_MERGE,)),
        ("Agency index", "people:index-upload", (Permission.INDEX_LOAD,)),
        ("Governance", "governance:overview", (Permission.GOVERNANCE_VIEW,)),
        ("Hub settings", "hubs:settings", (Permission.HUB_CONFIGURE,)),
        ("Audit trail", "audit:trail", (Permission.AUDIT_VIEW,)),
        ("Exports", "reporting:exports", (Permission.STATUTORY_EXPORT,)),
        (
            "Quality",
            "quality:overview",
            (Permission.CASE_AUDIT, Permission.QUALITY_MANAGE, Permission.FEEDBACK_RECORD),
        ),
    ]
    items: list[NavItem] = []
    for label, name, permissions in wanted:
        if name == "enquiries:queue" and user.can(Permission.CONTACT_VIEW_HUB):
            continue  # MASH staff reach requests from each contact
        if not any(user.can(p) for p in permissions):
            continue
        try:
            url = reverse(name)
        except NoReverseMatch:
            continue
        items.append(_item(request, label, url))
    # Only the most specific match is current ("/contacts/new" is not also "Contacts").
    exact = [item for item in items if item["url"] == request.path]
    if exact:
        for item in items:
            item["active"] = item in exact
    return items
