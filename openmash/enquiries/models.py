"""MASH enquiries: information requests to agencies, their answers, and the sharing ledger."""

from django.conf import settings
from django.db import models

from openmash.contacts.models import Contact, Rag
from openmash.core.models import BaseModel
from openmash.hubs.models import Agency


class RequestStatus(models.TextChoices):
    OPEN = "open", "Awaiting answer"
    ANSWERED = "answered", "Answered"
    WITHDRAWN = "withdrawn", "Withdrawn"


class ResponseResult(models.TextChoices):
    KNOWN = "known", "Known, with information"
    NOT_KNOWN = "not_known", "Not known"
    NOT_CHECKED = "not_checked", "Not checked"


class Handling(models.TextChoices):
    FAMILY = "family", "May be shared with the family"
    MASH_ONLY = "mash_only", "MASH only"
    ORIGINATOR_CONSENT = (
        "originator_consent",
        "Originator's consent needed before onward disclosure",
    )


class LawfulBasis(models.TextChoices):
    PUBLIC_TASK_SAFEGUARDING = (
        "public_task_safeguarding",
        "UK GDPR 6(1)(e) public task; Art 9(2)(g) with DPA 2018 Sch 1 para 18 (safeguarding)",
    )
    LAW_ENFORCEMENT = "law_enforcement", "DPA 2018 Part 3 (law enforcement processing)"
    LEGAL_OBLIGATION = "legal_obligation", "UK GDPR 6(1)(c) legal obligation"
    CONSENT = "consent", "Consent of the person"
    VITAL_INTERESTS = "vital_interests", "UK GDPR 6(1)(d) vital interests"


class InformationRequest(BaseModel):
    contact = models.ForeignKey(Contact, on_delete=models.PROTECT, related_name="requests")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="requests")
    rag = models.CharField(max_length=10, choices=Rag.choices)
    question = models.TextField(blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField()
    due_at = models.DateTimeField(db_index=True)
    status = models.CharField(
        max_length=20, choices=RequestStatus.choices, default=RequestStatus.OPEN, db_index=True
    )
    breach_flagged_at = models.DateTimeField(null=True, blank=True)
    # The answer (one per request; a correction is a new request).
    result = models.CharField(max_length=20, choices=ResponseResult.choices, blank=True)
    not_checked_reason = models.TextField(blank=True)
    information = models.TextField(blank=True)
    handling = models.CharField(max_length=30, choices=Handling.choices, blank=True)
    lawful_basis = models.CharField(max_length=40, choices=LawfulBasis.choices, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["contact", "agency"],
                condition=models.Q(status="open"),
                name="one_open_request_per_agency",
            )
        ]

    def __str__(self) -> str:
        return f"{self.agency} for {self.contact}"


class SharingLedgerEntry(BaseModel):
    """Golden rule 7: what was shared (or not), by whom, with whom, why, when, on what basis."""

    contact = models.ForeignKey(Contact, on_delete=models.PROTECT, related_name="ledger")
    information_request = models.ForeignKey(
        InformationRequest, null=True, blank=True, on_delete=models.PROTECT, related_name="ledger"
    )
    shared = models.BooleanField(help_text="False records a decision not to share")
    what = models.TextField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    from_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    to = models.CharField(max_length=200)
    why = models.TextField()
    lawful_basis = models.CharField(max_length=40, choices=LawfulBasis.choices)
    handling = models.CharField(max_length=30, choices=Handling.choices, blank=True)
    at = models.DateTimeField()

    class Meta:
        ordering = ["at"]
        verbose_name_plural = "sharing ledger entries"
