"""Two identical requests at the same moment: the database's constraint decides, and the
loser gets the same clear error as a plain duplicate, never a 500 - and nothing half-written."""

import pytest
from django.db import transaction

from openmash.audit.models import AuditEvent
from openmash.core.errors import Conflict, ValidationError, refused_if_not_unique
from openmash.quality import services
from openmash.quality.models import AuditCriterion, CaseAudit
from openmash.quality.services import GradeInput, case_audit_record, criterion_save
from openmash.testing.world import World

from .scenes import criteria, drawn


def _two_criteria_one_a_duplicate(world: World) -> None:
    with refused_if_not_unique(ValidationError("already exists")), transaction.atomic():
        AuditCriterion.objects.create(hub=world.hub, code="other", question="Other?")
        AuditCriterion.objects.create(hub=world.hub, code="voice", question="Again?")


def test_a_unique_violation_becomes_the_given_error_after_rolling_back(world: World) -> None:
    AuditCriterion.objects.create(hub=world.hub, code="voice", question="Voice?")
    with pytest.raises(ValidationError, match="already exists"):
        _two_criteria_one_a_duplicate(world)
    assert list(AuditCriterion.objects.values_list("code", flat=True)) == ["voice"]


def test_a_criterion_added_twice_at_once_is_refused_cleanly(world: World, monkeypatch) -> None:
    AuditCriterion.objects.create(hub=world.hub, code="voice", question="Voice?")
    events = AuditEvent.objects.count()
    # The other request's row appeared between this one's check and its write.
    real_filter = AuditCriterion.objects.filter
    monkeypatch.setattr(
        AuditCriterion.objects,
        "filter",
        lambda *a, **k: (
            real_filter(pk__in=[]) if k.get("code") == "voice" else real_filter(*a, **k)
        ),
    )
    with pytest.raises(ValidationError) as refused:
        criterion_save(
            actor=world.manager, hub=world.hub, code="voice", question="Voice again?", order=1
        )
    assert refused.value.errors == {"code": ["A criterion with this code already exists"]}
    assert AuditCriterion.objects.count() == 1 and AuditEvent.objects.count() == events


def test_a_case_file_audited_twice_at_once_is_a_conflict(world: World, monkeypatch) -> None:
    voice, rationale = criteria(world)
    item = drawn(world).items.first()
    assert item is not None
    grades = {str(voice.pk): GradeInput("good"), str(rationale.pk): GradeInput("good")}
    case_audit_record(actor=world.auditor, item=item, grades=grades, overall_grade="good")
    real_filter = CaseAudit.objects.select_for_update
    monkeypatch.setattr(
        services.CaseAudit.objects, "select_for_update", lambda: real_filter().none()
    )
    with pytest.raises(Conflict, match="already been audited"):
        case_audit_record(actor=world.auditor, item=item, grades=grades, overall_grade="good")
    assert CaseAudit.objects.count() == 1
