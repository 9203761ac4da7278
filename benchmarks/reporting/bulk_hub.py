"""A hub with a long history, bulk-inserted (not through the services: a million contacts
through the services would take hours). The rows are the ones the services write - contacts,
subjects resolved to persons, screenings, agency requests and answers, signed-off decisions,
feedback - with believable times and mixes, from a fixed seed.

Used by `hub_figures.py`; importable by other benchmarks."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

from django.db import transaction

from openmash.accounts.models import User
from openmash.audit.models import AuditVerb
from openmash.audit.services import audit_record
from openmash.contacts.models import Contact, ContactPerson
from openmash.core.standards import CONCERN_CATEGORIES
from openmash.decisions.models import Decision, Feedback, Screening
from openmash.enquiries.models import InformationRequest
from openmash.hubs.models import Agency, DecisionOutcome, Hub
from openmash.people.models import Person

BATCH = 10_000
SOURCES = ["2A"] * 22 + ["6"] * 28 + ["3A", "3B", "3E"] * 4 + ["1A"] * 8 + ["5D"] * 6 + ["8"] * 4
CONCERNS = list(CONCERN_CATEGORIES)
GIVEN = ["Amelia", "Oliver", "Isla", "Noah", "Ava", "Leo", "Mia", "Arthur", "Freya", "Harry"]
FAMILY = ["Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Khan", "Patel", "Evans"]
LEVEL_WEIGHTS = [(1, 5), (2, 35), (3, 40), (4, 20)]
OUTCOMES_BY_LEVEL = {
    1: [("NFA", 50), ("ADVICE", 40), ("EARLY_HELP", 10)],
    2: [("NFA", 30), ("ADVICE", 30), ("EARLY_HELP", 40)],
    3: [("EARLY_HELP", 30), ("S17", 60), ("ADVICE", 10)],
    4: [("S47", 80), ("S17", 20)],
}
RAG_FOR_LEVEL = {1: "green", 2: "green", 3: "amber", 4: "red"}
ENQUIRY_HOURS = {"red": 4, "amber": 24, "green": 72}


def _pick(rng: random.Random, weighted: list[tuple[Any, int]]) -> Any:
    return rng.choices([v for v, _w in weighted], weights=[w for _v, w in weighted])[0]


def _working_instant(rng: random.Random, day: date) -> datetime:
    """Mostly office hours (UTC is close enough for a benchmark's spread)."""
    hour = rng.randint(8, 16) if rng.random() < 0.85 else rng.randint(0, 23)
    return datetime(day.year, day.month, day.day, hour, rng.randint(0, 59), tzinfo=UTC)


def bulk_hub_generate(
    hub: Hub,
    *,
    contacts: int,
    start: date,
    end: date,
    seed: int = 1,
    number_from: int = 0,
    backdate: bool = True,
    progress: Callable[[str], None] = lambda _m: None,
) -> None:
    rng = random.Random(seed)
    practitioner = User.objects.get(username="demo.practitioner")
    manager = User.objects.get(username="demo.manager")
    agencies = list(Agency.objects.filter(hub=hub, is_mash_team=False))
    outcomes = {o.national_code: o for o in DecisionOutcome.objects.filter(hub=hub, active=True)}
    span_days = (end - start).days
    days = sorted(start + timedelta(days=rng.randrange(span_days)) for _ in range(contacts))
    recent: list[Person] = []
    made = 0
    for offset in range(0, contacts, BATCH):
        batch_days = days[offset : offset + BATCH]
        rows: dict[str, list[Any]] = {
            k: []
            for k in ("person", "contact", "subject", "screening", "request", "decision", "fb")
        }
        for i, day in enumerate(batch_days):
            number = number_from + offset + i + 1
            received = _working_instant(rng, day)
            if recent and rng.random() < 0.2:
                person = rng.choice(recent[-5000:])
            else:
                person = Person(
                    hub=hub,
                    reference=f"B{number:010d}",
                    given_name=rng.choice(GIVEN),
                    family_name=rng.choice(FAMILY),
                    date_of_birth=day - timedelta(days=rng.randint(30, 17 * 365)),
                    sex=rng.choice("MF"),
                )
                rows["person"].append(person)
                recent.append(person)
            level = _pick(rng, LEVEL_WEIGHTS)
            rag = RAG_FOR_LEVEL[level]
            contact = Contact(
                hub=hub,
                reference=f"BM-{number:08d}",
                received_at=received,
                channel=rng.choice(["phone", "email", "online_form", "police_notification"]),
                source_code=rng.choice(SOURCES),
                referrer_name="Benchmark referrer",
                concern_categories=rng.sample(CONCERNS, rng.randint(1, 3)),
                concern_narrative="Generated for a benchmark.",
                family_awareness=rng.choice(["aware_consented", "not_aware", "unknown"]),
                stage="closed",
                stage_started_at=received,
                rag=rag,
                level_of_need=level,
            )
            rows["contact"].append(contact)
            rows["subject"].append(
                ContactPerson(
                    contact=contact,
                    role="subject",
                    kind="child",
                    given_name=person.given_name,
                    family_name=person.family_name,
                    date_of_birth=person.date_of_birth,
                    sex=person.sex,
                    ethnicity=rng.choice(["WBRI", "WBRI", "WBRI", "AIND", "BAFR", "MWBC"]),
                    person=person,
                )
            )
            screened = received + timedelta(hours=rng.lognormvariate(1.0, 0.8))
            enquiry = level >= 3 or rng.random() < 0.3
            rows["screening"].append(
                Screening(
                    contact=contact,
                    outcome="mash_enquiry" if enquiry else "advice",
                    level_of_need=level,
                    rag=rag,
                    rationale="Generated.",
                    recorded_by=practitioner,
                    recorded_at=screened,
                )
            )
            last = screened
            if enquiry:
                for agency in rng.sample(agencies, min(3, len(agencies))):
                    due = screened + timedelta(hours=ENQUIRY_HOURS[rag])
                    answered = screened + timedelta(
                        hours=ENQUIRY_HOURS[rag] * rng.uniform(0.05, 1.3)
                    )
                    last = max(last, answered)
                    rows["request"].append(
                        InformationRequest(
                            contact=contact,
                            agency=agency,
                            rag=rag,
                            requested_by=practitioner,
                            requested_at=screened,
                            due_at=due,
                            status="answered",
                            result=rng.choice(["known", "not_known", "not_known"]),
                            information="Generated.",
                            handling="mash_only",
                            lawful_basis="public_task_safeguarding",
                            answered_by=practitioner,
                            answered_at=answered,
                        )
                    )
            national = _pick(rng, OUTCOMES_BY_LEVEL[level])
            decided = last + timedelta(hours=rng.lognormvariate(1.5, 0.9))
            decision = Decision(
                contact=contact,
                outcome=outcomes[national],
                level_of_need=level,
                rationale="Generated rationale.",
                status="signed_off",
                proposed_by=practitioner,
                proposed_at=decided - timedelta(minutes=30),
                signed_off_by=manager,
                signed_off_at=decided,
                **({"primary_need_code": "N1"} if national in ("S17", "S47") else {}),
            )
            rows["decision"].append(decision)
            if rng.random() < 0.9:
                sent = decided + timedelta(hours=rng.lognormvariate(1.5, 1.0))
                rows["fb"].append(
                    Feedback(
                        contact=contact,
                        decision=decision,
                        message="Generated.",
                        sent_by=practitioner,
                        sent_at=sent,
                    )
                )
                contact.closed_at = sent
            else:
                contact.stage = "feedback"
        with transaction.atomic():
            Person.objects.bulk_create(rows["person"], batch_size=2000)
            Contact.objects.bulk_create(rows["contact"], batch_size=2000)
            ContactPerson.objects.bulk_create(rows["subject"], batch_size=2000)
            Screening.objects.bulk_create(rows["screening"], batch_size=2000)
            InformationRequest.objects.bulk_create(rows["request"], batch_size=2000)
            Decision.objects.bulk_create(rows["decision"], batch_size=2000)
            Feedback.objects.bulk_create(rows["fb"], batch_size=2000)
            # History is history: rows were last changed around when the work was done, not
            # now (an incremental refresh afterwards should find only new work).
            then = datetime.combine(batch_days[-1], datetime.max.time(), tzinfo=UTC)
            then += timedelta(days=3)
            if not backdate:
                # New work, as the services would record it (the facts follow the audit trail).
                for contact in rows["contact"]:
                    audit_record(
                        actor=practitioner,
                        verb=AuditVerb.CONTACT_CREATED,
                        target=contact,
                        hub_id=hub.pk,
                        contact_id=contact.pk,
                    )
            for model, key in (
                ()
                if not backdate
                else (
                    (Person, "person"),
                    (Contact, "contact"),
                    (ContactPerson, "subject"),
                    (Screening, "screening"),
                    (InformationRequest, "request"),
                    (Decision, "decision"),
                    (Feedback, "fb"),
                )
            ):
                ids = [row.pk for row in rows[key]]
                for i in range(0, len(ids), 2000):
                    model.objects.filter(pk__in=ids[i : i + 2000]).update(
                        created_at=then, updated_at=then
                    )
        made += len(batch_days)
        if len(recent) > 20_000:
            recent = recent[-10_000:]
        progress(f"{made:,} contacts inserted")
    Hub.objects.filter(pk=hub.pk).update(contact_counter=number_from + contacts)
