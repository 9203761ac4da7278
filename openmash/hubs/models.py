"""The hub and its local configuration: agencies, working hours, timescales, levels, outcomes."""

from datetime import time
from typing import Any

from django.db import models

from openmash.core.models import BaseModel
from openmash.core.standards import NATIONAL_OUTCOMES, REFERRAL_SOURCES, choices
from openmash.core.working_time import BankHolidayRegion, TimeUnit, WorkingCalendar


class HubScope(models.TextChoices):
    CHILDREN = "children", "Children"
    ADULTS = "adults", "Adults at risk"
    BOTH = "both", "Children and adults at risk"


class Hub(BaseModel):
    name = models.CharField(max_length=200)
    la_code = models.CharField("local authority code", max_length=3, unique=True)
    scope = models.CharField(max_length=10, choices=HubScope.choices, default=HubScope.CHILDREN)
    timezone = models.CharField(max_length=64, default="Europe/London")
    bank_holiday_region = models.CharField(
        max_length=20,
        choices=[(r.value, r.value.replace("-", " ").title()) for r in BankHolidayRegion],
        default=BankHolidayRegion.ENGLAND_AND_WALES.value,
    )
    # {"0": ["09:00", "17:00"], ...}: weekday (0 = Monday) to local opening and closing time.
    working_hours = models.JSONField(default=dict)
    # Last contact number issued; locked and bumped to give readable references.
    contact_counter = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return self.name

    def calendar(self) -> WorkingCalendar:
        hours: dict[int, tuple[time, time]] = {
            int(day): (time.fromisoformat(start), time.fromisoformat(end))
            for day, (start, end) in self.working_hours.items()
        }
        return WorkingCalendar(
            timezone=self.timezone, hours=hours, region=BankHolidayRegion(self.bank_holiday_region)
        )

    @property
    def accepts_children(self) -> bool:
        return self.scope in (HubScope.CHILDREN, HubScope.BOTH)

    @property
    def accepts_adults(self) -> bool:
        return self.scope in (HubScope.ADULTS, HubScope.BOTH)


class AgencyType(models.TextChoices):
    POLICE = "police", "Police"
    CHILDRENS_SOCIAL_CARE = "childrens_social_care", "Children's social care"
    ADULT_SOCIAL_CARE = "adult_social_care", "Adult social care"
    HEALTH_GP = "health_gp", "Health: GP"
    HEALTH_VISITING = "health_visiting", "Health: health visiting"
    HEALTH_SCHOOL_NURSING = "health_school_nursing", "Health: school nursing"
    HEALTH_ACUTE = "health_acute", "Health: acute / A&E"
    HEALTH_MENTAL = "health_mental", "Health: mental health"
    EDUCATION = "education", "Education"
    PROBATION = "probation", "Probation"
    HOUSING = "housing", "Housing"
    YOUTH_JUSTICE = "youth_justice", "Youth justice"
    EARLY_HELP = "early_help", "Early help"
    DOMESTIC_ABUSE = "domestic_abuse", "Domestic-abuse service"
    OTHER = "other", "Other"


class Participation(models.TextChoices):
    CORE = "core", "Core (takes part in decisions)"
    CONTRIBUTING = "contributing", "Contributing (supplies information)"


class Agency(BaseModel):
    hub = models.ForeignKey(Hub, on_delete=models.PROTECT, related_name="agencies")
    code = models.SlugField(max_length=40)
    name = models.CharField(max_length=200)
    agency_type = models.CharField(max_length=40, choices=AgencyType.choices)
    participation = models.CharField(max_length=20, choices=Participation.choices)
    referral_source_code = models.CharField(max_length=2, choices=choices(REFERRAL_SOURCES))
    # The MASH's own team (hosts practitioners and managers); never asked for information.
    is_mash_team = models.BooleanField(default=False)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["hub", "code"], name="agency_code_unique_in_hub")
        ]
        verbose_name_plural = "agencies"

    def __str__(self) -> str:
        return self.name


class Stage(models.TextChoices):
    """Timed stages of the journey; each hub sets a timescale for each."""

    SCREENING = "screening", "Screening"
    ENQUIRY_RED = "enquiry_red", "Enquiry (Red)"
    ENQUIRY_AMBER = "enquiry_amber", "Enquiry (Amber)"
    ENQUIRY_GREEN = "enquiry_green", "Enquiry (Green)"
    DECISION = "decision", "Decision"
    FEEDBACK = "feedback", "Feedback to referrer"


class Timescale(BaseModel):
    hub = models.ForeignKey(Hub, on_delete=models.CASCADE, related_name="timescales")
    stage = models.CharField(max_length=20, choices=Stage.choices)
    amount = models.PositiveIntegerField()
    unit = models.CharField(
        max_length=20,
        choices=[
            (TimeUnit.WORKING_HOURS.value, "working hours"),
            (TimeUnit.WORKING_DAYS.value, "working days"),
        ],
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["hub", "stage"], name="one_timescale_per_stage")
        ]

    def __str__(self) -> str:
        return f"{self.get_stage_display()}: {self.amount} {self.get_unit_display()}"


class LevelOfNeed(BaseModel):
    hub = models.ForeignKey(Hub, on_delete=models.CASCADE, related_name="levels")
    level = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=100)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["level"]
        constraints = [models.UniqueConstraint(fields=["hub", "level"], name="level_unique")]

    def __str__(self) -> str:
        return f"Level {self.level}: {self.name}"


class DecisionOutcome(BaseModel):
    """A hub's local wording of a decision outcome, mapped to a national code."""

    hub = models.ForeignKey(Hub, on_delete=models.CASCADE, related_name="outcomes")
    code = models.SlugField(max_length=40)
    label = models.CharField(max_length=200)
    national_code = models.CharField(max_length=20, choices=choices(NATIONAL_OUTCOMES))
    active = models.BooleanField(default=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "label"]
        constraints = [
            models.UniqueConstraint(fields=["hub", "code"], name="outcome_code_unique_in_hub")
        ]

    def __str__(self) -> str:
        return self.label


def default_working_hours() -> dict[str, Any]:
    return {str(day): ["09:00", "17:00"] for day in range(5)}


class ApprovalKind(models.TextChoices):
    """What a second person is asked to approve. MFA reset will be one more kind."""

    ROLE_GRANT = "role_grant", "Grant roles that read personal data"


class ApprovalState(models.TextChoices):
    PENDING = "pending", "Waiting for approval"
    APPROVED = "approved", "Approved"
    REFUSED = "refused", "Refused"


class ApprovalRequest(BaseModel):
    """A change to a user's access that takes effect only once a second person approves it
    (ASVS 5.0 2.3.5). Never deleted: approved and refused requests stay as the record."""

    hub = models.ForeignKey(Hub, on_delete=models.CASCADE, related_name="approval_requests")
    kind = models.CharField(max_length=20, choices=ApprovalKind.choices)
    # By name: accounts sits below hubs.
    subject = models.ForeignKey(
        "accounts.User", on_delete=models.CASCADE, related_name="approval_requests_about"
    )
    roles = models.JSONField(default=list, blank=True, help_text="ROLE_GRANT: roles to add")
    requested_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="approval_requests_made"
    )
    state = models.CharField(
        max_length=10, choices=ApprovalState.choices, default=ApprovalState.PENDING
    )
    decided_by = models.ForeignKey(
        "accounts.User",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="approval_requests_decided",
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at"]
        indexes = [models.Index(fields=["hub", "state"], name="approval_hub_state")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for user {self.subject_id} ({self.state})"


class ReturnVersion(BaseModel):
    """An imported monthly return that a later import of the same hub and month replaced:
    kept, with who imported it and who replaced it, so that no figure is lost unrecorded.
    (The current version is reporting.ImportedReturn; this lives in hubs only because the
    reporting app's migrations belong to another change.)"""

    hub_code = models.CharField(max_length=3)
    month = models.DateField()
    hub_name = models.CharField(max_length=200)
    schema_version = models.CharField(max_length=10)
    payload = models.JSONField()
    checksum = models.CharField(max_length=64)
    imported_at = models.DateTimeField()
    imported_by = models.CharField(max_length=150)
    superseded_at = models.DateTimeField()
    superseded_by = models.CharField(max_length=150)
    superseded_by_checksum = models.CharField(max_length=64)

    class Meta:
        ordering = ["hub_code", "month", "superseded_at"]
        indexes = [models.Index(fields=["hub_code", "month"], name="return_version_hub_month")]

    def __str__(self) -> str:
        return f"Superseded return of {self.hub_code} for {self.month:%Y-%m}"
