"""Re-rating: a new outcome and RAG rating move the deadlines, and the audit event says how."""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from unittest import mock

from django.urls import reverse

from openmash.audit.models import AuditEvent, AuditVerb
from openmash.contacts.models import Contact, JourneyStage
from openmash.decisions.services import screening_record
from openmash.decisions.tests.scenes import ask, client_for
from openmash.hubs.models import Stage
from openmash.hubs.selectors import due_at
from openmash.testing.world import World, contact_make

TUESDAY_10 = datetime(2026, 3, 3, 10, 0, tzinfo=UTC)  # GMT: 10:00 in the hub too
TUESDAY_11 = datetime(2026, 3, 3, 11, 0, tzinfo=UTC)


@contextmanager
def clock_at(instant: datetime) -> Iterator[None]:
    with mock.patch("django.utils.timezone.now", return_value=instant):
        yield


def iso(value: datetime | None) -> str | None:
    return value.astimezone(UTC).isoformat() if value is not None else None


def screen(world: World, contact: Contact, outcome: str, rag: str, why: str = "Rated.") -> None:
    screening_record(
        actor=world.practitioner,
        contact=contact,
        outcome=outcome,
        level_of_need=3,
        rag=rag,
        rationale=why,
    )


def last_rerating() -> AuditEvent:
    event = AuditEvent.objects.filter(verb=AuditVerb.RERATED).last()
    assert event is not None
    return event


def test_rerating_to_a_strategy_discussion_during_enquiry_puts_the_decision_on_the_red_clock(
    world: World,
) -> None:
    with clock_at(TUESDAY_10):
        contact = contact_make(world.practitioner)
        screen(world, contact, "mash_enquiry", "amber")
        police = ask(world, contact, "police")["police"]
    contact.refresh_from_db()
    enquiry_due = contact.stage_due_at
    amber_request_due = police.due_at

    with clock_at(TUESDAY_11):
        response = client_for(world.practitioner).post(
            reverse("decisions:screen", args=[contact.pk]),
            {
                "outcome": "strategy_discussion",
                "level_of_need": "4",
                "rag": "red",
                "rationale": "The child disclosed a threat to kill: strategy discussion now.",
            },
        )
    assert response.status_code == 302
    contact.refresh_from_db()
    police.refresh_from_db()
    red_decision_due = due_at(world.hub, Stage.ENQUIRY_RED, TUESDAY_11)
    assert contact.stage == JourneyStage.DECISION
    assert contact.stage_started_at == TUESDAY_11
    assert contact.stage_due_at == red_decision_due
    assert enquiry_due is not None and red_decision_due < enquiry_due
    # The open request now runs on the Red clock, from when it was made.
    assert police.due_at == due_at(world.hub, Stage.ENQUIRY_RED, TUESDAY_10) < amber_request_due

    changes = last_rerating().changes
    assert changes["outcome"] == "strategy_discussion"
    assert changes["stage"] == ["enquiry", "decision"]
    assert changes["stage_due_at"] == [iso(enquiry_due), iso(red_decision_due)]
    assert changes["requests_due_at"] == {
        world.agencies["police"].name: [iso(amber_request_due), iso(police.due_at)]
    }


def test_rerating_to_a_strategy_discussion_while_awaiting_a_decision(world: World) -> None:
    with clock_at(TUESDAY_10):
        contact = contact_make(world.practitioner)
        screen(world, contact, "early_help", "green")
    contact.refresh_from_db()
    decision_due = contact.stage_due_at
    assert contact.stage == JourneyStage.DECISION

    with clock_at(TUESDAY_11):
        screen(world, contact, "strategy_discussion", "red", "New disclosure.")
    contact.refresh_from_db()
    red_due = due_at(world.hub, Stage.ENQUIRY_RED, TUESDAY_11)
    assert decision_due is not None and red_due < decision_due
    assert (contact.stage, contact.stage_due_at) == (JourneyStage.DECISION, red_due)
    changes = last_rerating().changes
    assert changes["stage_due_at"] == [iso(decision_due), iso(red_due)]
    assert "stage" not in changes  # still awaiting the decision


def test_a_decision_already_due_sooner_keeps_its_deadline(world: World) -> None:
    with clock_at(TUESDAY_10):
        contact = contact_make(world.practitioner)
        screen(world, contact, "strategy_discussion", "red")
    contact.refresh_from_db()
    first_due = contact.stage_due_at
    with clock_at(TUESDAY_11):
        screen(world, contact, "strategy_discussion", "red", "Still urgent.")
    contact.refresh_from_db()
    assert contact.stage_due_at == first_due
    assert "stage_due_at" not in last_rerating().changes


def test_a_rag_change_records_the_moved_request_deadlines(world: World) -> None:
    with clock_at(TUESDAY_10):
        contact = contact_make(world.practitioner)
        screen(world, contact, "mash_enquiry", "amber")
        asked = ask(world, contact, "police", "health")
    contact.refresh_from_db()
    before = {code: r.due_at for code, r in asked.items()}
    with clock_at(TUESDAY_11):
        screen(world, contact, "mash_enquiry", "green", "Lower risk than first thought.")
    contact.refresh_from_db()
    changes = last_rerating().changes
    green_due = due_at(world.hub, Stage.ENQUIRY_GREEN, TUESDAY_10)
    assert changes["requests_due_at"] == {
        world.agencies[code].name: [iso(before[code]), iso(green_due)] for code in asked
    }
    assert contact.stage == JourneyStage.ENQUIRY
    assert changes["stage_due_at"][1] == iso(green_due)
