"""The national view's API: importing returns (201 / 200 / 422), listing them, the summary."""

import copy
import json
from typing import Any

import pytest
from django.test import Client

from openmash.reporting.models import ImportedReturn
from openmash.reporting.national import synthetic
from openmash.testing.world import PASSWORD, World

API = "/api/v1/national"


def token_client(user: Any) -> Client:
    client = Client()
    response = client.post(
        "/api/v1/auth/token",
        {"username": user.username, "password": PASSWORD},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    return Client(headers={"Authorization": f"Bearer {response.json()['token']}"})


def post(user: Any, body: Any, raw: bool = False) -> Any:
    client = token_client(user)
    data = body if raw else json.dumps(body)
    return client.post(f"{API}/returns", data, content_type="application/json")


def test_import_status_codes(world: World) -> None:
    doc = next(synthetic.returns(1, 1, seed=3))
    created = post(world.analyst, doc)
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["status"] == "created" and body["hub_code"] == doc["hub"]["code"]
    assert body["month"] == "2023-04" and body["measures"] > 100

    unchanged = post(world.admin, doc)
    assert (unchanged.status_code, unchanged.json()["status"]) == (200, "unchanged")
    assert unchanged.json()["measures"] == 0

    changed = copy.deepcopy(doc)
    changed["hub"]["name"] = "Renamed"
    replaced = post(world.analyst, changed)
    assert (replaced.status_code, replaced.json()["status"]) == (200, "replaced")
    assert ImportedReturn.objects.get().hub_name == "Renamed"


def test_a_malformed_return_is_refused_with_every_error(world: World) -> None:
    doc = next(synthetic.returns(1, 1, seed=3))
    doc["period"]["start"] = "2023-04-05"
    doc["hub"]["code"] = "AB"
    response = post(world.analyst, doc)
    assert response.status_code == 422
    body = response.json()
    assert body["detail"] == "The return has 1 problem; nothing was imported"
    assert body["errors"] == {"$.hub.code": ['"AB" does not match "^[0-9]{3}$"']}
    doc["hub"]["code"] = "123"
    body = post(world.analyst, doc).json()
    assert list(body["errors"]) == ["$.period.start"]
    assert post(world.analyst, "{oops", raw=True).status_code == 400
    assert post(world.analyst, [1, 2]).status_code == 422
    assert not ImportedReturn.objects.exists()


@pytest.mark.parametrize(
    ("role", "imports", "reads"),
    [
        ("analyst", 201, 200),
        ("admin", 201, 200),
        ("manager", 403, 200),
        ("practitioner", 403, 200),
        ("referrer", 403, 403),
        ("police", 403, 403),
    ],
)
def test_api_permissions(world: World, role: str, imports: int, reads: int) -> None:
    user = world.users()[role]
    assert post(user, next(synthetic.returns(1, 1, seed=3))).status_code == imports
    client = token_client(user)
    assert client.get(f"{API}/returns").status_code == reads
    assert client.get(f"{API}/summary").status_code == reads


def test_list_and_summary(world: World) -> None:
    docs = list(synthetic.returns(3, 2, seed=8))
    for doc in docs:
        assert post(world.analyst, doc).status_code == 201
    client = token_client(world.analyst)
    listed = client.get(f"{API}/returns", {"from": "2023-05", "to": "2023-05"}).json()
    assert sorted(r["hub_code"] for r in listed) == sorted(synthetic.hub_codes(3))
    assert {r["month"] for r in listed} == {"2023-05"}

    summary = client.get(f"{API}/summary", {"from": "2023-04", "to": "2023-05"}).json()
    assert (summary["from_month"], summary["to_month"], summary["returns"]) == (
        "2023-04",
        "2023-05",
        6,
    )
    totals = {t["measure"]: t for t in summary["totals"]}
    published = [d["contacts"]["total"] for d in docs]
    assert totals["contacts.total"]["value"] == sum(c["value"] or 0 for c in published)
    assert totals["contacts.total"]["suppressed"] == sum(c["suppressed"] for c in published)
    rates = {r["measure"]: r for r in summary["rates"]}
    screening = rates["on_time.screening"]
    assert screening["percent"] == round(100 * screening["numerator"] / screening["denominator"], 2)

    bad = client.get(f"{API}/summary", {"from": "2023-06", "to": "2023-04"})
    assert bad.status_code == 422 and "to" in bad.json()["errors"]
    assert client.get(f"{API}/summary", {"from": "April"}).status_code == 422


def test_summary_before_any_import(world: World) -> None:
    client = token_client(world.analyst)
    body = client.get(f"{API}/summary").json()
    assert body == {
        "from_month": None,
        "to_month": None,
        "returns": 0,
        "hubs": 0,
        "totals": [],
        "rates": [],
    }
    assert client.get(f"{API}/returns").json() == []
