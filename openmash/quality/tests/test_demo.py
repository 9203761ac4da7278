"""The demo hub's quality records load through the services, once, and are realistic."""

import pytest
from django.utils import timezone

from openmash.demo.contacts import demo_contacts_generate
from openmash.demo.history import demo_history_generate
from openmash.demo.quality import demo_quality_load
from openmash.quality.models import (
    AuditSample,
    CaseAudit,
    FamilyFeedback,
    ImprovementAction,
    IndicatorValue,
    Outcome,
    ReferrerRating,
)
from openmash.quality.selectors import is_overdue
from openmash.testing.world import World


@pytest.mark.usefixtures("frozen_now")
def test_the_demo_quality_records(world: World) -> None:
    now = timezone.now()
    demo_contacts_generate(world.hub, count=40, now=now)
    demo_history_generate(world.hub, count=150, now=now)
    audited = demo_quality_load(world.hub)
    assert audited >= 16
    assert AuditSample.objects.count() >= 2
    audits = CaseAudit.objects.all()
    assert len({a.overall_grade for a in audits}) >= 3
    assert audits.filter(moderated_at__isnull=False).count() >= 4
    assert any(a.moderation_changed for a in audits)
    assert any(is_overdue(a) for a in ImprovementAction.objects.all())
    assert ReferrerRating.objects.exists()
    assert FamilyFeedback.objects.count() >= 30
    assert Outcome.objects.count() == 4
    assert IndicatorValue.objects.count() >= 10
    assert demo_quality_load(world.hub) == 0  # idempotent
    assert CaseAudit.objects.count() == audited
