"""After a referral: the primary need at the decision, and the assessment, section 47 enquiry
and closure recorded for the CIN census (with DfE's rules), through the page, the API and the
service."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from openmash.audit.models import AuditEvent, AuditVerb
from openmash.core.errors import Conflict, PermissionDenied, ValidationError
from openmash.decisions.models import ReferralProgress
from openmash.decisions.services import (
    ReferralProgressInput,
    decision_propose,
    referral_progress_record,
    referral_progress_validate,
)
from openmash.testing.world import World

from .scenes import client_for, screened, signed_decision

REFERRED = date(2026, 6, 1)  # a Monday
TODAY = date(2026, 9, 30)


def check(**values: object) -> dict[str, list[str]]:
    try:
        referral_progress_validate(
            ReferralProgressInput(**values),  # type: ignore[arg-type]
            referred_on=REFERRED,
            today=TODAY,
        )
    except ValidationError as exc:
        return exc.errors
    return {}


def test_a_complete_referral_is_accepted() -> None:
    assert (
        check(
            assessment_started_on=date(2026, 6, 2),
            assessment_authorised_on=date(2026, 7, 20),
            assessment_factors=["3A", "16A"],
            s47_started_on=date(2026, 6, 1),
            icpc_on=date(2026, 6, 19),
            closed_on=date(2026, 8, 3),
            closure_reason="RC7",
        )
        == {}
    )


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"assessment_started_on": date(2026, 5, 29)}, "assessment_started_on"),  # 1103
        ({"assessment_started_on": date(2026, 10, 1)}, "assessment_started_on"),  # future
        ({"assessment_authorised_on": date(2026, 6, 5)}, "assessment_started_on"),
        (
            {
                "assessment_started_on": date(2026, 6, 5),
                "assessment_authorised_on": date(2026, 6, 3),
            },
            "assessment_authorised_on",
        ),  # 8608
        (
            {
                "assessment_started_on": date(2026, 6, 2),
                "assessment_authorised_on": date(2026, 6, 9),
            },
            "assessment_factors",
        ),  # 8897Q
        ({"assessment_factors": ["21", "3A"]}, "assessment_factors"),  # 8869
        ({"assessment_factors": ["18A"]}, "assessment_factors"),  # retired code
        ({"s47_started_on": date(2026, 6, 1), "icpc_on": date(2026, 6, 13)}, "icpc_on"),  # 8875
        (
            {
                "s47_started_on": date(2026, 6, 1),
                "icpc_on": date(2026, 6, 15),
                "icpc_not_required": True,
            },
            "icpc_not_required",
        ),  # 8868
        ({"icpc_on": date(2026, 6, 15)}, "s47_started_on"),  # 8615
        ({"closed_on": date(2026, 7, 1)}, "closure_reason"),  # 8805
        ({"closure_reason": "RC7"}, "closed_on"),  # 8810
        (
            {
                "assessment_started_on": date(2026, 6, 2),
                "closed_on": date(2026, 7, 1),
                "closure_reason": "RC7",
            },
            "assessment_authorised_on",
        ),  # 8867
        ({"closed_on": date(2026, 7, 1), "closure_reason": "RC8"}, "closure_reason"),  # 8825Q
        (
            {
                "assessment_started_on": date(2026, 6, 2),
                "assessment_authorised_on": date(2026, 6, 9),
                "assessment_factors": ["3A"],
                "s47_started_on": date(2026, 6, 1),
                "icpc_not_required": True,
                "closed_on": date(2026, 7, 1),
                "closure_reason": "RC9",
            },
            "closure_reason",
        ),  # 2990
        (
            {
                "assessment_started_on": date(2026, 6, 9),
                "closed_on": date(2026, 6, 5),
                "closure_reason": "RC7",
            },
            "closed_on",
        ),  # 8565
    ],
)
def test_the_cin_rules_are_kept(values: dict[str, object], field: str) -> None:
    assert field in check(**values)


def test_progress_is_recorded_only_for_a_referral_and_audited(world: World) -> None:
    contact = screened(world)
    today = timezone.localdate()
    with pytest.raises(Conflict):
        referral_progress_record(
            actor=world.practitioner,
            contact=contact,
            data=ReferralProgressInput(assessment_started_on=today),
        )
    signed_decision(world, contact, "s47", primary_need_code="N1")
    with pytest.raises(PermissionDenied):
        referral_progress_record(actor=world.auditor, contact=contact, data=ReferralProgressInput())
    progress = referral_progress_record(
        actor=world.practitioner,
        contact=contact,
        data=ReferralProgressInput(assessment_started_on=today, s47_started_on=today),
    )
    # Factors start from the contact's concerns (physical abuse by an adult: 18C).
    assert progress.assessment_factors == ["18C"]
    event = AuditEvent.objects.get(verb=AuditVerb.REFERRAL_PROGRESS_RECORDED)
    assert event.contact_id == contact.pk
    assert event.changes["s47_started_on"] == [None, today.isoformat()]


def test_the_page_records_progress(world: World) -> None:
    contact = screened(world)
    signed_decision(world, contact, "s17", primary_need_code="N1")
    url = f"/contacts/{contact.pk}/referral-progress"
    client = client_for(world.practitioner)
    page = client.get(url)
    assert page.status_code == 200 and b"Referral progress" in page.content
    today = timezone.localdate()
    tomorrow = today + timedelta(days=1)
    bad = client.post(
        url,
        {
            "assessment_started_on_day": tomorrow.day,
            "assessment_started_on_month": tomorrow.month,
            "assessment_started_on_year": tomorrow.year,
        },
    )
    assert bad.status_code == 422
    assert b"must be today or in the past" in bad.content
    ok = client.post(
        url,
        {
            "assessment_started_on_day": today.day,
            "assessment_started_on_month": today.month,
            "assessment_started_on_year": today.year,
            "assessment_factors": ["3A"],
        },
    )
    assert ok.status_code == 302
    assert ReferralProgress.objects.get(contact=contact).assessment_factors == ["3A"]
    detail = client.get(f"/contacts/{contact.pk}")
    assert b"Referral progress" in detail.content and b"Record referral progress" in detail.content
    assert client_for(world.police).get(url).status_code == 404


def test_the_api_records_and_reads_progress(world: World) -> None:
    contact = screened(world)
    signed_decision(world, contact, "s17", primary_need_code="N1")
    client = client_for(world.practitioner)
    url = f"/api/v1/contacts/{contact.pk}/referral-progress"
    today = timezone.localdate().isoformat()
    response = client.put(url, {"assessment_started_on": today}, content_type="application/json")
    assert response.status_code == 200, response.content
    assert response.json()["assessment_started_on"] == today
    assert response.json()["referred_on"] == today
    wrong = client.put(
        url, {"closure_reason": "RC99", "closed_on": today}, content_type="application/json"
    )
    assert wrong.status_code == 422 and "closure_reason" in wrong.json()["errors"]
    assert client.get(url).json()["assessment_started_on"] == today


def test_a_referral_decision_needs_the_primary_need(world: World) -> None:
    contact = screened(world)
    with pytest.raises(ValidationError) as caught:
        decision_propose(
            actor=world.practitioner,
            contact=contact,
            outcome_code="s17",
            level_of_need=3,
            rationale="Needs an assessment.",
        )
    assert "primary_need_code" in caught.value.errors
    response = client_for(world.practitioner).post(
        f"/api/v1/contacts/{contact.pk}/decisions",
        {"outcome": "s47", "level_of_need": 4, "rationale": "x", "primary_need_code": "N99"},
        content_type="application/json",
    )
    assert response.status_code == 422 and "primary_need_code" in response.json()["errors"]
    # Not a referral: optional.
    decision = decision_propose(
        actor=world.practitioner,
        contact=contact,
        outcome_code="early_help",
        level_of_need=2,
        rationale="Early help will do.",
    )
    assert decision.primary_need_code == ""
