"""Generic checks every app's services and scope selectors use. They know no domain model:
each app scopes its own objects next to its models and calls these.

- ``require`` / ``require_any``: the actor holds a permission (PermissionDenied otherwise).
- ``require_same_hub``: the object belongs to the actor's hub. Another hub's object answers
  NotFound, exactly as a missing one does, so existence is never leaked across hubs.
- ``get_visible_or_404``: one object from a scope selector's queryset, or NotFound.
- ``user_sees_whole_contact`` / ``can_see_confidential_address``: what a role may see of a
  contact, asked by every page, API answer and export that renders one."""

from typing import TYPE_CHECKING, TypeVar
from uuid import UUID

from django.core.exceptions import ObjectDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Model, QuerySet

from openmash.core.errors import NotFound, PermissionDenied

from .permissions import Permission

if TYPE_CHECKING:
    from openmash.accounts.models import User

M = TypeVar("M", bound=Model)


def require(user: "User", permission: Permission) -> None:
    if not user.can(permission):
        raise PermissionDenied("You do not have permission to do that.")


def require_any(user: "User", *permissions: Permission) -> None:
    if not any(user.can(p) for p in permissions):
        raise PermissionDenied("You do not have permission to do that.")


def require_same_hub(actor: "User", hub_id: UUID | str | None, what: str = "Not found") -> None:
    """The object (whose hub is ``hub_id``) is the actor's hub's, or it does not exist for them."""
    if actor.hub_id is None or hub_id is None or str(actor.hub_id) != str(hub_id):
        raise NotFound(what)


def get_visible_or_404(queryset: QuerySet[M], pk: UUID | str, what: str = "Not found") -> M:
    try:
        return queryset.get(pk=pk)
    except (ObjectDoesNotExist, ValueError, DjangoValidationError):
        raise NotFound(what) from None


def user_sees_whole_contact(user: "User") -> bool:
    """MASH staff see the whole record; a referrer sees only what they sent and its feedback;
    a researcher only the people to search for, on their own agency's requests."""
    return user.can(Permission.CONTACT_VIEW_HUB)


def can_see_confidential_address(user: "User") -> bool:
    return user.can(Permission.CONTACT_VIEW_CONFIDENTIAL_ADDRESS)
