"""What the hub already knows about a person: their earlier contacts, each with the outcome it
was signed off with (which decisions tells the person index through people/casework.py)."""

from openmash.contacts.models import Contact, ContactPerson
from openmash.decisions.services import decision_propose, decision_sign_off, screening_record
from openmash.people.models import Person
from openmash.people.selectors import known_to_hub
from openmash.testing.world import World, child_subject, contact_make


def subject_person(contact: Contact) -> Person:
    person = ContactPerson.objects.get(contact=contact, role="subject").person
    assert person is not None
    return person


def test_an_earlier_referral_shows_its_outcome_and_makes_a_re_referral(world: World) -> None:
    first = contact_make(world.practitioner)
    screening_record(
        actor=world.practitioner,
        contact=first,
        outcome="mash_enquiry",
        level_of_need=3,
        rag="amber",
        rationale="Injury with a disclosure.",
    )
    decision = decision_propose(
        actor=world.practitioner,
        contact=first,
        outcome_code="s17",
        level_of_need=3,
        rationale="Needs an assessment.",
        primary_need_code="N1",
    )
    decision_sign_off(actor=world.manager, decision=decision)
    second = contact_make(world.practitioner, people=[child_subject(given_name="Amelia")])

    known = known_to_hub(subject_person(second), excluding=second)

    [earlier] = known.prior_contacts
    assert earlier.contact_id == str(first.pk)
    assert earlier.outcome == world.hub.outcomes.get(code="s17").label
    assert earlier.was_referral
    assert known.re_referral


def test_an_earlier_contact_without_a_decision_shows_its_stage(world: World) -> None:
    first = contact_make(world.practitioner)
    second = contact_make(world.practitioner, people=[child_subject(given_name="Amelia")])

    known = known_to_hub(subject_person(second), excluding=second)

    [earlier] = known.prior_contacts
    assert earlier.outcome == first.get_stage_display()
    assert not earlier.was_referral
    assert not known.re_referral
