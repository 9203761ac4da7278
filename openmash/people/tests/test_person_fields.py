"""A person's fields are listed once (openmash.people.fields): the contact's mention, the
intake input and the hub person all agree with that list. No database needed."""

from dataclasses import fields

from openmash.contacts.models import ContactPerson
from openmash.contacts.services import PersonInput
from openmash.people.fields import PERSON_FIELDS
from openmash.people.models import PERSON_INDEX_FIELDS, Person


def test_the_intake_input_has_exactly_the_person_fields():
    assert {f.name for f in fields(PersonInput)} == set(PERSON_FIELDS)


def test_a_mention_records_every_person_field():
    assert set(PERSON_FIELDS) <= {f.name for f in ContactPerson._meta.concrete_fields}


def test_the_person_index_keeps_who_the_person_is():
    assert PERSON_INDEX_FIELDS == (
        "given_name",
        "family_name",
        "aliases",
        "date_of_birth",
        "sex",
        "address_line_1",
        "address_line_2",
        "town",
        "postcode",
        "nhs_number",
        "upn",
    )
    assert set(PERSON_INDEX_FIELDS) <= {f.name for f in Person._meta.concrete_fields}
