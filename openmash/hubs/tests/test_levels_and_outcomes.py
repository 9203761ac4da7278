from django.test import Client

from openmash.decisions.services import screening_record
from openmash.hubs.models import DecisionOutcome, LevelOfNeed
from openmash.testing.world import World, contact_make


def signed_in(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def levels_post(world: World, **overrides: str) -> dict[str, str]:
    data: dict[str, str] = {}
    for index, level in enumerate(world.hub.levels.all()):
        data[f"level_{index}"] = str(level.level)
        data[f"name_{index}"] = level.name
        data[f"description_{index}"] = level.description
    data.update(overrides)
    return data


def test_admin_renames_and_adds_levels(world: World) -> None:
    client = signed_in(world.admin)
    assert client.get("/hub/levels").status_code == 200
    response = client.post(
        "/hub/levels",
        levels_post(world, name_2="Child in need", level_4="5", name_4="Immediate protection"),
    )
    assert response.status_code == 302
    assert LevelOfNeed.objects.get(hub=world.hub, level=3).name == "Child in need"
    assert LevelOfNeed.objects.get(hub=world.hub, level=5).name == "Immediate protection"


def test_a_level_in_use_cannot_be_removed(world: World) -> None:
    contact = contact_make(world.practitioner)
    screening_record(
        actor=world.practitioner,
        contact=contact,
        outcome="nfa",
        level_of_need=1,
        rag="green",
        rationale="Universal",
    )
    response = signed_in(world.admin).post("/hub/levels", levels_post(world, level_0=""))
    assert response.status_code == 422
    assert b"Level 1 is recorded on contacts and cannot be removed" in response.content
    assert LevelOfNeed.objects.filter(hub=world.hub, level=1).exists()
    # An unused level can go.
    response = signed_in(world.admin).post("/hub/levels", levels_post(world, level_3=""))
    assert response.status_code == 302
    assert not LevelOfNeed.objects.filter(hub=world.hub, level=4).exists()


def test_duplicate_level_numbers_are_refused(world: World) -> None:
    response = signed_in(world.admin).post("/hub/levels", levels_post(world, level_1="1"))
    assert response.status_code == 422
    assert b"Give each level a different number" in response.content


def outcomes_post(world: World, **overrides: str) -> dict[str, str]:
    data: dict[str, str] = {}
    for index, outcome in enumerate(world.hub.outcomes.all()):
        data[f"label_{index}"] = outcome.label
        data[f"national_{index}"] = outcome.national_code
        if outcome.active:
            data[f"active_{index}"] = "on"
    data.update(overrides)
    return data


def test_admin_rewords_withdraws_and_adds_outcomes(world: World) -> None:
    count = world.hub.outcomes.count()
    response = signed_in(world.admin).post(
        "/hub/outcomes",
        outcomes_post(
            world,
            label_0="NFA: no further action at the front door",
            active_7="",
            **{
                f"code_{count}": "mash-strategy",
                f"label_{count}": "MASH strategy meeting",
                f"national_{count}": "S47",
                f"active_{count}": "on",
            },
        ),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    outcomes = {o.code: o for o in DecisionOutcome.objects.filter(hub=world.hub)}
    assert outcomes["nfa"].label == "NFA: no further action at the front door"
    assert outcomes["transfer"].active is False
    assert outcomes["mash-strategy"].national_code == "S47"


def test_bad_outcomes_are_refused_and_change_nothing(world: World) -> None:
    count = world.hub.outcomes.count()
    response = signed_in(world.admin).post(
        "/hub/outcomes",
        outcomes_post(
            world,
            **{f"code_{count}": "Bad Code!", f"label_{count}": "x", f"national_{count}": "S47"},
        ),
    )
    assert response.status_code == 422
    assert not DecisionOutcome.objects.filter(hub=world.hub, label="x").exists()


def test_only_the_administrator_reaches_them(world: World) -> None:
    for path in ("/hub/levels", "/hub/outcomes"):
        assert signed_in(world.manager).get(path).status_code == 404
        assert signed_in(world.admin).get(path).status_code == 200


def test_levels_and_outcomes_through_the_api(world: World) -> None:
    client = signed_in(world.admin)
    levels = [{"level": n, "name": f"Level {n}"} for n in (1, 2, 3, 4)]
    response = client.put("/api/v1/hub/levels", levels, content_type="application/json")
    assert response.status_code == 200, response.content
    assert [x["name"] for x in response.json()["levels_of_need"]][0] == "Level 1"
    outcomes = [
        {"code": "nfa", "label": "No further action", "national_code": "NFA"},
        {"code": "s17", "label": "Assessment", "national_code": "S17"},
    ]
    response = client.put("/api/v1/hub/outcomes", outcomes, content_type="application/json")
    assert response.status_code == 200
    assert {o["code"] for o in response.json()["outcomes"]} == {"nfa", "s17"}
    bad = client.put(
        "/api/v1/hub/outcomes",
        [{"code": "x", "label": "X", "national_code": "NOPE"}],
        content_type="application/json",
    )
    assert bad.status_code == 422
    forbidden = signed_in(world.manager).put(
        "/api/v1/hub/levels", levels, content_type="application/json"
    )
    assert forbidden.status_code == 403
