"""What is recorded about a person, listed once.

`PERSON_FIELDS` are the fields a contact records about each person it names (the
contact's mention of them), in the order a person block shows them; the intake form, the
correction service and `PersonInput` all use these names. The hub's person index keeps a
part of them: `openmash.people.models.PERSON_INDEX_FIELDS`, derived from this list.

Here, in the lowest app that needs it (people sits below contacts), so everyone can import it."""

from typing import Final

PERSON_FIELDS: Final = (
    "role",
    "kind",
    "relationship",
    "given_name",
    "family_name",
    "aliases",
    "date_of_birth",
    "expected_date_of_birth",
    "sex",
    "ethnicity",
    "disabilities",
    "address_line_1",
    "address_line_2",
    "town",
    "postcode",
    "address_confidential",
    "nhs_number",
    "upn",
)
