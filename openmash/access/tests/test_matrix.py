"""Role x agency x action x object: who may do what to which contact, exhaustively, through the
API (the pages use the same gates). Missing and forbidden objects answer the same 404."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from openmash.accounts.models import User
from openmash.contacts.models import Contact
from openmash.decisions.services import screening_record
from openmash.enquiries.models import InformationRequest
from openmash.enquiries.services import requests_create
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
    own: Contact  # submitted by the school referrer
    other: Contact  # recorded by the practitioner from a phone call
    police_request: InformationRequest
    health_request: InformationRequest


def build_scene(world: World) -> Scene:
    own = contact_make(world.referrer)
    other = contact_make(world.practitioner)
    screening_record(
        actor=world.practitioner,
        contact=own,
        outcome="mash_enquiry",
        level_of_need=3,
        rag="amber",
        rationale="Needs checks",
    )
    created = requests_create(
        actor=world.practitioner,
        contact=own,
        agency_ids=[str(world.agencies["police"].pk), str(world.agencies["health"].pk)],
    )
    by_agency = {r.agency.code: r for r in created}
    return Scene(world, own, other, by_agency["police"], by_agency["health"])


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
}

OK, HIDDEN, FORBIDDEN = 200, 404, 403
MASH_STAFF = {
    "view own-submitted contact": OK,
    "view other contact": OK,
    "view police request": OK,
    "view health request": OK,
    "answer police request": FORBIDDEN,
    "screen other contact": 201,
    "timeline of own-submitted contact": OK,
}
NOTHING = dict.fromkeys(ACTIONS, HIDDEN)
EXPECTED: dict[str, dict[str, int]] = {
    "manager": MASH_STAFF,
    "practitioner": MASH_STAFF,
    "auditor": {**MASH_STAFF, "screen other contact": FORBIDDEN},
    "police": {**NOTHING, "view police request": OK, "answer police request": OK},
    "health": {**NOTHING, "view health request": OK},
    "education": NOTHING,
    "referrer": {
        **NOTHING,
        "view own-submitted contact": OK,
        "timeline of own-submitted contact": OK,
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
    expected = {
        "manager": {str(scene.own.pk), str(scene.other.pk)},
        "practitioner": {str(scene.own.pk), str(scene.other.pk)},
        "auditor": {str(scene.own.pk), str(scene.other.pk)},
        "referrer": {str(scene.own.pk)},
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
