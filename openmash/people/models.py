"""The hub's person index, the agencies' pointer indexes, match reviews, merges and the
stored matching model.

A pointer index holds only what is needed to find a person (names, date of birth, sex,
addresses, identifiers and the agency's own record reference), never case content."""

import secrets
from typing import Final

from django.conf import settings
from django.db import models

from openmash.core.models import BaseModel
from openmash.hubs.models import Agency, Hub

from .fields import PERSON_FIELDS

# Crockford's base 32: no I, L, O or U, so a reference read aloud or copied is not misread.
_REFERENCE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def person_reference_new() -> str:
    """A short, random, never-reused child identifier for statutory returns (the CIN census
    LAchildID and Ofsted's Child Unique ID: at most 20 letters and digits). Random rather than
    a sequence, so it says nothing about when the person became known and needs no counter."""
    return "P" + "".join(secrets.choice(_REFERENCE_ALPHABET) for _ in range(10))


class Person(BaseModel):
    """One real person as the hub knows them; every subject and household member of every
    contact resolves to one. A merged person points at the one it was merged into."""

    hub = models.ForeignKey(Hub, on_delete=models.PROTECT, related_name="persons")
    # Never the UUID: returns carry this instead, and it stays with the person for life.
    reference = models.CharField(max_length=11, unique=True, default=person_reference_new)
    given_name = models.CharField(max_length=100, blank=True)
    family_name = models.CharField(max_length=100, blank=True)
    aliases = models.CharField(max_length=300, blank=True)
    date_of_birth = models.DateField(null=True, blank=True)
    sex = models.CharField(max_length=1, blank=True)
    address_line_1 = models.CharField(max_length=200, blank=True)
    address_line_2 = models.CharField(max_length=200, blank=True)
    town = models.CharField(max_length=100, blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    nhs_number = models.CharField(max_length=10, blank=True)
    upn = models.CharField(max_length=13, blank=True)
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged_people"
    )

    class Meta:
        indexes = [models.Index(fields=["hub", "merged_into"])]

    def __str__(self) -> str:
        return f"{self.given_name} {self.family_name}".strip() or "Name not known"


# The part of PERSON_FIELDS the person index keeps (a Person's own columns): a new person is
# made from a mention's values of these, and follows a corrected mention in them.
PERSON_INDEX_FIELDS: Final = tuple(
    name for name in PERSON_FIELDS if name in {f.name for f in Person._meta.concrete_fields}
)


class AgencyIndexRecord(BaseModel):
    """A pointer to a record an agency holds: enough to find the person, nothing more."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="index_records")
    record_ref = models.CharField("agency record reference", max_length=64)
    given_name = models.CharField(max_length=100, blank=True)
    family_name = models.CharField(max_length=100, blank=True)
    aliases = models.CharField(max_length=300, blank=True)
    date_of_birth = models.DateField(null=True, blank=True)
    sex = models.CharField(max_length=1, blank=True)
    address_line_1 = models.CharField(max_length=200, blank=True)
    address_line_2 = models.CharField(max_length=200, blank=True)
    town = models.CharField(max_length=100, blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    address_from = models.DateField(null=True, blank=True)
    previous_postcodes = models.CharField(max_length=200, blank=True)
    nhs_number = models.CharField(max_length=10, blank=True)
    upn = models.CharField(max_length=13, blank=True)
    other_id = models.CharField(max_length=64, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["agency", "record_ref"], name="index_ref_unique")
        ]

    def __str__(self) -> str:
        return f"{self.agency.code}:{self.record_ref}"


class IndexLoad(BaseModel):
    """One load of an agency's pointer index (all of it applied, or none)."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="index_loads")
    loaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    source = models.CharField(max_length=20)  # upload | api | cli
    filename = models.CharField(max_length=200, blank=True)
    inserted = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    deleted = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.agency.code} load {self.created_at:%Y-%m-%d %H:%M}"


class IndexChange(models.Model):
    """An ordered log of index changes, so every process keeps its in-memory index in step
    by applying the changes after the last one it saw."""

    id = models.BigAutoField(primary_key=True)
    hub = models.ForeignKey(Hub, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=80)  # "person:<uuid>" or "agency:<uuid>"
    removed = models.BooleanField(default=False)

    def __str__(self) -> str:
        return f"{self.id} {'-' if self.removed else '+'}{self.key}"


class MatchModelVersion(BaseModel):
    """A trained Fellegi-Sunter model (the JSON of openmash.people.matching.MatchModel)."""

    hub = models.ForeignKey(Hub, on_delete=models.CASCADE, related_name="match_models")
    version = models.CharField(max_length=80)
    parameters = models.JSONField()
    trained_on = models.PositiveIntegerField(default=0)
    active = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.version


class ReviewDecision(models.TextChoices):
    CONFIRMED = "confirmed", "Confirmed: the same person"
    REJECTED = "rejected", "Rejected: a different person"


class MatchReview(BaseModel):
    """A practitioner's judgement on a suggested match, with the evidence shown to them."""

    contact_person = models.ForeignKey(
        "contacts.ContactPerson", on_delete=models.PROTECT, related_name="match_reviews"
    )
    candidate_key = models.CharField(max_length=80)  # "person:<uuid>" or "agency:<uuid>"
    probability = models.FloatField()
    decision = models.CharField(max_length=20, choices=ReviewDecision.choices)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["contact_person", "candidate_key"], name="one_review_per_candidate"
            )
        ]

    def __str__(self) -> str:
        return f"{self.candidate_key}: {self.decision}"


class PersonMerge(BaseModel):
    """A merge of two hub persons; keeps what moved so that it can be undone exactly."""

    merged = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    into = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField()
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    moved_links = models.JSONField(default=list)  # ContactPerson ids moved to `into`
    undone_at = models.DateTimeField(null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    def __str__(self) -> str:
        return f"{self.merged_id} into {self.into_id}"
