"""The contact pages through HTTP, as each user would use them: intake (practitioner and
referrer), the contact page, the work queue, a referrer's list and the hub summary."""

import re
from datetime import date, timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from openmash.accounts.models import User
from openmash.audit.models import AuditEvent, AuditVerb
from openmash.contacts.models import Contact, JourneyStage
from openmash.decisions.services import (
    decision_propose,
    decision_sign_off,
    feedback_send,
    screening_record,
)
from openmash.enquiries.services import request_answer, requests_create
from openmash.testing.world import PASSWORD, World, child_subject, contact_make

pytestmark = pytest.mark.django_db


def signed_in(user: User) -> Client:
    client = Client()
    response = client.post("/sign-in", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302, response.content
    return client


def person(index: int, **values: str) -> dict[str, str]:
    return {f"people-{index}-{name}": value for name, value in values.items()}


PRACTITIONER_ONLY = (
    "channel",
    "source_code",
    "referrer_name",
    "referrer_role",
    "referrer_organisation",
    "referrer_email",
    "referrer_phone",
)


def intake_data(**overrides: Any) -> dict[str, Any]:
    """What a browser sends for a contact about Amelia (at a refuge) and her father."""
    data: dict[str, Any] = {
        "people_count": "2",
        "concern_categories": ["physical_abuse_adult", "domestic_abuse_child"],
        "concern_narrative": "Amelia has a bruise and said her mum's partner hit her.",
        "immediate_risk": "no",
        "family_awareness": "not_aware",
        "no_consent_reason": "Telling the family could put Amelia at risk.",
        "action_taken": "Spoke to Amelia in school.",
        **person(
            0,
            role="subject",
            kind="child",
            given_name="Amelia",
            family_name="Hartley",
            date_of_birth_day="14",
            date_of_birth_month="3",
            date_of_birth_year="2016",
            sex="F",
            ethnicity="WBRI",
            address_line_1="Safe House 7",
            town="Northtown",
            postcode="nt9 9zz",
            address_confidential="on",
            nhs_number="943 476 5919",
        ),
        **person(
            1,
            role="household",
            kind="adult",
            relationship="parent",
            given_name="Lee",
            family_name="Hartley",
            sex="M",
            ethnicity="NOBT",
        ),
    }
    data.update(
        {
            "channel": "phone",
            "source_code": "2A",
            "referrer_name": "Sam Teacher",
            "referrer_role": "Class teacher",
            "referrer_organisation": "Oakfield Primary School",
            "referrer_email": "sam.teacher@school.example",
            "referrer_phone": "01234 567890",
        }
    )
    data.update(overrides)
    return data


def referral_data(**overrides: Any) -> dict[str, Any]:
    """What a referrer's browser sends: no referrer details, source or time received."""
    data = {k: v for k, v in intake_data().items() if k not in PRACTITIONER_ONLY}
    data.update(overrides)
    return data


def text(response: Any) -> str:
    return response.content.decode()


# -- Intake: the practitioner ----------------------------------------------------------------


def test_the_practitioner_form_starts_with_two_people_and_the_time_now(world: World) -> None:
    client = signed_in(world.practitioner)
    response = client.get("/contacts/new")
    assert response.status_code == 200
    html = text(response)
    assert "<title>Record a contact – OpenMASH</title>" in html
    assert "Person 1" in html and "Person 2" in html and "Person 3" not in html
    assert "Add another person" in html
    today = timezone.localdate()
    assert f'name="received_at_day" type="text" inputmode="numeric" value="{today.day}"' in html
    assert "Refuge or safe address: never disclosed" in html


def test_a_practitioner_records_a_contact_with_two_people(world: World) -> None:
    client = signed_in(world.practitioner)
    received = timezone.localtime() - timedelta(hours=2)
    response = client.post(
        "/contacts/new",
        intake_data(
            received_at_day=str(received.day),
            received_at_month=str(received.month),
            received_at_year=str(received.year),
            received_at_time=received.strftime("%H:%M"),
            referrer_agency=str(world.agencies["school-oakfield"].pk),
        ),
    )
    assert response.status_code == 302
    contact = Contact.objects.get()
    assert response["Location"] == f"/contacts/{contact.pk}"
    assert contact.recorded_by == world.practitioner
    assert contact.submitted_by is None
    assert contact.channel == "phone"
    assert contact.source_code == "2A"
    assert contact.referrer_name == "Sam Teacher"
    assert contact.referrer_agency == world.agencies["school-oakfield"]
    assert contact.concern_categories == ["domestic_abuse_child", "physical_abuse_adult"]
    assert contact.immediate_risk is False
    assert timezone.localtime(contact.received_at).strftime("%Y-%m-%d %H:%M") == received.strftime(
        "%Y-%m-%d %H:%M"
    )
    amelia, lee = contact.people.order_by("order")
    assert (amelia.role, amelia.kind, amelia.full_name) == ("subject", "child", "Amelia Hartley")
    assert amelia.date_of_birth == date(2016, 3, 14)
    assert amelia.address_confidential is True
    assert amelia.postcode == "NT9 9ZZ"
    assert amelia.nhs_number == "9434765919"
    assert (lee.role, lee.relationship, lee.kind) == ("household", "parent", "adult")
    # The success banner on the contact page (PRG).
    page = client.get(response["Location"])
    assert f"Contact {contact.reference} recorded" in text(page)


def test_add_another_person_keeps_what_was_typed_and_saves_nothing(world: World) -> None:
    client = signed_in(world.practitioner)
    response = client.post("/contacts/new", intake_data(add_person="1"))
    assert response.status_code == 200
    html = text(response)
    assert "Person 3" in html
    assert "govuk-error-summary" not in html
    assert "<title>Record a contact" in html
    assert 'value="Amelia"' in html
    assert 'name="people_count" value="3"' in html
    assert 'formaction="/contacts/new#person-4"' in html
    assert not Contact.objects.exists()
    # A blank extra person is left out when the form is sent.
    response = client.post("/contacts/new", intake_data(people_count="3"))
    assert response.status_code == 302
    assert Contact.objects.get().people.count() == 2


def test_bad_input_shows_every_problem_and_saves_nothing(world: World) -> None:
    client = signed_in(world.practitioner)
    next_year = timezone.localdate().year + 1
    data = intake_data(
        concern_narrative="",
        **person(
            0,
            nhs_number="1234567890",
            date_of_birth_day="1",
            date_of_birth_month="1",
            date_of_birth_year=str(next_year),
        ),
        **person(
            1,
            role="subject",
            kind="unborn",
            relationship="",
            given_name="",
            family_name="",
        ),
    )
    response = client.post("/contacts/new", data)
    assert response.status_code == 422
    html = text(response)
    assert "<title>Error: Record a contact – OpenMASH</title>" in html
    assert "govuk-error-summary" in html
    assert "Describe the concern" in html
    assert "Person 1: Enter a valid 10-digit NHS number" in html
    assert "Person 1: Date of birth must be today or in the past" in html
    assert "Person 2: Enter the expected date of birth of the unborn child" in html
    # Summary links go to the inputs; inline messages sit by the fields.
    assert 'href="#id_concern_narrative"' in html
    assert 'href="#id_people-0-nhs_number"' in html
    assert 'id="id_people-0-nhs_number-error"' in html
    assert 'id="id_people-1-expected_date_of_birth-error"' in html
    assert not Contact.objects.exists()
    assert not AuditEvent.objects.filter(verb=AuditVerb.CONTACT_CREATED).exists()


def test_unparseable_answers_and_rule_breaks_show_together(world: World) -> None:
    client = signed_in(world.practitioner)
    data = intake_data(
        concern_narrative="",
        referrer_email="not-an-email",
        immediate_risk="",
        **person(0, date_of_birth_day="31", date_of_birth_month="2", date_of_birth_year="2016"),
    )
    response = client.post("/contacts/new", data)
    assert response.status_code == 422
    html = text(response)
    assert "Person 1: Date of birth must be a real date" in html
    assert "Enter an email address in the correct format" in html
    assert "Select yes if anyone is at immediate risk of harm" in html
    assert "Describe the concern" in html
    assert not Contact.objects.exists()


def test_the_time_received_cannot_be_in_the_future(world: World) -> None:
    client = signed_in(world.practitioner)
    later = timezone.localtime() + timedelta(days=2)
    response = client.post(
        "/contacts/new",
        intake_data(
            received_at_day=str(later.day),
            received_at_month=str(later.month),
            received_at_year=str(later.year),
            received_at_time="10:00",
        ),
    )
    assert response.status_code == 422
    assert "The time received cannot be in the future" in text(response)
    assert not Contact.objects.exists()


def test_a_contact_needs_a_subject(world: World) -> None:
    client = signed_in(world.practitioner)
    response = client.post("/contacts/new", intake_data(**person(0, role="household")))
    assert response.status_code == 422
    html = text(response)
    assert "Add at least one subject" in html
    assert "Choose how this person is related to the subject" in html


# -- Intake: the referrer --------------------------------------------------------------------


def test_a_referrer_submits_their_own_form(world: World) -> None:
    client = signed_in(world.referrer)
    page = client.get("/refer")
    assert page.status_code == 200
    assert 'name="referrer_name"' not in text(page)
    assert 'name="source_code"' not in text(page)
    assert 'name="received_at_day"' not in text(page)
    response = client.post("/refer", referral_data())
    assert response.status_code == 302
    contact = Contact.objects.get()
    assert response["Location"] == f"/referrals/{contact.pk}/sent"
    assert contact.source_code == "2A"  # from the referrer's agency, a school
    assert contact.submitted_by == world.referrer
    assert contact.referrer_name == world.referrer.display_name
    assert contact.channel == "online_form"
    assert contact.people.count() == 2
    sent = client.get(response["Location"])
    assert "govuk-panel--confirmation" in text(sent)
    assert contact.reference in text(sent)


def test_a_referrer_sees_the_same_errors(world: World) -> None:
    client = signed_in(world.referrer)
    response = client.post("/refer", referral_data(concern_narrative="", concern_categories=[]))
    assert response.status_code == 422
    html = text(response)
    assert "Describe the concern" in html
    assert "Choose at least one concern category" in html
    assert "<title>Error: Refer a concern" in html
    assert not Contact.objects.exists()


def test_each_form_is_for_its_own_users(world: World) -> None:
    assert signed_in(world.referrer).get("/contacts/new").status_code == 403
    assert signed_in(world.practitioner).get("/refer").status_code == 403
    assert signed_in(world.analyst).get("/refer").status_code == 403
    assert signed_in(world.analyst).get("/contacts/").status_code == 403
    assert signed_in(world.referrer).get("/contacts/").status_code == 403


# -- The contact page ------------------------------------------------------------------------


def refuge_contact(world: World, actor: User | None = None) -> Contact:
    return contact_make(
        actor or world.referrer,
        people=[
            child_subject(
                address_line_1="Safe House 7", postcode="NT9 9ZZ", address_confidential=True
            ),
        ],
    )


def test_the_practitioner_sees_the_confidential_address(world: World) -> None:
    contact = refuge_contact(world)
    response = signed_in(world.practitioner).get(f"/contacts/{contact.pk}")
    assert response.status_code == 200
    html = text(response)
    assert "Safe House 7" in html
    assert "Confidential address" in html
    assert "moj-timeline" in html
    assert "Contact received" in html
    assert AuditEvent.objects.filter(
        verb=AuditVerb.CONTACT_VIEWED, contact_id=contact.pk, actor=world.practitioner
    ).exists()


def test_the_referrer_sees_only_their_submission_with_the_address_withheld(
    world: World,
) -> None:
    contact = refuge_contact(world)
    response = signed_in(world.referrer).get(f"/contacts/{contact.pk}")
    assert response.status_code == 200
    html = text(response)
    assert contact.reference in html
    assert "Withheld" in html
    assert "Safe House 7" not in html
    assert "moj-timeline" not in html
    assert "Information requests" not in html
    assert "Feedback from the MASH" in html


@pytest.mark.parametrize("who", ["police", "analyst", "admin"])
def test_others_get_not_found(world: World, who: str) -> None:
    contact = refuge_contact(world)
    client = signed_in(getattr(world, who))
    assert client.get(f"/contacts/{contact.pk}").status_code == 404
    # The same answer for a contact that does not exist.
    assert client.get("/contacts/00000000-0000-0000-0000-000000000000").status_code == 404


def test_a_referrer_cannot_open_a_contact_they_did_not_send(world: World) -> None:
    contact = contact_make(world.practitioner)
    assert signed_in(world.referrer).get(f"/contacts/{contact.pk}").status_code == 404
    assert signed_in(world.referrer).get(f"/referrals/{contact.pk}/sent").status_code == 404


def test_the_contact_page_tells_the_whole_story(world: World) -> None:
    contact = refuge_contact(world)
    screening_record(
        actor=world.practitioner,
        contact=contact,
        outcome="mash_enquiry",
        level_of_need=3,
        rag="amber",
        rationale="Injury with a disclosure.",
    )
    screening_record(
        actor=world.practitioner,
        contact=contact,
        outcome="mash_enquiry",
        level_of_need=4,
        rag="red",
        rationale="New police information: re-rated.",
    )
    (police_request,) = requests_create(
        actor=world.practitioner,
        contact=contact,
        agency_ids=[str(world.agencies["police"].pk)],
        question="What do you know?",
    )
    request_answer(
        actor=world.police,
        request=police_request,
        result="known",
        information="Two prior domestic abuse callouts.",
        handling="mash_only",
        lawful_basis="law_enforcement",
    )
    contact.refresh_from_db()
    decision_propose(
        actor=world.practitioner,
        contact=contact,
        outcome_code="s47",
        primary_need_code="N1",
        level_of_need=4,
        rationale="Disclosure and history of violence.",
        childs_voice="Amelia said she is scared to go home.",
    )
    manager = signed_in(world.manager)
    # Police information is shown once the reader has said why (DPA 2018 s.62, issue 11).
    manager.post(f"/contacts/{contact.pk}/police-information", {"reason": "Signing off"})
    html = text(manager.get(f"/contacts/{contact.pk}"))
    assert "govuk-tag--red" in html
    assert "Injury with a disclosure." in html
    assert "New police information: re-rated." in html
    assert "Re-rating" in html
    assert "Northshire Police" in html
    assert "Two prior domestic abuse callouts." in html
    assert "MASH only" in html
    assert "DPA 2018 Part 3" in html
    assert "Strategy discussion (section 47)" in html
    assert "Amelia said she is scared to go home." in html
    assert "Information sharing record" in html
    assert "Identifying details of the people named" in html
    assert "Decision proposed" in html  # the timeline
    # The referrer still sees none of it.
    referrer_html = text(signed_in(world.referrer).get(f"/contacts/{contact.pk}"))
    assert "Two prior domestic abuse callouts." not in referrer_html
    assert "re-rated" not in referrer_html
    assert "Being looked into by the MASH" in referrer_html


# -- The work queue --------------------------------------------------------------------------


def test_the_queue_puts_the_overdue_first(world: World) -> None:
    now = timezone.now()
    later = contact_make(world.practitioner, people=[child_subject(given_name="Later")])
    overdue = contact_make(world.practitioner, people=[child_subject(given_name="Overdue")])
    soon = contact_make(world.practitioner, people=[child_subject(given_name="Soon")])
    closed = contact_make(world.practitioner, people=[child_subject(given_name="Closed")])
    Contact.objects.filter(pk=later.pk).update(stage_due_at=now + timedelta(days=3))
    Contact.objects.filter(pk=overdue.pk).update(stage_due_at=now - timedelta(days=2))
    Contact.objects.filter(pk=soon.pk).update(stage_due_at=now + timedelta(hours=1))
    Contact.objects.filter(pk=closed.pk).update(stage=JourneyStage.CLOSED)
    response = signed_in(world.practitioner).get("/contacts/")
    assert response.status_code == 200
    html = text(response)
    order = re.findall(r"[0-9]{3}-[0-9]{4}-[0-9]{6}", html)
    assert order == [overdue.reference, soon.reference, later.reference]
    assert "Overdue by" in html
    assert "Closed Hartley" not in html
    listed = AuditEvent.objects.filter(verb=AuditVerb.CONTACT_LISTED).latest("id")
    assert set(listed.changes["contacts"]) == {str(overdue.pk), str(soon.pk), str(later.pk)}


def test_the_queue_filters_by_stage(world: World) -> None:
    waiting = contact_make(world.practitioner)
    screened = contact_make(world.practitioner)
    screening_record(
        actor=world.practitioner,
        contact=screened,
        outcome="mash_enquiry",
        level_of_need=3,
        rag="green",
        rationale="Checks needed.",
    )
    client = signed_in(world.manager)
    html = text(client.get("/contacts/?stage=enquiry"))
    assert screened.reference in html and waiting.reference not in html
    html = text(client.get("/contacts/?stage=nonsense"))
    assert screened.reference in html and waiting.reference in html


def test_the_queue_pages_at_fifty(world: World) -> None:
    contact = contact_make(world.practitioner)
    client = signed_in(world.practitioner)
    assert "govuk-pagination" not in text(client.get("/contacts/"))
    assert client.get("/contacts/?page=2").status_code == 404
    assert contact.reference in text(client.get("/contacts/?page=abc"))


# -- The referrer's list ---------------------------------------------------------------------


def test_a_referrer_sees_their_referrals_with_status_and_feedback(world: World) -> None:
    decided = contact_make(world.referrer)
    waiting = contact_make(world.referrer)
    someone_elses = contact_make(world.practitioner)
    screening_record(
        actor=world.practitioner,
        contact=decided,
        outcome="advice",
        level_of_need=1,
        rag="green",
        rationale="Universal services.",
    )
    decided.refresh_from_db()
    decision = decision_propose(
        actor=world.practitioner,
        contact=decided,
        outcome_code="advice",
        level_of_need=1,
        rationale="Needs met by universal services.",
    )
    decision_sign_off(actor=world.manager, decision=decision)
    decided.refresh_from_db()
    feedback = feedback_send(actor=world.practitioner, contact=decided)
    response = signed_in(world.referrer).get("/referrals")
    assert response.status_code == 200
    html = text(response)
    assert decided.reference in html and waiting.reference in html
    assert someone_elses.reference not in html
    assert "Closed: feedback sent" in html
    assert "Received: waiting to be looked at" in html
    assert "Advice and signposting" in html
    sent = timezone.localtime(feedback.sent_at).strftime("%-d %B %Y, %H:%M")
    assert f"Sent {sent}" in html


def test_my_referrals_lists_only_what_i_sent_even_with_a_hub_role(world: World) -> None:
    someone_elses = contact_make(world.referrer)
    world.manager.roles = ["manager", "referrer"]
    world.manager.save()
    html = text(signed_in(world.manager).get("/referrals"))
    assert someone_elses.reference not in html
    assert "You have not sent any referrals yet." in html


# -- The summary -----------------------------------------------------------------------------


def test_the_summary_has_counts_and_no_names(world: World) -> None:
    contact = contact_make(world.practitioner)
    screening_record(
        actor=world.practitioner,
        contact=contact,
        outcome="mash_enquiry",
        level_of_need=3,
        rag="amber",
        rationale="Checks needed.",
    )
    contact_make(world.referrer)
    response = signed_in(world.analyst).get("/summary")
    assert response.status_code == 200
    html = text(response)
    assert "Contacts by stage" in html and "Open contacts by RAG rating" in html
    assert "2 contacts in all" in html
    assert "Amelia" not in html and "Hartley" not in html and "Lee" not in html
    assert contact.reference not in html
    assert not re.search(r"[0-9]{3}-[0-9]{4}-[0-9]{6}", html)
    assert signed_in(world.referrer).get("/summary").status_code == 403


def test_disabilities_are_recorded_and_checked(world) -> None:
    """CIN disability codes on a person: NONE is never combined with another."""
    from openmash.contacts.models import ContactPerson

    client = Client()
    client.force_login(world.practitioner)
    person: dict[str, object] = {
        "given_name": "Ava",
        "family_name": "Stone",
        "sex": "F",
        "disabilities": ["NONE", "MOB"],
    }
    payload: dict[str, object] = {
        "channel": "phone",
        "source_code": "2A",
        "referrer_name": "Sam Teacher",
        "concern_categories": ["neglect"],
        "concern_narrative": "Often hungry.",
        "family_awareness": "aware_consented",
        "people": [person],
    }
    bad = client.post("/api/v1/contacts", payload, content_type="application/json")
    assert bad.status_code == 422
    assert "people.0.disabilities" in bad.json()["errors"]
    person["disabilities"] = ["VIS", "MOB"]
    ok = client.post("/api/v1/contacts", payload, content_type="application/json")
    assert ok.status_code == 201
    assert ok.json()["people"][0]["disabilities"] == ["MOB", "VIS"]
    mention = ContactPerson.objects.get(given_name="Ava")
    assert mention.disabilities == ["MOB", "VIS"]
    page = client.get(f"/contacts/{mention.contact_id}")
    assert b"Mobility, Vision" in page.content
