"""Imported returns have provenance (issue 11, item 7): accepted only for a hub the importer
is authorised for, refusals audited, and a replaced return kept, not overwritten."""

import copy
import json
from typing import Any

import pytest
from django.test import Client, override_settings

from openmash.access.permissions import Role
from openmash.accounts.models import User
from openmash.audit.models import AuditEvent, AuditVerb
from openmash.core.errors import PermissionDenied
from openmash.hubs.models import ReturnVersion
from openmash.reporting.models import ImportedReturn, ReturnMeasure
from openmash.reporting.national import synthetic
from openmash.reporting.national.provenance import importable_hub_codes, may_import
from openmash.reporting.national.services import (
    ImportStatus,
    return_checksum,
    return_import,
    returns_import_many,
)
from openmash.testing.world import PASSWORD, World, user_of_another_hub


def a_return(code: str | None = None) -> dict[str, Any]:
    doc = next(synthetic.returns(1, 1, seed=7))
    if code is not None:
        doc["hub"]["code"] = code
    return doc


def analyst_of_another_hub() -> User:
    return user_of_another_hub("south.analyst", [Role.ANALYST.value])


def test_the_rule_own_hub_and_the_hubs_collected_for() -> None:
    sources = {"999": ["100", "105"]}
    assert importable_hub_codes(importer_hub_code="999", sources=sources) == {"999", "100", "105"}
    assert importable_hub_codes(importer_hub_code="998", sources=sources) == {"998"}
    assert importable_hub_codes(importer_hub_code=None, sources=sources) == set()
    assert may_import(importer_hub_code="999", return_hub_code="100", sources=sources)
    assert not may_import(importer_hub_code="998", return_hub_code="100", sources=sources)


def test_an_analyst_cannot_publish_a_hub_they_are_not_authorised_for(world: World) -> None:
    with pytest.raises(PermissionDenied) as caught:
        return_import(actor=world.analyst, document=a_return(code="321"))
    assert "not authorised to import the returns of hub 321" in caught.value.message
    assert not ImportedReturn.objects.exists() and not ReturnMeasure.objects.exists()
    refused = AuditEvent.objects.get(verb=AuditVerb.RETURN_REFUSED)
    assert refused.changes["hub_code"] == "321" and refused.actor == world.analyst
    assert not AuditEvent.objects.filter(verb=AuditVerb.RETURN_IMPORTED).exists()


def test_another_hub_cannot_overwrite_this_hubs_figures(world: World) -> None:
    mine = a_return(code=world.hub.la_code)
    return_import(actor=world.analyst, document=mine)
    theirs = copy.deepcopy(mine)
    theirs["hub"]["name"] = "Forged"
    with pytest.raises(PermissionDenied):
        return_import(actor=analyst_of_another_hub(), document=theirs)
    assert ImportedReturn.objects.get().checksum == return_checksum(mine)


@override_settings(OPENMASH_NATIONAL_RETURN_SOURCES={})
def test_without_a_collector_list_a_hub_imports_only_its_own(world: World) -> None:
    assert return_import(actor=world.admin, document=a_return(code="999")).changed
    with pytest.raises(PermissionDenied):
        return_import(actor=world.admin, document=a_return())  # a synthetic hub's, 100


def test_an_upload_lists_the_unauthorised_file_and_imports_the_rest(world: World) -> None:
    files = [("ok.json", a_return()), ("forged.json", a_return(code="321"))]
    results = {r.name: r for r in returns_import_many(actor=world.analyst, files=files)}
    assert results["ok.json"].result is not None
    assert results["forged.json"].result is None
    assert "not authorised" in results["forged.json"].errors[0]


def test_the_api_answers_403_for_an_unauthorised_hub(world: World) -> None:
    client = Client()
    token = client.post(
        "/api/v1/auth/token",
        {"username": world.analyst.username, "password": PASSWORD},
        content_type="application/json",
    ).json()["token"]
    response = Client(headers={"Authorization": f"Bearer {token}"}).post(
        "/api/v1/national/returns",
        json.dumps(a_return(code="321")),
        content_type="application/json",
    )
    assert response.status_code == 403
    assert not ImportedReturn.objects.exists()


def test_a_replaced_return_is_kept_and_the_view_uses_the_current_one(world: World) -> None:
    first = a_return()
    return_import(actor=world.analyst, document=first)
    second = copy.deepcopy(first)
    second["hub"]["name"] = "Renamed hub"
    result = return_import(actor=world.admin, document=second)
    assert result.status == ImportStatus.REPLACED
    kept = ReturnVersion.objects.get()
    assert (kept.checksum, kept.imported_by) == (return_checksum(first), world.analyst.username)
    assert (kept.superseded_by, kept.superseded_by_checksum) == (
        world.admin.username,
        return_checksum(second),
    )
    assert kept.payload == first
    current = ImportedReturn.objects.get()
    assert current.hub_name == "Renamed hub"
    event = AuditEvent.objects.filter(verb=AuditVerb.RETURN_IMPORTED).latest("at")
    assert event.changes["previous_version"] == str(kept.pk)
    # Re-importing the current one changes nothing and keeps no extra version.
    assert return_import(actor=world.admin, document=second).status == ImportStatus.UNCHANGED
    assert ReturnVersion.objects.count() == 1
