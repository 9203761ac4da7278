"""Who may open which decisions, actions, dissents and feedback, and how much of a decision
each sees. A gate answers NotFound for a missing and a forbidden object alike."""

from typing import TYPE_CHECKING
from uuid import UUID

from django.db.models import QuerySet

from openmash.access.checks import get_visible_or_404, user_sees_whole_contact
from openmash.contacts.scopes import contacts_visible_to
from openmash.enquiries.scopes import requests_visible_to

from .models import Action, Decision, Dissent, Feedback

if TYPE_CHECKING:
    from openmash.accounts.models import User


def decisions_visible_to(user: "User") -> QuerySet[Decision]:
    """Decisions are opened by MASH staff (every decision of the hub), and by researchers of
    an agency asked about the contact (so that a core agency can record its dissent). What
    each may see of one is `decision_shows_whole` and the two scopes below."""
    if not user.is_active or user.hub_id is None:
        return Decision.objects.none()
    if user_sees_whole_contact(user):
        return Decision.objects.filter(contact__in=contacts_visible_to(user))
    asked = requests_visible_to(user).values("contact_id")
    return Decision.objects.filter(contact_id__in=asked)


def decision_get_for_user(user: "User", decision_id: UUID | str) -> Decision:
    return get_visible_or_404(
        decisions_visible_to(user).select_related("contact", "contact__hub", "outcome"),
        decision_id,
        "Decision not found",
    )


def decision_shows_whole(user: "User") -> bool:
    """MASH staff see the whole of a decision they can open: rationale, the child's voice, who
    proposed and signed it, and every agency's actions and dissents. An agency researcher sees
    its outcome, status, level of need and dates, and only their own agency's actions and
    dissents (golden rule 6: the minimum needed to act on it or disagree with it)."""
    return user_sees_whole_contact(user)


def actions_visible_to(user: "User") -> QuerySet[Action]:
    actions = Action.objects.filter(decision__in=decisions_visible_to(user))
    if decision_shows_whole(user):
        return actions
    if user.agency_id is None:
        return Action.objects.none()
    return actions.filter(owner_agency_id=user.agency_id)


def action_get_for_user(user: "User", action_id: UUID | str) -> Action:
    return get_visible_or_404(
        actions_visible_to(user).select_related("decision", "decision__contact", "owner_agency"),
        action_id,
        "Action not found",
    )


def dissents_visible_to(user: "User") -> QuerySet[Dissent]:
    dissents = Dissent.objects.filter(decision__in=decisions_visible_to(user))
    if decision_shows_whole(user):
        return dissents
    if user.agency_id is None:
        return Dissent.objects.none()
    return dissents.filter(agency_id=user.agency_id)


def dissent_get_for_user(user: "User", dissent_id: UUID | str) -> Dissent:
    return get_visible_or_404(
        dissents_visible_to(user).select_related("decision", "decision__contact", "agency"),
        dissent_id,
        "Dissent not found",
    )


def feedback_get_for_user(user: "User", feedback_id: UUID | str) -> Feedback:
    """Feedback is seen with its contact: by MASH staff, and by the referrer who sent it."""
    return get_visible_or_404(
        Feedback.objects.filter(contact__in=contacts_visible_to(user)).select_related(
            "contact", "contact__hub"
        ),
        feedback_id,
        "Feedback not found",
    )


def feedback_awaiting_get_for_user(user: "User", feedback_id: UUID | str) -> Feedback:
    """A message awaiting a manager's approval, on a contact the user may see."""
    return get_visible_or_404(
        Feedback.all_objects.filter(
            contact__in=contacts_visible_to(user), status="awaiting_approval"
        ).select_related("contact", "contact__hub"),
        feedback_id,
        "Feedback not found",
    )
