"""`openmash standards check` and the demo hub's governance."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from openmash.audit.models import AuditEvent, AuditVerb
from openmash.demo.governance import demo_governance_load
from openmash.governance.models import DocumentVersion, VersionStatus
from openmash.governance.services import document_publish
from openmash.governance.standards import Result, standards_evaluate
from openmash.testing.world import World

from .helpers import sign_by


def _run(*args: str) -> tuple[int, str]:
    out = StringIO()
    try:
        call_command("standards", "check", *args, stdout=out)
    except SystemExit as exc:
        return int(exc.code or 0), out.getvalue()
    return 0, out.getvalue()


def test_the_demo_governance_has_passes_a_warning_and_a_failure(world: World) -> None:
    assert demo_governance_load(world.hub) is True
    assert demo_governance_load(world.hub) is False  # idempotent
    results = {r.code: r.result for r in standards_evaluate(world.hub).results}
    assert results["accountable_manager"] == Result.PASS
    assert results["definition_complete"] == Result.PASS
    assert results["thresholds_published"] == Result.PASS
    assert results["funding_published"] == Result.PASS
    assert results["isa_signed"] == Result.WARNING  # contributing agencies missing
    assert results["documents_reviewed"] == Result.FAIL  # the data-protection protocol
    assert DocumentVersion.objects.filter(status=VersionStatus.DRAFT).count() == 1


def test_the_command_prints_the_checks_and_fails_when_one_is_not_met(world: World) -> None:
    demo_governance_load(world.hub)
    status, out = _run("--hub", world.hub.la_code)
    assert status == 1
    assert "Standards self-assessment: Northshire MASH (demo) (999)" in out
    assert "[NOT MET] Core documents are within their review dates" in out
    assert "Evidence: Data-protection protocol 1.2 was due for review on" in out
    assert "To meet it: Review each overdue document" in out
    assert "[MET    ] One accountable manager is named" in out
    event = AuditEvent.objects.filter(verb=AuditVerb.STANDARDS_CHECKED).get()
    assert event.actor_username == "" and "documents_reviewed" in event.changes["not_met"]


def test_the_command_succeeds_once_nothing_fails(world: World) -> None:
    demo_governance_load(world.hub)
    # The reviewed data-protection protocol, signed by the remaining core agencies.
    reviewed = DocumentVersion.objects.get(status=VersionStatus.DRAFT)
    sign_by(reviewed, world.police_lead, world.health_lead)
    document_publish(actor=world.manager, version=reviewed)
    status, out = _run()
    assert status == 0, out
    assert "0 not met" in out


def test_the_command_needs_a_known_hub(world: World) -> None:
    with pytest.raises(CommandError, match="No hub has the local authority code 123"):
        _run("--hub", "123")
