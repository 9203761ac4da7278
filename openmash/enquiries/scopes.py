"""Who may open which information requests: MASH staff every request of their hub, a
researcher only those sent to their own agency. A gate answers NotFound for a missing and a
forbidden request alike."""

from typing import TYPE_CHECKING
from uuid import UUID

from django.db.models import QuerySet

from openmash.access.checks import get_visible_or_404
from openmash.access.permissions import Permission

from .models import InformationRequest

if TYPE_CHECKING:
    from openmash.accounts.models import User


def requests_visible_to(user: "User") -> QuerySet[InformationRequest]:
    if not user.is_active or user.hub_id is None:
        return InformationRequest.objects.none()
    base = InformationRequest.objects.filter(contact__hub_id=user.hub_id)
    if user.can(Permission.CONTACT_VIEW_HUB):
        return base
    if user.can(Permission.REQUEST_VIEW_OWN_AGENCY) and user.agency_id is not None:
        return base.filter(agency_id=user.agency_id)
    return InformationRequest.objects.none()


def request_get_for_user(user: "User", request_id: UUID | str) -> InformationRequest:
    return get_visible_or_404(
        requests_visible_to(user).select_related("contact", "contact__hub", "agency"),
        request_id,
        "Information request not found",
    )
