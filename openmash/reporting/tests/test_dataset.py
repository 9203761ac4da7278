"""The national dataset: valid against its schema, pseudonymised (no name, address, identifier
or free text leaves the hub), stable pseudonyms, CSV / Parquet / JSON Lines, exported only by
the roles that need it, and every export audited."""

import csv
import io
import json
import zipfile
from pathlib import Path

import jsonschema_rs
import pyarrow.parquet as pq
import pytest
from django.core.management import CommandError, call_command

from openmash.audit.models import AuditEvent, AuditVerb
from openmash.core.errors import PermissionDenied, ValidationError
from openmash.decisions.tests.scenes import client_for
from openmash.hubs.services import hub_create
from openmash.reporting.dataset import (
    TABLES,
    dataset_export,
    dataset_records,
    pseudonym,
    pseudonym_key,
    schema_path,
)
from openmash.reporting.facts import facts_refresh
from openmash.testing.world import World

from .scenes import at, journey

CHILD = {
    "given_name": "Tallulah",
    "family_name": "Featherstonehaugh",
    "nhs_number": "9434765919",
    "postcode": "NT9 9ZZ",
}


@pytest.fixture
def two_contacts(world: World) -> World:
    journey(
        world,
        received=at(5, 10),
        screened=at(5, 11),
        decided=at(5, 15),
        child=CHILD,
        outcome="nfa",
        ask=("police",),
    )
    journey(world, received=at(12, 10), screened=at(12, 11), decided=at(12, 16), child=CHILD)
    facts_refresh(hub=world.hub)
    return world


@pytest.mark.django_db
def test_every_record_is_valid_and_carries_nothing_that_identifies_anyone(
    two_contacts: World,
) -> None:
    world = two_contacts
    validator = jsonschema_rs.validator_for(json.loads(schema_path().read_text()))
    records = list(dataset_records(world.hub))
    assert len(records) == 2
    for record in records:
        assert [e.message for e in validator.iter_errors(record)] == []
    text = json.dumps(records)
    contacts = list(world.hub.contacts.all())
    forbidden = [
        *CHILD.values(),
        "Mill Lane",
        "Sam Teacher",
        "sam.teacher@school.example",
        *(c.reference for c in contacts),
        *(str(c.pk) for c in contacts),
        "Bruise to the cheek",
    ]
    for value in forbidden:
        assert value not in text, value
    # The same child in both contacts: one person pseudonym, two contact pseudonyms.
    assert records[0]["subjects"][0]["person"] == records[1]["subjects"][0]["person"]
    assert records[0]["contact"] != records[1]["contact"]
    assert records[1]["repeat"]["referral_after_nfa_12m"] is True
    assert records[0]["agency_checks"][0]["agency_type"] == "police"
    assert records[1]["decision"]["outcome"] == "S17"
    assert records[1]["ratings"] == [{"at": "2026-10-12T10:00Z", "rag": "amber", "level": 3}]


@pytest.mark.django_db
def test_pseudonyms_are_stable_in_a_hub_and_unlinkable_across_hubs(two_contacts: World) -> None:
    world = two_contacts
    again = [r["contact"] for r in dataset_records(world.hub)]
    assert again == [r["contact"] for r in dataset_records(world.hub)]
    other = hub_create(name="Another MASH", la_code="123")
    contact_id = world.hub.contacts.first().pk  # type: ignore[union-attr]
    mine = pseudonym(pseudonym_key(world.hub), "contact", contact_id)
    theirs = pseudonym(pseudonym_key(other), "contact", contact_id)
    assert mine != theirs and len(mine) == 20


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["csv", "parquet", "jsonl"])
def test_exports_write_every_table_and_are_audited(
    two_contacts: World, tmp_path: Path, fmt: str
) -> None:
    world = two_contacts
    result = dataset_export(actor=world.manager, hub=world.hub, folder=tmp_path / "out", fmt=fmt)
    assert result.records == 2
    if fmt == "jsonl":
        lines = (tmp_path / "out" / "contacts.jsonl").read_text().splitlines()
        assert len(lines) == 2
    elif fmt == "csv":
        with (tmp_path / "out" / "contacts.csv").open(newline="") as handle:
            rows = list(csv.DictReader(handle))
        assert [r["outcome"] for r in rows] == ["NFA", "S17"]
        assert list(rows[0]) == [column for column, _type in TABLES["contacts"]]
    else:
        assert pq.read_table(tmp_path / "out" / "contacts.parquet").num_rows == 2
        assert pq.read_table(tmp_path / "out" / "agency_checks.parquet").num_rows == 1
        assert pq.read_table(tmp_path / "out" / "subjects.parquet").num_rows == 2
    event = AuditEvent.objects.filter(verb=AuditVerb.EXPORT_CREATED).get()
    assert event.actor == world.manager and event.changes["records"] == 2
    assert event.changes["format"] == fmt


@pytest.mark.django_db
@pytest.mark.parametrize(
    "role", ["admin", "analyst", "practitioner", "auditor", "police", "referrer"]
)
def test_only_managers_export_records(two_contacts: World, tmp_path: Path, role: str) -> None:
    with pytest.raises(PermissionDenied):
        dataset_export(
            actor=getattr(two_contacts, role),
            hub=two_contacts.hub,
            folder=tmp_path / "out",
            fmt="csv",
        )
    assert not (tmp_path / "out").exists()
    assert not AuditEvent.objects.filter(verb=AuditVerb.EXPORT_CREATED).exists()


@pytest.mark.django_db
def test_a_bad_format_or_a_folder_in_use_is_refused_and_nothing_is_written(
    two_contacts: World, tmp_path: Path
) -> None:
    world = two_contacts
    with pytest.raises(ValidationError, match="format"):
        dataset_export(actor=world.manager, hub=world.hub, folder=tmp_path / "x", fmt="xlsx")
    busy = tmp_path / "busy"
    busy.mkdir()
    (busy / "keep.txt").write_text("mine")
    with pytest.raises(ValidationError, match="not empty"):
        dataset_export(actor=world.manager, hub=world.hub, folder=busy, fmt="csv")
    assert [p.name for p in busy.iterdir()] == ["keep.txt"]
    assert not AuditEvent.objects.filter(verb=AuditVerb.EXPORT_CREATED).exists()


@pytest.mark.django_db
def test_the_command_writes_one_zip_with_the_tables_and_the_schema(
    two_contacts: World, tmp_path: Path
) -> None:
    out = tmp_path / "dataset.zip"
    call_command("export", "dataset", "--format", "parquet", "--out", str(out))
    with zipfile.ZipFile(out) as archive:
        names = set(archive.namelist())
    assert names == {f"{table}.parquet" for table in TABLES} | {"SCHEMA.json"}
    with pytest.raises(CommandError, match="both --from and --to"):
        call_command("export", "dataset", "--from", "2026-10-01", "--out", str(tmp_path / "a.zip"))
    with pytest.raises(CommandError, match="ends before it starts"):
        call_command(
            "export",
            "dataset",
            *("--from", "2026-10-31", "--to", "2026-10-01"),
            *("--out", str(tmp_path / "b.zip")),
        )
    with pytest.raises(CommandError, match="may not"):
        call_command(
            "export",
            "dataset",
            *("--out", str(tmp_path / "c.zip"), "--as-user", "demo.analyst"),
        )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dataset.zip"]
    assert AuditEvent.objects.filter(verb=AuditVerb.EXPORT_CREATED).count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["manager", "admin", "practitioner", "analyst", "police"])
def test_the_exports_page_offers_the_dataset_to_managers_only(
    two_contacts: World, role: str
) -> None:
    client = client_for(getattr(two_contacts, role))
    page = client.get("/reporting/exports")
    response = client.post("/reporting/exports/dataset", {"dataset-fmt": "jsonl"})
    if role != "manager":
        assert response.status_code == 403
        assert not AuditEvent.objects.filter(verb=AuditVerb.EXPORT_CREATED).exists()
        return
    assert "Download the dataset" in page.content.decode()
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    assert response["Content-Disposition"].endswith('_all_jsonl.zip"')
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        lines = archive.read("contacts.jsonl").decode().splitlines()
    assert len(lines) == 2


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"dataset-fmt": "xlsx"}, "Choose CSV, Parquet or JSON Lines"),
        (
            {
                "dataset-fmt": "csv",
                **{"dataset-start_day": "1", "dataset-start_month": "10"},
                "dataset-start_year": "2026",
            },
            "both dates",
        ),
        (
            {
                "dataset-fmt": "csv",
                **{"dataset-start_day": "31", "dataset-start_month": "10"},
                **{"dataset-start_year": "2026", "dataset-end_day": "1"},
                **{"dataset-end_month": "10", "dataset-end_year": "2026"},
            },
            "on or after its start",
        ),
    ],
)
def test_a_bad_dataset_request_is_explained_and_nothing_is_exported(
    two_contacts: World, form: dict[str, str], message: str
) -> None:
    response = client_for(two_contacts.manager).post("/reporting/exports/dataset", form)
    assert response.status_code == 422
    html = response.content.decode()
    assert message in html and "govuk-error-summary" in html
    assert not AuditEvent.objects.filter(verb=AuditVerb.EXPORT_CREATED).exists()
