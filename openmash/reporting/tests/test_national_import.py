"""Receiving monthly returns: validation (schema and sense), idempotent import, resubmission,
and nothing written when a return is refused."""

import copy
import json
from typing import Any

import pytest

from openmash.audit.models import AuditEvent, AuditVerb
from openmash.core.errors import PermissionDenied, ValidationError
from openmash.reporting.models import ImportedReturn, ReturnMeasure
from openmash.reporting.national import synthetic
from openmash.reporting.national.measures import flatten
from openmash.reporting.national.services import (
    ImportStatus,
    return_checksum,
    return_import,
    returns_import_many,
)
from openmash.reporting.national.validation import load_schema, return_errors, schema_path
from openmash.testing.world import World


def a_return(hub: int = 0, month: int = 0) -> dict[str, Any]:
    docs = list(synthetic.returns(hub + 1, month + 1, seed=7))
    return docs[hub * (month + 1) + month]


def imported_events() -> int:
    return AuditEvent.objects.filter(verb=AuditVerb.RETURN_IMPORTED).count()


def test_schema_helpers_find_the_schema() -> None:
    assert schema_path().name == "monthly-return-1.0.schema.json"
    assert load_schema()["$id"] == "urn:openmash:schema:monthly-return:1.0"


def test_synthetic_returns_are_valid_and_suppress_small_counts() -> None:
    docs = list(synthetic.returns(12, 3, seed=3))
    assert all(return_errors(d) == [] for d in docs)
    suppressed = [d for d in docs if d["suppression"]["cells_suppressed"] > 0]
    assert suppressed, "some small counts are suppressed"
    for doc in docs:
        total = doc["contacts"]["total"]
        for group in ("by_source", "by_rag", "by_level", "by_outcome"):
            hidden = [c for c in doc["contacts"][group].values() if c["suppressed"]]
            # Never exactly one hidden cell under a published total (it could be subtracted).
            assert len(hidden) != 1 or total["suppressed"]


def test_synthetic_returns_are_deterministic() -> None:
    assert list(synthetic.returns(2, 2, seed=5)) == list(synthetic.returns(2, 2, seed=5))


def test_schema_errors_are_listed_with_their_paths() -> None:
    doc = a_return()
    doc["period"]["month"] = "2024-13"
    doc["hub"]["code"] = "12"
    del doc["feedback"]
    doc["extra"] = 1
    doc["contacts"]["total"] = {"value": None, "suppressed": False}
    errors = {(e.path, e.message) for e in return_errors(doc)}
    paths = {p for p, _ in errors}
    assert {"$.period.month", "$.hub.code", "$.contacts.total.value", "$"} <= paths
    assert ("$", "feedback is missing") in errors
    assert ("$", "extra is not part of the monthly return format 1.0") in errors


def test_semantic_errors_say_what_does_not_add_up() -> None:
    doc = a_return()
    doc["period"]["start"] = "2023-04-02"
    total = doc["contacts"]["total"]["value"]
    doc["contacts"]["by_rag"] = {
        "red": {"value": total, "suppressed": False},
        "green": {"value": 7, "suppressed": False},
    }
    doc["on_time"]["screening"] = {
        "numerator": {"value": 9, "suppressed": False},
        "denominator": {"value": 8, "suppressed": False},
        "percent": 100.0,
    }
    doc["conversion"]["s17"] = {
        "numerator": {"value": 10, "suppressed": False},
        "denominator": {"value": 40, "suppressed": False},
        "percent": 30.0,
    }
    doc["repeat"]["rereferrals_12m"] = {
        "numerator": {"value": None, "suppressed": True},
        "denominator": {"value": 40, "suppressed": False},
        "percent": 10.0,
    }
    errors = {e.path: e.message for e in return_errors(doc)}
    assert "2023-04-01" in errors["$.period.start"]
    assert f"more than the {total} contacts" in errors["$.contacts.by_rag"]
    assert errors["$.on_time.screening"] == "The numerator (9) is more than the denominator (8)"
    assert errors["$.conversion.s17.percent"] == "The percent is 30.0 but 10 of 40 is 25.0"
    assert "must be null when a count is suppressed" in errors["$.repeat.rereferrals_12m.percent"]


def test_groups_must_add_up_when_nothing_is_suppressed() -> None:
    doc = a_return()
    total = doc["contacts"]["total"]["value"]
    doc["contacts"]["by_level"] = {"1": {"value": total - 1, "suppressed": False}}
    errors = {e.path: e.message for e in return_errors(doc)}
    assert f"add up to {total - 1} but there were {total}" in errors["$.contacts.by_level"]


def test_flatten_names_every_figure() -> None:
    doc = a_return()
    rows = {r.measure: r for r in flatten(doc)}
    assert rows["contacts.total"].value == doc["contacts"]["total"]["value"]
    rate = doc["on_time"]["screening"]
    assert rows["on_time.screening"].numerator == rate["numerator"]["value"]
    assert rows["on_time.screening"].denominator == rate["denominator"]["value"]
    mean = rows["turnaround.to_decision.all.mean_hours"]
    assert mean.value == doc["turnaround"]["to_decision"]["all"]["mean_hours"]
    assert mean.denominator == doc["turnaround"]["to_decision"]["all"]["count"]["value"]
    assert "agency_checks.police.on_time" in rows
    assert len(rows) == len(flatten(doc)), "one row per measure"


def test_import_created_then_unchanged_then_replaced(world: World) -> None:
    doc = a_return()
    first = return_import(actor=world.analyst, document=doc)
    assert first.status == ImportStatus.CREATED
    stored = ImportedReturn.objects.get()
    assert (stored.hub_code, f"{stored.month:%Y-%m}") == (doc["hub"]["code"], "2023-04")
    assert stored.imported_by == world.analyst.username
    assert stored.checksum == return_checksum(doc)
    assert ReturnMeasure.objects.count() == len(flatten(doc)) == first.measures
    assert imported_events() == 1

    # The same return again (as bytes, keys in another order, rebuilt later): nothing changes.
    again = dict(reversed(list(copy.deepcopy(doc).items())))
    again["generated_at"] = "2030-01-01T00:00:00+00:00"
    second = return_import(actor=world.admin, document=json.dumps(again).encode())
    assert second.status == ImportStatus.UNCHANGED
    assert ImportedReturn.objects.get().imported_by == world.analyst.username
    assert imported_events() == 1

    resubmitted = copy.deepcopy(doc)
    resubmitted["hub"]["name"] = "Renamed hub"
    third = return_import(actor=world.admin, document=resubmitted)
    assert third.status == ImportStatus.REPLACED
    stored = ImportedReturn.objects.get()
    assert (stored.hub_name, stored.imported_by) == ("Renamed hub", world.admin.username)
    assert ReturnMeasure.objects.count() == len(flatten(doc))
    assert set(ReturnMeasure.objects.values_list("imported_return", flat=True)) == {stored.pk}
    event = AuditEvent.objects.filter(verb=AuditVerb.RETURN_IMPORTED).latest("at")
    assert event.changes["status"] == "replaced"
    assert event.changes["checksum"] == [first.imported_return.checksum, stored.checksum]


@pytest.mark.parametrize(
    ("document", "path", "message"),
    [
        (b"{not json", "$", "The file is not valid JSON"),
        (b"[1, 2]", "$", "A return is a JSON object"),
        (b"\xff\xfe", "$", "The file is not UTF-8 text"),
        ({"return_type": "openmash-monthly-return"}, "$", "hub is missing"),
        (b'{"hub": {"name": "\\ud800"}}', "$", "Text must not contain unpaired surrogate"),
        (b"[" * 10_000 + b"]" * 10_000, "$", "The file is nested too deeply"),
        (b'{"a":' * 100 + b"1" + b"}" * 100, "$", "The JSON is nested more than 64"),
    ],
)
def test_malformed_returns_write_nothing(
    world: World, document: Any, path: str, message: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        return_import(actor=world.analyst, document=document)
    assert any(m.startswith(message) for m in caught.value.errors[path])
    assert "nothing was imported" in caught.value.message or caught.value.errors
    assert not ImportedReturn.objects.exists()
    assert not ReturnMeasure.objects.exists()
    assert imported_events() == 0


def test_a_bad_resubmission_leaves_the_earlier_return(world: World) -> None:
    doc = a_return()
    return_import(actor=world.analyst, document=doc)
    bad = copy.deepcopy(doc)
    bad["period"]["end"] = "2023-04-29"
    with pytest.raises(ValidationError) as caught:
        return_import(actor=world.analyst, document=bad)
    assert "$.period.end" in caught.value.errors
    assert ImportedReturn.objects.get().checksum == return_checksum(doc)
    assert imported_events() == 1


@pytest.mark.parametrize("role", ["practitioner", "manager", "auditor", "referrer", "police"])
def test_only_analysts_and_admins_import(world: World, role: str) -> None:
    with pytest.raises(PermissionDenied):
        return_import(actor=world.users()[role], document=a_return())
    assert not ImportedReturn.objects.exists()


def test_an_upload_imports_each_file_on_its_own(world: World) -> None:
    good = list(synthetic.returns(2, 2, seed=2))
    bad = copy.deepcopy(good[0])
    bad["hub"]["code"] = "999"
    bad["period"]["start"] = "2023-04-09"
    twin = copy.deepcopy(good[1])
    twin["hub"]["name"] = "A second return for the same hub and month"
    files = [
        ("a.json", json.dumps(good[0]).encode()),
        ("b.json", json.dumps(good[1]).encode()),
        ("bad.json", json.dumps(bad).encode()),
        ("broken.json", b"{"),
        ("twin.json", json.dumps(twin).encode()),
        ("c.json", json.dumps(good[2]).encode()),
    ]
    results = {r.name: r for r in returns_import_many(actor=world.analyst, files=files)}
    assert [n for n, r in results.items() if r.result] == ["a.json", "b.json", "c.json"]
    assert results["bad.json"].errors[0].startswith("$.period.start: ")
    assert results["broken.json"].errors[0].startswith("$: The file is not valid JSON")
    assert "b.json in this upload is also the return of hub" in results["twin.json"].errors[0]
    assert ImportedReturn.objects.count() == 3
    again = returns_import_many(actor=world.analyst, files=files[:2])
    assert [r.result.status for r in again if r.result] == [ImportStatus.UNCHANGED] * 2


def test_a_return_built_by_a_hub_passes_and_imports(world: World) -> None:
    """The contract with the hub side: what `monthly_return_build` writes, the national view
    accepts."""
    from django.utils import timezone

    from openmash.reporting.monthly_return import monthly_return_build
    from openmash.testing.world import contact_make

    for _ in range(7):
        contact_make(world.practitioner)
    today = timezone.localdate()
    doc = monthly_return_build(
        actor=world.manager, hub=world.hub, year=today.year, month=today.month
    )
    assert return_errors(doc) == []
    assert return_import(actor=world.analyst, document=doc).status == ImportStatus.CREATED
