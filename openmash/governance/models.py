"""The hub's governance (national brief, recommendations 1, 2, 3, 4 and 6): its definition,
leadership, core documents and who signed them, local thresholds, and funding."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from openmash.core.models import BaseModel
from openmash.hubs.models import Agency, Hub


class WorkingArrangement(models.TextChoices):
    CO_LOCATED = "co_located", "Co-located (agencies work in one place)"
    REMOTE = "remote", "Remote (agencies work together from their own offices)"
    HYBRID = "hybrid", "Hybrid (some co-located, some remote)"


class HubDefinition(BaseModel):
    """Purpose, who may be referred and how the agencies work together. Scope (children,
    adults or both) stays on `Hub.scope`, which the casework already uses."""

    hub = models.OneToOneField(Hub, on_delete=models.CASCADE, related_name="definition")
    purpose = models.TextField(blank=True)
    who_may_be_referred = models.TextField(blank=True)
    working_arrangement = models.CharField(
        max_length=20, choices=WorkingArrangement.choices, blank=True
    )
    arrangement_notes = models.TextField(blank=True)

    @property
    def is_complete(self) -> bool:
        return bool(self.purpose and self.who_may_be_referred and self.working_arrangement)


class LeadershipRole(BaseModel):
    """A named role with its responsibilities, held for an agency. Exactly one role of the hub
    is the accountable manager (a hub user with the manager role)."""

    hub = models.ForeignKey(Hub, on_delete=models.CASCADE, related_name="leadership_roles")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="leadership_roles")
    title = models.CharField(max_length=200)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="leadership_roles",
    )
    person_name = models.CharField(max_length=200, blank=True)
    responsibilities = models.TextField()
    is_accountable_manager = models.BooleanField(default=False)

    class Meta:
        ordering = ["-is_accountable_manager", "agency__name", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["hub"],
                condition=Q(is_accountable_manager=True),
                name="one_accountable_manager_per_hub",
            )
        ]

    def __str__(self) -> str:
        return f"{self.title}: {self.holder_name}"

    @property
    def holder_name(self) -> str:
        if self.user is not None:
            return self.user.display_name
        return self.person_name


class DocumentKind(models.TextChoices):
    INFORMATION_SHARING = "information_sharing", "Information-sharing agreement"
    DATA_PROTECTION = "data_protection", "Data-protection protocol"
    THRESHOLDS = "thresholds", "Thresholds document"
    ESCALATION = "escalation", "Escalation and accountability process"


class VersionStatus(models.TextChoices):
    DRAFT = "draft", "Awaiting sign-up"
    CURRENT = "current", "Current"
    SUPERSEDED = "superseded", "Superseded"


class DocumentVersion(BaseModel):
    """One version of a core document. Its text never changes once created (agencies sign
    what they read); a change is a new version. See docs/adr/0007."""

    hub = models.ForeignKey(Hub, on_delete=models.CASCADE, related_name="document_versions")
    kind = models.CharField(max_length=30, choices=DocumentKind.choices)
    version_label = models.CharField(max_length=20)
    title = models.CharField(max_length=200)
    summary = models.TextField(blank=True)
    body = models.TextField(blank=True)
    effective_from = models.DateField()
    review_by = models.DateField()
    status = models.CharField(
        max_length=20, choices=VersionStatus.choices, default=VersionStatus.DRAFT
    )
    # Receives the review reminders with the accountable manager.
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["kind", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["hub", "kind", "version_label"], name="document_version_label_unique"
            ),
            models.UniqueConstraint(
                fields=["hub", "kind"],
                condition=Q(status="current"),
                name="one_current_version_per_document",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.version_label}"


class DocumentSignature(BaseModel):
    """An agency signed up to a version: who signed for it, and when. Once per agency."""

    version = models.ForeignKey(
        DocumentVersion, on_delete=models.PROTECT, related_name="signatures"
    )
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    signed_at = models.DateTimeField()

    class Meta:
        ordering = ["signed_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "agency"], name="one_signature_per_agency_per_version"
            )
        ]


class ReviewReminder(BaseModel):
    """A review reminder was sent for a version at a threshold: never sent twice."""

    version = models.ForeignKey(
        DocumentVersion, on_delete=models.CASCADE, related_name="review_reminders"
    )
    days_before = models.PositiveSmallIntegerField()
    sent_at = models.DateTimeField()
    recipients = models.JSONField(default=list)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["version", "days_before"], name="one_reminder_per_version_and_threshold"
            )
        ]


class ThresholdStatus(models.TextChoices):
    CURRENT = "current", "Current"
    SUPERSEDED = "superseded", "Superseded"


class ThresholdVersion(BaseModel):
    """The hub's thresholds in its own words: level-of-need descriptors and RAG criteria.
    Published whole; older versions are kept, and each screening names the one it used."""

    hub = models.ForeignKey(Hub, on_delete=models.CASCADE, related_name="threshold_versions")
    version_label = models.CharField(max_length=20)
    introduction = models.TextField(blank=True)
    red_criteria = models.TextField()
    amber_criteria = models.TextField()
    green_criteria = models.TextField()
    effective_from = models.DateField()
    status = models.CharField(
        max_length=20, choices=ThresholdStatus.choices, default=ThresholdStatus.CURRENT
    )
    published_at = models.DateTimeField()
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-published_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["hub", "version_label"], name="threshold_version_label_unique"
            ),
            models.UniqueConstraint(
                fields=["hub"],
                condition=Q(status="current"),
                name="one_current_threshold_version",
            ),
        ]

    def __str__(self) -> str:
        return f"Thresholds {self.version_label}"


class ThresholdLevel(BaseModel):
    version = models.ForeignKey(ThresholdVersion, on_delete=models.CASCADE, related_name="levels")
    level = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=100)
    descriptor = models.TextField()

    class Meta:
        ordering = ["level"]
        constraints = [
            models.UniqueConstraint(fields=["version", "level"], name="threshold_level_unique")
        ]


class FundingContribution(BaseModel):
    """What an agency contributes in a financial year (April to March, named by the year it
    starts): money in pence, and staff by role (`StaffContribution`)."""

    hub = models.ForeignKey(Hub, on_delete=models.CASCADE, related_name="funding")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="funding")
    financial_year = models.PositiveSmallIntegerField()
    amount_pence = models.PositiveBigIntegerField(default=0)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["-financial_year", "agency__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "financial_year"], name="one_contribution_per_agency_year"
            )
        ]

    @property
    def year_label(self) -> str:
        return financial_year_label(self.financial_year)


class StaffContribution(BaseModel):
    contribution = models.ForeignKey(
        FundingContribution, on_delete=models.CASCADE, related_name="staff"
    )
    role = models.CharField(max_length=100)
    fte = models.DecimalField("full-time equivalent", max_digits=6, decimal_places=2)

    class Meta:
        ordering = ["role"]
        constraints = [
            models.UniqueConstraint(fields=["contribution", "role"], name="staff_role_unique")
        ]


def financial_year_label(year: int) -> str:
    return f"{year}-{(year + 1) % 100:02d}"
