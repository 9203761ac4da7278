"""Match scores shown to a role carry nothing of the fields that role may not see, so index
rows that differ only in a withheld field cannot be used to learn it (issue 11, item 1)."""

import re

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from openmash.contacts.models import Contact
from openmash.people.models import AgencyIndexRecord
from openmash.testing.world import World, child_subject, contact_make

HEADER = (
    "action,record_ref,given_name,family_name,aliases,date_of_birth,sex,address_line_1,"
    "address_line_2,town,postcode,address_from,previous_postcodes,nhs_number,upn,other_id\n"
)
# The subject lives (confidentially) at NT1 4AB; the rows differ only in the postcode.
POSTCODES = {"GUESS-TRUE": "NT1 4AB", "GUESS-SECTOR": "NT1 4AD", "GUESS-FAR": "ZZ9 9ZZ"}


def _rows() -> str:
    return "".join(
        f"upsert,{ref},Amelia,Hartley,,,,,,,{postcode},,,,,\n"
        for ref, postcode in POSTCODES.items()
    )


def signed_in(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def _upload(client: Client, agency_id: object, text: str) -> int:
    file = SimpleUploadedFile("index.csv", text.encode(), content_type="text/csv")
    return client.post("/people/index", {"agency": str(agency_id), "file": file}).status_code


def _confidential_contact(world: World) -> Contact:
    return contact_make(
        world.practitioner, people=[child_subject(nhs_number="", address_confidential=True)]
    )


def _asked_of_police(world: World, contact: Contact) -> str:
    from openmash.decisions.services import screening_record
    from openmash.enquiries.services import requests_create

    screening_record(
        actor=world.practitioner,
        contact=contact,
        outcome="mash_enquiry",
        level_of_need=3,
        rag="amber",
        rationale="Checks needed",
    )
    (request,) = requests_create(
        actor=world.practitioner,
        contact=contact,
        agency_ids=[str(world.agencies["police"].pk)],
    )
    return str(request.pk)


def _likelihoods(page: str) -> dict[str, str]:
    """record_ref -> the likelihood shown beside it on the request page."""
    found = re.findall(
        r'<td class="govuk-table__cell">(GUESS-[A-Z]+)</td>.*?'
        r'govuk-table__cell--numeric">(\d+)%</td>',
        page,
        flags=re.S,
    )
    return dict(found)


def test_a_researcher_cannot_probe_a_confidential_postcode_with_index_rows(
    world: World,
) -> None:
    police = signed_in(world.police)
    assert _upload(police, world.agencies["police"].pk, HEADER + _rows()) == 302
    contact = _confidential_contact(world)
    request_id = _asked_of_police(world, contact)
    page = police.get(f"/requests/{request_id}").content.decode()
    assert "Withheld: confidential address" in page
    shown = _likelihoods(page)
    # Either every guess is listed at the same likelihood, or none is: never only the true one.
    assert set(shown) in (set(), set(POSTCODES)), shown
    assert len(set(shown.values())) <= 1, shown


def test_the_researchers_scores_use_the_address_when_it_is_not_withheld(world: World) -> None:
    police = signed_in(world.police)
    assert _upload(police, world.agencies["police"].pk, HEADER + _rows()) == 302
    contact = contact_make(world.practitioner, people=[child_subject(nhs_number="")])
    page = police.get(f"/requests/{_asked_of_police(world, contact)}").content.decode()
    shown = _likelihoods(page)
    assert int(shown["GUESS-TRUE"]) > int(shown["GUESS-SECTOR"]) > int(shown.get("GUESS-FAR", 0))


def test_a_role_without_confidential_addresses_gets_scores_without_them(world: World) -> None:
    assert _upload(signed_in(world.police), world.agencies["police"].pk, HEADER + _rows()) == 302
    contact = _confidential_contact(world)
    records = {r.pk: r.record_ref for r in AgencyIndexRecord.objects.all()}

    def scores(user: object) -> dict[str, float]:
        matches = signed_in(user).get(f"/api/v1/contacts/{contact.pk}/matches").json()
        subject = next(m for m in matches if m["name"] == "Amelia Hartley")
        out = {}
        for c in subject["candidates"]:
            if c["kind"] == "agency":
                from uuid import UUID

                out[records[UUID(c["key"].split(":")[1])]] = c["probability"]
                levels = {e["comparison"]: e["level"] for e in c["explanation"]}
                if user is world.auditor:
                    assert levels["location"] == "null", levels
        return out

    # The auditor sees the whole contact but not a confidential address: no difference.
    audited = scores(world.auditor)
    assert len(set(audited.values())) <= 1, audited
    # MASH staff who may see the address keep the full evidence (matching unchanged for them).
    staff = scores(world.practitioner)
    assert staff["GUESS-TRUE"] > staff["GUESS-SECTOR"] > staff.get("GUESS-FAR", 0.0)
