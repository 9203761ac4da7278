"""Case-file audits: criteria, samples (random and stratified, reproducible), grades,
moderation by a second auditor, improvement actions and grade trends - through the pages
where a user would do it, through the services for the rules."""

from datetime import date, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from openmash.audit.models import AuditEvent, AuditVerb
from openmash.core.errors import ValidationError
from openmash.decisions.tests.scenes import client_for
from openmash.quality.models import (
    AuditCriterion,
    AuditSample,
    CaseAudit,
    CriterionGrade,
    Grade,
    ImprovementAction,
    SampledContact,
)
from openmash.quality.services import (
    case_audit_moderate,
    sample_choose,
    sample_draw,
    sample_population,
)
from openmash.testing.world import World

from .scenes import audited, case_file, criteria, drawn, second_auditor


def test_criteria_are_managed_by_managers_and_read_by_auditors(world: World) -> None:
    url = reverse("quality:criteria")
    manager = client_for(world.manager)
    response = manager.post(url, {"code": "", "question": "", "active": "yes"})
    assert response.status_code == 422
    html = response.content.decode()
    assert "Enter a short code" in html and "Enter the question auditors answer" in html
    assert not AuditCriterion.objects.exists()
    response = manager.post(
        url, {"code": "voice", "question": "Is the child's voice recorded?", "active": "yes"}
    )
    assert response.status_code == 302
    criterion = AuditCriterion.objects.get()
    assert AuditEvent.objects.filter(
        verb=AuditVerb.QUALITY_CHANGED, target_id=str(criterion.pk)
    ).exists()
    # A duplicate code is refused.
    again = manager.post(url, {"code": "voice", "question": "Again?", "active": "yes"})
    assert "already exists" in again.content.decode()

    auditor_page = client_for(world.auditor).get(url)
    assert auditor_page.status_code == 200
    assert "Is the child&#x27;s voice recorded?" in auditor_page.content.decode()
    assert 'name="question"' not in auditor_page.content.decode()
    assert client_for(world.auditor).post(url, {"code": "x", "question": "y"}).status_code == 403
    edit = reverse("quality:criterion", args=[criterion.pk])
    assert client_for(world.auditor).get(edit).status_code == 404
    for name in ("practitioner", "police", "referrer", "analyst"):
        assert client_for(getattr(world, name)).get(url).status_code == 403, name


def test_a_random_sample_is_drawn_on_the_page_and_audited(world: World) -> None:
    criteria(world)
    for _ in range(3):
        case_file(world)
    auditor = client_for(world.auditor)
    today = timezone.localdate()
    form = {
        "period_start_day": today.day,
        "period_start_month": today.month,
        "period_start_year": today.year,
        "period_end_day": today.day,
        "period_end_month": today.month,
        "period_end_year": today.year,
        "size": "2",
        "method": "random",
    }
    response = auditor.post(reverse("quality:sample-new"), form)
    assert response.status_code == 302
    sample = AuditSample.objects.filter(hub=world.hub).get()
    assert sample.size == 2 and sample.population == 3
    event = AuditEvent.objects.get(verb=AuditVerb.CASE_AUDIT_SAMPLED)
    assert event.changes["seed"] == sample.seed
    page = auditor.get(response["Location"]).content.decode()
    item = sample.items.first()
    assert item is not None
    assert item.contact.reference in page
    assert reverse("contacts:detail", args=[item.contact.pk]) in page
    # Too large a sample is explained, and nothing is drawn.
    response = auditor.post(reverse("quality:sample-new"), form | {"size": "9"})
    assert response.status_code == 422
    assert "Only 3 case files can be sampled in this period" in response.content.decode()
    assert AuditSample.objects.filter(hub=world.hub).count() == 1


def test_a_period_ending_in_the_future_is_refused(world: World) -> None:
    case_file(world)
    today = timezone.localdate()
    form = {
        "period_start_day": today.day,
        "period_start_month": today.month,
        "period_start_year": today.year,
        "period_end_day": "31",
        "period_end_month": "12",
        "period_end_year": "9999",
        "size": "1",
        "method": "random",
    }
    response = client_for(world.auditor).post(reverse("quality:sample-new"), form)
    assert response.status_code == 422
    assert "The end date must be today or in the past" in response.content.decode()
    # The service refuses it too, judged by the hub's own date.
    hub_today = timezone.localdate(timezone=ZoneInfo(world.hub.timezone))
    for end in (hub_today + timedelta(days=1), date(9999, 12, 31)):
        with pytest.raises(ValidationError) as refused:
            sample_draw(
                actor=world.auditor,
                hub=world.hub,
                period_start=hub_today,
                period_end=end,
                size=1,
                method="random",
            )
        assert refused.value.errors == {"period_end": ["The period must end today or in the past"]}
    assert not AuditSample.objects.exists()


def test_a_missing_grade_is_refused_and_nothing_is_saved(world: World) -> None:
    voice, rationale = criteria(world)
    sample = drawn(world)
    item = sample.items.first()
    assert item is not None
    url = reverse("quality:audit", args=[item.pk])
    auditor = client_for(world.auditor)
    page = auditor.get(url).content.decode()
    assert "Is the child&#x27;s voice recorded?" in page
    # Opening a case file to audit it is logged as a consultation of its contact.
    consulted = AuditEvent.objects.filter(
        verb=AuditVerb.CONTACT_LISTED, actor=world.auditor
    ).latest("id")
    assert consulted.changes == {"case_file_audit": [str(item.contact_id)]}
    response = auditor.post(url, {f"grade_{voice.pk}": "good", "comments": "Thin."})
    assert response.status_code == 422
    html = response.content.decode()
    assert "<title>Error: " in html
    assert "Choose a grade for: Is the decision&#x27;s rationale clear?" in html
    assert f'href="#id_grade_{rationale.pk}"' in html
    assert "Choose an overall grade" in html
    assert not CaseAudit.objects.exists() and not CriterionGrade.objects.exists()
    assert not AuditEvent.objects.filter(verb=AuditVerb.CASE_AUDIT_RECORDED).exists()

    response = auditor.post(
        url,
        {
            f"grade_{voice.pk}": "good",
            f"grade_{rationale.pk}": "requires_improvement",
            f"comment_{rationale.pk}": "The reasoning is brief.",
            "overall_grade": "requires_improvement",
            "comments": "Voice well recorded.",
        },
    )
    assert response.status_code == 302
    audit = CaseAudit.objects.get()
    assert audit.overall_grade == "requires_improvement"
    assert audit.grades.count() == 2
    event = AuditEvent.objects.get(verb=AuditVerb.CASE_AUDIT_RECORDED)
    assert event.contact_id == item.contact_id
    assert event.changes["grades"] == {"voice": "good", "rationale": "requires_improvement"}
    # Audited once: the page now shows the audit.
    assert "Grades by criterion" in auditor.get(url).content.decode()


def test_only_auditors_who_can_open_case_files_audit_them(world: World) -> None:
    criteria(world)
    sample = drawn(world)
    item = sample.items.first()
    assert item is not None
    url = reverse("quality:audit", args=[item.pk])
    for name in ("admin", "practitioner", "police", "referrer", "analyst"):
        assert client_for(getattr(world, name)).get(url).status_code == 404, name
    # The administrator manages quality but never sees a case: the sample page hides them.
    page = client_for(world.admin).get(reverse("quality:sample", args=[sample.pk]))
    assert page.status_code == 200
    assert item.contact.reference not in page.content.decode()


def test_moderation_needs_a_second_auditor(world: World) -> None:
    criteria(world)
    audit = audited(world, drawn(world))
    url = reverse("quality:moderate", args=[audit.item.pk])
    own = client_for(world.auditor).post(url, {"agree": "yes"})
    assert own.status_code == 422
    assert "A second auditor must moderate this audit" in own.content.decode()
    assert (
        "Moderate this audit"
        not in client_for(world.auditor)
        .get(reverse("quality:audit", args=[audit.item.pk]))
        .content.decode()
    )

    moderator = client_for(second_auditor(world))
    response = moderator.post(url, {"agree": "no", "grade": "good"})
    assert response.status_code == 422
    html = response.content.decode()
    assert "Choose a different grade, or agree with the auditor" in html
    assert "Say why you changed the grade" in html
    response = moderator.post(
        url, {"agree": "no", "grade": "requires_improvement", "comment": "No child's voice."}
    )
    assert response.status_code == 302
    audit.refresh_from_db()
    assert (audit.overall_grade, audit.final_grade) == ("good", "requires_improvement")
    event = AuditEvent.objects.get(verb=AuditVerb.CASE_AUDIT_MODERATED)
    assert event.changes == {"overall_grade": ["good", "requires_improvement"]}
    assert moderator.post(url, {"agree": "yes"}).status_code == 409  # moderated once


def test_a_manager_may_moderate_and_agree(world: World) -> None:
    criteria(world)
    audit = audited(world, drawn(world))
    with pytest.raises(ValidationError):
        case_audit_moderate(actor=world.auditor, audit=audit, agree=True)
    case_audit_moderate(actor=world.manager, audit=audit, agree=True)
    audit.refresh_from_db()
    assert audit.moderated_grade == audit.overall_grade and not audit.moderation_changed


def test_stratified_sampling_covers_every_stratum_and_repeats_with_its_seed(
    world: World,
) -> None:
    for rag, outcome, asked in [
        ("red", "s47", ("police",)),
        ("red", "s47", ("police", "health")),
        ("amber", "s17", ("health",)),
        ("amber", "early_help", ()),
        ("green", "early_help", ()),
        ("green", "nfa", ("education",)),
        ("green", "nfa", ()),
    ]:
        case_file(world, rag=rag, outcome=outcome, asked=asked)
    today = timezone.localdate()
    population = sample_population(world.hub, today, today)
    assert len(population) == 7
    for method, strata in [
        ("rag", {"red", "amber", "green"}),
        ("outcome", {"S47", "S17", "EARLY_HELP", "NFA"}),
        ("agency", {"police", "health", "education", "none"}),
    ]:
        for seed in range(20):
            chosen = sample_choose(method, population, len(strata), seed)
            assert {key for _, key in chosen} == strata, (method, seed)
            assert len({c.pk for c, _ in chosen}) == len(chosen)
        first = sample_choose(method, population, 5, 1234)
        assert sample_choose(method, population, 5, 1234) == first
    # Drawn twice with the recorded seed, a sample is the same case files in the same order.
    one = sample_draw(
        actor=world.manager,
        hub=world.hub,
        period_start=today,
        period_end=today,
        size=4,
        method="rag",
    )
    two = sample_draw(
        actor=world.auditor,
        hub=world.hub,
        period_start=today,
        period_end=today,
        size=4,
        method="rag",
        seed=one.seed,
    )

    def contacts(sample: AuditSample) -> list[tuple[object, str]]:
        return list(
            SampledContact.objects.filter(sample=sample).values_list("contact_id", "stratum")
        )

    assert contacts(one) == contacts(two)
    with pytest.raises(ValidationError) as refused:
        sample_draw(
            actor=world.auditor,
            hub=world.hub,
            period_start=today,
            period_end=today,
            size=2,
            method="outcome",
        )
    assert "at least 4 case files" in refused.value.errors["size"][0]


def test_improvement_actions_from_findings(world: World) -> None:
    criteria(world)
    audit = audited(world, drawn(world), grade=Grade.INADEQUATE)
    url = reverse("quality:actions")
    manager = client_for(world.manager)
    response = manager.post(url + f"?audit={audit.pk}", {"description": ""})
    assert response.status_code == 422
    html = response.content.decode()
    assert "Describe the improvement to be made" in html
    assert "Choose an owning agency or a named owner" in html
    assert "Enter the date it is due" in html
    assert not ImprovementAction.objects.exists()
    due = timezone.localdate() - timedelta(days=1)
    response = manager.post(
        url,
        {
            "audit": str(audit.pk),
            "description": "Record the child's words in every decision.",
            "owner_agency": str(world.agencies["mash"].pk),
            "owner": str(world.manager.pk),
            "due_date_day": due.day,
            "due_date_month": due.month,
            "due_date_year": due.year,
        },
    )
    assert response.status_code == 302
    action = ImprovementAction.objects.get()
    assert action.audit == audit and action.owner == world.manager
    page = client_for(world.auditor).get(url).content.decode()
    assert "Overdue" in page
    assert client_for(world.auditor).post(url, {"description": "x"}).status_code == 403
    edit = reverse("quality:action", args=[action.pk])
    assert client_for(world.auditor).get(edit).status_code == 403
    assert manager.post(edit, {"status": "done"}).status_code == 302
    action.refresh_from_db()
    assert action.status == "done" and action.closed_at is not None
    assert (
        AuditEvent.objects.filter(verb=AuditVerb.QUALITY_CHANGED, target_id=str(action.pk)).count()
        == 2
    )


def test_grade_trend_page_and_csv(world: World) -> None:
    criteria(world)
    sample = drawn(world, count=2)
    audited(world, sample, Grade.GOOD)
    url = reverse("quality:trends")
    auditor = client_for(world.auditor)
    page = auditor.get(url).content.decode()
    assert "Case-file audit grades by quarter" in page
    assert 'role="img"' in page
    csv = auditor.get(url, {"by": "month", "format": "csv"})
    assert csv["Content-Type"].startswith("text/csv")
    text = csv.content.decode("utf-8-sig")
    assert "Good (Share of audited case files)" in text
    assert "100.0" in text
    for name in ("practitioner", "analyst", "referrer"):
        assert client_for(getattr(world, name)).get(url).status_code == 403, name
