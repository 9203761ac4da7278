"""Writes for intake. Each service validates, writes and audits in one transaction."""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from openmash.access.checks import require, require_same_hub
from openmash.access.permissions import Permission
from openmash.audit.models import AuditVerb
from openmash.audit.services import audit_record, diff
from openmash.core.errors import ValidationError
from openmash.core.identifiers import (
    is_uuid,
    nhs_number_is_valid,
    normalise_nhs_number,
    upn_is_valid,
)
from openmash.core.standards import (
    CONCERN_CATEGORIES,
    DISABILITIES,
    ETHNICITIES,
    NO_DISABILITY,
    REFERRAL_SOURCES,
    SEXES,
)
from openmash.hubs.models import Agency, Hub
from openmash.people.fields import PERSON_FIELDS
from openmash.people.services import person_details_follow, persons_resolve

from .journey import journey_start
from .models import (
    Channel,
    Contact,
    ContactPerson,
    FamilyAwareness,
    PersonKind,
    PersonRole,
    Relationship,
)

if TYPE_CHECKING:
    from openmash.accounts.models import User


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


def _validate_person(
    hub: Hub, person: PersonInput, prefix: str, errors: dict[str, list[str]], today: date
) -> None:
    def add(name: str, message: str) -> None:
        errors.setdefault(f"{prefix}{name}", []).append(message)

    if person.role not in PersonRole.values:
        add("role", "Choose whether this person is a subject or a household member")
    if person.kind not in PersonKind.values:
        add("kind", "Choose child, unborn child or adult")
    if person.role == PersonRole.SUBJECT:
        if person.kind in (PersonKind.CHILD, PersonKind.UNBORN) and not hub.accepts_children:
            add("kind", "This hub does not take contacts about children")
        if person.kind == PersonKind.ADULT and not hub.accepts_adults:
            add("kind", "This hub does not take contacts about adults at risk")
        if person.relationship:
            add("relationship", "A subject has no relationship: leave it blank")
    elif person.relationship not in Relationship.values:
        add("relationship", "Choose how this person is related to the subject")
    if person.relationship and person.relationship not in Relationship.values:
        add("relationship", "Choose a relationship from the list")
    if person.kind == PersonKind.UNBORN:
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
            add(
                "date_of_birth",
                "An unborn child has an expected date of birth, not a date of birth",
            )
    else:
        if not (person.given_name.strip() or person.family_name.strip()):
            add("given_name", "Enter the person's name, or as much of it as is known")
        if person.date_of_birth is not None and person.date_of_birth > today:
            add("date_of_birth", "Date of birth must be today or in the past")
        if person.date_of_birth is not None and person.date_of_birth.year < 1900:
            add("date_of_birth", "Date of birth must be after 1900")
        if (
            person.kind == PersonKind.CHILD
            and person.date_of_birth is not None
            and person.date_of_birth <= _years_before(today, 18)
        ):
            add("date_of_birth", "A child is under 18: check the date, or choose adult")
    for name, value, limit in (
        ("given_name", person.given_name, 100),
        ("family_name", person.family_name, 100),
        ("aliases", person.aliases, 300),
        ("address_line_1", person.address_line_1, 200),
        ("address_line_2", person.address_line_2, 200),
        ("town", person.town, 100),
        ("postcode", person.postcode, 10),
    ):
        if len(value) > limit:
            add(name, f"Must be {limit} characters or fewer")
    if person.sex not in SEXES:
        add("sex", "Choose male, female or unknown")
    if person.ethnicity not in ETHNICITIES:
        add("ethnicity", "Choose an ethnicity from the list")
    if person.nhs_number and not nhs_number_is_valid(person.nhs_number):
        add("nhs_number", "Enter a valid 10-digit NHS number (the check digit does not match)")
    if person.upn and not upn_is_valid(person.upn):
        add(
            "upn",
            "Enter a valid UPN: a letter, 11 digits and a digit or letter, with the "
            "right check letter",
        )
    if any(code not in DISABILITIES for code in person.disabilities):
        add("disabilities", "Choose disabilities from the list")
    elif NO_DISABILITY in person.disabilities and len(set(person.disabilities)) > 1:
        add("disabilities", "Choose 'No disability' or the disabilities the person has, not both")
    elif person.disabilities and person.kind == PersonKind.UNBORN:
        add("disabilities", "Leave disabilities blank for an unborn child")


def _disabilities(codes: list[str]) -> list[str]:
    """Stored in the national list's order, each once."""
    return [code for code in DISABILITIES if code in set(codes)]


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


# A contact may be recorded late (a backlog, a system outage) but not from the distant past.
OLDEST_RECEIVED = timedelta(days=366)


def contact_validate(hub: Hub, data: ContactInput, *, now: datetime) -> None:
    """Raise ValidationError listing every problem at once, or return if all is well."""
    errors: dict[str, list[str]] = {}

    def add(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    if data.channel not in Channel.values:
        add("channel", "Choose how the contact was received")
    if data.source_code not in REFERRAL_SOURCES:
        add("source_code", "Choose the referral source")
    if not data.referrer_name.strip():
        add("referrer_name", "Enter the referrer's name")
    if len(data.referrer_name) > 200:
        add("referrer_name", "Referrer's name must be 200 characters or fewer")
    if not data.concern_narrative.strip():
        add("concern_narrative", "Describe the concern")
    unknown = [c for c in data.concern_categories if c not in CONCERN_CATEGORIES]
    if unknown:
        add("concern_categories", "Choose concern categories from the list")
    if not data.concern_categories:
        add("concern_categories", "Choose at least one concern category")
    if data.family_awareness not in FamilyAwareness.values:
        add("family_awareness", "Say whether the family knows about and agrees to this contact")
    elif data.family_awareness != FamilyAwareness.AWARE_CONSENTED and not (
        data.no_consent_reason.strip()
    ):
        add("no_consent_reason", "Explain why the family has not been told or has not agreed")
    if data.received_at is not None:
        if timezone.is_naive(data.received_at):
            add("received_at", "Give the time the contact was received with its time zone")
        elif data.received_at > now:
            add("received_at", "The time received cannot be in the future")
        elif data.received_at < now - OLDEST_RECEIVED:
            add("received_at", "The time received must be within the last year")
    agency_id = data.referrer_agency_id
    if agency_id and not (
        is_uuid(agency_id) and Agency.objects.filter(hub=hub, pk=agency_id).exists()
    ):
        add("referrer_agency_id", "Choose an agency of this hub")
    elif agency_id and data.referrer_is_public:
        add("referrer_agency_id", "A member of the public does not refer for an agency")
    if data.referrer_email:
        try:
            validate_email(data.referrer_email)
        except DjangoValidationError:
            add("referrer_email", "Enter an e-mail address like name@example.org")
    subjects = [p for p in data.people if p.role == PersonRole.SUBJECT]
    if not subjects:
        add("people", "Add at least one subject: the child or adult the concern is about")
    if len(data.people) > 30:
        add("people", "A contact can name at most 30 people")
    today = timezone.localdate(now)
    for index, person in enumerate(data.people):
        _validate_person(hub, person, f"people.{index}.", errors, today)
    if errors:
        first = next(iter(errors.values()))[0]
        raise ValidationError(first, errors=errors)


def _next_reference(hub: Hub, year: int) -> str:
    locked = Hub.objects.select_for_update().get(pk=hub.pk)
    locked.contact_counter += 1
    locked.save(update_fields=["contact_counter"])
    return f"{hub.la_code}-{year}-{locked.contact_counter:06d}"


def contact_create(*, actor: "User", data: ContactInput) -> Contact:
    """Record a contact: an external referrer's own submission, or a practitioner recording
    a phone, e-mail or police notification. The screening clock starts at receipt."""
    hub = actor.hub
    if hub is None:
        raise ValidationError("Your account is not in a hub.")
    recording = actor.can(Permission.CONTACT_RECORD)
    if not recording:
        require(actor, Permission.CONTACT_SUBMIT)
        # A referrer's own submission: they are the referrer, received now, online.
        agency = actor.agency
        data.referrer_name = actor.display_name
        data.referrer_role = data.referrer_role or actor.job_title
        data.referrer_email = actor.email
        data.referrer_phone = data.referrer_phone or actor.phone
        data.referrer_agency_id = str(agency.pk) if agency is not None else None
        data.referrer_organisation = agency.name if agency is not None else ""
        data.source_code = agency.referral_source_code if agency is not None else "10"
        data.received_at = None
        if data.channel != Channel.API:
            data.channel = Channel.ONLINE_FORM
    now = timezone.now()
    contact_validate(hub, data, now=now)
    received_at = data.received_at or now
    with transaction.atomic():
        contact = Contact.objects.create(
            hub=hub,
            reference=_next_reference(hub, timezone.localdate(received_at).year),
            received_at=received_at,
            channel=data.channel,
            source_code=data.source_code,
            referrer_name=data.referrer_name.strip(),
            referrer_role=data.referrer_role.strip(),
            referrer_organisation=data.referrer_organisation.strip(),
            referrer_agency_id=data.referrer_agency_id or None,
            referrer_is_public=data.referrer_is_public,
            referrer_email=data.referrer_email.strip(),
            referrer_phone=data.referrer_phone.strip(),
            submitted_by=None if recording else actor,
            recorded_by=actor if recording else None,
            concern_categories=sorted(set(data.concern_categories)),
            concern_narrative=data.concern_narrative.strip(),
            immediate_risk=data.immediate_risk,
            family_awareness=data.family_awareness,
            no_consent_reason=data.no_consent_reason.strip(),
            action_taken=data.action_taken.strip(),
            # A child at immediate risk is screened on the Red clock, not the usual one.
            **journey_start(hub, received_at=received_at, immediate_risk=data.immediate_risk),
        )
        for order, person in enumerate(data.people):
            ContactPerson.objects.create(
                contact=contact,
                order=order,
                role=person.role,
                kind=person.kind,
                relationship=person.relationship,
                given_name=person.given_name.strip(),
                family_name=person.family_name.strip(),
                aliases=person.aliases.strip(),
                date_of_birth=person.date_of_birth,
                expected_date_of_birth=person.expected_date_of_birth,
                sex=person.sex,
                ethnicity=person.ethnicity,
                address_line_1=person.address_line_1.strip(),
                address_line_2=person.address_line_2.strip(),
                town=person.town.strip(),
                postcode=person.postcode.strip().upper(),
                address_confidential=person.address_confidential,
                nhs_number=normalise_nhs_number(person.nhs_number),
                upn=person.upn.strip().upper(),
                disabilities=_disabilities(person.disabilities),
            )
        audit_record(
            actor=actor,
            verb=AuditVerb.CONTACT_CREATED,
            target=contact,
            hub_id=hub.pk,
            contact_id=contact.pk,
            changes={
                "channel": contact.channel,
                "source_code": contact.source_code,
                "people": len(data.people),
                "immediate_risk": contact.immediate_risk,
            },
        )
        resolved = persons_resolve(contact=contact)
        audit_record(
            actor=actor,
            verb=AuditVerb.PERSON_LINKED,
            target=contact,
            hub_id=hub.pk,
            contact_id=contact.pk,
            changes=resolved,
        )
    return contact


def contact_person_correct(
    *, actor: "User", mention: ContactPerson, data: PersonInput, reason: str
) -> ContactPerson:
    """Correct what a contact says about a person (a refuge address learnt later, a wrong date
    of birth, a missing alias). Every changed field is audited, old and new, with the reason."""
    require_same_hub(actor, mention.contact.hub_id, "Contact not found")
    require(actor, Permission.CONTACT_RECORD)
    contact = mention.contact
    hub = contact.hub
    errors: dict[str, list[str]] = {}
    _validate_person(hub, data, "", errors, timezone.localdate())
    if not reason.strip():
        errors["reason"] = ["Say why the details are being corrected"]
    if (
        mention.role == PersonRole.SUBJECT
        and data.role != PersonRole.SUBJECT
        and not contact.people.filter(role=PersonRole.SUBJECT).exclude(pk=mention.pk).exists()
    ):
        errors["role"] = ["A contact must keep at least one subject"]
    if errors:
        raise ValidationError(next(iter(errors.values()))[0], errors=errors)
    new = {
        "role": data.role,
        "kind": data.kind,
        "relationship": data.relationship,
        "given_name": data.given_name.strip(),
        "family_name": data.family_name.strip(),
        "aliases": data.aliases.strip(),
        "date_of_birth": data.date_of_birth,
        "expected_date_of_birth": data.expected_date_of_birth,
        "sex": data.sex,
        "ethnicity": data.ethnicity,
        "address_line_1": data.address_line_1.strip(),
        "address_line_2": data.address_line_2.strip(),
        "town": data.town.strip(),
        "postcode": data.postcode.strip().upper(),
        "address_confidential": data.address_confidential,
        "nhs_number": normalise_nhs_number(data.nhs_number),
        "upn": data.upn.strip().upper(),
        "disabilities": _disabilities(data.disabilities),
    }
    with transaction.atomic():
        locked = ContactPerson.objects.select_for_update().get(pk=mention.pk)
        old = {name: getattr(locked, name) for name in PERSON_FIELDS}
        changed = diff(old, new)
        if not changed:
            return locked
        for name, value in new.items():
            setattr(locked, name, value)
        locked.save()
        person_details_follow(mention=locked)
        audit_record(
            actor=actor,
            verb=AuditVerb.PERSON_CORRECTED,
            target=locked,
            hub_id=hub.pk,
            contact_id=contact.pk,
            changes=changed,
            reason=reason.strip(),
        )
    return locked
