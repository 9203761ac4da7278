"""The journey's rules, without a database."""

from datetime import UTC, datetime, timedelta

import pytest

from openmash.contacts.journey import (
    JOURNEY_NEXT,
    URGENT_CLOCK,
    journey_after_return,
    journey_can_move,
    journey_clock,
    journey_keeps_earlier_due,
)
from openmash.contacts.models import JourneyStage
from openmash.hubs.models import Stage

NOW = datetime(2026, 6, 1, 9, tzinfo=UTC)


def test_every_stage_has_its_next_stages_and_nothing_leaves_to_screening():
    assert set(JOURNEY_NEXT) == set(JourneyStage.values)
    assert all(JourneyStage.SCREENING not in nexts for nexts in JOURNEY_NEXT.values())


@pytest.mark.parametrize(
    ("current", "stage", "allowed"),
    [
        (JourneyStage.SCREENING, JourneyStage.ENQUIRY, True),
        (JourneyStage.SCREENING, JourneyStage.DECISION, True),
        (JourneyStage.SCREENING, JourneyStage.SIGN_OFF, False),
        (JourneyStage.ENQUIRY, JourneyStage.DECISION, True),
        (JourneyStage.DECISION, JourneyStage.ENQUIRY, True),
        (JourneyStage.DECISION, JourneyStage.FEEDBACK, False),
        (JourneyStage.SIGN_OFF, JourneyStage.FEEDBACK, True),
        (JourneyStage.FEEDBACK, JourneyStage.CLOSED, True),
        (JourneyStage.FEEDBACK, JourneyStage.DECISION, False),
        (JourneyStage.CLOSED, JourneyStage.SIGN_OFF, True),
        (JourneyStage.CLOSED, JourneyStage.SCREENING, False),
    ],
)
def test_which_stage_may_follow_which(current: str, stage: str, allowed: bool):
    assert journey_can_move(current, stage) is allowed


def test_the_stage_sets():
    assert JourneyStage.CLOSED not in JourneyStage.open_stages()
    assert list(JourneyStage.open_stages()) == JourneyStage.values[:-1]
    assert set(JourneyStage.undecided_stages()) == set(JourneyStage.open_stages()) - {
        JourneyStage.FEEDBACK
    }
    assert set(JourneyStage.askable_stages()) < set(JourneyStage.undecided_stages())


def test_each_stage_runs_on_its_clock():
    assert journey_clock(JourneyStage.SCREENING) == Stage.SCREENING
    assert journey_clock(JourneyStage.ENQUIRY, rag="red") == Stage.ENQUIRY_RED
    assert journey_clock(JourneyStage.ENQUIRY, rag="amber") == Stage.ENQUIRY_AMBER
    assert journey_clock(JourneyStage.ENQUIRY, rag="green") == Stage.ENQUIRY_GREEN
    assert journey_clock(JourneyStage.ENQUIRY) == Stage.ENQUIRY_GREEN  # not yet rated
    assert journey_clock(JourneyStage.DECISION) == Stage.DECISION
    assert journey_clock(JourneyStage.SIGN_OFF) == Stage.DECISION
    assert journey_clock(JourneyStage.FEEDBACK) == Stage.FEEDBACK
    assert journey_clock(JourneyStage.CLOSED) is None


def test_a_child_at_immediate_risk_is_screened_and_decided_on_the_red_clock():
    assert journey_clock(JourneyStage.SCREENING, urgent=True) == URGENT_CLOCK
    assert journey_clock(JourneyStage.DECISION, urgent=True) == URGENT_CLOCK
    assert journey_clock(JourneyStage.ENQUIRY, rag="green", urgent=True) == Stage.ENQUIRY_GREEN


def test_a_returned_proposal_goes_back_where_the_contact_was():
    back = journey_after_return
    assert back(has_signed_decision=False, was_closed=False) == JourneyStage.DECISION
    assert back(has_signed_decision=True, was_closed=False) == JourneyStage.FEEDBACK
    assert back(has_signed_decision=True, was_closed=True) == JourneyStage.CLOSED


def test_urgency_never_pushes_a_decision_later():
    soon, later = NOW + timedelta(hours=1), NOW + timedelta(hours=8)
    keeps = journey_keeps_earlier_due
    assert keeps(stage=JourneyStage.DECISION, current_due=soon, urgent_due=later)
    assert not keeps(stage=JourneyStage.DECISION, current_due=later, urgent_due=soon)
    assert not keeps(stage=JourneyStage.DECISION, current_due=None, urgent_due=soon)
    assert not keeps(stage=JourneyStage.ENQUIRY, current_due=soon, urgent_due=later)


def test_a_move_the_journey_does_not_allow_is_a_conflict_not_a_crash() -> None:
    import pytest

    from openmash.contacts.journey import _check_move
    from openmash.contacts.models import Contact, JourneyStage
    from openmash.core.errors import Conflict

    closed = Contact(stage=JourneyStage.CLOSED)
    with pytest.raises(Conflict, match="cannot move to"):
        _check_move(closed, JourneyStage.SCREENING)
