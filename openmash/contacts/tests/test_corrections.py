"""Correcting what a contact says about a person: audited field by field, nothing lost."""

from django.test import Client

from openmash.audit.models import AuditEvent, AuditVerb
from openmash.contacts.models import ContactPerson
from openmash.testing.world import World, contact_make


def correction(mention: ContactPerson, **changes: str) -> dict[str, str]:
    data = {
        "role": mention.role,
        "kind": mention.kind,
        "relationship": mention.relationship,
        "given_name": mention.given_name,
        "family_name": mention.family_name,
        "aliases": mention.aliases,
        "sex": mention.sex,
        "ethnicity": mention.ethnicity,
        "address_line_1": mention.address_line_1,
        "address_line_2": mention.address_line_2,
        "town": mention.town,
        "postcode": mention.postcode,
        "nhs_number": mention.nhs_number,
        "upn": mention.upn,
        "reason": "The school told us it is a refuge",
    }
    if mention.date_of_birth:
        dob = mention.date_of_birth
        data.update(
            {
                "date_of_birth_day": str(dob.day),
                "date_of_birth_month": str(dob.month),
                "date_of_birth_year": str(dob.year),
            }
        )
    data.update(changes)
    return data


def test_marking_a_refuge_address_later(world: World) -> None:
    contact = contact_make(world.practitioner)
    mention = ContactPerson.objects.get(contact=contact, role="subject")
    client = Client()
    client.force_login(world.practitioner)
    url = f"/contacts/{contact.pk}/people/{mention.pk}/correct"
    assert client.get(url).status_code == 200
    response = client.post(url, correction(mention, address_confidential="on"))
    assert response.status_code == 302, response.content.decode()[:3000]
    mention.refresh_from_db()
    assert mention.address_confidential is True
    event = AuditEvent.objects.get(verb=AuditVerb.PERSON_CORRECTED)
    assert event.changes == {"address_confidential": [False, True]}
    assert event.reason == "The school told us it is a refuge"


def test_a_bad_correction_changes_nothing(world: World) -> None:
    contact = contact_make(world.practitioner)
    mention = ContactPerson.objects.get(contact=contact, role="subject")
    client = Client()
    client.force_login(world.practitioner)
    url = f"/contacts/{contact.pk}/people/{mention.pk}/correct"
    response = client.post(url, correction(mention, nhs_number="1234567890"))
    assert response.status_code == 422
    assert "Enter a valid 10-digit NHS number" in response.content.decode()
    response = client.post(url, correction(mention, reason=""))
    assert response.status_code == 422
    response = client.post(url, correction(mention, role="household", relationship="sibling"))
    assert response.status_code == 422
    assert "A contact must keep at least one subject" in response.content.decode()
    mention.refresh_from_db()
    assert mention.nhs_number == "9434765919"
    assert not AuditEvent.objects.filter(verb=AuditVerb.PERSON_CORRECTED).exists()


def test_only_staff_who_record_contacts_may_correct(world: World) -> None:
    contact = contact_make(world.referrer)
    mention = ContactPerson.objects.get(contact=contact, role="subject")
    url = f"/contacts/{contact.pk}/people/{mention.pk}/correct"
    for user in (world.referrer, world.police, world.auditor, world.analyst):
        client = Client()
        client.force_login(user)
        assert client.get(url).status_code in (403, 404)
