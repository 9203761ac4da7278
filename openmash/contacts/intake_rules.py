"""Intake's rules: what a contact and each person it names must say, without the database.

The checks run in a fixed order and collect into one ``FieldProblems``: the order is the
order the page's error summary and the API's ``errors`` show, and the first problem is the
error's summary message. The one lookup (is the referrer's agency one of this hub's?) is passed
in by contacts/services.py, so these rules stay free of the ORM."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Protocol

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.utils import timezone

from openmash.core.identifiers import is_uuid, nhs_number_is_valid, upn_is_valid
from openmash.core.standards import (
    CONCERN_CATEGORIES,
    DISABILITIES,
    ETHNICITIES,
    NO_DISABILITY,
    REFERRAL_SOURCES,
    SEXES,
)
from openmash.core.validation import FieldProblems

from .models import Channel, FamilyAwareness, PersonKind, PersonRole, Relationship

# A contact may be recorded late (a backlog, a system outage) but not from the distant past.
OLDEST_RECEIVED = timedelta(days=366)
# At most this many people (subjects and household) on one contact.
MOST_PEOPLE = 30

# Free-text person fields and their longest length.
_PERSON_TEXT_LIMITS = (
    ("given_name", 100),
    ("family_name", 100),
    ("aliases", 300),
    ("address_line_1", 200),
    ("address_line_2", 200),
    ("town", 100),
    ("postcode", 10),
)


@dataclass
class PersonInput:
    role: str = PersonRole.SUBJECT
    kind: str = PersonKind.CHILD
    relationship: str = ""
    given_name: str = ""
    family_name: str = ""
    aliases: str = ""
    date_of_birth: date | None = None
    expected_date_of_birth: date | None = None
    sex: str = "U"
    ethnicity: str = "NOBT"
    address_line_1: str = ""
    address_line_2: str = ""
    town: str = ""
    postcode: str = ""
    address_confidential: bool = False
    nhs_number: str = ""
    upn: str = ""
    disabilities: list[str] = field(default_factory=list)


@dataclass
class ContactInput:
    channel: str
    referrer_name: str
    concern_narrative: str
    family_awareness: str
    people: list[PersonInput]
    concern_categories: list[str] = field(default_factory=list)
    source_code: str = ""
    received_at: datetime | None = None
    referrer_role: str = ""
    referrer_organisation: str = ""
    referrer_agency_id: str | None = None
    referrer_is_public: bool = False
    referrer_email: str = ""
    referrer_phone: str = ""
    immediate_risk: bool = False
    no_consent_reason: str = ""
    action_taken: str = ""


class HubScope(Protocol):
    """Who a hub takes contacts about (a ``Hub`` is one)."""

    @property
    def accepts_children(self) -> bool: ...

    @property
    def accepts_adults(self) -> bool: ...


def years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


# --- One person -------------------------------------------------------------------------------

Add = Callable[[str, str], None]


def person_input_check(
    problems: FieldProblems,
    *,
    scope: HubScope,
    person: PersonInput,
    today: date,
    prefix: str = "",
) -> None:
    """Add every problem with one person to ``problems``, each field under ``prefix``."""

    def add(name: str, message: str) -> None:
        problems.add(f"{prefix}{name}", message)

    _check_role_and_kind(add, scope, person)
    _check_relationship(add, person)
    if person.kind == PersonKind.UNBORN:
        _check_unborn_dates(add, person, today)
    else:
        _check_name_and_birth(add, person, today)
    _check_text_lengths(add, person)
    _check_sex_and_ethnicity(add, person)
    _check_identifiers(add, person)
    _check_disabilities(add, person)


def _check_role_and_kind(add: Add, scope: HubScope, person: PersonInput) -> None:
    """A known role and kind; a subject of a kind this hub takes."""
    if person.role not in PersonRole.values:
        add("role", "Choose whether this person is a subject or a household member")
    if person.kind not in PersonKind.values:
        add("kind", "Choose child, unborn child or adult")
    if person.role != PersonRole.SUBJECT:
        return
    if person.kind in (PersonKind.CHILD, PersonKind.UNBORN) and not scope.accepts_children:
        add("kind", "This hub does not take contacts about children")
    if person.kind == PersonKind.ADULT and not scope.accepts_adults:
        add("kind", "This hub does not take contacts about adults at risk")


def _check_relationship(add: Add, person: PersonInput) -> None:
    """A subject has none; anyone else has one, from the list."""
    if person.role == PersonRole.SUBJECT:
        if person.relationship:
            add("relationship", "A subject has no relationship: leave it blank")
    elif person.relationship not in Relationship.values:
        add("relationship", "Choose how this person is related to the subject")
    if person.relationship and person.relationship not in Relationship.values:
        add("relationship", "Choose a relationship from the list")


def _check_unborn_dates(add: Add, person: PersonInput, today: date) -> None:
    """An unborn child is due within 10 months (or up to 2 overdue) and has no birth date."""
    expected = person.expected_date_of_birth
    if expected is None:
        add("expected_date_of_birth", "Enter the expected date of birth of the unborn child")
    elif not today - timedelta(days=62) <= expected <= today + timedelta(days=300):
        add(
            "expected_date_of_birth",
            "The expected date of birth must be within the next 10 months "
            "(or the last 2, if the baby may be overdue)",
        )
    if person.date_of_birth is not None:
        add("date_of_birth", "An unborn child has an expected date of birth, not a date of birth")


def _check_name_and_birth(add: Add, person: PersonInput, today: date) -> None:
    """Someone born has some name; a date of birth is plausible, and a child's is under 18."""
    if not (person.given_name.strip() or person.family_name.strip()):
        add("given_name", "Enter the person's name, or as much of it as is known")
    born = person.date_of_birth
    if born is None:
        return
    if born > today:
        add("date_of_birth", "Date of birth must be today or in the past")
    if born.year < 1900:
        add("date_of_birth", "Date of birth must be after 1900")
    if person.kind == PersonKind.CHILD and born <= years_before(today, 18):
        add("date_of_birth", "A child is under 18: check the date, or choose adult")


def _check_text_lengths(add: Add, person: PersonInput) -> None:
    for name, limit in _PERSON_TEXT_LIMITS:
        if len(getattr(person, name)) > limit:
            add(name, f"Must be {limit} characters or fewer")


def _check_sex_and_ethnicity(add: Add, person: PersonInput) -> None:
    if person.sex not in SEXES:
        add("sex", "Choose male, female or unknown")
    if person.ethnicity not in ETHNICITIES:
        add("ethnicity", "Choose an ethnicity from the list")


def _check_identifiers(add: Add, person: PersonInput) -> None:
    """An NHS number or UPN, when given, passes its check digit or letter."""
    if person.nhs_number and not nhs_number_is_valid(person.nhs_number):
        add("nhs_number", "Enter a valid 10-digit NHS number (the check digit does not match)")
    if person.upn and not upn_is_valid(person.upn):
        add(
            "upn",
            "Enter a valid UPN: a letter, 11 digits and a digit or letter, with the "
            "right check letter",
        )


def _check_disabilities(add: Add, person: PersonInput) -> None:
    """Codes from the national list; 'No disability' alone; none for an unborn child."""
    codes = person.disabilities
    if any(code not in DISABILITIES for code in codes):
        add("disabilities", "Choose disabilities from the list")
    elif NO_DISABILITY in codes and len(set(codes)) > 1:
        add("disabilities", "Choose 'No disability' or the disabilities the person has, not both")
    elif codes and person.kind == PersonKind.UNBORN:
        add("disabilities", "Leave disabilities blank for an unborn child")


# --- The contact ------------------------------------------------------------------------------


def contact_input_check(
    *,
    scope: HubScope,
    data: ContactInput,
    now: datetime,
    is_hub_agency: Callable[[str], bool],
) -> FieldProblems:
    """Every problem with a contact and the people it names, in the order they are shown.

    ``is_hub_agency(pk)`` answers whether a well-formed agency id is one of this hub's."""
    problems = FieldProblems()
    _check_how_received(problems, data)
    _check_referrer_name(problems, data)
    _check_concern(problems, data)
    _check_consent(problems, data)
    _check_received_at(problems, data, now)
    _check_referrer_agency(problems, data, is_hub_agency)
    _check_referrer_email(problems, data)
    _check_people_named(problems, data)
    today = timezone.localdate(now)
    for index, person in enumerate(data.people):
        person_input_check(
            problems, scope=scope, person=person, today=today, prefix=f"people.{index}."
        )
    return problems


def _check_how_received(problems: FieldProblems, data: ContactInput) -> None:
    if data.channel not in Channel.values:
        problems.add("channel", "Choose how the contact was received")
    if data.source_code not in REFERRAL_SOURCES:
        problems.add("source_code", "Choose the referral source")


def _check_referrer_name(problems: FieldProblems, data: ContactInput) -> None:
    if not data.referrer_name.strip():
        problems.add("referrer_name", "Enter the referrer's name")
    if len(data.referrer_name) > 200:
        problems.add("referrer_name", "Referrer's name must be 200 characters or fewer")


def _check_concern(problems: FieldProblems, data: ContactInput) -> None:
    """A narrative, and at least one category, each from the list."""
    if not data.concern_narrative.strip():
        problems.add("concern_narrative", "Describe the concern")
    if any(c not in CONCERN_CATEGORIES for c in data.concern_categories):
        problems.add("concern_categories", "Choose concern categories from the list")
    if not data.concern_categories:
        problems.add("concern_categories", "Choose at least one concern category")


def _check_consent(problems: FieldProblems, data: ContactInput) -> None:
    """Whether the family knows and agrees; when not both, why not."""
    if data.family_awareness not in FamilyAwareness.values:
        problems.add(
            "family_awareness", "Say whether the family knows about and agrees to this contact"
        )
    elif data.family_awareness != FamilyAwareness.AWARE_CONSENTED and not (
        data.no_consent_reason.strip()
    ):
        problems.add(
            "no_consent_reason", "Explain why the family has not been told or has not agreed"
        )


def _check_received_at(problems: FieldProblems, data: ContactInput, now: datetime) -> None:
    """A time received, when given, is zoned, not in the future and within the last year."""
    received = data.received_at
    if received is None:
        return
    if timezone.is_naive(received):
        problems.add("received_at", "Give the time the contact was received with its time zone")
    elif received > now:
        problems.add("received_at", "The time received cannot be in the future")
    elif received < now - OLDEST_RECEIVED:
        problems.add("received_at", "The time received must be within the last year")


def _check_referrer_agency(
    problems: FieldProblems, data: ContactInput, is_hub_agency: Callable[[str], bool]
) -> None:
    """An agency, when given, is this hub's, and a member of the public has none."""
    agency_id = data.referrer_agency_id
    if not agency_id:
        return
    if not (is_uuid(agency_id) and is_hub_agency(agency_id)):
        problems.add("referrer_agency_id", "Choose an agency of this hub")
    elif data.referrer_is_public:
        problems.add("referrer_agency_id", "A member of the public does not refer for an agency")


def _check_referrer_email(problems: FieldProblems, data: ContactInput) -> None:
    if not data.referrer_email:
        return
    try:
        validate_email(data.referrer_email)
    except DjangoValidationError:
        problems.add("referrer_email", "Enter an e-mail address like name@example.org")


def _check_people_named(problems: FieldProblems, data: ContactInput) -> None:
    """At least one subject, and not too many people."""
    if not any(p.role == PersonRole.SUBJECT for p in data.people):
        problems.add("people", "Add at least one subject: the child or adult the concern is about")
    if len(data.people) > MOST_PEOPLE:
        problems.add("people", f"A contact can name at most {MOST_PEOPLE} people")
