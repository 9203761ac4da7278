"""The statutory exports: who may download them, what they contain, the audit event, and bad
input. The demo hub's files against DfE's and Ofsted's checkers: test_statutory_validators."""

import io
from datetime import date
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone
from lxml import etree
from openpyxl import load_workbook

from openmash.audit.models import AuditEvent, AuditVerb
from openmash.contacts.models import Contact
from openmash.core.errors import PermissionDenied, ValidationError
from openmash.decisions.services import ReferralProgressInput, referral_progress_record
from openmash.decisions.tests.scenes import client_for, screened, signed_decision
from openmash.reporting.statutory.annex_a import SOURCES, age_on, default_period, dmy
from openmash.reporting.statutory.cin_census import collection_period
from openmash.reporting.statutory.services import annex_a_export, cin_census_export
from openmash.reporting.statutory.validators import annex_a_problems, xsd_errors
from openmash.testing.world import World

# The MASH manager produces the statutory returns (docs/journey.md "Who sees what"); the
# hub administrator never sees a child's record, so not these identifiable files either.
EXPORTERS = {"manager"}
ROLES = ["manager", "admin", "practitioner", "police", "referrer", "auditor", "analyst"]


def this_year() -> int:
    today = timezone.localdate()
    return today.year + 1 if today.month >= 4 else today.year


def referral(world: World, outcome: str = "s17") -> Contact:
    """A referral made today, its assessment under way."""
    contact = screened(world)
    signed_decision(world, contact, outcome, primary_need_code="N1")
    referral_progress_record(
        actor=world.practitioner,
        contact=contact,
        data=ReferralProgressInput(assessment_started_on=timezone.localdate()),
    )
    return contact


def test_collection_year_runs_from_april_to_march() -> None:
    assert collection_period(2025) == (
        date(2024, 4, 1),
        date(2025, 3, 31),
    )


@pytest.mark.parametrize("role", ROLES)
def test_only_managers_reach_the_exports(world: World, role: str) -> None:
    client = client_for(getattr(world, role))
    page = client.get("/reporting/exports")
    census = client.post("/reporting/exports/cin-census", {"year": this_year()})
    expected = 200 if role in EXPORTERS else 403
    assert page.status_code == expected
    if role in EXPORTERS:
        assert b"Download the CIN census" in page.content
        assert census.status_code == 422  # nobody referred yet: said on the page
    else:
        assert census.status_code == 403
        assert not AuditEvent.objects.filter(verb=AuditVerb.EXPORT_CREATED).exists()


def test_signed_out_users_are_sent_to_sign_in(db: None) -> None:
    from django.test import Client

    response = Client().get("/reporting/exports")
    assert response.status_code == 302 and "sign-in" in response["Location"]


def test_the_navigation_offers_exports_to_managers_only(world: World) -> None:
    assert (
        b'href="/reporting/exports"' in client_for(world.manager).get("/reporting/exports").content
    )
    assert (
        b'href="/reporting/exports"' not in client_for(world.practitioner).get("/contacts/").content
    )


def test_the_cin_census_download_is_valid_audited_and_never_cached(world: World) -> None:
    contact = referral(world)
    child = contact.people.get(role="subject")
    assert child.person is not None
    response = client_for(world.manager).post(
        "/reporting/exports/cin-census", {"year": this_year()}
    )
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    assert (
        response["Content-Disposition"]
        == f'attachment; filename="CIN_census_999_{this_year()}.xml"'
    )
    assert xsd_errors(response.content, 2026) == []
    root = etree.fromstring(response.content)
    assert root.findtext("Children/Child/ChildIdentifiers/LAchildID") == child.person.reference
    assert str(child.person.pk) not in response.content.decode()
    cin = root.find("Children/Child/CINdetails")
    assert cin is not None
    assert cin.findtext("CINreferralDate") == timezone.localdate().isoformat()
    assert cin.findtext("ReferralSource") == "2A"
    assert cin.findtext("PrimaryNeedCode") == "N1"
    assert cin.findtext("ReferralNFA") == "0"
    assert cin.findtext("Assessments/AssessmentActualStartDate") == timezone.localdate().isoformat()
    # Factors only for a completed (authorised) assessment (DfE rule 8614).
    assert cin.find("Assessments/FactorsIdentifiedAtAssessment") is None
    event = AuditEvent.objects.get(verb=AuditVerb.EXPORT_CREATED)
    assert event.actor_username == "demo.manager"
    assert event.changes["kind"] == "cin_census"
    assert event.changes["children"] == 1
    written = f"{event.changes} {event.reason}"
    assert "Amelia" not in written and child.person.reference not in written


def test_a_superseded_referral_is_a_referral_with_no_further_action(world: World) -> None:
    contact = screened(world)
    signed_decision(world, contact, "s17", primary_need_code="N4")
    signed_decision(world, contact, "nfa")
    xml = cin_census_export(actor=world.manager, hub=world.hub, year=this_year())
    cin = etree.fromstring(xml).find("Children/Child/CINdetails")
    assert cin is not None
    assert cin.findtext("ReferralNFA") == "1"
    assert cin.findtext("ReasonForClosure") == "RC7"
    assert etree.fromstring(xml).findtext("Children/Child/ChildIdentifiers/UPNunknown") == "UN7"


def test_a_contact_that_is_not_a_referral_is_not_in_the_census(world: World) -> None:
    signed_decision(world, screened(world), "early_help")
    with pytest.raises(ValidationError, match="No child"):
        cin_census_export(actor=world.manager, hub=world.hub, year=this_year())


@pytest.mark.parametrize("year", [2023, this_year() + 1, 1999])
def test_a_year_out_of_range_is_refused(world: World, year: int) -> None:
    referral(world)
    with pytest.raises(ValidationError, match="collection year"):
        cin_census_export(actor=world.manager, hub=world.hub, year=year)
    response = client_for(world.manager).post("/reporting/exports/cin-census", {"year": year})
    assert response.status_code == 422
    assert not AuditEvent.objects.filter(verb=AuditVerb.EXPORT_CREATED).exists()


def test_services_refuse_roles_without_the_permission(world: World) -> None:
    for user in (world.practitioner, world.auditor, world.analyst, world.police):
        with pytest.raises(PermissionDenied):
            cin_census_export(actor=user, hub=world.hub, year=this_year())
        with pytest.raises(PermissionDenied):
            annex_a_export(
                actor=user, hub=world.hub, start=timezone.localdate(), end=timezone.localdate()
            )


def test_annex_a_lists_contacts_and_referrals_in_ofsteds_format(world: World) -> None:
    contact = referral(world)
    screened(world)  # a contact that is not a referral: list 1 only
    today = timezone.localdate()
    start, end = default_period(today)
    response = client_for(world.manager).post(
        "/reporting/exports/annex-a",
        {
            "start_day": start.day,
            "start_month": start.month,
            "start_year": start.year,
            "end_day": end.day,
            "end_month": end.month,
            "end_year": end.year,
        },
    )
    assert response.status_code == 200, response.content[:2000]
    assert response["Cache-Control"] == "no-store"
    assert annex_a_problems(response.content) == []
    workbook = load_workbook(io.BytesIO(response.content))
    list_1 = list(workbook["List 1"].iter_rows(values_only=True))
    list_3 = list(workbook["List 3"].iter_rows(values_only=True))
    assert len(list_1) == 3 and len(list_3) == 2
    reference = contact.people.get(role="subject").person.reference  # type: ignore[union-attr]
    assert list_3[1][:3] == (reference, "b) Female", "a) WBRI")
    assert list_3[1][5:9] == (dmy(today), "e) 2A: Schools", "b) No", 1)
    assert list_1[1][5] == today.strftime("%d/%m/%Y")
    event = AuditEvent.objects.get(verb=AuditVerb.EXPORT_CREATED)
    assert event.changes["kind"] == "annex_a" and event.changes["list_3_rows"] == 1


def test_annex_a_mappings() -> None:
    assert SOURCES["6"] == "q) 6: Police"
    assert SOURCES["5D"] == "o) 5B: LA services"
    born = date(2016, 3, 14)
    assert age_on(born, date(2026, 3, 13)) == 9
    assert age_on(born, date(2026, 3, 14)) == 10
    assert age_on(None, born) == ""


def test_an_annex_a_period_that_ends_before_it_starts_is_refused(world: World) -> None:
    today = timezone.localdate()
    with pytest.raises(ValidationError):
        annex_a_export(
            actor=world.manager, hub=world.hub, start=today, end=today.replace(year=today.year - 1)
        )
    response = client_for(world.manager).post(
        "/reporting/exports/annex-a",
        {
            "start_day": "1",
            "start_month": "13",
            "start_year": "2026",
            "end_day": "",
            "end_month": "",
            "end_year": "",
        },
    )
    assert response.status_code == 422


def test_the_command_writes_the_census_all_or_nothing(world: World, tmp_path: Path) -> None:
    referral(world)
    out = tmp_path / "census.xml"
    call_command("export", "cin-census", "--year", str(this_year()), "--out", str(out))
    assert xsd_errors(out.read_bytes(), 2026) == []
    with pytest.raises(CommandError, match="collection year"):
        call_command("export", "cin-census", "--year", "2023", "--out", str(tmp_path / "bad.xml"))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["census.xml"]  # no partial file
    with pytest.raises(CommandError, match="No such directory"):
        call_command(
            "export", "cin-census", "--year", "2025", "--out", str(tmp_path / "no" / "x.xml")
        )
    with pytest.raises(CommandError, match="may not"):
        call_command(
            "export", "annex-a", "--out", str(tmp_path / "a.xlsx"), "--as-user", "demo.practitioner"
        )
    call_command("export", "annex-a", "--out", str(tmp_path / "a.xlsx"))
    assert annex_a_problems((tmp_path / "a.xlsx").read_bytes()) == []
    assert AuditEvent.objects.filter(verb=AuditVerb.EXPORT_CREATED).count() == 2


def test_annex_a_writes_names_as_text_never_as_formulas(world: World) -> None:
    referral(world)
    world.hub.name = '=HYPERLINK("http://evil.example","Open")'
    world.hub.save(update_fields=["name"])
    start, end = default_period(timezone.localdate())
    xlsx = annex_a_export(actor=world.manager, hub=world.hub, start=start, end=end)
    sheet = load_workbook(io.BytesIO(xlsx))["List 3"]
    team, worker = sheet.cell(row=2, column=10), sheet.cell(row=2, column=11)
    assert team.value == world.hub.name and team.data_type == "s"
    assert worker.data_type == "s"
