"""Intake's rules, without a database: each check's messages, and the order they are shown."""

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pytest

from openmash.contacts.intake_rules import (
    OLDEST_RECEIVED,
    ContactInput,
    PersonInput,
    contact_input_check,
    person_input_check,
    years_before,
)
from openmash.core.errors import ValidationError
from openmash.core.validation import FieldProblems

NOW = datetime(2026, 6, 1, 9, tzinfo=UTC)
TODAY = date(2026, 6, 1)
AGENCY = str(uuid.UUID(int=1))


@dataclass
class Scope:
    accepts_children: bool = True
    accepts_adults: bool = True


def child(**overrides: object) -> PersonInput:
    values: dict[str, object] = {
        "given_name": "Amelia",
        "family_name": "Hartley",
        "date_of_birth": date(2016, 3, 14),
        "sex": "F",
        "ethnicity": "WBRI",
        "nhs_number": "9434765919",
    }
    values.update(overrides)
    return PersonInput(**values)  # type: ignore[arg-type]


def contact(**overrides: object) -> ContactInput:
    values: dict[str, object] = {
        "channel": "phone",
        "referrer_name": "Sam Teacher",
        "referrer_email": "sam.teacher@school.example",
        "source_code": "2A",
        "concern_categories": ["physical_abuse_adult"],
        "concern_narrative": "Bruise to the cheek.",
        "family_awareness": "not_aware",
        "no_consent_reason": "Telling the parent could put the child at risk.",
        "people": [child()],
    }
    values.update(overrides)
    return ContactInput(**values)  # type: ignore[arg-type]


def person_problems(person: PersonInput, scope: Scope | None = None) -> dict[str, list[str]]:
    problems = FieldProblems()
    person_input_check(problems, scope=scope or Scope(), person=person, today=TODAY)
    return problems.as_dict()


def contact_problems(data: ContactInput, scope: Scope | None = None) -> dict[str, list[str]]:
    return contact_input_check(
        scope=scope or Scope(), data=data, now=NOW, is_hub_agency=lambda pk: pk == AGENCY
    ).as_dict()


def test_a_good_contact_has_no_problems() -> None:
    assert contact_problems(contact()) == {}
    assert contact_problems(contact(referrer_agency_id=AGENCY, received_at=NOW)) == {}


def test_a_hub_takes_only_the_people_in_its_scope() -> None:
    children_only = Scope(accepts_adults=False)
    adult = child(kind="adult", date_of_birth=date(1950, 1, 1))
    assert person_problems(adult, children_only) == {
        "kind": ["This hub does not take contacts about adults at risk"]
    }
    adults_only = Scope(accepts_children=False)
    assert person_problems(child(), adults_only) == {
        "kind": ["This hub does not take contacts about children"]
    }
    # A household member is named whoever the hub takes contacts about.
    parent = child(role="household", kind="adult", relationship="parent", date_of_birth=None)
    assert person_problems(parent, children_only) == {}


def test_relationships() -> None:
    assert person_problems(child(relationship="parent")) == {
        "relationship": ["A subject has no relationship: leave it blank"]
    }
    assert person_problems(child(role="household")) == {
        "relationship": ["Choose how this person is related to the subject"]
    }
    assert person_problems(child(role="household", relationship="cousin")) == {
        "relationship": [
            "Choose how this person is related to the subject",
            "Choose a relationship from the list",
        ]
    }


def test_an_unborn_child_has_an_expected_date_near_today_and_no_birth_date() -> None:
    unborn = child(kind="unborn", date_of_birth=None, expected_date_of_birth=None)
    assert person_problems(unborn) == {
        "expected_date_of_birth": ["Enter the expected date of birth of the unborn child"]
    }
    for expected, ok in (
        (TODAY - timedelta(days=62), True),
        (TODAY - timedelta(days=63), False),
        (TODAY + timedelta(days=300), True),
        (TODAY + timedelta(days=301), False),
    ):
        unborn.expected_date_of_birth = expected
        assert ("expected_date_of_birth" not in person_problems(unborn)) is ok
    unborn.expected_date_of_birth = TODAY
    unborn.date_of_birth = TODAY
    unborn.disabilities = ["MOB"]
    assert person_problems(unborn) == {
        "date_of_birth": ["An unborn child has an expected date of birth, not a date of birth"],
        "disabilities": ["Leave disabilities blank for an unborn child"],
    }


def test_someone_born_has_a_name_and_a_plausible_date_of_birth() -> None:
    assert person_problems(child(given_name=" ", family_name="")) == {
        "given_name": ["Enter the person's name, or as much of it as is known"]
    }
    assert person_problems(child(date_of_birth=TODAY + timedelta(days=1))) == {
        "date_of_birth": ["Date of birth must be today or in the past"]
    }
    assert person_problems(child(date_of_birth=date(1899, 12, 31))) == {
        "date_of_birth": [
            "Date of birth must be after 1900",
            "A child is under 18: check the date, or choose adult",
        ]
    }
    assert "date_of_birth" in person_problems(child(date_of_birth=years_before(TODAY, 18)))
    under = years_before(TODAY, 18) + timedelta(days=1)
    assert person_problems(child(date_of_birth=under)) == {}


def test_years_before_the_29th_of_february() -> None:
    assert years_before(date(2024, 2, 29), 18) == date(2006, 2, 28)


def test_lengths_codes_identifiers_and_disabilities() -> None:
    person = child(
        given_name="A" * 101,
        postcode="NT1 4AB 123",
        sex="Q",
        ethnicity="ZZZ",
        nhs_number="1234567890",
        upn="bad",
        disabilities=["NONE", "MOB"],
    )
    assert list(person_problems(person).items()) == [
        ("given_name", ["Must be 100 characters or fewer"]),
        ("postcode", ["Must be 10 characters or fewer"]),
        ("sex", ["Choose male, female or unknown"]),
        ("ethnicity", ["Choose an ethnicity from the list"]),
        ("nhs_number", ["Enter a valid 10-digit NHS number (the check digit does not match)"]),
        (
            "upn",
            [
                "Enter a valid UPN: a letter, 11 digits and a digit or letter, with the "
                "right check letter"
            ],
        ),
        (
            "disabilities",
            ["Choose 'No disability' or the disabilities the person has, not both"],
        ),
    ]
    assert person_problems(child(disabilities=["XX"])) == {
        "disabilities": ["Choose disabilities from the list"]
    }


def test_the_time_received() -> None:
    for received, message in (
        (datetime(2026, 5, 1, 9), "Give the time the contact was received with its time zone"),
        (NOW + timedelta(seconds=1), "The time received cannot be in the future"),
        (
            NOW - OLDEST_RECEIVED - timedelta(seconds=1),
            "The time received must be within the last year",
        ),
    ):
        assert contact_problems(contact(received_at=received)) == {"received_at": [message]}
    assert contact_problems(contact(received_at=NOW - OLDEST_RECEIVED)) == {}


@pytest.mark.parametrize(
    ("agency_id", "public", "message"),
    [
        ("not-a-uuid", False, "Choose an agency of this hub"),
        (str(uuid.UUID(int=2)), False, "Choose an agency of this hub"),
        (str(uuid.UUID(int=2)), True, "Choose an agency of this hub"),
        (AGENCY, True, "A member of the public does not refer for an agency"),
    ],
)
def test_the_referrers_agency(agency_id: str, public: bool, message: str) -> None:
    data = contact(referrer_agency_id=agency_id, referrer_is_public=public)
    assert contact_problems(data) == {"referrer_agency_id": [message]}


def test_the_agency_is_looked_up_only_for_a_well_formed_id() -> None:
    asked: list[str] = []

    def is_hub_agency(pk: str) -> bool:
        asked.append(pk)
        return True

    for agency_id in (None, "", "not-a-uuid", AGENCY):
        contact_input_check(
            scope=Scope(),
            data=contact(referrer_agency_id=agency_id),
            now=NOW,
            is_hub_agency=is_hub_agency,
        )
    assert asked == [AGENCY]


def test_consent() -> None:
    assert contact_problems(contact(family_awareness="maybe")) == {
        "family_awareness": ["Say whether the family knows about and agrees to this contact"]
    }
    assert contact_problems(contact(no_consent_reason=" ")) == {
        "no_consent_reason": ["Explain why the family has not been told or has not agreed"]
    }
    assert contact_problems(contact(family_awareness="aware_consented", no_consent_reason="")) == {}


def test_every_problem_at_once_in_the_order_shown_and_the_first_is_the_summary() -> None:
    data = contact(
        channel="fax",
        source_code="ZZ",
        referrer_name=" ",
        concern_narrative="",
        concern_categories=[],
        family_awareness="unknown",
        no_consent_reason="",
        received_at=NOW + timedelta(hours=1),
        referrer_agency_id="x",
        referrer_email="not an email",
        people=[child(role="household", relationship="parent")] * 31,
    )
    problems = contact_input_check(scope=Scope(), data=data, now=NOW, is_hub_agency=bool)
    assert list(problems)[:10] == [
        "channel",
        "source_code",
        "referrer_name",
        "concern_narrative",
        "concern_categories",
        "no_consent_reason",
        "received_at",
        "referrer_agency_id",
        "referrer_email",
        "people",
    ]
    assert problems.as_dict()["people"] == [
        "Add at least one subject: the child or adult the concern is about",
        "A contact can name at most 30 people",
    ]
    assert list(problems)[10:] == []  # the 31 parents are fine as people
    with pytest.raises(ValidationError) as caught:
        problems.raise_if_any()
    assert caught.value.message == "Choose how the contact was received"


def test_a_persons_problems_carry_their_place_in_the_contact() -> None:
    data = contact(people=[child(), child(sex="Q")])
    assert contact_problems(data) == {"people.1.sex": ["Choose male, female or unknown"]}
