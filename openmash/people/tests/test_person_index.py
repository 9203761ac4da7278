"""The person index through the pages and services a hub would use."""

import json
from datetime import date
from typing import TYPE_CHECKING

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from openmash.audit.models import AuditEvent, AuditVerb
from openmash.contacts.models import Contact, ContactPerson
from openmash.people.models import AgencyIndexRecord, IndexLoad, MatchReview, Person, PersonMerge
from openmash.testing.world import World, child_subject, contact_make

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse

HEADER = (
    "action,record_ref,given_name,family_name,aliases,date_of_birth,sex,address_line_1,"
    "address_line_2,town,postcode,address_from,previous_postcodes,nhs_number,upn,other_id\n"
)


def signed_in(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def upload(client: Client, agency_id: object, text: str) -> "_MonkeyPatchedWSGIResponse":
    file = SimpleUploadedFile("index.csv", text.encode(), content_type="text/csv")
    return client.post("/people/index", {"agency": str(agency_id), "file": file})


def subject_person(contact: Contact) -> Person:
    mention = ContactPerson.objects.get(contact=contact, role="subject")
    assert mention.person is not None
    return mention.person


def test_every_person_named_resolves_and_a_second_contact_is_known(world: World) -> None:
    first = contact_make(world.practitioner)
    assert ContactPerson.objects.filter(contact=first, person__isnull=True).count() == 0
    second = contact_make(world.practitioner, people=[child_subject(given_name="Amelia")])
    assert subject_person(second) == subject_person(first)
    event = AuditEvent.objects.filter(verb=AuditVerb.PERSON_LINKED).latest("id")
    assert event.changes == {"linked": 1, "created": 0}
    page = signed_in(world.practitioner).get(f"/contacts/{second.pk}").content.decode()
    assert "Known to the hub" in page
    assert first.reference in page


def test_twins_are_two_people(world: World) -> None:
    one = contact_make(world.practitioner, people=[child_subject(nhs_number="")])
    twin = contact_make(
        world.practitioner, people=[child_subject(given_name="Olivia", nhs_number="")]
    )
    assert subject_person(one) != subject_person(twin)


def test_an_agency_index_upload_is_all_or_nothing(world: World) -> None:
    client = signed_in(world.police)
    police = world.agencies["police"]
    bad = HEADER + (
        "upsert,P1,Amelia,Hartley,,2016-03-14,F,12 Mill Lane,,Northtown,NT1 4AB,,,9434765919,,\n"
        "upsert,P2,Kyle,Dent,,2016-02-31,M,,,,,,,,,\n"
        "explode,P3,Ann,Other,,,X,,,,NOT A POSTCODE,,,1234567890,,\n"
    )
    response = upload(client, police.pk, bad)
    assert response.status_code == 422
    body = response.content.decode()
    assert "Line 3: date_of_birth &#x27;2016-02-31&#x27; is not a date as YYYY-MM-DD" in body
    assert "Line 4: action must be one of" in body
    assert "Line 4: nhs_number is not a valid NHS number" in body
    assert not AgencyIndexRecord.objects.exists()
    good = HEADER + (
        "upsert,P1,Amelia,Hartley,,2016-03-14,F,12 Mill Lane,,Northtown,NT1 4AB,,,9434765919,,\n"
        "insert,P2,Kyle,Dent,Ky Dent,1990-02-03,M,,,,NT1 4AB,,,,,\n"
    )
    assert upload(client, police.pk, good).status_code == 302
    assert AgencyIndexRecord.objects.filter(agency=police).count() == 2
    changes = HEADER + "update,P2,Kyle,Dent-Smith,,1990-02-03,M,,,,,,,,,\ndelete,P1,,,,,,,,,,,,,,\n"
    assert upload(client, police.pk, changes).status_code == 302
    assert list(AgencyIndexRecord.objects.values_list("record_ref", "family_name")) == [
        ("P2", "Dent-Smith")
    ]
    assert IndexLoad.objects.count() == 2
    # Inserting a record that exists, or updating one that does not, refuses the whole file.
    clash = HEADER + "insert,P2,A,B,,,,,,,,,,,,\nupdate,P9,C,D,,,,,,,,,,,,\n"
    response = upload(client, police.pk, clash)
    assert response.status_code == 422
    assert "already loaded" in response.content.decode()
    assert "is not in the index" in response.content.decode()


def test_researchers_load_only_their_own_agencys_index(world: World) -> None:
    response = upload(signed_in(world.police), world.agencies["health"].pk, HEADER)
    assert response.status_code == 422  # not a choice offered to them
    assert signed_in(world.referrer).get("/people/index").status_code == 403
    assert signed_in(world.admin).get("/people/index").status_code == 200


def test_agency_matches_are_shown_and_reviewed(world: World) -> None:
    client = signed_in(world.police)
    row = "upsert,P1,Amelia,Hartley,,2016-03-14,F,12 Mill Lane,,Northtown,NT1 4AB,,,9434765919,,\n"
    assert upload(client, world.agencies["police"].pk, HEADER + row).status_code == 302
    contact = contact_make(world.practitioner)
    practitioner = signed_in(world.practitioner)
    page = practitioner.get(f"/contacts/{contact.pk}").content.decode()
    assert "Northshire Police</strong> holds a record that may be this person" in page
    assert "Agencies whose index holds a likely match: <strong>Northshire Police" in page
    record = AgencyIndexRecord.objects.get()
    mention = ContactPerson.objects.get(contact=contact, role="subject")
    response = practitioner.post(
        "/people/reviews",
        {
            "mention": mention.pk,
            "candidate": f"agency:{record.pk}",
            "probability": "0.99",
            "decision": "rejected",
        },
    )
    assert response.status_code == 302
    assert MatchReview.objects.get().decision == "rejected"
    assert AuditEvent.objects.filter(verb=AuditVerb.MATCH_REVIEWED).exists()
    # A referrer never sees matches.
    own = contact_make(world.referrer)
    assert (
        "possible matches"
        not in signed_in(world.referrer).get(f"/contacts/{own.pk}").content.decode()
    )


def test_duplicates_merge_and_unmerge_lose_nothing(world: World) -> None:
    first = contact_make(world.practitioner)
    # The same child, with a typo, no NHS number, no address: below the automatic link level.
    second = contact_make(
        world.practitioner,
        people=[
            child_subject(
                given_name="Amelai", nhs_number="", address_line_1="", town="", postcode=""
            )
        ],
    )
    a, b = subject_person(first), subject_person(second)
    assert a != b
    client = signed_in(world.manager)
    page = client.get("/people/duplicates").content.decode()
    assert "Amelai Hartley" in page
    response = client.post(
        "/people/merges",
        {
            "form_prefix": "pair0",
            "pair0-merged": str(b.pk),
            "pair0-into": str(a.pk),
            "pair0-reason": "Same date of birth and address; a typo in the name",
        },
    )
    assert response.status_code == 302
    assert subject_person(second) == a
    b.refresh_from_db()
    assert b.merged_into == a
    merge = PersonMerge.objects.get()
    response = client.post(
        f"/people/merges/{merge.pk}/undo",
        {"form_prefix": "undo0", "undo0-reason": "Different children after all"},
    )
    assert response.status_code == 302
    assert subject_person(second) == b
    b.refresh_from_db()
    assert b.merged_into is None
    assert (
        AuditEvent.objects.filter(
            verb__in=[AuditVerb.PERSON_MERGED, AuditVerb.PERSON_UNMERGED]
        ).count()
        == 2
    )
    assert signed_in(world.police).get("/people/duplicates").status_code == 403


def test_an_unborn_child_is_a_person_too(world: World) -> None:
    from openmash.contacts.services import PersonInput

    unborn = PersonInput(kind="unborn", family_name="Hartley", expected_date_of_birth=date.today())
    contact = contact_make(world.practitioner, people=[unborn])
    assert subject_person(contact).family_name == "Hartley"


def test_matching_agencies_are_suggested_and_researchers_see_their_own_records(
    world: World,
) -> None:
    from openmash.decisions.services import screening_record
    from openmash.enquiries.services import requests_create

    row = "upsert,POL-77,Amelia,Hartley,,2016-03-14,F,,,Northtown,NT1 4AB,,,9434765919,,\n"
    assert upload(signed_in(world.police), world.agencies["police"].pk, HEADER + row)
    contact = contact_make(world.practitioner)
    screening_record(
        actor=world.practitioner,
        contact=contact,
        outcome="mash_enquiry",
        level_of_need=3,
        rag="amber",
        rationale="Checks needed",
    )
    page = signed_in(world.practitioner).get(f"/contacts/{contact.pk}/requests/new")
    body = page.content.decode()
    police_id = str(world.agencies["police"].pk)
    assert "Its index holds a likely match" in body
    assert f'value="{police_id}" checked' in body
    requests = requests_create(
        actor=world.practitioner,
        contact=contact,
        agency_ids=[police_id, str(world.agencies["health"].pk)],
    )
    by_agency = {r.agency.code: r for r in requests}
    police_page = signed_in(world.police).get(f"/requests/{by_agency['police'].pk}")
    assert "POL-77" in police_page.content.decode()
    health_page = signed_in(world.health).get(f"/requests/{by_agency['health'].pk}")
    assert "POL-77" not in health_page.content.decode()
    assert "has not loaded an index yet" in health_page.content.decode()


def test_a_pair_judged_different_leaves_the_duplicates_queue(world: World) -> None:
    from openmash.people.services import match_review

    first = contact_make(world.practitioner)
    second = contact_make(
        world.practitioner,
        people=[
            child_subject(
                given_name="Amelai", nhs_number="", address_line_1="", town="", postcode=""
            )
        ],
    )
    client = signed_in(world.manager)
    assert "Amelai Hartley" in client.get("/people/duplicates").content.decode()
    mention = ContactPerson.objects.get(contact=second, role="subject")
    match_review(
        actor=world.practitioner,
        mention=mention,
        candidate_key=f"person:{subject_person(first).pk}",
        probability=0.99,
        decision="rejected",
    )
    assert "Amelai Hartley" not in client.get("/people/duplicates").content.decode()


def test_a_model_trained_for_older_definitions_falls_back_to_the_default(world: World) -> None:
    from openmash.people.live_index import active_model
    from openmash.people.matching.model import default_model
    from openmash.people.models import MatchModelVersion

    stale = json.loads(default_model().to_json())
    stale["metadata"]["definitions"] = "0" * 16
    MatchModelVersion.objects.create(hub=world.hub, version="old", parameters=stale, active=True)
    version, _model = active_model(world.hub)
    assert version == default_model().version
    contact_make(world.practitioner)  # intake still resolves people
