"""What several decision use cases share: locking, and checks against the hub's lists."""

from openmash.contacts.models import Contact
from openmash.core.identifiers import is_uuid
from openmash.core.validation import FieldProblems
from openmash.hubs.models import Agency, LevelOfNeed

from ..models import Decision


def lock_decision(decision: Decision) -> Contact:
    """Lock the decision's contact, then the decision (the order every writer uses), and
    re-read both; returns the contact."""
    contact = decision.contact
    contact.refresh_from_db(from_queryset=Contact.objects.select_for_update())
    decision.refresh_from_db(from_queryset=Decision.objects.select_for_update())
    decision.contact = contact
    return contact


def check_level(contact: Contact, level: int | None, problems: FieldProblems) -> None:
    if level is None or not LevelOfNeed.objects.filter(hub=contact.hub, level=level).exists():
        problems.add("level_of_need", "Choose a level of need from the hub's continuum")


def is_agency_of(contact: Contact, agency_id: str) -> bool:
    """An empty or malformed id is simply not one of the hub's agencies (never a crash)."""
    return is_uuid(agency_id) and Agency.objects.filter(hub=contact.hub, pk=agency_id).exists()
