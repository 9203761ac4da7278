"""Role x agency x action x object: who may do what to which contact, exhaustively, through the
API (the pages use the same gates). Missing and forbidden objects answer the same 404."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from openmash.accounts.models import User
from openmash.contacts.models import Contact
from openmash.decisions.models import Action, Decision, Dissent
from openmash.decisions.services import (
    ActionInput,
    decision_propose,
    decision_sign_off,
    dissent_record,
    screening_record,
)
from openmash.enquiries.models import InformationRequest
from openmash.enquiries.services import request_answer, requests_create
from openmash.testing.world import World, contact_make

USERS = [
    "manager",
    "practitioner",
    "police",
    "health",
    "education",
    "referrer",
    "admin",
    "auditor",
    "analyst",
]


@dataclass
class Scene:
    world: World
    own: Contact  # submitted by the school referrer; police and health asked, not yet answered
    other: Contact  # recorded by the practitioner from a phone call, not screened
    police_request: InformationRequest
    health_request: InformationRequest
    proposal: Decision  # on `own`, proposed by the practitioner, awaiting sign-off
    ready: Contact  # recorded by the practitioner, screened: a decision can be proposed
    decided: Contact  # submitted by the referrer; police and health asked; feedback due
    decision: Decision  # signed off on `decided`
    police_action: Action  # owned by the police, on `decision`
    police_dissent: Dissent  # the police disagree with `decision`


def _screen(world: World, contact: Contact, outcome: str = "mash_enquiry") -> None:
    screening_record(
        actor=world.practitioner,
        contact=contact,
        outcome=outcome,
        level_of_need=3,
        rag="amber",
        rationale="Needs checks",
    )


def _ask_police_and_health(world: World, contact: Contact) -> dict[str, InformationRequest]:
    created = requests_create(
        actor=world.practitioner,
        contact=contact,
        agency_ids=[str(world.agencies["police"].pk), str(world.agencies["health"].pk)],
    )
    return {r.agency.code: r for r in created}


def build_scene(world: World) -> Scene:
    own = contact_make(world.referrer)
    other = contact_make(world.practitioner)
    _screen(world, own)
    by_agency = _ask_police_and_health(world, own)
    proposal = decision_propose(
        actor=world.practitioner,
        contact=own,
        outcome_code="early_help",
        level_of_need=2,
        rationale="Early help will meet the need.",
    )

    ready = contact_make(world.practitioner)
    _screen(world, ready, outcome="early_help")

    decided = contact_make(world.referrer)
    _screen(world, decided)
    asked = _ask_police_and_health(world, decided)
    request_answer(
        actor=world.police,
        request=asked["police"],
        result="not_known",
        lawful_basis="law_enforcement",
    )
    decision = decision_sign_off(
        actor=world.manager,
        decision=decision_propose(
            actor=world.practitioner,
            contact=decided,
            outcome_code="s17",
            primary_need_code="N1",
            level_of_need=3,
            rationale="Needs an assessment.",
            actions=[
                ActionInput(
                    owner_agency_id=str(world.agencies["police"].pk),
                    description="Share the callout log.",
                    due_date=timezone.localdate(),
                )
            ],
        ),
    )
    police_dissent = dissent_record(
        actor=world.police, decision=decision, reason="Too low.", escalated_to="DI Smith"
    )
    return Scene(
        world,
        own,
        other,
        by_agency["police"],
        by_agency["health"],
        proposal,
        ready,
        decided,
        decision,
        decision.actions.get(),
        police_dissent,
    )


def as_user(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def get(path: str) -> Callable[[Client, Scene], int]:
    def run(client: Client, scene: Scene) -> int:
        return client.get("/api/v1" + path.format(s=scene)).status_code

    return run


def post(path: str, body: dict[str, Any]) -> Callable[[Client, Scene], int]:
    def run(client: Client, scene: Scene) -> int:
        payload = {k: (v.format(s=scene) if isinstance(v, str) else v) for k, v in body.items()}
        response = client.post(
            "/api/v1" + path.format(s=scene), payload, content_type="application/json"
        )
        return response.status_code

    return run


SHARING = {
    "shared": False,
    "what": "The police strategy notes",
    "to": "The child's father",
    "why": "Sharing would alert the alleged abuser.",
    "lawful_basis": "law_enforcement",
}

ACTIONS: dict[str, Callable[[Client, Scene], int]] = {
    "view own-submitted contact": get("/contacts/{s.own.pk}"),
    "view other contact": get("/contacts/{s.other.pk}"),
    "view police request": get("/requests/{s.police_request.pk}"),
    "view health request": get("/requests/{s.health_request.pk}"),
    "answer police request": post(
        "/requests/{s.police_request.pk}/answer",
        {"result": "not_known", "lawful_basis": "law_enforcement"},
    ),
    "screen other contact": post(
        "/contacts/{s.other.pk}/screenings",
        {"outcome": "nfa", "level_of_need": 1, "rag": "green", "rationale": "Universal services"},
    ),
    "timeline of own-submitted contact": get("/contacts/{s.own.pk}/timeline"),
    "view proposed decision": get("/decisions/{s.proposal.pk}"),
    "view signed decision": get("/decisions/{s.decision.pk}"),
    "propose decision": post(
        "/contacts/{s.ready.pk}/decisions",
        {"outcome": "early_help", "level_of_need": 2, "rationale": "Early help."},
    ),
    "sign off proposal": post("/decisions/{s.proposal.pk}/sign-off", {}),
    "return proposal": post("/decisions/{s.proposal.pk}/return", {"note": "Weigh the history."}),
    "record dissent": post(
        "/decisions/{s.decision.pk}/dissents",
        {"reason": "We disagree.", "escalated_to": "Our safeguarding lead"},
    ),
    "resolve police dissent": post(
        "/dissents/{s.police_dissent.pk}/resolve", {"resolution": "Discussed; outcome stands."}
    ),
    "update police action": post("/actions/{s.police_action.pk}/status", {"status": "done"}),
    "send feedback": post("/contacts/{s.decided.pk}/feedback", {}),
    "record sharing": post("/contacts/{s.own.pk}/sharing", SHARING),
    "read sharing": get("/contacts/{s.own.pk}/sharing"),
}

# Forbidden on something the user cannot see: 404 (existence is not leaked). Forbidden on
# something they can see: 403. A sub-resource the user may not see at all (a contact's
# sharing record, for its referrer) is hidden the same way: 404.
OK, CREATED, HIDDEN, FORBIDDEN = 200, 201, 404, 403
MASH_STAFF = {
    "view own-submitted contact": OK,
    "view other contact": OK,
    "view police request": OK,
    "view health request": OK,
    "answer police request": FORBIDDEN,
    "screen other contact": CREATED,
    "timeline of own-submitted contact": OK,
    "view proposed decision": OK,
    "view signed decision": OK,
    "propose decision": CREATED,
    "sign off proposal": OK,
    "return proposal": OK,
    "record dissent": CREATED,
    "resolve police dissent": OK,
    "update police action": OK,
    "send feedback": CREATED,
    "record sharing": CREATED,
    "read sharing": OK,
}
NOTHING = dict.fromkeys(ACTIONS, HIDDEN)
# An agency researcher asked about `own` and `decided`: they open the decisions (their own
# agency's part of them) and may disagree, but change nothing else.
ASKED_RESEARCHER = {
    **NOTHING,
    "view proposed decision": OK,
    "view signed decision": OK,
    "sign off proposal": FORBIDDEN,
    "return proposal": FORBIDDEN,
    "record dissent": CREATED,
}
EXPECTED: dict[str, dict[str, int]] = {
    "manager": MASH_STAFF,
    "practitioner": {
        **MASH_STAFF,
        "sign off proposal": FORBIDDEN,
        "return proposal": FORBIDDEN,
        "resolve police dissent": FORBIDDEN,
    },
    "auditor": {
        **MASH_STAFF,
        "screen other contact": FORBIDDEN,
        "propose decision": FORBIDDEN,
        "sign off proposal": FORBIDDEN,
        "return proposal": FORBIDDEN,
        "record dissent": FORBIDDEN,
        "resolve police dissent": FORBIDDEN,
        "update police action": FORBIDDEN,
        "send feedback": FORBIDDEN,
        "record sharing": FORBIDDEN,
    },
    "police": {
        **ASKED_RESEARCHER,
        "view police request": OK,
        "answer police request": OK,
        # Their own agency's dissent and action: visible, not theirs to change.
        "resolve police dissent": FORBIDDEN,
        "update police action": FORBIDDEN,
    },
    # Health never sees the police's dissent or action: 404, as if they did not exist.
    "health": {**ASKED_RESEARCHER, "view health request": OK},
    "education": NOTHING,
    "referrer": {
        **NOTHING,
        "view own-submitted contact": OK,
        "timeline of own-submitted contact": OK,
        "send feedback": FORBIDDEN,
        "record sharing": FORBIDDEN,
    },
    "admin": NOTHING,
    "analyst": NOTHING,
}


@pytest.mark.parametrize("username", USERS)
@pytest.mark.parametrize("action", list(ACTIONS))
def test_access_matrix(world: World, username: str, action: str) -> None:
    scene = build_scene(world)
    user = world.users()[username]
    assert ACTIONS[action](as_user(user), scene) == EXPECTED[username][action]


@pytest.mark.parametrize("username", USERS)
def test_contact_lists_are_scoped(world: World, username: str) -> None:
    scene = build_scene(world)
    body = as_user(world.users()[username]).get("/api/v1/contacts").json()
    ids = {item["id"] for item in body["items"]}
    hub = {str(c.pk) for c in (scene.own, scene.other, scene.ready, scene.decided)}
    expected = {
        "manager": hub,
        "practitioner": hub,
        "auditor": hub,
        "referrer": {str(scene.own.pk), str(scene.decided.pk)},
    }.get(username, set())
    assert ids == expected


@pytest.mark.parametrize("username", USERS)
def test_request_queues_are_scoped_to_the_agency(world: World, username: str) -> None:
    scene = build_scene(world)
    body = as_user(world.users()[username]).get("/api/v1/requests").json()
    ids = {item["id"] for item in body}
    expected = {
        "manager": {str(scene.police_request.pk), str(scene.health_request.pk)},
        "practitioner": {str(scene.police_request.pk), str(scene.health_request.pk)},
        "auditor": {str(scene.police_request.pk), str(scene.health_request.pk)},
        "police": {str(scene.police_request.pk)},
        "health": {str(scene.health_request.pk)},
    }.get(username, set())
    assert ids == expected


def test_a_user_of_another_hub_sees_nothing(world: World) -> None:
    from openmash.hubs.models import Agency
    from openmash.hubs.services import hub_create

    scene = build_scene(world)
    other_hub = hub_create(name="Southshire MASH", la_code="998")
    agency = Agency.objects.create(
        hub=other_hub,
        code="mash",
        name="Southshire MASH",
        agency_type="childrens_social_care",
        participation="core",
        referral_source_code="5A",
        is_mash_team=True,
    )
    stranger = User.objects.create_user(
        "south.manager", password="x" * 12, agency=agency, roles=["manager"]
    )
    client = as_user(stranger)
    assert client.get(f"/api/v1/contacts/{scene.own.pk}").status_code == HIDDEN
    assert client.get("/api/v1/contacts").json()["count"] == 0
