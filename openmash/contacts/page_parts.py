"""What decisions adds to the casework pages of the apps below it (the contact page, an
information request's page).

contacts and enquiries sit below decisions, so their pages never import it: decisions
registers its part once at start-up, in its AppConfig.ready() (`contact_page_decisions_register`).
Without it the pages show no referral panel, no decision awaiting sign-off and no decision to
disagree with."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from uuid import UUID

if TYPE_CHECKING:
    from openmash.accounts.models import User

    from .models import Contact


def _no_referral(contact: "Contact") -> Any:
    return None


def _no_decision(user: "User", contact_id: UUID) -> Any:
    return None


@dataclass(frozen=True)
class DecisionsPart:
    # The contact as a referral, for decisions' referral summary include (or None).
    referral_view: Callable[["Contact"], Any] = _no_referral
    # The status of a decision awaiting sign-off (compared with `Decision.status`).
    proposed_status: str = ""
    # The contact's current decision (proposed or signed off) if this user may open it.
    current_decision: Callable[["User", UUID], Any] = _no_decision


_decisions = DecisionsPart()


def contact_page_decisions_register(
    *,
    referral_view: Callable[["Contact"], Any],
    proposed_status: str,
    current_decision: Callable[["User", UUID], Any],
) -> None:
    global _decisions
    _decisions = DecisionsPart(
        referral_view=referral_view,
        proposed_status=proposed_status,
        current_decision=current_decision,
    )


def contact_page_decisions() -> DecisionsPart:
    return _decisions
