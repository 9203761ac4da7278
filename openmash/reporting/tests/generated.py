"""Generated contacts with known turnaround, driven through the real services with the clock
set (as `openmash/demo/contacts.py` does), so the facts and every figure built on them come
from the same path as in production.

`london_study(world)` reproduces the London MASH study's figures: mean days from receipt to
decision, level 3 (Amber) 2.5 before and 1.25 after; level 2 (Green) 4.5 before and 2.5 after;
plus one level 4 (Red) contact before, too few for an interval."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from openmash.contacts.models import Contact
from openmash.decisions.services import decision_propose, decision_sign_off, screening_record
from openmash.demo.contacts import clock_at
from openmash.reporting.metrics import Period
from openmash.testing.world import World, child_subject, contact_make

LONDON = ZoneInfo("Europe/London")
BEFORE = Period.month(2025, 3)  # a month each side, clear of the clock changes
AFTER = Period.month(2025, 6)

# (level, rag, days from receipt to decision) per period.
BEFORE_DAYS = (
    [(3, "amber", d) for d in (2.0, 2.5, 3.0)]
    + [(2, "green", d) for d in (4.0, 4.5, 5.0)]
    + [(4, "red", 0.5)]
)
AFTER_DAYS = [(3, "amber", d) for d in (1.0, 1.25, 1.5)] + [
    (2, "green", d) for d in (2.0, 2.5, 3.0)
]
SCREENING_HOURS = {"before": 4, "after": 2}

FAMILY_NAMES = ["Ashby", "Brook", "Carter", "Dale", "Ellis", "Foster", "Grant", "Hale"]


def journey(
    world: World,
    *,
    received: datetime,
    to_screening: timedelta,
    to_decision: timedelta,
    level: int,
    rag: str,
    outcome: str = "s17",
    source_code: str = "2A",
    family_name: str = "Hartley",
) -> Contact:
    """One contact from receipt to a signed-off decision, at the times given."""
    with clock_at(received):
        contact = contact_make(
            world.practitioner,
            source_code=source_code,
            people=[child_subject(family_name=family_name, nhs_number="")],
        )
    with clock_at(received + to_screening):
        screening_record(
            actor=world.practitioner,
            contact=contact,
            outcome="mash_enquiry",
            level_of_need=level,
            rag=rag,
            rationale="Generated for the figures.",
        )
    with clock_at(received + to_decision):
        decision = decision_propose(
            actor=world.practitioner,
            contact=contact,
            outcome_code=outcome,
            level_of_need=level,
            rationale="Generated for the figures.",
            primary_need_code="N1" if outcome in ("s17", "s47") else "",
        )
        decision_sign_off(actor=world.manager, decision=decision)
    return contact


def london_study(world: World) -> None:
    for name, period, rows in (("before", BEFORE, BEFORE_DAYS), ("after", AFTER, AFTER_DAYS)):
        for n, (level, rag, days) in enumerate(rows):
            received = datetime(period.start.year, period.start.month, 2 + n, 10, 0, tzinfo=LONDON)
            journey(
                world,
                received=received,
                to_screening=timedelta(hours=SCREENING_HOURS[name]),
                to_decision=timedelta(days=days),
                level=level,
                rag=rag,
                family_name=FAMILY_NAMES[n % len(FAMILY_NAMES)],
            )
