"""The governance rules, tested on the services directly."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.db import IntegrityError, transaction

from openmash.audit.models import AuditVerb
from openmash.core.errors import Conflict, PermissionDenied, ValidationError
from openmash.decisions.services import screening_record
from openmash.governance.models import (
    DocumentVersion,
    FundingContribution,
    LeadershipRole,
    ReviewReminder,
    ThresholdVersion,
    VersionStatus,
)
from openmash.governance.rendering import markdown_render
from openmash.governance.services import (
    StaffInput,
    ThresholdLevelInput,
    agency_save,
    definition_update,
    document_publish,
    document_sign,
    funding_record,
    leadership_role_save,
    review_reminders_send,
    threshold_version_publish,
)
from openmash.hubs.models import LevelOfNeed
from openmash.testing.world import World, contact_make

from .helpers import core_leads, draft, sign_by, today, verbs


def _manager_role(world: World, **overrides: object) -> LeadershipRole:
    values: dict[str, object] = {
        "actor": world.manager,
        "hub": world.hub,
        "agency": world.agencies["mash"],
        "title": "MASH manager",
        "user": world.manager,
        "responsibilities": "All practice, processes and decisions.",
        "is_accountable_manager": True,
    }
    values.update(overrides)
    return leadership_role_save(**values)  # type: ignore[arg-type]


def _levels(suffix: str = "") -> list[ThresholdLevelInput]:
    return [
        ThresholdLevelInput(level=n, name=f"Level {n}{suffix}", descriptor=f"Needs at {n}")
        for n in (1, 2, 3, 4)
    ]


def _thresholds(world: World, label: str, suffix: str = "") -> ThresholdVersion:
    return threshold_version_publish(
        actor=world.manager,
        hub=world.hub,
        version_label=label,
        effective_from=today(),
        red_criteria="Immediate risk",
        amber_criteria="Likely harm",
        green_criteria="No immediate risk",
        levels=_levels(suffix),
    )


def test_a_second_accountable_manager_is_refused_and_nothing_changes(world: World) -> None:
    _manager_role(world)
    before = verbs()
    with pytest.raises(ValidationError) as caught:
        _manager_role(world, title="Deputy", agency=world.agencies["police"])
    assert "already has an accountable manager (Morgan Ellis" in caught.value.message
    assert LeadershipRole.objects.count() == 1
    assert verbs() == before


def test_the_accountable_manager_must_be_a_manager(world: World) -> None:
    with pytest.raises(ValidationError) as caught:
        _manager_role(world, user=world.practitioner)
    assert "must be an active MASH manager" in caught.value.errors["user"][0]
    assert not LeadershipRole.objects.exists()


def test_the_database_also_allows_one_accountable_manager(world: World) -> None:
    _manager_role(world)
    with pytest.raises(IntegrityError), transaction.atomic():
        LeadershipRole.objects.create(
            hub=world.hub,
            agency=world.agencies["police"],
            title="Another",
            person_name="Someone",
            responsibilities="x",
            is_accountable_manager=True,
        )


def test_changing_the_accountable_role_itself_is_allowed(world: World) -> None:
    role = _manager_role(world)
    _manager_role(world, role=role, title="Head of MASH")
    role.refresh_from_db()
    assert role.title == "Head of MASH" and role.is_accountable_manager


def test_an_unsigned_version_cannot_become_current(world: World) -> None:
    version = draft(world)
    sign_by(version, world.police_lead)
    before = verbs()
    with pytest.raises(ValidationError) as caught:
        document_publish(actor=world.manager, version=version)
    assert "until every core agency has signed it" in caught.value.message
    assert "Northshire Community Health" in caught.value.message
    version.refresh_from_db()
    assert version.status == VersionStatus.DRAFT
    assert verbs() == before


def test_a_signed_version_becomes_current_and_supersedes_the_last(world: World) -> None:
    first = draft(world)
    sign_by(first, *core_leads(world))
    document_publish(actor=world.manager, version=first)
    second = draft(world, label="2")
    sign_by(second, *core_leads(world))
    document_publish(actor=world.manager, version=second)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (VersionStatus.SUPERSEDED, VersionStatus.CURRENT)
    with pytest.raises(Conflict):
        document_publish(actor=world.manager, version=second)
    # A contributing agency may still sign the current version; nobody signs a superseded one.
    sign_by(second, world.education_lead)
    with pytest.raises(Conflict, match="superseded"):
        sign_by(first, world.education_lead)
    assert verbs().count(AuditVerb.DOCUMENT_PUBLISHED) == 2


def test_an_agency_lead_signs_only_for_their_own_agency_and_once(world: World) -> None:
    version = draft(world)
    with pytest.raises(PermissionDenied, match="own agency"):
        document_sign(actor=world.police_lead, version=version, agency=world.agencies["health"])
    with pytest.raises(PermissionDenied):
        document_sign(actor=world.police, version=version, agency=world.agencies["police"])
    sign_by(version, world.police_lead)
    with pytest.raises(Conflict, match="already signed"):
        sign_by(version, world.police_lead)
    assert version.signatures.count() == 1
    assert verbs().count(AuditVerb.DOCUMENT_SIGNED) == 1


def test_a_version_needs_dates_in_order_and_a_new_label(world: World) -> None:
    draft(world)
    with pytest.raises(ValidationError) as caught:
        draft(world)
    assert "already exists" in caught.value.errors["version_label"][0]
    from openmash.governance.services import document_version_create

    with pytest.raises(ValidationError) as caught:
        document_version_create(
            actor=world.manager,
            hub=world.hub,
            kind="thresholds",
            version_label="1",
            title="",
            effective_from=today(),
            review_by=today(),
        )
    assert set(caught.value.errors) == {"title", "body", "review_by"}
    assert DocumentVersion.objects.count() == 1


def test_the_review_reminder_goes_once(world: World) -> None:
    _manager_role(world)
    version = draft(world)
    sign_by(version, *core_leads(world))
    document_publish(actor=world.manager, version=version)
    assert review_reminders_send(today=today()) == 0  # a year away
    soon = version.review_by - timedelta(days=29)
    assert review_reminders_send(today=soon) == 1
    assert review_reminders_send(today=soon) == 0
    assert review_reminders_send(today=soon + timedelta(days=5)) == 0
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["demo.manager@northshire.example"]
    assert "review is due" in mail.outbox[0].subject
    reminder = ReviewReminder.objects.get()
    assert reminder.days_before == 30
    # Another threshold is another reminder.
    assert review_reminders_send(today=soon, days=7) == 0
    assert review_reminders_send(today=version.review_by - timedelta(days=6), days=7) == 1


def test_a_failed_reminder_e_mail_is_tried_again(world: World, settings: object) -> None:
    _manager_role(world)
    version = draft(world)
    sign_by(version, *core_leads(world))
    document_publish(actor=world.manager, version=version)
    settings.EMAIL_BACKEND = "openmash.governance.tests.test_services.FailingBackend"  # type: ignore[attr-defined]
    assert review_reminders_send(today=version.review_by) == 0
    assert not ReviewReminder.objects.exists()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"  # type: ignore[attr-defined]
    assert review_reminders_send(today=version.review_by) == 1
    assert "review is due by" in mail.outbox[0].subject


class FailingBackend:
    def __init__(self, *args: object, **kwargs: object) -> None:
        pass

    def send_messages(self, messages: object) -> int:
        raise OSError("mail server down")


def test_a_screening_records_the_thresholds_in_force(world: World) -> None:
    contact = contact_make(world.practitioner)
    screening_record(
        actor=world.practitioner,
        contact=contact,
        outcome="mash_enquiry",
        level_of_need=3,
        rag="amber",
        rationale="Checks needed",
    )
    assert contact.screenings.get().thresholds_version is None
    version = _thresholds(world, "1")
    screening_record(
        actor=world.practitioner,
        contact=contact,
        outcome="mash_enquiry",
        level_of_need=3,
        rag="red",
        rationale="Worse",
    )
    assert contact.screenings.order_by("recorded_at").last().thresholds_version == version  # type: ignore[union-attr]


def test_publishing_thresholds_keeps_the_old_and_renames_the_levels(world: World) -> None:
    first = _thresholds(world, "1")
    second = _thresholds(world, "2", suffix=" (2026)")
    first.refresh_from_db()
    assert first.status == "superseded" and second.status == "current"
    assert first.levels.get(level=3).name == "Level 3"
    level = LevelOfNeed.objects.get(hub=world.hub, level=3)
    assert (level.name, level.description) == ("Level 3 (2026)", "Needs at 3")
    with pytest.raises(ValidationError) as caught:
        threshold_version_publish(
            actor=world.manager,
            hub=world.hub,
            version_label="3",
            effective_from=today(),
            red_criteria="",
            amber_criteria="a",
            green_criteria="g",
            levels=_levels()[:3],
        )
    assert set(caught.value.errors) == {"red_criteria", "levels"}
    assert ThresholdVersion.objects.count() == 2


def test_funding_is_validated_and_replaced(world: World) -> None:
    police = world.agencies["police"]
    with pytest.raises(ValidationError) as caught:
        funding_record(
            actor=world.manager,
            hub=world.hub,
            agency=police,
            financial_year=2025,
            amount_pence=-1,
            staff=[StaffInput("Researcher", Decimal("0")), StaffInput("researcher", Decimal(1))],
        )
    assert set(caught.value.errors) == {"amount", "staff.0", "staff.1"}
    funding_record(
        actor=world.manager,
        hub=world.hub,
        agency=police,
        financial_year=2025,
        amount_pence=100_00,
        staff=[StaffInput("Researcher", Decimal("2.5"))],
    )
    saved = funding_record(
        actor=world.manager,
        hub=world.hub,
        agency=police,
        financial_year=2025,
        amount_pence=200_00,
        staff=[StaffInput("Sergeant", Decimal(1))],
    )
    assert [s.role for s in saved.staff.all()] == ["Sergeant"]
    with pytest.raises(PermissionDenied):
        funding_record(
            actor=world.practitioner,
            hub=world.hub,
            agency=police,
            financial_year=2025,
            amount_pence=0,
            staff=[],
        )


def test_funding_refuses_an_fte_that_is_not_a_number_and_too_much_money(world: World) -> None:
    police = world.agencies["police"]
    with pytest.raises(ValidationError) as caught:
        funding_record(
            actor=world.manager,
            hub=world.hub,
            agency=police,
            financial_year=2025,
            amount_pence=10**15 + 1,
            staff=[
                StaffInput("Researcher", Decimal("NaN")),
                StaffInput("Sergeant", Decimal("sNaN")),
                StaffInput("Analyst", Decimal("Infinity")),
            ],
        )
    assert set(caught.value.errors) == {"amount", "staff.0", "staff.1", "staff.2"}
    assert caught.value.errors["amount"] == [
        "Money contributed must be £10,000,000,000,000 or less"
    ]
    assert not FundingContribution.objects.exists()
    saved = funding_record(
        actor=world.manager,
        hub=world.hub,
        agency=police,
        financial_year=2025,
        amount_pence=10**15,
        staff=[],
    )
    assert saved.amount_pence == 10**15


def test_agencies_are_validated(world: World) -> None:
    with pytest.raises(ValidationError) as caught:
        agency_save(
            actor=world.admin,
            hub=world.hub,
            code="police",
            name="",
            agency_type="pirates",
            participation="sometimes",
            referral_source_code="99",
        )
    assert set(caught.value.errors) == {
        "code",
        "name",
        "agency_type",
        "participation",
        "referral_source_code",
    }
    added = agency_save(
        actor=world.admin,
        hub=world.hub,
        code="yot",
        name="Northshire Youth Justice",
        agency_type="youth_justice",
        participation="contributing",
        referral_source_code="7",
    )
    changed = agency_save(
        actor=world.manager,
        hub=world.hub,
        agency=added,
        code="ignored",
        name="Northshire Youth Justice Service",
        agency_type="youth_justice",
        participation="core",
        referral_source_code="7",
    )
    assert (changed.code, changed.participation) == ("yot", "core")
    with pytest.raises(PermissionDenied):
        agency_save(
            actor=world.police_lead,
            hub=world.hub,
            code="x",
            name="x",
            agency_type="other",
            participation="core",
            referral_source_code="8",
        )


def test_every_write_is_audited(world: World) -> None:
    start = len(verbs())
    definition_update(
        actor=world.manager,
        hub=world.hub,
        purpose="Front door",
        who_may_be_referred="Children",
        scope="children",
        working_arrangement="hybrid",
    )
    _manager_role(world)
    version = draft(world)
    sign_by(version, *core_leads(world))
    document_publish(actor=world.manager, version=version)
    _thresholds(world, "1")
    funding_record(
        actor=world.manager,
        hub=world.hub,
        agency=world.agencies["police"],
        financial_year=2025,
        amount_pence=0,
        staff=[],
    )
    assert verbs()[start:] == [
        AuditVerb.GOVERNANCE_CHANGED,  # definition
        AuditVerb.GOVERNANCE_CHANGED,  # leadership
        AuditVerb.GOVERNANCE_CHANGED,  # new version
        AuditVerb.DOCUMENT_SIGNED,
        AuditVerb.DOCUMENT_SIGNED,
        AuditVerb.DOCUMENT_SIGNED,
        AuditVerb.DOCUMENT_PUBLISHED,
        AuditVerb.DOCUMENT_PUBLISHED,  # thresholds
        AuditVerb.GOVERNANCE_CHANGED,  # funding
    ]


def test_document_text_is_rendered_without_raw_html() -> None:
    html = markdown_render("# Title\n<script>alert(1)</script>\n\n- one\n- two\n1. first")
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert '<h2 class="govuk-heading-m">Title</h2>' in html
    assert '<ul class="govuk-list govuk-list--bullet"><li>one</li><li>two</li></ul>' in html
    assert '<ol class="govuk-list govuk-list--number"><li>first</li></ol>' in html
