"""Quality improvement: case-file audits (criteria, samples, grades, moderation, improvement
actions), feedback about the service (referrers' ratings, families' feedback) and the hub's
theory of change with its outcome indicators."""

from django.conf import settings
from django.db import models

from openmash.contacts.models import Contact
from openmash.core.models import BaseModel
from openmash.decisions.models import Feedback
from openmash.hubs.models import Agency, Hub

# -- Case-file audits ---------------------------------------------------------------------------


class Grade(models.TextChoices):
    OUTSTANDING = "outstanding", "Outstanding"
    GOOD = "good", "Good"
    REQUIRES_IMPROVEMENT = "requires_improvement", "Requires improvement"
    INADEQUATE = "inadequate", "Inadequate"


class AuditCriterion(BaseModel):
    """A question every audited case file is graded against (the hub's own wording)."""

    hub = models.ForeignKey(Hub, on_delete=models.PROTECT, related_name="audit_criteria")
    code = models.SlugField(max_length=40)
    question = models.CharField(max_length=300)
    guidance = models.TextField(blank=True)
    active = models.BooleanField(default=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["hub", "code"], name="quality_criterion_code_unique")
        ]

    def __str__(self) -> str:
        return self.question


class SampleMethod(models.TextChoices):
    RANDOM = "random", "Simple random sample"
    RAG = "rag", "Stratified by RAG rating"
    OUTCOME = "outcome", "Stratified by decision outcome"
    AGENCY = "agency", "Stratified by agency asked"


class AuditSample(BaseModel):
    """Contacts drawn for audit. The seed is kept so the same draw can be made again."""

    hub = models.ForeignKey(Hub, on_delete=models.PROTECT, related_name="audit_samples")
    period_start = models.DateField()
    period_end = models.DateField()
    size = models.PositiveSmallIntegerField()
    method = models.CharField(max_length=20, choices=SampleMethod.choices)
    seed = models.PositiveBigIntegerField()
    population = models.PositiveIntegerField()
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    drawn_at = models.DateTimeField()

    class Meta:
        ordering = ["-drawn_at"]


class SampledContact(BaseModel):
    sample = models.ForeignKey(AuditSample, on_delete=models.CASCADE, related_name="items")
    contact = models.ForeignKey(Contact, on_delete=models.PROTECT, related_name="+")
    stratum = models.CharField(max_length=60, blank=True)
    order = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["order"]
        constraints = [
            models.UniqueConstraint(fields=["sample", "contact"], name="quality_sample_contact")
        ]


class CaseAudit(BaseModel):
    """One auditor's grades for a sampled case file, and its moderation by a second auditor."""

    item = models.OneToOneField(SampledContact, on_delete=models.PROTECT, related_name="audit")
    auditor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    audited_at = models.DateTimeField()
    overall_grade = models.CharField(max_length=30, choices=Grade.choices)
    comments = models.TextField(blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    moderated_at = models.DateTimeField(null=True, blank=True)
    moderated_grade = models.CharField(max_length=30, choices=Grade.choices, blank=True)
    moderation_comment = models.TextField(blank=True)

    class Meta:
        ordering = ["audited_at"]

    @property
    def final_grade(self) -> str:
        """The moderated grade where there is one: moderation has the last word."""
        return self.moderated_grade or self.overall_grade

    @property
    def final_grade_label(self) -> str:
        return Grade(self.final_grade).label

    @property
    def moderation_changed(self) -> bool:
        return bool(self.moderated_grade) and self.moderated_grade != self.overall_grade


class CriterionGrade(BaseModel):
    audit = models.ForeignKey(CaseAudit, on_delete=models.CASCADE, related_name="grades")
    criterion = models.ForeignKey(AuditCriterion, on_delete=models.PROTECT, related_name="+")
    grade = models.CharField(max_length=30, choices=Grade.choices)
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["criterion__order", "criterion__code"]
        constraints = [
            models.UniqueConstraint(fields=["audit", "criterion"], name="quality_grade_once")
        ]


class ImprovementStatus(models.TextChoices):
    OPEN = "open", "Open"
    DONE = "done", "Done"
    CANCELLED = "cancelled", "Cancelled"


class ImprovementAction(BaseModel):
    """What the hub will change because of audit findings, who owns it and by when."""

    hub = models.ForeignKey(Hub, on_delete=models.PROTECT, related_name="improvement_actions")
    audit = models.ForeignKey(
        CaseAudit, null=True, blank=True, on_delete=models.PROTECT, related_name="actions"
    )
    description = models.TextField()
    owner_agency = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    due_date = models.DateField()
    status = models.CharField(
        max_length=20, choices=ImprovementStatus.choices, default=ImprovementStatus.OPEN
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_date", "created_at"]


# -- Feedback loops -----------------------------------------------------------------------------


class Answer(models.TextChoices):
    YES = "yes", "Yes"
    PARTLY = "partly", "Partly"
    NO = "no", "No"


class RatingChannel(models.TextChoices):
    SIGNED_IN = "signed_in", "Signed in"
    EMAIL_LINK = "email_link", "Link in the feedback e-mail"


class RatingInvite(BaseModel):
    """The single-use link in a feedback e-mail: only a hash of its token is kept."""

    feedback = models.OneToOneField(Feedback, on_delete=models.CASCADE, related_name="+")
    token_hash = models.CharField(max_length=64, unique=True)
    used_at = models.DateTimeField(null=True, blank=True)


class ReferrerRating(BaseModel):
    """How a referrer rated the feedback they were sent: one rating per feedback."""

    hub = models.ForeignKey(Hub, on_delete=models.PROTECT, related_name="+")
    feedback = models.OneToOneField(Feedback, on_delete=models.PROTECT, related_name="+")
    explained = models.CharField(max_length=10, choices=Answer.choices)
    timely = models.CharField(max_length=10, choices=Answer.choices)
    comment = models.TextField(blank=True)
    channel = models.CharField(max_length=20, choices=RatingChannel.choices)
    rated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    rated_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["-rated_at"]


class Respondent(models.TextChoices):
    CHILD = "child", "A child (under 13)"
    YOUNG_PERSON = "young_person", "A young person (13 to 18)"
    PARENT_CARER = "parent_carer", "A parent or carer"


class FamilyChannel(models.TextChoices):
    ONLINE = "online", "Online form"
    WORKER = "worker", "Recorded by a worker"


class FamilyFeedback(BaseModel):
    """A child's, young person's or parent's view of the help they got."""

    hub = models.ForeignKey(Hub, on_delete=models.PROTECT, related_name="+")
    respondent = models.CharField(max_length=20, choices=Respondent.choices)
    listened = models.CharField(max_length=10, choices=Answer.choices)
    understood = models.CharField(max_length=10, choices=Answer.choices)
    helped = models.CharField(max_length=10, choices=Answer.choices)
    comments = models.TextField(blank=True)
    channel = models.CharField(max_length=20, choices=FamilyChannel.choices)
    contact = models.ForeignKey(
        Contact, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    received_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["-received_at"]


# -- Outcomes tracking ----------------------------------------------------------------------------


class StepKind(models.TextChoices):
    ACTIVITY = "activity", "Activity"
    OUTPUT = "output", "Output"


class ChangeStep(BaseModel):
    """An activity (what the hub does) or an output (what it produces) in its theory of change."""

    hub = models.ForeignKey(Hub, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=10, choices=StepKind.choices)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["kind", "order", "title"]

    def __str__(self) -> str:
        return self.title


class IndicatorSource(models.TextChoices):
    COMPUTED = "computed", "Computed from the monitoring figures"
    RECORDED = "recorded", "Recorded by hand each month"


class Outcome(BaseModel):
    hub = models.ForeignKey(Hub, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    leads_from = models.ManyToManyField(ChangeStep, blank=True, related_name="outcomes")
    source = models.CharField(max_length=10, choices=IndicatorSource.choices)
    indicator_key = models.CharField(max_length=40, blank=True)  # computed: catalogue key
    indicator_name = models.CharField(max_length=200, blank=True)  # recorded: its name
    unit = models.CharField(max_length=10, blank=True)  # recorded: "%" or ""
    target = models.FloatField(null=True, blank=True)

    class Meta:
        ordering = ["order", "title"]

    def __str__(self) -> str:
        return self.title


class IndicatorValue(BaseModel):
    """A hand-recorded indicator's value for one month."""

    outcome = models.ForeignKey(Outcome, on_delete=models.CASCADE, related_name="values")
    month = models.DateField()  # the first day of the month
    value = models.FloatField()
    note = models.CharField(max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["month"]
        constraints = [
            models.UniqueConstraint(fields=["outcome", "month"], name="quality_indicator_month")
        ]
