"""Intake: a contact, its subjects and household, and where it stands in the journey."""

from django.conf import settings
from django.db import models

from openmash.core.models import BaseModel
from openmash.core.standards import ETHNICITIES, REFERRAL_SOURCES, SEXES, choices
from openmash.hubs.models import Agency, Hub


class Channel(models.TextChoices):
    PHONE = "phone", "Phone"
    EMAIL = "email", "E-mail"
    ONLINE_FORM = "online_form", "Online form"
    POLICE_NOTIFICATION = "police_notification", "Police notification (PPN / VPRF)"
    IN_PERSON = "in_person", "In person"
    API = "api", "System-to-system (API)"


class JourneyStage(models.TextChoices):
    SCREENING = "screening", "Awaiting screening"
    ENQUIRY = "enquiry", "MASH enquiry"
    DECISION = "decision", "Awaiting decision"
    SIGN_OFF = "sign_off", "Awaiting manager sign-off"
    FEEDBACK = "feedback", "Feedback to referrer due"
    CLOSED = "closed", "Closed"

    # Named stage sets (methods, not attributes: an Enum makes every attribute a member). The
    # journey's rules, which stage follows which, are in contacts/journey.py.
    @classmethod
    def open_stages(cls) -> tuple["JourneyStage", ...]:
        """Not closed: the work queue (in journey order)."""
        return tuple(s for s in cls if s != cls.CLOSED)

    @classmethod
    def undecided_stages(cls) -> tuple["JourneyStage", ...]:
        """Before a decision is signed off: the contact can still be screened or re-rated."""
        return (cls.SCREENING, cls.ENQUIRY, cls.DECISION, cls.SIGN_OFF)

    @classmethod
    def askable_stages(cls) -> tuple["JourneyStage", ...]:
        """After screening and before a proposal: agencies can be asked what they know."""
        return (cls.ENQUIRY, cls.DECISION)


class Rag(models.TextChoices):
    RED = "red", "Red"
    AMBER = "amber", "Amber"
    GREEN = "green", "Green"


class FamilyAwareness(models.TextChoices):
    AWARE_CONSENTED = "aware_consented", "Aware and consented"
    AWARE_NOT_CONSENTED = "aware_not_consented", "Aware but did not consent"
    NOT_AWARE = "not_aware", "Not aware"
    UNKNOWN = "unknown", "Not known"


class Contact(BaseModel):
    hub = models.ForeignKey(Hub, on_delete=models.PROTECT, related_name="contacts")
    reference = models.CharField(max_length=20, unique=True)
    received_at = models.DateTimeField(db_index=True)
    channel = models.CharField(max_length=30, choices=Channel.choices)
    source_code = models.CharField(max_length=2, choices=choices(REFERRAL_SOURCES))
    # The referrer as they told us; `referrer_agency` only when they work for a hub agency.
    referrer_name = models.CharField(max_length=200)
    referrer_role = models.CharField(max_length=200, blank=True)
    referrer_organisation = models.CharField(max_length=200, blank=True)
    referrer_agency = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    referrer_is_public = models.BooleanField(default=False)
    referrer_email = models.EmailField(blank=True)
    referrer_phone = models.CharField(max_length=40, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="submitted_contacts",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="recorded_contacts",
    )
    concern_categories = models.JSONField(default=list)
    concern_narrative = models.TextField()
    immediate_risk = models.BooleanField(default=False)
    family_awareness = models.CharField(max_length=30, choices=FamilyAwareness.choices)
    no_consent_reason = models.TextField(blank=True)
    action_taken = models.TextField("what the referrer has already done", blank=True)
    # Where the contact stands now (derived by services; history is in the related rows).
    stage = models.CharField(
        max_length=20, choices=JourneyStage.choices, default=JourneyStage.SCREENING, db_index=True
    )
    stage_started_at = models.DateTimeField()
    stage_due_at = models.DateTimeField(null=True, blank=True, db_index=True)
    breach_flagged_at = models.DateTimeField(null=True, blank=True)
    rag = models.CharField(max_length=10, choices=Rag.choices, blank=True)
    level_of_need = models.PositiveSmallIntegerField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-received_at"]
        indexes = [models.Index(fields=["hub", "stage", "stage_due_at"])]

    def __str__(self) -> str:
        return self.reference


class PersonRole(models.TextChoices):
    SUBJECT = "subject", "Subject of the concern"
    HOUSEHOLD = "household", "Household member or linked person"


class Relationship(models.TextChoices):
    PARENT = "parent", "Parent"
    CARER = "carer", "Carer"
    SIBLING = "sibling", "Sibling"
    PARTNER = "partner", "Partner"
    OTHER_ADULT = "other_adult", "Other adult"
    ALLEGED_PERPETRATOR = "alleged_perpetrator", "Alleged perpetrator"
    OTHER_CHILD = "other_child", "Other child"


class PersonKind(models.TextChoices):
    CHILD = "child", "Child"
    UNBORN = "unborn", "Unborn child"
    ADULT = "adult", "Adult"


class ContactPerson(BaseModel):
    """A person named in a contact: a subject (child or adult at risk) or a household member."""

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="people")
    role = models.CharField(max_length=20, choices=PersonRole.choices)
    relationship = models.CharField(max_length=30, choices=Relationship.choices, blank=True)
    kind = models.CharField(max_length=10, choices=PersonKind.choices)
    given_name = models.CharField(max_length=100, blank=True)
    family_name = models.CharField(max_length=100, blank=True)
    aliases = models.CharField(
        max_length=300, blank=True, help_text="Other names, separated by commas"
    )
    date_of_birth = models.DateField(null=True, blank=True)
    expected_date_of_birth = models.DateField(null=True, blank=True)
    sex = models.CharField(max_length=1, choices=choices(SEXES), default="U")
    ethnicity = models.CharField(max_length=4, choices=choices(ETHNICITIES), default="NOBT")
    address_line_1 = models.CharField(max_length=200, blank=True)
    address_line_2 = models.CharField(max_length=200, blank=True)
    town = models.CharField(max_length=100, blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    address_confidential = models.BooleanField(
        default=False, help_text="A refuge or safe address: never disclosed outward"
    )
    nhs_number = models.CharField(max_length=10, blank=True)
    upn = models.CharField("unique pupil number", max_length=13, blank=True)
    # CIN census disability codes (core.standards.DISABILITIES); [] means not recorded.
    disabilities = models.JSONField(default=list, blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    # The hub person this resolves to (set at intake by the people app; changed by merges).
    person = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="mentions"
    )

    class Meta:
        ordering = ["order", "created_at"]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        name = f"{self.given_name} {self.family_name}".strip()
        return name or ("Unborn child" if self.kind == PersonKind.UNBORN else "Name not known")

    @property
    def address_lines(self) -> list[str]:
        parts = [self.address_line_1, self.address_line_2, self.town, self.postcode]
        return [p for p in parts if p]
