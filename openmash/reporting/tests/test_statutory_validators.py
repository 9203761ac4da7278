"""The demo hub's statutory exports pass the external checkers: the DfE CIN census schema,
DfE's own rules (csc-validator-be-cin, in its own virtualenv made by `make cin-validator`,
never by the tests) and Ofsted's Annex A column map."""

from datetime import date
from pathlib import Path

import pytest
from django.core.management import call_command

from openmash.accounts.models import User
from openmash.hubs.models import Hub
from openmash.reporting.statutory.services import annex_a_export, cin_census_export
from openmash.reporting.statutory.validators import (
    CinValidatorMissing,
    annex_a_problems,
    cin_validator_ensure,
    cin_validator_run,
    xsd_errors,
)


@pytest.fixture(scope="session")
def cin_validator() -> Path:
    try:
        return cin_validator_ensure()
    except CinValidatorMissing as missing:
        pytest.fail(str(missing), pytrace=False)


@pytest.mark.usefixtures("frozen_now")
@pytest.mark.django_db
def test_the_demo_hubs_2024_25_returns_pass_the_external_validators(
    cin_validator: Path, tmp_path: Path
) -> None:
    call_command("load_demo_hub")
    hub = Hub.objects.get(la_code="999")
    manager = User.objects.get(username="demo.manager")
    xml = cin_census_export(actor=manager, hub=hub, year=2025)
    assert xml.count(b"<Child>") >= 50
    assert xsd_errors(xml, 2025) == []
    path = tmp_path / "cin_2025.xml"
    path.write_bytes(xml)
    report = cin_validator_run(path, "cin2024_25")
    assert "Empty DataFrame" in report.cli_output
    assert report.errors == []
    assert report.queries == []
    workbook = annex_a_export(
        actor=manager, hub=hub, start=date(2024, 10, 1), end=date(2025, 3, 31)
    )
    assert annex_a_problems(workbook) == []
