"""The whole front-door journey through the JSON API, as an integrating system would drive it.
`make test` runs this on SQLite and on a throwaway PostgreSQL."""

from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from openmash.audit.services import audit_chain_verify
from openmash.testing.world import PASSWORD, World

pytestmark = pytest.mark.django_db(transaction=True)


def token_for(client: Client, username: str) -> dict[str, str]:
    response = client.post(
        "/api/v1/auth/token",
        {"username": username, "password": PASSWORD},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    return {"Authorization": f"Bearer {response.json()['token']}"}


def call(
    client: Client,
    method: str,
    path: str,
    auth: dict[str, str],
    body: dict[str, Any] | None = None,
    status: int = 200,
) -> Any:
    response = (
        getattr(client, method)(
            f"/api/v1{path}", body, content_type="application/json", headers=auth
        )
        if body is not None
        else getattr(client, method)(f"/api/v1{path}", headers=auth)
    )
    assert response.status_code == status, (path, response.status_code, response.content)
    return response.json() if response.content else None


def test_the_whole_journey_through_the_api(world: World) -> None:
    client = Client()
    school = token_for(client, "demo.referrer")
    practitioner = token_for(client, "demo.practitioner")
    police = token_for(client, "demo.police")
    health = token_for(client, "demo.health")
    manager = token_for(client, "demo.manager")

    # A school referrer submits a contact; a refuge address is marked confidential.
    contact = call(
        client,
        "post",
        "/contacts",
        school,
        {
            "concern_categories": ["physical_abuse_adult", "domestic_abuse_child"],
            "concern_narrative": "Amelia has a bruise and said her mum's partner hit her.",
            "family_awareness": "not_aware",
            "no_consent_reason": "Telling the family could put Amelia at risk.",
            "people": [
                {
                    "role": "subject",
                    "kind": "child",
                    "given_name": "Amelia",
                    "family_name": "Hartley",
                    "date_of_birth": "2016-03-14",
                    "sex": "F",
                    "address_line_1": "Safe House 7",
                    "postcode": "NT9 9ZZ",
                    "address_confidential": True,
                    "nhs_number": "943 476 5919",
                },
                {
                    "role": "household",
                    "kind": "adult",
                    "relationship": "alleged_perpetrator",
                    "given_name": "Kyle",
                    "family_name": "Dent",
                },
            ],
        },
        status=201,
    )
    assert contact["source_code"] == "2A"  # from the referrer's agency (a school)
    assert contact["stage"] == "screening"
    contact_id = contact["id"]

    # The practitioner screens it Amber, level 3, for a MASH enquiry.
    call(
        client,
        "post",
        f"/contacts/{contact_id}/screenings",
        practitioner,
        {
            "outcome": "mash_enquiry",
            "level_of_need": 3,
            "rag": "amber",
            "rationale": "Injury with a disclosure: needs agency checks today.",
        },
        status=201,
    )
    requests = call(
        client,
        "post",
        f"/contacts/{contact_id}/requests",
        practitioner,
        {
            "agency_ids": [str(world.agencies["police"].pk), str(world.agencies["health"].pk)],
            "question": "What do you know about Amelia and Kyle?",
        },
        status=201,
    )
    assert {r["agency_name"] for r in requests} == {
        world.agencies["police"].name,
        world.agencies["health"].name,
    }
    police_request = next(r for r in requests if r["agency_id"] == str(world.agencies["police"].pk))
    health_request = next(r for r in requests if r["agency_id"] == str(world.agencies["health"].pk))

    # Each researcher sees only their own agency's request, and never the contact itself.
    police_queue = call(client, "get", "/requests", police)
    assert [r["id"] for r in police_queue] == [police_request["id"]]
    call(client, "get", f"/requests/{health_request['id']}", police, status=404)
    call(client, "get", f"/contacts/{contact_id}", police, status=404)
    assert call(client, "get", "/contacts", police)["count"] == 0
    detail = call(client, "get", f"/requests/{police_request['id']}", police)
    assert detail["people"][0]["address_lines"] == ["Withheld: confidential address"]
    assert "narrative" not in str(detail).lower()

    call(
        client,
        "post",
        f"/requests/{police_request['id']}/answer",
        police,
        {
            "result": "known",
            "information": "Kyle Dent has two prior domestic abuse callouts.",
            "handling": "mash_only",
            "lawful_basis": "law_enforcement",
        },
    )
    # The health researcher cannot read the police answer.
    call(client, "get", f"/requests/{police_request['id']}", health, status=404)
    call(
        client,
        "post",
        f"/requests/{health_request['id']}/answer",
        health,
        {
            "result": "not_known",
            "lawful_basis": "public_task_safeguarding",
        },
    )
    assert call(client, "get", f"/contacts/{contact_id}", practitioner)["stage"] == "decision"

    # The practitioner proposes; the manager signs off with an action.
    due = (timezone.localdate() + timedelta(days=5)).isoformat()
    decision = call(
        client,
        "post",
        f"/contacts/{contact_id}/decisions",
        practitioner,
        {
            "outcome": "s47",
            "primary_need_code": "N1",
            "level_of_need": 4,
            "rationale": "Disclosure of physical abuse by an adult with a history of violence.",
            "childs_voice": "Amelia said she is scared to go home.",
            "actions": [
                {
                    "owner_agency_id": str(world.agencies["police"].pk),
                    "description": "Joint strategy discussion today",
                    "due_date": due,
                }
            ],
        },
        status=201,
    )
    call(client, "post", f"/decisions/{decision['id']}/sign-off", practitioner, {}, status=403)
    signed = call(
        client, "post", f"/decisions/{decision['id']}/sign-off", manager, {"note": "Agreed."}
    )
    assert signed["status"] == "signed_off"
    call(client, "post", f"/decisions/{decision['id']}/sign-off", manager, {}, status=409)

    # Feedback to the referrer: the outcome only.
    call(client, "post", f"/contacts/{contact_id}/feedback", practitioner, {}, status=201)
    assert len(mail.outbox) == 1
    assert "Strategy discussion" in mail.outbox[0].body
    assert "Kyle Dent has two" not in mail.outbox[0].body
    assert "Safe House" not in mail.outbox[0].body
    seen_by_school = call(client, "get", f"/contacts/{contact_id}", school)
    assert seen_by_school["stage"] == "closed"
    assert seen_by_school["feedback"][0]["message"] == mail.outbox[0].body
    assert seen_by_school["screenings"] == []
    # The referrer is told where it stands, never the hub's rating of it.
    assert (seen_by_school["rag"], seen_by_school["level_of_need"]) == ("", None)
    listed = call(client, "get", "/contacts", school)["items"][0]
    assert (listed["rag"], listed["level_of_need"], listed["stage_due_at"]) == ("", None, None)

    timeline = call(client, "get", f"/contacts/{contact_id}/timeline", practitioner)
    labels = [item["label"] for item in timeline]
    assert labels[0] == "Contact received"
    assert labels[-1] == "Feedback sent to referrer"
    assert "Decision signed off" in labels
    assert audit_chain_verify().ok


def test_api_errors_have_one_shape(world: World) -> None:
    client = Client()
    practitioner = token_for(client, "demo.practitioner")
    body = call(
        client,
        "post",
        "/contacts",
        practitioner,
        {
            "channel": "phone",
            "source_code": "6",
            "referrer_name": "PC Jones",
            "concern_narrative": "",
            "family_awareness": "aware_consented",
            "concern_categories": ["neglect"],
            "people": [
                {
                    "role": "subject",
                    "kind": "child",
                    "given_name": "Ann",
                    "nhs_number": "1234567890",
                }
            ],
        },
        status=422,
    )
    assert set(body) == {"detail", "errors"}
    assert "concern_narrative" in body["errors"]
    assert "people.0.nhs_number" in body["errors"]
    missing = call(
        client, "get", "/contacts/00000000-0000-0000-0000-000000000000", practitioner, status=404
    )
    assert missing["detail"] == "Contact not found"
    assert client.get("/api/v1/contacts").status_code == 401
    bad = client.post(
        "/api/v1/auth/token",
        {"username": "demo.police", "password": "nope"},
        content_type="application/json",
    )
    assert bad.status_code == 401


def test_tokens_expire_and_can_be_revoked(world: World) -> None:
    client = Client()
    auth = token_for(client, "demo.practitioner")
    headers = auth
    assert client.get("/api/v1/contacts", headers=headers).status_code == 200
    assert client.delete("/api/v1/auth/token", headers=headers).status_code == 204
    assert client.get("/api/v1/contacts", headers=headers).status_code == 401
    headers = token_for(client, "demo.practitioner")
    from openmash.accounts.models import ApiToken

    ApiToken.objects.filter(user=world.practitioner).update(expires_at=timezone.now())
    assert client.get("/api/v1/contacts", headers=headers).status_code == 401


def test_nul_characters_and_bad_json_are_refused_not_crashed(world: World) -> None:
    client = Client()
    auth = token_for(client, "demo.practitioner")
    response = client.post(
        "/api/v1/contacts",
        '{"concern_narrative": "a\\u0000b"}',
        content_type="application/json",
        headers=auth,
    )
    assert response.status_code == 400
    assert response.json()["detail"] == "Text must not contain NUL characters."
    response = client.post(
        "/api/v1/contacts", "{not json", content_type="application/json", headers=auth
    )
    assert response.status_code == 400
    for body, detail in [
        ('{"concern_narrative": "\\ud800"}', "unpaired surrogate"),
        ("[" * 10_000 + "]" * 10_000, "nested more than"),
        ('{"a":' * 100 + "1" + "}" * 100, "nested more than"),
    ]:
        response = client.post(
            "/api/v1/contacts", body, content_type="application/json", headers=auth
        )
        assert response.status_code == 400, body[:40]
        assert detail in response.json()["detail"]


def test_an_oversized_body_gets_the_json_error_shape(world: World) -> None:
    client = Client()
    auth = token_for(client, "demo.practitioner")
    body = '{"concern_narrative": "' + "x" * 3_000_000 + '"}'
    response = client.post("/api/v1/contacts", body, content_type="application/json", headers=auth)
    assert response.status_code == 413
    assert response.json()["detail"].startswith("The request body is too large")
