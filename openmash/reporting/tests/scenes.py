"""Journeys the reporting tests share: contacts driven through the real services at set times
(the hub's hours are Mon-Fri 09:00-17:00, Europe/London)."""

from collections.abc import Mapping
from datetime import datetime
from zoneinfo import ZoneInfo

from openmash.contacts.models import Contact
from openmash.decisions.services import (
    decision_propose,
    decision_sign_off,
    feedback_send,
    screening_record,
)
from openmash.demo.contacts import clock_at
from openmash.enquiries.services import requests_create
from openmash.testing.world import World, child_subject, contact_make

LONDON = ZoneInfo("Europe/London")


def at(day: int, hour: int, minute: int = 0) -> datetime:
    """An instant in October 2026 (BST until the 25th), local time."""
    return datetime(2026, 10, day, hour, minute, tzinfo=LONDON)


def journey(
    world: World,
    *,
    received: datetime,
    screened: datetime,
    decided: datetime,
    outcome: str = "s17",
    level: int = 3,
    rag: str = "amber",
    feedback: datetime | None = None,
    child: Mapping[str, object] | None = None,
    ask: tuple[str, ...] = (),
) -> Contact:
    with clock_at(received):
        contact = contact_make(world.practitioner, people=[child_subject(**(child or {}))])
    with clock_at(screened):
        screening_record(
            actor=world.practitioner,
            contact=contact,
            outcome="mash_enquiry",
            level_of_need=level,
            rag=rag,
            rationale="Injury with a disclosure.",
        )
        if ask:
            requests_create(
                actor=world.practitioner,
                contact=contact,
                agency_ids=[str(world.agencies[code].pk) for code in ask],
            )
    with clock_at(decided):
        decision = decision_propose(
            actor=world.practitioner,
            contact=contact,
            outcome_code=outcome,
            level_of_need=level,
            rationale="Reasons recorded.",
            primary_need_code="N1" if outcome in ("s17", "s47") else "",
        )
        decision_sign_off(actor=world.manager, decision=decision)
    if feedback is not None:
        with clock_at(feedback):
            feedback_send(actor=world.practitioner, contact=Contact.objects.get(pk=contact.pk))
    return contact
