"""Reporting facts: one flat row per contact and per agency check, derived from the casework
tables by `facts.facts_refresh`, so that dashboards, returns and exports aggregate a narrow
table instead of re-deriving the journey (and its working-time clocks) at every read.

Facts hold no names, addresses, identifiers or free text: only codes, bands, flags and times.
They are derived data: they can always be rebuilt from the casework tables."""

from django.db import models

from openmash.contacts.models import Contact
from openmash.enquiries.models import InformationRequest
from openmash.hubs.models import Agency, Hub


class ContactFact(models.Model):
    contact = models.OneToOneField(
        Contact, primary_key=True, on_delete=models.CASCADE, related_name="fact"
    )
    hub = models.ForeignKey(Hub, on_delete=models.CASCADE, related_name="+")
    refreshed_at = models.DateTimeField()

    # Receipt (local dates in the hub's timezone: a month is the hub's month).
    received_at = models.DateTimeField()
    received_on = models.DateField()
    received_month = models.DateField(help_text="First day of the local month of receipt")
    source_code = models.CharField(max_length=2)
    channel = models.CharField(max_length=30)
    concerns = models.JSONField(default=list)
    immediate_risk = models.BooleanField(default=False)
    family_awareness = models.CharField(max_length=30)
    # [{"age_band": "5-9", "sex": "F", "ethnicity": "WBRI", "disabled": false}, ...]
    subjects = models.JSONField(default=list)
    stage = models.CharField(max_length=20)

    # Screening: the first rating, the current one and every rating in between.
    screening_due_at = models.DateTimeField(null=True)
    screened_at = models.DateTimeField(null=True)
    screening_outcome = models.CharField(max_length=30, blank=True)
    first_rag = models.CharField(max_length=10, blank=True)
    first_level = models.PositiveSmallIntegerField(null=True)
    rag = models.CharField(max_length=10, blank=True, help_text="Current (latest) RAG")
    level = models.PositiveSmallIntegerField(null=True, help_text="Current level of need")
    rerated = models.BooleanField(default=False)
    rating_history = models.JSONField(default=list)  # [{"at", "rag", "level"}, ...]
    screening_working_minutes = models.PositiveIntegerField(null=True)
    screening_elapsed_minutes = models.PositiveIntegerField(null=True)

    # Agency checks (detail in AgencyCheckFact).
    checks_requested = models.PositiveSmallIntegerField(default=0)
    checks_answered = models.PositiveSmallIntegerField(default=0)

    # Decision: the one in force (signed off and not superseded).
    decision_due_at = models.DateTimeField(null=True)
    decided_at = models.DateTimeField(null=True)
    outcome = models.CharField(max_length=20, blank=True, help_text="National outcome code")
    rationale_recorded = models.BooleanField(default=False)
    childs_voice_recorded = models.BooleanField(default=False)
    actions_agreed = models.PositiveSmallIntegerField(default=0)
    dissents = models.PositiveSmallIntegerField(default=0)
    decision_working_minutes = models.PositiveIntegerField(null=True)
    decision_elapsed_minutes = models.PositiveIntegerField(null=True)
    is_referral = models.BooleanField(default=False)

    # Feedback to the referrer.
    feedback_due_at = models.DateTimeField(null=True)
    feedback_at = models.DateTimeField(null=True)

    # History across contacts about the same people (backward-looking, so a later contact
    # never changes an earlier contact's facts).
    recontact_12m = models.BooleanField(default=False)
    rereferral_12m = models.BooleanField(default=False)
    referral_after_nfa_12m = models.BooleanField(default=False)

    class Meta:
        indexes = [
            models.Index(fields=["hub", "received_at"], name="fact_hub_received"),
            models.Index(fields=["hub", "received_month"], name="fact_hub_month"),
        ]

    def __str__(self) -> str:
        return f"Facts of contact {self.contact_id}"


class ConcernFact(models.Model):
    """One concern category recorded on a contact (a contact may record several), so concern
    counts are a GROUP BY rather than a scan of JSON lists."""

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="+")
    hub = models.ForeignKey(Hub, on_delete=models.CASCADE, related_name="+")
    received_at = models.DateTimeField()
    concern = models.CharField(max_length=40)

    class Meta:
        indexes = [models.Index(fields=["hub", "received_at"], name="concern_hub_received")]
        constraints = [
            models.UniqueConstraint(fields=["contact", "concern"], name="one_row_per_concern")
        ]

    def __str__(self) -> str:
        return f"{self.concern} on contact {self.contact_id}"


class AgencyCheckFact(models.Model):
    """One information request to an agency, with its working-time response."""

    request = models.OneToOneField(
        InformationRequest, primary_key=True, on_delete=models.CASCADE, related_name="fact"
    )
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="+")
    hub = models.ForeignKey(Hub, on_delete=models.CASCADE, related_name="+")
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    # The contact's receipt: figures are about the contacts received in a period, and this
    # lets a period's checks be an indexed range rather than a join to the contact facts.
    contact_received_at = models.DateTimeField()
    agency_type = models.CharField(max_length=40)
    rag = models.CharField(max_length=10)
    requested_at = models.DateTimeField()
    requested_month = models.DateField()
    due_at = models.DateTimeField()
    answered_at = models.DateTimeField(null=True)
    withdrawn = models.BooleanField(default=False)
    result = models.CharField(max_length=20, blank=True)
    working_minutes = models.PositiveIntegerField(null=True)

    class Meta:
        indexes = [
            models.Index(fields=["hub", "requested_at"], name="check_hub_requested"),
            models.Index(fields=["hub", "contact_received_at"], name="check_hub_contact_received"),
        ]

    def __str__(self) -> str:
        return f"Facts of request {self.request_id}"


class FactsWatermark(models.Model):
    """How far the facts of a hub have been brought up to date: the newest audit event they
    reflect (the audit trail is the change log; see `facts._changes_since`)."""

    hub = models.OneToOneField(Hub, primary_key=True, on_delete=models.CASCADE, related_name="+")
    last_event_id = models.BigIntegerField(default=0)
    refreshed_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"Facts of hub {self.hub_id} up to audit event {self.last_event_id}"


class PseudonymKey(models.Model):
    """The hub's secret for keyed pseudonyms in the national dataset (HMAC-SHA256): stable
    per hub, unlinkable across hubs, irreversible without the key, which never leaves the hub."""

    hub = models.OneToOneField(Hub, primary_key=True, on_delete=models.CASCADE, related_name="+")
    key = models.BinaryField()
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Pseudonym key of hub {self.hub_id}"


class ImportedReturn(models.Model):
    """A monthly return received from a hub into the national view (this hub's own included).
    A second import of the same hub and month replaces the first only when it differs."""

    hub_code = models.CharField(max_length=3, help_text="The hub's local authority code")
    hub_name = models.CharField(max_length=200)
    month = models.DateField(help_text="First day of the month the return covers")
    schema_version = models.CharField(max_length=10)
    payload = models.JSONField()
    checksum = models.CharField(max_length=64, help_text="SHA-256 of the canonical payload")
    imported_at = models.DateTimeField()
    imported_by = models.CharField(max_length=150)

    class Meta:
        ordering = ["hub_code", "month"]
        constraints = [
            models.UniqueConstraint(fields=["hub_code", "month"], name="one_return_per_hub_month")
        ]

    def __str__(self) -> str:
        return f"Return of {self.hub_code} for {self.month:%Y-%m}"


class ReturnMeasure(models.Model):
    """One figure of an imported return, flattened at import so that the national view
    aggregates narrow rows instead of parsing thousands of JSON documents per page.

    `measure` is the figure's dotted path in the return, e.g. "contacts.total",
    "contacts.by_source.6", "on_time.screening", "turnaround.to_decision.by_level.3"."""

    imported_return = models.ForeignKey(
        ImportedReturn, on_delete=models.CASCADE, related_name="measures"
    )
    hub_code = models.CharField(max_length=3)
    month = models.DateField()
    measure = models.CharField(max_length=120)
    # A count (cells), a rate's numerator/denominator, or a statistic's value.
    value = models.FloatField(null=True)
    numerator = models.IntegerField(null=True)
    denominator = models.IntegerField(null=True)
    suppressed = models.BooleanField(default=False)

    class Meta:
        indexes = [models.Index(fields=["measure", "month"], name="measure_month")]
        constraints = [
            models.UniqueConstraint(
                fields=["imported_return", "measure"], name="one_value_per_return_measure"
            )
        ]

    def __str__(self) -> str:
        return f"{self.measure} of {self.hub_code} for {self.month:%Y-%m}"
