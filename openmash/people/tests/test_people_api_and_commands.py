"""The same person-index features through the API and the command line."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from openmash.contacts.models import ContactPerson
from openmash.people.models import AgencyIndexRecord, Person
from openmash.testing.world import World, child_subject, contact_make

HEADER = "action,record_ref,given_name,family_name,date_of_birth,sex,postcode,nhs_number\n"
ROW = "upsert,P1,Amelia,Hartley,2016-03-14,F,NT1 4AB,9434765919\n"


def signed_in(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def test_index_load_matches_and_review_through_the_api(world: World) -> None:
    police = signed_in(world.police)
    file = SimpleUploadedFile("i.csv", (HEADER + ROW).encode(), content_type="text/csv")
    response = police.post("/api/v1/agencies/police/index", {"file": file})
    assert response.status_code == 201, response.content
    assert response.json()["inserted"] == 1
    bad = SimpleUploadedFile("i.csv", (HEADER + "upsert,,A,B,1999-13-01,Q,,\n").encode())
    response = police.post("/api/v1/agencies/police/index", {"file": bad})
    assert response.status_code == 422
    problems = response.json()["errors"]["file"]
    assert "Line 2: record_ref is empty" in problems
    other = SimpleUploadedFile("i.csv", (HEADER + ROW).encode())
    assert police.post("/api/v1/agencies/health/index", {"file": other}).status_code == 404

    contact = contact_make(world.practitioner)
    practitioner = signed_in(world.practitioner)
    matches = practitioner.get(f"/api/v1/contacts/{contact.pk}/matches").json()
    subject = next(m for m in matches if m["name"] == "Amelia Hartley")
    (candidate,) = [c for c in subject["candidates"] if c["kind"] == "agency"]
    assert candidate["agency_id"] == str(world.agencies["police"].pk)
    assert candidate["probability"] > 0.99
    levels = {e["comparison"]: e["level"] for e in candidate["explanation"]}
    assert levels["nhs_number"] != "null"
    review = practitioner.post(
        "/api/v1/match-reviews",
        {
            "mention_id": subject["mention_id"],
            "candidate": candidate["key"],
            "probability": candidate["probability"],
            "decision": "confirmed",
        },
        content_type="application/json",
    )
    assert review.status_code == 201
    # Agency researchers and referrers do not see the hub's matching.
    assert police.get(f"/api/v1/contacts/{contact.pk}/matches").status_code == 404


def test_merge_and_undo_through_the_api(world: World) -> None:
    first = contact_make(world.practitioner)
    second = contact_make(
        world.practitioner,
        people=[
            child_subject(
                given_name="Amelai", nhs_number="", address_line_1="", town="", postcode=""
            )
        ],
    )
    a = ContactPerson.objects.get(contact=first, role="subject").person
    b = ContactPerson.objects.get(contact=second, role="subject").person
    assert a is not None and b is not None
    manager = signed_in(world.manager)
    pairs = manager.get("/api/v1/people/duplicates").json()
    assert {pairs[0]["first"]["id"], pairs[0]["second"]["id"]} == {str(a.pk), str(b.pk)}
    merged = manager.post(
        "/api/v1/people/merges",
        {"merged": str(b.pk), "into": str(a.pk), "reason": "Typo"},
        content_type="application/json",
    )
    assert merged.status_code == 201
    again = manager.post(
        "/api/v1/people/merges",
        {"merged": str(b.pk), "into": str(a.pk), "reason": "Typo"},
        content_type="application/json",
    )
    assert again.status_code == 409
    undone = manager.post(
        f"/api/v1/people/merges/{merged.json()['id']}/undo",
        {"reason": "Not the same"},
        content_type="application/json",
    )
    assert undone.json()["undone"] is True
    assert Person.objects.get(pk=b.pk).merged_into is None
    assert signed_in(world.police).get("/api/v1/people/duplicates").status_code == 403


def test_index_load_command(world: World, tmp_path: Path) -> None:
    good = tmp_path / "police.csv"
    good.write_text(HEADER + ROW)
    call_command("index", "load", str(good), "--agency", "police")
    assert AgencyIndexRecord.objects.count() == 1
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + "upsert,P2,A,B,not-a-date,F,,\n")
    with pytest.raises(CommandError, match="Line 2: date_of_birth"):
        call_command("index", "load", str(bad), "--agency", "police")
    with pytest.raises(CommandError, match="No agency with the code"):
        call_command("index", "load", str(good), "--agency", "nobody")
    assert AgencyIndexRecord.objects.count() == 1


PEOPLE_HEADER = (
    "record_id,given_name,family_name,date_of_birth,sex,address_line_1,"
    "address_line_2,town,postcode,nhs_number,other_id\n"
)


def test_link_and_dedupe_commands(tmp_path: Path) -> None:
    from openmash.testing.synthetic import population, records_for, two_extracts, write_csv

    police, health = two_extracts(300, overlap=0.5, seed=7)
    write_csv(police, tmp_path / "police.csv")
    write_csv(health, tmp_path / "health.csv")
    out = tmp_path / "links.csv"
    call_command(
        "link",
        "--left",
        str(tmp_path / "police.csv"),
        "--right",
        str(tmp_path / "health.csv"),
        "--out",
        str(out),
    )
    lines = out.read_text().splitlines()
    assert lines[0] == "left_id,right_id,match_probability"
    assert len(lines) > 100
    # --one-to-one: each extract holds a person at most once, so each record is linked once.
    exclusive = tmp_path / "links-one-to-one.csv"
    call_command(
        "link",
        "--left",
        str(tmp_path / "police.csv"),
        "--right",
        str(tmp_path / "health.csv"),
        "--out",
        str(exclusive),
        "--one-to-one",
    )
    pairs = [line.split(",")[:2] for line in exclusive.read_text().splitlines()[1:]]
    assert len(pairs) > 100
    assert len({left for left, _ in pairs}) == len(pairs) == len({right for _, right in pairs})
    records = records_for(population(200, seed=3), seed=3)
    write_csv(records, tmp_path / "records.csv")
    clusters = tmp_path / "clusters.csv"
    call_command("dedupe", str(tmp_path / "records.csv"), "--out", str(clusters))
    rows = clusters.read_text().splitlines()
    assert rows[0] == "record_id,cluster_id"
    assert len(rows) == len(records) + 1
    broken = tmp_path / "broken.csv"
    broken.write_text(PEOPLE_HEADER + "1,A,B,2001-02-30,F,,,,,,\n1,C,D,,X,,,,,,\n")
    with pytest.raises(CommandError, match="nothing was linked"):
        call_command(
            "link", "--left", str(broken), "--right", str(broken), "--out", str(tmp_path / "x.csv")
        )
    assert not (tmp_path / "x.csv").exists()


def test_reading_the_duplicates_list_is_logged_as_a_list_read(world: World) -> None:
    from openmash.audit.models import AuditEvent, AuditVerb

    first = contact_make(world.practitioner)
    second = contact_make(
        world.practitioner,
        people=[
            child_subject(
                given_name="Amelai", nhs_number="", address_line_1="", town="", postcode=""
            )
        ],
    )
    a = ContactPerson.objects.get(contact=first, role="subject").person
    b = ContactPerson.objects.get(contact=second, role="subject").person
    assert a is not None and b is not None
    for path in ("/api/v1/people/duplicates", "/people/duplicates"):
        before = AuditEvent.objects.filter(verb=AuditVerb.CONTACT_LISTED).count()
        assert signed_in(world.manager).get(path).status_code == 200
        listed = AuditEvent.objects.filter(verb=AuditVerb.CONTACT_LISTED, actor=world.manager)
        assert listed.count() == before + 1, path
        event = listed.last()
        assert event is not None
        assert set(event.changes["persons"]) == {str(a.pk), str(b.pk)}, path
