"""The governance pages through HTTP, by role: who can read, manage and sign."""

import pytest
from django.test import Client

from openmash.accounts.models import User
from openmash.audit.models import AuditEvent, AuditVerb
from openmash.decisions.services import screening_record
from openmash.governance.models import (
    DocumentVersion,
    FundingContribution,
    LeadershipRole,
    VersionStatus,
)
from openmash.hubs.models import Agency
from openmash.hubs.services import hub_create
from openmash.testing.world import World, contact_make

from .helpers import core_leads, draft, sign_by, signed_in

READ_PAGES = [
    "/governance",
    "/governance/leadership",
    "/governance/agencies",
    "/governance/documents",
    "/governance/thresholds",
    "/governance/funding",
    "/governance/funding.csv",
    "/governance/standards",
]
MANAGE_PAGES = [
    "/governance/definition",
    "/governance/documents/new",
    "/governance/thresholds/new",
    "/governance/funding/record",
]
MANAGERS = {"manager", "admin"}


@pytest.mark.parametrize("page", READ_PAGES)
def test_every_role_reads_the_governance_pages(world: World, page: str) -> None:
    for name, user in world.users().items():
        assert signed_in(user).get(page).status_code == 200, (name, page)
    assert Client().get(page).status_code == 302  # sign in first


@pytest.mark.parametrize("page", MANAGE_PAGES)
def test_only_managers_and_administrators_manage(world: World, page: str) -> None:
    for name, user in world.users().items():
        expected = 200 if name in MANAGERS else 403
        assert signed_in(user).get(page).status_code == expected, (name, page)


def test_forms_show_only_to_those_who_may_use_them(world: World) -> None:
    body = signed_in(world.referrer).get("/governance/leadership").content.decode()
    assert "Add a role" not in body
    body = signed_in(world.manager).get("/governance/leadership").content.decode()
    assert "Add a role" in body
    body = signed_in(world.referrer).get("/governance/agencies").content.decode()
    assert "Add an agency" not in body and "Northshire Police" in body
    body = signed_in(world.admin).get("/governance/agencies").content.decode()
    assert "Add an agency" in body


def test_the_nav_shows_governance_to_every_role(world: World) -> None:
    for user in world.users().values():
        assert b'href="/governance"' in signed_in(user).get("/governance/documents").content


def test_a_document_is_drafted_signed_and_published_through_the_pages(world: World) -> None:
    manager = signed_in(world.manager)
    response = manager.post(
        "/governance/documents/new",
        {
            "kind": "escalation",
            "version_label": "1",
            "title": "Escalation process",
            "body": "# Stage 1\nTalk to the manager.\n<b>bold</b>",
            "effective_from_day": "1",
            "effective_from_month": "4",
            "effective_from_year": "2026",
            "review_by_day": "31",
            "review_by_month": "3",
            "review_by_year": "2027",
        },
    )
    assert response.status_code == 302
    version = DocumentVersion.objects.get()
    url = f"/governance/documents/{version.pk}"
    page = manager.get(url).content.decode()
    assert "&lt;b&gt;bold&lt;/b&gt;" in page and "Awaiting sign-up" in page
    # Publishing before the core agencies sign is refused, with the reason, and changes nothing.
    response = manager.post(f"{url}/publish")
    assert response.status_code == 422
    assert (
        "cannot be made current until every core agency has signed it" in response.content.decode()
    )
    version.refresh_from_db()
    assert version.status == VersionStatus.DRAFT
    # Only agency leads see the sign button, and sign for their own agency.
    assert b"Sign for" not in manager.get(url).content
    assert signed_in(world.manager).post(f"{url}/sign").status_code == 403
    for lead in core_leads(world):
        client = signed_in(lead)
        assert lead.agency is not None
        assert f"Sign for {lead.agency.name}".encode() in client.get(url).content.replace(
            b"&#x27;", b"'"
        )
        assert client.post(f"{url}/sign").status_code == 302
    second = signed_in(world.police_lead).post(f"{url}/sign")
    assert second.status_code == 409 and b"already signed" in second.content
    assert manager.post(f"{url}/publish").status_code == 302
    version.refresh_from_db()
    assert version.status == VersionStatus.CURRENT
    assert (
        signed_in(world.referrer)
        .get("/governance/documents/current/escalation")
        .headers["Location"]
        == url
    )


def test_bad_document_input_shows_errors_and_saves_nothing(world: World) -> None:
    response = signed_in(world.manager).post(
        "/governance/documents/new",
        {"kind": "thresholds", "version_label": "", "title": "T"},
    )
    assert response.status_code == 422
    body = response.content.decode()
    assert "govuk-error-summary" in body and "Enter the text of the document" not in body
    assert "Enter the date it takes effect" in body
    assert not DocumentVersion.objects.exists()


def test_a_second_accountable_manager_is_refused_on_the_page(world: World) -> None:
    client = signed_in(world.manager)
    data = {
        "title": "MASH manager",
        "agency": str(world.agencies["mash"].pk),
        "user": str(world.manager.pk),
        "responsibilities": "Everything",
        "is_accountable_manager": "yes",
    }
    assert client.post("/governance/leadership", data).status_code == 302
    response = client.post("/governance/leadership", {**data, "title": "Second"})
    assert response.status_code == 422
    assert "There can be only one" in response.content.decode()
    assert LeadershipRole.objects.count() == 1
    role = LeadershipRole.objects.get()
    response = client.post(f"/governance/leadership/{role.pk}/remove")
    assert response.status_code == 302 and not LeadershipRole.objects.exists()


def test_definition_and_agency_pages_save(world: World) -> None:
    response = signed_in(world.manager).post(
        "/governance/definition",
        {
            "purpose": "The front door",
            "scope": "children",
            "who_may_be_referred": "Any child in Northshire",
            "working_arrangement": "co_located",
        },
    )
    assert response.status_code == 302
    world.hub.refresh_from_db()
    assert world.hub.scope == "children"
    assert b"Co-located" in signed_in(world.referrer).get("/governance").content
    admin = signed_in(world.admin)
    bad = admin.post(
        "/governance/agencies",
        {
            "code": "police",
            "name": "Dup",
            "agency_type": "police",
            "participation": "core",
            "referral_source_code": "6",
        },
    )
    assert bad.status_code == 422 and b"already has the code police" in bad.content
    police = world.agencies["police"]
    response = admin.post(
        f"/governance/agencies/{police.pk}",
        {
            "name": "Northshire Constabulary",
            "agency_type": "police",
            "participation": "core",
            "referral_source_code": "6",
        },
    )
    assert response.status_code == 302
    police.refresh_from_db()
    assert (police.name, police.code) == ("Northshire Constabulary", "police")
    assert signed_in(world.police_lead).get(f"/governance/agencies/{police.pk}").status_code == 403


def test_funding_report_and_csv(world: World) -> None:
    client = signed_in(world.manager)
    response = client.post(
        "/governance/funding/record",
        {
            "agency": str(world.agencies["police"].pk),
            "financial_year": "2025",
            "amount": "£12,500.50",
            "role_0": "Researcher",
            "fte_0": "2.5",
        },
    )
    assert response.status_code == 302
    client.post(
        "/governance/funding/record",
        {
            "agency": str(world.agencies["health"].pk),
            "financial_year": "2025",
            "amount": "12500.50",
        },
    )
    page = signed_in(world.analyst).get("/governance/funding").content.decode()
    assert "£12,500.50" in page and "£25,001.00" in page and "50.0%" in page
    csv_text = signed_in(world.referrer).get("/governance/funding.csv").content.decode()
    assert "2025-26,Northshire Police,12500.50,50.0,," in csv_text
    assert "2025-26,Northshire Police,,,Researcher,2.50" in csv_text
    bad = client.post(
        "/governance/funding/record",
        {"agency": str(world.agencies["police"].pk), "financial_year": "2025", "amount": "-5"},
    )
    assert bad.status_code == 422 and b"Enter the money in pounds" in bad.content


def test_funding_refuses_an_fte_that_is_not_a_number_and_too_much_money(world: World) -> None:
    client = signed_in(world.manager)
    data = {"agency": str(world.agencies["police"].pk), "financial_year": "2025", "amount": "100"}
    for fte in ("NaN", "-NaN", "sNaN", "Infinity", "-inf"):
        response = client.post(
            "/governance/funding/record", data | {"role_0": "Researcher", "fte_0": fte}
        )
        assert response.status_code == 422, fte
        assert "Staff line 1: enter the FTE as a number" in response.content.decode(), fte
    response = client.post("/governance/funding/record", data | {"amount": "9" * 20})
    assert response.status_code == 422
    assert "Money contributed must be £10,000,000,000,000 or less" in response.content.decode()
    assert not FundingContribution.objects.exists()
    response = client.post("/governance/funding/record", data | {"amount": "10000000000000"})
    assert response.status_code == 302
    assert FundingContribution.objects.get().amount_pence == 10**15


def test_thresholds_page_publishes_and_the_screening_shows_it(world: World) -> None:
    client = signed_in(world.manager)
    data = {
        "version_label": "1",
        "effective_from_day": "1",
        "effective_from_month": "4",
        "effective_from_year": "2026",
        "red_criteria": "Immediate risk",
        "amber_criteria": "Likely harm",
        "green_criteria": "No immediate risk",
    }
    for level in world.hub.levels.all():
        data[f"name_{level.level}"] = level.name
        data[f"descriptor_{level.level}"] = f"Our words for {level.level}"
    assert client.post("/governance/thresholds/new", data).status_code == 302
    assert client.post("/governance/thresholds/new", data).status_code == 422  # same label
    contact = contact_make(world.practitioner)
    page = signed_in(world.practitioner).get(f"/contacts/{contact.pk}/screening")
    assert b'href="/governance/thresholds"' in page.content
    screening_record(
        actor=world.practitioner,
        contact=contact,
        outcome="mash_enquiry",
        level_of_need=3,
        rag="amber",
        rationale="Checks",
    )
    page = signed_in(world.practitioner).get(f"/contacts/{contact.pk}/screening")
    assert b"Version 1</a>" in page.content


def test_the_thresholds_document_is_beside_the_screening_form(world: World) -> None:
    version = draft(world, kind="thresholds")
    sign_by(version, *core_leads(world))
    from openmash.governance.services import document_publish

    document_publish(actor=world.manager, version=version)
    contact = contact_make(world.practitioner)
    page = signed_in(world.practitioner).get(f"/contacts/{contact.pk}/screening")
    assert f'href="/governance/documents/{version.pk}"'.encode() in page.content


def test_the_standards_page_is_audited(world: World) -> None:
    response = signed_in(world.police_lead).get("/governance/standards")
    assert response.status_code == 200
    assert b"One accountable manager is named" in response.content
    event = AuditEvent.objects.filter(verb=AuditVerb.STANDARDS_CHECKED).get()
    assert event.actor_username == "demo.police_lead"
    assert "accountable_manager" in event.changes["not_met"]


def test_another_hubs_governance_is_not_found(world: World) -> None:
    other = hub_create(name="Southshire MASH", la_code="998")
    agency = Agency.objects.create(
        hub=other,
        code="mash",
        name="Southshire MASH",
        agency_type="childrens_social_care",
        participation="core",
        referral_source_code="5A",
    )
    stranger = User.objects.create(username="south.manager", agency=agency, roles=["manager"])
    version = draft(world)
    role = LeadershipRole.objects.create(
        hub=world.hub,
        agency=world.agencies["police"],
        title="Lead",
        person_name="P",
        responsibilities="R",
    )
    client = signed_in(stranger)
    assert client.get(f"/governance/documents/{version.pk}").status_code == 404
    assert client.get(f"/governance/leadership/{role.pk}").status_code == 404
    assert client.get(f"/governance/agencies/{world.agencies['police'].pk}").status_code == 404
    assert (
        client.get("/governance/documents/00000000-0000-0000-0000-000000000000").status_code == 404
    )


def test_the_funding_csv_writes_an_agency_named_as_a_formula_as_text(world: World) -> None:
    police = world.agencies["police"]
    police.name = '=HYPERLINK("http://evil.example","Open")'
    police.save(update_fields=["name"])
    response = signed_in(world.manager).post(
        "/governance/funding/record",
        {
            "agency": str(police.pk),
            "financial_year": "2025",
            "amount": "100",
            "role_0": "@SUM(1+1)",
            "fte_0": "1",
        },
    )
    assert response.status_code == 302
    csv_text = signed_in(world.referrer).get("/governance/funding.csv").content.decode()
    assert '2025-26,"\'=HYPERLINK(""http://evil.example"",""Open"")",100.00' in csv_text
    assert "'@SUM(1+1)" in csv_text
    for line in csv_text.splitlines()[1:]:
        assert not line.split(",")[1].lstrip('"').startswith(("=", "@", "+", "-")), line
