"""Writes for intake. Each service validates, writes and audits in one transaction.

What a contact must say is contacts/intake_rules.py's (no database); its names stay importable
from here."""

from datetime import datetime
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from openmash.access.checks import require, require_same_hub
from openmash.access.permissions import Permission
from openmash.audit.models import AuditVerb
from openmash.audit.services import audit_record, diff
from openmash.core.errors import ValidationError
from openmash.core.identifiers import normalise_nhs_number
from openmash.core.standards import DISABILITIES
from openmash.core.validation import FieldProblems, raise_if_any
from openmash.hubs.models import Agency, Hub
from openmash.people.fields import PERSON_FIELDS
from openmash.people.services import person_details_follow, persons_resolve

from .intake_rules import (
    OLDEST_RECEIVED,
    ContactInput,
    PersonInput,
    contact_input_check,
    person_input_check,
)
from .journey import journey_start
from .models import Channel, Contact, ContactPerson, PersonRole

if TYPE_CHECKING:
    from openmash.accounts.models import User

__all__ = [
    "OLDEST_RECEIVED",
    "ContactInput",
    "PersonInput",
    "contact_create",
    "contact_person_correct",
    "contact_validate",
]


def _disabilities(codes: list[str]) -> list[str]:
    """Stored in the national list's order, each once."""
    return [code for code in DISABILITIES if code in set(codes)]


def contact_validate(hub: Hub, data: ContactInput, *, now: datetime) -> None:
    """Raise ValidationError listing every problem at once, or return if all is well."""

    def is_hub_agency(pk: str) -> bool:
        return Agency.objects.filter(hub=hub, pk=pk).exists()

    contact_input_check(scope=hub, data=data, now=now, is_hub_agency=is_hub_agency).raise_if_any()


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
    problems = FieldProblems()
    person_input_check(problems, scope=hub, person=data, today=timezone.localdate())
    if not reason.strip():
        problems.add("reason", "Say why the details are being corrected")
    errors = problems.as_dict()
    if (
        mention.role == PersonRole.SUBJECT
        and data.role != PersonRole.SUBJECT
        and not contact.people.filter(role=PersonRole.SUBJECT).exclude(pk=mention.pk).exists()
    ):
        # Replaces the person's own role problem, if any, in its place: this one says more.
        errors["role"] = ["A contact must keep at least one subject"]
    raise_if_any(errors)
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
