"""Append-only, hash-chained audit events (DPA 2018 s.62: collection, alteration,
consultation, disclosure, combination and erasure, with actor, time and justification)."""

from typing import Any, NoReturn

from django.conf import settings
from django.db import models


class AuditVerb(models.TextChoices):
    SIGNED_IN = "user.signed_in", "Signed in"
    SIGN_IN_FAILED = "user.sign_in_failed", "Sign-in failed"
    SIGNED_OUT = "user.signed_out", "Signed out"
    SIGN_IN_LOCKED_OUT = "user.sign_in_locked_out", "Sign-in locked out after wrong passwords"
    SIGN_IN_UNLOCKED = "user.sign_in_unlocked", "Sign-in lockout lifted"
    PASSWORD_CHANGED = "user.password_changed", "Password changed"
    PASSWORD_RESET_REQUESTED = "user.password_reset_requested", "Password reset requested"
    PASSWORD_RESET = "user.password_reset", "Password reset by e-mail link"
    ACCOUNT_DORMANT = "user.dormant_disabled", "Dormant account switched off"
    ACCESS_REFUSED = "access.refused", "Access refused or not found"
    TOKEN_ISSUED = "token.issued", "API token issued"
    TOKEN_REVOKED = "token.revoked", "API token revoked"
    CONTACT_CREATED = "contact.created", "Contact received"
    PERSON_CORRECTED = "contact.person_corrected", "A person's details corrected"
    CONTACT_VIEWED = "contact.viewed", "Contact viewed"
    CONTACT_LISTED = "contact.listed", "Contacts listed"
    SCREENING_RECORDED = "screening.recorded", "Screened"
    RERATED = "screening.rerated", "Re-rated"
    REQUEST_CREATED = "request.created", "Information requested"
    REQUEST_VIEWED = "request.viewed", "Information request viewed"
    POLICE_INFORMATION_CONSULTED = "police_info.consulted", "Police information read, with a reason"
    REQUEST_ANSWERED = "request.answered", "Information request answered"
    REQUEST_WITHDRAWN = "request.withdrawn", "Information request withdrawn"
    SHARING_RECORDED = "sharing.recorded", "Information sharing decision recorded"
    DECISION_PROPOSED = "decision.proposed", "Decision proposed"
    DECISION_SIGNED_OFF = "decision.signed_off", "Decision signed off"
    DECISION_RETURNED = "decision.returned", "Decision returned to practitioner"
    DECISION_SUPERSEDED = "decision.superseded", "Decision superseded"
    DECISION_VIEWED = "decision.viewed", "Decision viewed"
    DISSENT_RECORDED = "dissent.recorded", "Dissent recorded"
    DISSENT_RESOLVED = "dissent.resolved", "Dissent resolved"
    ACTION_UPDATED = "action.updated", "Action updated"
    FEEDBACK_SENT = "feedback.sent", "Feedback sent to referrer"
    FEEDBACK_VIEWED = "feedback.viewed", "Feedback viewed"
    FEEDBACK_EMAIL_FAILED = "feedback.email_failed", "Feedback e-mail could not be sent"
    FEEDBACK_EMAIL_RESENT = "feedback.email_resent", "Feedback e-mail sent again"
    FEEDBACK_HELD = "feedback.held", "Feedback awaiting a manager's approval"
    FEEDBACK_APPROVED = "feedback.approved", "Feedback approved and sent"
    FEEDBACK_RETURNED = "feedback.returned", "Feedback returned to its sender"
    ONWARD_CONSENT_RECORDED = "sharing.onward_consent", "Consent to onward disclosure recorded"
    DEADLINE_BREACHED = "deadline.breached", "Deadline missed"
    AUDIT_VIEWED = "audit.viewed", "Audit trail viewed"
    DEMO_LOADED = "demo.loaded", "Demo hub loaded"
    HUB_CONFIGURED = "hub.configured", "Hub settings changed"
    USER_CHANGED = "user.changed", "User account added or changed"
    APPROVAL_REQUESTED = "approval.requested", "Access change requested (needs a second person)"
    APPROVAL_APPROVED = "approval.approved", "Access change approved"
    APPROVAL_REFUSED = "approval.refused", "Access change refused"
    INDEX_LOADED = "index.loaded", "Agency index loaded"
    PERSON_LINKED = "person.linked", "People identified"
    MATCH_REVIEWED = "match.reviewed", "Possible match reviewed"
    MATCHES_VIEWED = "match.viewed", "Possible matches viewed"
    PERSON_MERGED = "person.merged", "People merged"
    PERSON_UNMERGED = "person.unmerged", "Merge undone"
    MODEL_TRAINED = "model.trained", "Matching model trained"
    REFERRAL_PROGRESS_RECORDED = "referral.progress_recorded", "Referral progress recorded"
    EXPORT_CREATED = "export.created", "Export of records created"
    RETURN_BUILT = "return.built", "Monthly return built"
    RETURN_IMPORTED = "return.imported", "Monthly return imported"
    RETURN_REFUSED = "return.refused", "Monthly return refused: hub not authorised"
    GOVERNANCE_CHANGED = "governance.changed", "Hub governance changed"
    DOCUMENT_PUBLISHED = "document.published", "Document version published"
    DOCUMENT_SIGNED = "document.signed", "Document signed for an agency"
    STANDARDS_CHECKED = "standards.checked", "Standards self-assessment run"
    CASE_AUDIT_SAMPLED = "case_audit.sampled", "Case files sampled for audit"
    CASE_AUDIT_RECORDED = "case_audit.recorded", "Case file audited"
    CASE_AUDIT_MODERATED = "case_audit.moderated", "Case file audit moderated"
    QUALITY_CHANGED = "quality.changed", "Quality improvement record changed"
    FEEDBACK_RECEIVED = "feedback.received", "Feedback about the service received"


# Verbs that record a read (consultation) rather than a change; timelines leave them out.
READ_VERBS = frozenset(
    {
        AuditVerb.CONTACT_VIEWED,
        AuditVerb.CONTACT_LISTED,
        AuditVerb.REQUEST_VIEWED,
        AuditVerb.POLICE_INFORMATION_CONSULTED,
        AuditVerb.DECISION_VIEWED,
        AuditVerb.MATCHES_VIEWED,
        AuditVerb.FEEDBACK_VIEWED,
        AuditVerb.AUDIT_VIEWED,
    }
)


class AppendOnlyQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise PermissionError("Audit events are append-only.")

    def delete(self) -> NoReturn:
        raise PermissionError("Audit events are append-only.")


class AuditEvent(models.Model):
    id = models.BigAutoField(primary_key=True)
    at = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    actor_username = models.CharField(max_length=150, blank=True)
    actor_agency = models.CharField(max_length=200, blank=True)
    actor_roles = models.CharField(max_length=200, blank=True)
    verb = models.CharField(max_length=40, choices=AuditVerb.choices, db_index=True)
    target_type = models.CharField(max_length=60, blank=True)
    target_id = models.CharField(max_length=64, blank=True)
    hub_id = models.UUIDField(null=True, blank=True, db_index=True)
    contact_id = models.UUIDField(null=True, blank=True, db_index=True)
    changes = models.JSONField(default=dict, blank=True)
    reason = models.TextField(blank=True)
    request_id = models.CharField(max_length=64, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.id} {self.verb} by {self.actor_username or 'system'} at {self.at}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise PermissionError("Audit events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise PermissionError("Audit events are append-only.")


class AuditChainHead(models.Model):
    """One row: the hash of the newest event. Locking it serialises writers of the chain."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    last_hash = models.CharField(max_length=64)

    def __str__(self) -> str:
        return self.last_hash
