"""The theory of change: activities, outputs and outcomes; computed indicators beside the
national figure; hand-recorded indicators (local only)."""

from datetime import date

from django.urls import reverse
from django.utils import timezone

from openmash.audit.models import AuditEvent, AuditVerb
from openmash.decisions.tests.scenes import client_for
from openmash.quality.models import ChangeStep, IndicatorValue, Outcome
from openmash.quality.selectors import indicator_series, months_back
from openmash.reporting.models import ImportedReturn, ReturnMeasure
from openmash.testing.world import World

from .scenes import case_file


def national_return(month: date, numerator: int, denominator: int) -> None:
    imported = ImportedReturn.objects.create(
        hub_code="801",
        hub_name="Elsewhere MASH",
        month=month,
        schema_version="1",
        payload={},
        checksum="0" * 64,
        imported_at=timezone.now(),
        imported_by="analyst",
    )
    ReturnMeasure.objects.create(
        imported_return=imported,
        hub_code="801",
        month=month,
        measure="decisions.rationale_recorded",
        value=100 * numerator / denominator,
        numerator=numerator,
        denominator=denominator,
    )


def test_a_manager_builds_the_theory_of_change(world: World) -> None:
    url = reverse("quality:outcomes")
    manager = client_for(world.manager)
    response = manager.post(url, {"add_step": "1", "step-kind": "", "step-title": ""})
    assert response.status_code == 422
    assert "Enter a short name" in response.content.decode()
    assert not ChangeStep.objects.exists()
    manager.post(url, {"add_step": "1", "step-kind": "activity", "step-title": "Joint screening"})
    manager.post(
        url, {"add_step": "1", "step-kind": "output", "step-title": "Decisions with reasons"}
    )
    steps = list(ChangeStep.objects.all())
    assert len(steps) == 2

    response = manager.post(
        url, {"add_outcome": "1", "outcome-title": "Clear decisions", "outcome-source": "computed"}
    )
    assert response.status_code == 422
    assert "Choose the figure that measures this outcome" in response.content.decode()
    response = manager.post(
        url,
        {
            "add_outcome": "1",
            "outcome-title": "Clear decisions",
            "outcome-source": "computed",
            "outcome-indicator_key": "rationale",
            "outcome-leads_from": [str(s.pk) for s in steps],
        },
    )
    assert response.status_code == 302
    response = manager.post(
        url,
        {
            "add_outcome": "1",
            "outcome-title": "Families feel safer",
            "outcome-source": "recorded",
            "outcome-indicator_name": "Families who say they feel safer",
            "outcome-unit": "%",
        },
    )
    assert response.status_code == 302
    assert Outcome.objects.count() == 2
    assert AuditEvent.objects.filter(verb=AuditVerb.QUALITY_CHANGED).count() == 4
    page = client_for(world.analyst).get(url).content.decode()
    assert "Clear decisions" in page and "Joint screening" in page
    assert "Add an outcome" not in page
    assert client_for(world.analyst).post(url, {"add_step": "1"}).status_code == 403
    assert client_for(world.referrer).get(url).status_code == 403


def test_a_computed_indicator_sits_beside_the_national_figure(world: World) -> None:
    case_file(world)
    this_month = timezone.localdate().replace(day=1)
    national_return(this_month, 30, 40)
    outcome = Outcome.objects.create(
        hub=world.hub,
        title="Clear decisions",
        source="computed",
        indicator_key="rationale",
        unit="%",
    )
    points = indicator_series(outcome, months_back(2))
    assert points[-1].hub == 100.0 and points[-1].national == 75.0
    assert points[0].hub is None and points[0].national is None
    url = reverse("quality:outcome", args=[outcome.pk])
    page = client_for(world.auditor).get(url).content.decode()
    assert "Decisions with a recorded rationale" in page
    assert "decisions.rationale_recorded" in page
    assert "National (imported returns)" in page
    csv = client_for(world.analyst).get(url, {"format": "csv"}).content.decode("utf-8-sig")
    assert "This hub" in csv and "75.0" in csv and "100.0" in csv
    # Computed values are never typed in.
    assert (
        client_for(world.manager)
        .post(url, {"month": this_month.isoformat(), "value": "5"})
        .status_code
        == 409
    )


def test_a_hand_recorded_indicator_is_local_and_refuses_bad_values(world: World) -> None:
    outcome = Outcome.objects.create(
        hub=world.hub,
        title="Families feel safer",
        source="recorded",
        indicator_name="Families who say they feel safer",
        unit="%",
    )
    url = reverse("quality:outcome", args=[outcome.pk])
    manager = client_for(world.manager)
    month = timezone.localdate().replace(day=1).isoformat()
    response = manager.post(url, {"month": month, "value": "140"})
    assert response.status_code == 422
    assert "A percentage must be from 0 to 100" in response.content.decode()
    response = manager.post(url, {"month": "", "value": ""})
    assert "Choose the month" in response.content.decode()
    assert not IndicatorValue.objects.exists()
    assert manager.post(url, {"month": month, "value": "62.5", "note": "Survey"}).status_code == 302
    value = IndicatorValue.objects.get()
    assert (value.value, value.recorded_by) == (62.5, world.manager)
    page = manager.get(url).content.decode()
    assert "no national figure" in page
    assert "Recorded by Morgan Ellis: Survey" in page
    assert client_for(world.auditor).post(url, {"month": month, "value": "1"}).status_code == 403
