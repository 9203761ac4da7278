"""Two users acting on the same thing at once: each service re-reads its contact, decision or
request under a lock inside its transaction and checks the state there, so the second of two
writers sees what the first did. Here the "other user" is a stale copy of the object, loaded
before the first write, exactly what a second request in flight holds."""

from collections.abc import Callable
from typing import Any

import pytest

from openmash.contacts.models import Contact, JourneyStage
from openmash.core.errors import Conflict
from openmash.decisions.models import Decision, DecisionStatus, Feedback, Screening
from openmash.decisions.services import (
    decision_propose,
    decision_return,
    decision_sign_off,
    feedback_send,
    screening_record,
)
from openmash.decisions.tests.scenes import ask, proposed_decision, screened, signed_decision
from openmash.enquiries.models import InformationRequest, RequestStatus, SharingLedgerEntry
from openmash.enquiries.services import request_answer, requests_create
from openmash.testing.world import World, contact_make


def stale(obj: Any) -> Any:
    """A second copy of the row, as another request would have loaded it just now."""
    return type(obj).objects.get(pk=obj.pk)


def test_screening_a_contact_decided_meanwhile_is_refused(world: World) -> None:
    contact = screened(world)
    old_copy = stale(contact)
    signed_decision(world, contact)
    with pytest.raises(Conflict):
        screening_record(
            actor=world.manager,
            contact=old_copy,
            outcome="nfa",
            level_of_need=1,
            rag="green",
            rationale="Late rating.",
        )
    assert Screening.objects.filter(contact=contact).count() == 1


def test_two_first_screenings_make_one_screening_and_one_rerating(world: World) -> None:
    contact = contact_make(world.practitioner)
    first, second = stale(contact), stale(contact)
    for copy in (first, second):
        screening_record(
            actor=world.practitioner,
            contact=copy,
            outcome="mash_enquiry",
            level_of_need=3,
            rag="amber",
            rationale="Checks needed.",
        )
    assert list(contact.screenings.values_list("is_rerating", flat=True)) == [False, True]


def test_asking_after_a_proposal_meanwhile_is_refused(world: World) -> None:
    contact = screened(world)
    old_copy = stale(contact)
    proposed_decision(world, contact)
    with pytest.raises(Conflict):
        requests_create(
            actor=world.practitioner,
            contact=old_copy,
            agency_ids=[str(world.agencies["police"].pk)],
        )
    assert not InformationRequest.objects.filter(contact=contact).exists()


def test_two_answers_to_one_request_keep_the_first(world: World) -> None:
    contact = screened(world)
    request = ask(world, contact, "police")["police"]
    first, second = stale(request), stale(request)
    answer = {"result": "not_known", "lawful_basis": "law_enforcement"}
    request_answer(actor=world.police, request=first, **answer)
    with pytest.raises(Conflict):
        request_answer(
            actor=world.police,
            request=second,
            result="known",
            information="Something else.",
            handling="mash_only",
            lawful_basis="law_enforcement",
        )
    request.refresh_from_db()
    assert (request.status, request.result) == (RequestStatus.ANSWERED, "not_known")
    assert SharingLedgerEntry.objects.filter(information_request=request, to="MASH").count() == 1


def test_two_proposals_at_once_leave_one_waiting(world: World) -> None:
    contact = screened(world)
    first, second = stale(contact), stale(contact)
    proposed_decision(world, first)
    with pytest.raises(Conflict, match="already awaiting sign-off"):
        decision_propose(
            actor=world.manager,
            contact=second,
            outcome_code="nfa",
            level_of_need=1,
            rationale="Another view.",
        )
    assert Decision.objects.filter(contact=contact).count() == 1


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("sign_off", "sign_off"),
        ("sign_off", "return"),
        ("return", "sign_off"),
        ("return", "return"),
    ],
)
def test_a_proposal_is_signed_off_or_returned_once(world: World, first: str, second: str) -> None:
    contact = screened(world)
    decision = proposed_decision(world, contact)
    copies = stale(decision), stale(decision)
    act: dict[str, Callable[[Decision], Decision]] = {
        "sign_off": lambda d: decision_sign_off(actor=world.manager, decision=d),
        "return": lambda d: decision_return(actor=world.manager, decision=d, note="Rethink."),
    }
    act[first](copies[0])
    with pytest.raises(Conflict):
        act[second](copies[1])
    decision.refresh_from_db()
    expected = DecisionStatus.SIGNED_OFF if first == "sign_off" else DecisionStatus.RETURNED
    assert decision.status == expected


def test_feedback_is_sent_once(world: World) -> None:
    contact = screened(world)
    signed_decision(world, contact)
    first, second = stale(contact), stale(contact)
    feedback_send(actor=world.practitioner, contact=first)
    with pytest.raises(Conflict):
        feedback_send(actor=world.practitioner, contact=second)
    assert Feedback.objects.filter(contact=contact).count() == 1
    assert Contact.objects.get(pk=contact.pk).stage == JourneyStage.CLOSED
