"""Access in one place: scope selectors (`*_visible_to`) and object gates (`*_get_for_user`).

Every page, API endpoint and export asks these functions, so they can never disagree about
who sees what. A gate answers NotFound both for a missing object and a forbidden one."""

from typing import TYPE_CHECKING
from uuid import UUID

from django.db.models import QuerySet

from openmash.contacts.models import Contact
from openmash.core.errors import NotFound, PermissionDenied
from openmash.decisions.models import Decision
from openmash.enquiries.models import InformationRequest

from .permissions import Permission

if TYPE_CHECKING:
    from openmash.accounts.models import User


def require(user: "User", permission: Permission) -> None:
    if not user.can(permission):
        raise PermissionDenied("You do not have permission to do that.")


def contacts_visible_to(user: "User") -> QuerySet[Contact]:
    """Whole contacts (with personal data) this user may open."""
    if not user.is_active or user.hub_id is None:
        return Contact.objects.none()
    if user.can(Permission.CONTACT_VIEW_HUB):
        return Contact.objects.filter(hub_id=user.hub_id)
    if user.can(Permission.CONTACT_VIEW_OWN_SUBMISSIONS):
        return Contact.objects.filter(hub_id=user.hub_id, submitted_by=user)
    return Contact.objects.none()


def contact_get_for_user(user: "User", contact_id: UUID | str) -> Contact:
    try:
        return contacts_visible_to(user).select_related("hub").get(pk=contact_id)
    except (Contact.DoesNotExist, ValueError) as exc:
        raise NotFound("Contact not found") from exc


def user_sees_whole_contact(user: "User") -> bool:
    """MASH staff see the whole record; a referrer sees only what they sent and its feedback."""
    return user.can(Permission.CONTACT_VIEW_HUB)


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
    try:
        return (
            requests_visible_to(user)
            .select_related("contact", "contact__hub", "agency")
            .get(pk=request_id)
        )
    except (InformationRequest.DoesNotExist, ValueError) as exc:
        raise NotFound("Information request not found") from exc


def decision_get_for_user(user: "User", decision_id: UUID | str) -> Decision:
    """Decisions are opened by MASH staff, and by researchers of an agency asked about the
    contact (so that a core agency can record dissent)."""
    try:
        decision = Decision.objects.select_related("contact", "outcome").get(pk=decision_id)
    except (Decision.DoesNotExist, ValueError) as exc:
        raise NotFound("Decision not found") from exc
    if contacts_visible_to(user).filter(
        pk=decision.contact_id
    ).exists() and user_sees_whole_contact(user):
        return decision
    if requests_visible_to(user).filter(contact_id=decision.contact_id).exists():
        return decision
    raise NotFound("Decision not found")


def can_see_confidential_address(user: "User") -> bool:
    return user.can(Permission.CONTACT_VIEW_CONFIDENTIAL_ADDRESS)
