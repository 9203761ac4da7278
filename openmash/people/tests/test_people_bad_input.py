"""Bad input to the person index is a clear 4xx with nothing half-saved, and an upload is
checked for the agency before the file is read (issue 11, item 8)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from openmash.contacts.models import ContactPerson
from openmash.people.models import AgencyIndexRecord, IndexLoad, MatchReview
from openmash.testing.world import World, contact_make

HEADER = (
    "action,record_ref,given_name,family_name,aliases,date_of_birth,sex,address_line_1,"
    "address_line_2,town,postcode,address_from,previous_postcodes,nhs_number,upn,other_id\n"
)


def signed_in(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


@pytest.mark.parametrize(
    "candidate", ["person:not-a-uuid", "agency:not-a-uuid", "garbage", "person:", ":"]
)
def test_a_review_of_a_candidate_that_is_not_an_id_is_refused(world: World, candidate: str) -> None:
    contact = contact_make(world.practitioner)
    mention = ContactPerson.objects.get(contact=contact, role="subject")
    practitioner = signed_in(world.practitioner)
    page = practitioner.post(
        "/people/reviews",
        {
            "mention": mention.pk,
            "candidate": candidate,
            "probability": "0.9",
            "decision": "confirmed",
        },
    )
    assert 400 <= page.status_code < 500, page.status_code
    api = practitioner.post(
        "/api/v1/match-reviews",
        {
            "mention_id": str(mention.pk),
            "candidate": candidate,
            "probability": 0.9,
            "decision": "confirmed",
        },
        content_type="application/json",
    )
    assert 400 <= api.status_code < 500, api.status_code
    assert not MatchReview.objects.exists()


def _long_field_csv() -> str:
    ok = "upsert,P1,Amelia,Hartley,,2016-03-14,F,,,,NT1 4AB,,,,,\n"
    long = "upsert,P2,Amelia," + "x" * 140_000 + ",,2016-03-14,F,,,,NT1 4AB,,,,,\n"
    return HEADER + ok + long


def test_an_index_file_with_a_huge_field_is_refused_with_its_line(world: World) -> None:
    police = signed_in(world.police)
    file = SimpleUploadedFile("i.csv", _long_field_csv().encode(), content_type="text/csv")
    page = police.post("/people/index", {"agency": str(world.agencies["police"].pk), "file": file})
    assert page.status_code == 422
    assert "Line 3" in page.content.decode()
    file = SimpleUploadedFile("i.csv", _long_field_csv().encode(), content_type="text/csv")
    api = police.post("/api/v1/agencies/police/index", {"file": file})
    assert api.status_code == 422
    assert any("Line 3" in p for p in api.json()["errors"]["file"]), api.json()
    assert not AgencyIndexRecord.objects.exists()
    assert not IndexLoad.objects.exists()


def test_another_agencys_index_is_refused_before_the_file_is_read(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    from openmash.people import api, views

    def never(*args: object, **kwargs: object) -> None:
        raise AssertionError("the file was parsed before the agency was checked")

    monkeypatch.setattr(api, "parse_index_rows", never)
    monkeypatch.setattr(views, "parse_index_rows", never)
    police = signed_in(world.police)
    file = SimpleUploadedFile("i.csv", _long_field_csv().encode(), content_type="text/csv")
    assert police.post("/api/v1/agencies/health/index", {"file": file}).status_code == 404
    file = SimpleUploadedFile("i.csv", _long_field_csv().encode(), content_type="text/csv")
    page = police.post("/people/index", {"agency": str(world.agencies["health"].pk), "file": file})
    assert page.status_code == 422
    # Someone without the permission is refused outright, whatever the agency.
    file = SimpleUploadedFile("i.csv", _long_field_csv().encode(), content_type="text/csv")
    refused = signed_in(world.practitioner).post("/api/v1/agencies/police/index", {"file": file})
    assert refused.status_code in (403, 404)
    assert not AgencyIndexRecord.objects.exists()
