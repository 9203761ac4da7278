"""Screening, decisions (proposed, signed off, superseded), actions, dissent, feedback."""

from django.conf import settings
from django.db import models

from openmash.contacts.models import Contact, Rag
from openmash.core.models import BaseModel
from openmash.core.standards import CLOSURE_REASONS, PRIMARY_NEED_CODES, choices
from openmash.hubs.models import Agency, DecisionOutcome


class ScreeningOutcome(models.TextChoices):
    NFA = "nfa", "No further action"
    ADVICE = "advice", "Advice or signposting"
    EARLY_HELP = "early_help", "Early help"
    MASH_ENQUIRY = "mash_enquiry", "MASH enquiry"
    STRATEGY_DISCUSSION = "strategy_discussion", "Immediate strategy discussion"


class Screening(BaseModel):
    """One rating of a contact. Re-rating adds a row: the history is the rows in order."""

    contact = models.ForeignKey(Contact, on_delete=models.PROTECT, related_name="screenings")
    outcome = models.CharField(max_length=30, choices=ScreeningOutcome.choices)
    level_of_need = models.PositiveSmallIntegerField()
    rag = models.CharField(max_length=10, choices=Rag.choices)
    rationale = models.TextField()
    is_rerating = models.BooleanField(default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()
    # The hub's thresholds (levels of need and RAG criteria) in force when it was rated.
    thresholds_version = models.ForeignKey(
        "governance.ThresholdVersion",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="screenings",
    )

    class Meta:
        ordering = ["recorded_at"]


class DecisionStatus(models.TextChoices):
    PROPOSED = "proposed", "Proposed, awaiting sign-off"
    SIGNED_OFF = "signed_off", "Signed off"
    SUPERSEDED = "superseded", "Superseded"
    RETURNED = "returned", "Returned to practitioner"


class Decision(BaseModel):
    contact = models.ForeignKey(Contact, on_delete=models.PROTECT, related_name="decisions")
    outcome = models.ForeignKey(DecisionOutcome, on_delete=models.PROTECT, related_name="+")
    level_of_need = models.PositiveSmallIntegerField()
    rationale = models.TextField()
    childs_voice = models.TextField("the child's voice and lived experience", blank=True)
    # CIN census primary need: required when the outcome makes the contact a referral.
    primary_need_code = models.CharField(
        max_length=2, choices=choices(PRIMARY_NEED_CODES), blank=True
    )
    status = models.CharField(max_length=20, choices=DecisionStatus.choices)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    proposed_at = models.DateTimeField()
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    signed_off_at = models.DateTimeField(null=True, blank=True)
    sign_off_note = models.TextField(blank=True)
    supersedes = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="superseded_by"
    )

    class Meta:
        ordering = ["proposed_at"]


class ActionStatus(models.TextChoices):
    OPEN = "open", "Open"
    DONE = "done", "Done"
    CANCELLED = "cancelled", "Cancelled"


class Action(BaseModel):
    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="actions")
    owner_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="actions")
    description = models.TextField()
    due_date = models.DateField()
    status = models.CharField(max_length=20, choices=ActionStatus.choices, default="open")

    class Meta:
        ordering = ["due_date"]


class DissentStatus(models.TextChoices):
    OPEN = "open", "Open, escalated"
    RESOLVED = "resolved", "Resolved"


class Dissent(BaseModel):
    """An agency disagrees with a decision; escalation follows the hub's process."""

    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="dissents")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    raised_at = models.DateTimeField()
    reason = models.TextField()
    escalated_to = models.CharField(max_length=200)
    status = models.CharField(max_length=20, choices=DissentStatus.choices, default="open")
    resolution = models.TextField(blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)


class EmailStatus(models.TextChoices):
    NOT_NEEDED = "not_needed", "Not e-mailed: no address"
    QUEUED = "queued", "E-mail queued"
    SENT = "sent", "E-mailed"
    FAILED = "failed", "E-mail failed"


class FeedbackStatus(models.TextChoices):
    SENT = "sent", "Sent"
    AWAITING_APPROVAL = "awaiting_approval", "Awaiting a manager's approval"
    RETURNED = "returned", "Returned by a manager"


class SentFeedbackManager(models.Manager["Feedback"]):
    """Only feedback the referrer has been sent: the default (and so `contact.feedback`), so no
    page or API shows a referrer a message still awaiting approval, or one returned."""

    def get_queryset(self) -> models.QuerySet["Feedback"]:
        return super().get_queryset().filter(status=FeedbackStatus.SENT)


class Feedback(BaseModel):
    """What the referrer was told: a summary composed by code from structured fields (outcome,
    next step, contact point) and an optional short note. A note on a contact holding
    originator-controlled information or a confidential address waits for a manager's approval
    before it is sent. The e-mail goes out in the background; its fate is recorded here."""

    contact = models.ForeignKey(Contact, on_delete=models.PROTECT, related_name="feedback")
    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="feedback")
    # What the referrer reads when signed in: the summary, then the note if any.
    message = models.TextField()
    # Composed by code (never casework free text); the only text the e-mail may carry.
    summary = models.TextField(blank=True)
    next_step = models.CharField(max_length=40, blank=True)
    note = models.TextField(blank=True)
    status = models.CharField(
        max_length=20, choices=FeedbackStatus.choices, default=FeedbackStatus.SENT, db_index=True
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    return_note = models.TextField(blank=True)
    sent_to = models.EmailField(blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    sent_at = models.DateTimeField()
    email_status = models.CharField(
        max_length=20, choices=EmailStatus.choices, default=EmailStatus.NOT_NEEDED
    )
    emailed_at = models.DateTimeField(null=True, blank=True)
    # The exception's class name only: never a message that could carry personal data.
    email_error = models.CharField(max_length=100, blank=True)

    objects = SentFeedbackManager()
    all_objects = models.Manager()

    class Meta:
        ordering = ["sent_at"]
        base_manager_name = "all_objects"


class ReferralProgress(BaseModel):
    """What happened after a contact became a referral (a signed decision for a section 17
    assessment or a section 47 enquiry), as the CIN census asks for it: the assessment, the
    section 47 enquiry and its initial child protection conference, and the closure. One row
    per contact, replaced as a whole each time it is recorded (the audit trail keeps the
    history)."""

    contact = models.OneToOneField(
        Contact, on_delete=models.PROTECT, related_name="referral_progress"
    )
    assessment_started_on = models.DateField(null=True, blank=True)
    assessment_authorised_on = models.DateField(null=True, blank=True)
    # CIN assessment factor codes (core.standards.ASSESSMENT_FACTORS).
    assessment_factors = models.JSONField(default=list, blank=True)
    s47_started_on = models.DateField(null=True, blank=True)
    icpc_on = models.DateField("initial child protection conference", null=True, blank=True)
    icpc_not_required = models.BooleanField(default=False)
    closed_on = models.DateField(null=True, blank=True)
    closure_reason = models.CharField(max_length=3, choices=choices(CLOSURE_REASONS), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()
