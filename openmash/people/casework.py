"""What the person index needs to know from the casework above it.

people sits below contacts and decisions (contacts uses it at intake), so it never imports
them. The two things it must ask of them are registered here by those apps at start-up, in
their AppConfig.ready():

- contacts: how to find a contact's mention of a person by its id (`mention_lookup_register`),
  and its object gate, so the person index's pages and API open a contact through the same
  gate as every other page (`contact_gate_register`);
- decisions: the outcome each contact was signed off with (`contact_outcomes_register`).

Everything else people reads of a contact goes through the relations the contact's models give
its own (a Person's `mentions`)."""

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING
from uuid import UUID

from openmash.core.errors import NotFound
from openmash.hubs.models import DecisionOutcome

if TYPE_CHECKING:
    from openmash.accounts.models import User
    from openmash.contacts.models import Contact, ContactPerson

MentionLookup = Callable[[UUID | str], "ContactPerson | None"]
# contact ids -> the outcome of each one's signed-off decision (contacts without one left out)
ContactOutcomes = Callable[[Sequence[str]], Mapping[str, DecisionOutcome]]
ContactGate = Callable[["User", UUID | str], "Contact"]


def _no_mentions(mention_id: UUID | str) -> "ContactPerson | None":
    return None


def _no_outcomes(contact_ids: Sequence[str]) -> Mapping[str, DecisionOutcome]:
    return {}


def _no_contacts(user: "User", contact_id: UUID | str) -> "Contact":
    raise NotFound("Contact not found")


_mention_lookup: MentionLookup = _no_mentions
_contact_gate: ContactGate = _no_contacts
_contact_outcomes: ContactOutcomes = _no_outcomes


def mention_lookup_register(lookup: MentionLookup) -> None:
    global _mention_lookup
    _mention_lookup = lookup


def contact_gate_register(gate: ContactGate) -> None:
    global _contact_gate
    _contact_gate = gate


def contact_get_for_user(user: "User", contact_id: UUID | str) -> "Contact":
    """The contacts app's object gate: the contact, or NotFound when it is missing or this
    user may not open it."""
    return _contact_gate(user, contact_id)


def contact_outcomes_register(outcomes: ContactOutcomes) -> None:
    global _contact_outcomes
    _contact_outcomes = outcomes


def mention_find(mention_id: UUID | str) -> "ContactPerson | None":
    """The mention (a person as one contact names them) with this id, or None. Not a gate:
    the caller still checks that the user may see its contact."""
    return _mention_lookup(mention_id)


def contact_outcomes(contact_ids: Sequence[str]) -> Mapping[str, DecisionOutcome]:
    """The signed-off outcome of each of these contacts that has one."""
    return _contact_outcomes(contact_ids)
