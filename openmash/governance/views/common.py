"""What every governance page shares."""

from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from openmash.access.permissions import Permission
from openmash.governance.selectors import governance_hub_for, review_notices
from openmash.web.pages import page_user


def governance_context(request: HttpRequest, **extra: Any) -> dict[str, Any]:
    """The hub, what the user may do there, and the review notices every page shows."""
    user = page_user(request)
    hub = governance_hub_for(user)
    return {
        "hub": hub,
        "can_manage": user.can(Permission.GOVERNANCE_MANAGE),
        "can_manage_agencies": user.can(Permission.GOVERNANCE_MANAGE)
        or user.can(Permission.HUB_CONFIGURE),
        "can_sign": user.can(Permission.DOCUMENT_SIGN),
        "notices": review_notices(hub, today=timezone.localdate()),
        **extra,
    }
