"""Small worlds the decision tests share: a screened contact, agencies that answered, a signed
decision (always proposed by the practitioner and signed off by the manager)."""

from datetime import timedelta
from typing import Any

from django.test import Client
from django.utils import timezone

from openmash.accounts.models import User
from openmash.contacts.models import Contact
from openmash.decisions.models import Decision
from openmash.decisions.services import (
    ActionInput,
    decision_propose,
    decision_sign_off,
    screening_record,
)
from openmash.enquiries.models import InformationRequest
from openmash.enquiries.services import request_answer, requests_create
from openmash.testing.world import World, contact_make

POLICE_INFORMATION = "Lee Hartley was arrested for assault in 2023. Two domestic incidents logged."
HEALTH_INFORMATION = "Missed three health visitor appointments this year."
REFUGE = "Refuge 7 Harbour Road"


def client_for(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def screened(world: World, **overrides: object) -> Contact:
    contact = contact_make(world.practitioner, **overrides)
    screening_record(
        actor=world.practitioner,
        contact=contact,
        outcome="mash_enquiry",
        level_of_need=3,
        rag="amber",
        rationale="Injury with a disclosure.",
    )
    return contact


def ask(world: World, contact: Contact, *codes: str) -> dict[str, InformationRequest]:
    created = requests_create(
        actor=world.practitioner,
        contact=contact,
        agency_ids=[str(world.agencies[code].pk) for code in codes],
    )
    return {r.agency.code: r for r in created}


def police_answered(world: World, contact: Contact) -> InformationRequest:
    """Police and health are asked; both answer with information marked MASH only."""
    asked = ask(world, contact, "police", "health")
    request_answer(
        actor=world.police,
        request=asked["police"],
        result="known",
        information=POLICE_INFORMATION,
        handling="mash_only",
        lawful_basis="law_enforcement",
    )
    request_answer(
        actor=world.health,
        request=asked["health"],
        result="known",
        information=HEALTH_INFORMATION,
        handling="mash_only",
        lawful_basis="public_task_safeguarding",
    )
    return asked["police"]


def action_for(world: World, code: str, description: str) -> ActionInput:
    return ActionInput(
        owner_agency_id=str(world.agencies[code].pk),
        description=description,
        due_date=timezone.localdate() + timedelta(days=3),
    )


def proposed_decision(
    world: World, contact: Contact, outcome: str = "s17", **extra: Any
) -> Decision:
    return decision_propose(
        actor=world.practitioner,
        contact=contact,
        outcome_code=outcome,
        level_of_need=3,
        rationale=extra.pop("rationale", "Needs an assessment."),
        primary_need_code=extra.pop("primary_need_code", "N1"),
        **extra,
    )


def signed_decision(world: World, contact: Contact, outcome: str = "s17", **extra: Any) -> Decision:
    decision = proposed_decision(world, contact, outcome, **extra)
    return decision_sign_off(actor=world.manager, decision=decision)


def second_manager(world: World) -> User:
    return User.objects.create_user(
        "demo.manager2",
        password="x" * 12,
        agency=world.agencies["mash"],
        roles=["manager"],
        first_name="Second",
        last_name="Manager",
    )
