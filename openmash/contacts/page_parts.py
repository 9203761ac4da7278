"""What decisions adds to the contact page.

contacts sits below decisions, so the contact page never imports it: decisions registers its
part once at start-up, in its AppConfig.ready() (`contact_page_decisions_register`). Without
it the page shows no referral panel and no decision awaiting sign-off."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .models import Contact


def _no_referral(contact: "Contact") -> Any:
    return None


@dataclass(frozen=True)
class DecisionsPart:
    # The contact as a referral, for decisions' referral summary include (or None).
    referral_view: Callable[["Contact"], Any] = _no_referral
    # The status of a decision awaiting sign-off (compared with `Decision.status`).
    proposed_status: str = ""


_decisions = DecisionsPart()


def contact_page_decisions_register(
    *, referral_view: Callable[["Contact"], Any], proposed_status: str
) -> None:
    global _decisions
    _decisions = DecisionsPart(referral_view=referral_view, proposed_status=proposed_status)


def contact_page_decisions() -> DecisionsPart:
    return _decisions
