"""Who may open which contacts: the scope selector and the object gate (access/ holds the
permission vocabulary; each app scopes its own objects beside its models). Every page, API
endpoint and export asks these, so they can never disagree. A gate answers NotFound both for a
missing object and a forbidden one."""

from typing import TYPE_CHECKING
from uuid import UUID

from django.db.models import QuerySet

from openmash.access.checks import get_visible_or_404
from openmash.access.permissions import Permission

from .models import Contact

if TYPE_CHECKING:
    from openmash.accounts.models import User


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
    return get_visible_or_404(
        contacts_visible_to(user).select_related("hub"), contact_id, "Contact not found"
    )
