"""Delivering one feedback e-mail to the referrer (the background task, tasks.py, runs
`feedback_email_deliver`) and recording what became of it."""

import logging
from uuid import UUID

from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from openmash.audit.models import AuditVerb
from openmash.audit.services import audit_record

from .. import hooks
from ..models import EmailStatus, Feedback

logger = logging.getLogger(__name__)


def feedback_email_deliver(*, feedback_id: UUID | str) -> str:
    """Send one queued feedback e-mail and record whether it went. A mail failure is recorded
    (status, the exception's class name, an audit event), never raised. Returns the e-mail
    status."""
    feedback = Feedback.objects.select_related("contact").filter(pk=feedback_id).first()
    if feedback is None:
        return ""
    if feedback.email_status != EmailStatus.QUEUED:
        return feedback.email_status  # already sent, or not to be sent: never twice
    subject = f"Your contact to the MASH: reference {feedback.contact.reference}"
    # Only the summary composed by code (reference, outcome, next step, contact point): a note
    # is free text and is read signed in, never carried by e-mail. Apps above decisions add
    # their paragraphs (quality: the link to rate this feedback).
    body = "\n\n".join(
        [feedback.summary or feedback.message, *_note_pointer(feedback)]
        + hooks.referrer_email_extras(feedback)
    )
    try:
        send_mail(subject, body, None, [feedback.sent_to], fail_silently=False)
    except Exception as exc:
        logger.warning("Feedback e-mail %s failed: %s", feedback.pk, type(exc).__name__)
        feedback_email_failed(feedback.pk, exc)
        return EmailStatus.FAILED
    now = timezone.now()
    with transaction.atomic():
        Feedback.objects.filter(pk=feedback.pk, email_status=EmailStatus.QUEUED).update(
            email_status=EmailStatus.SENT, emailed_at=now, email_error="", updated_at=now
        )
    return EmailStatus.SENT


def _note_pointer(feedback: Feedback) -> list[str]:
    if not feedback.note:
        return []
    if feedback.contact.submitted_by_id:
        return ["The MASH has added a note for you: sign in to OpenMASH to read it."]
    return ["The MASH has added a note for you: ask the MASH team for it, quoting the reference."]


def feedback_email_failed(feedback_id: UUID, exc: BaseException) -> None:
    """Record a failed e-mail: the exception's class name only (its message may hold an address
    or other personal data), and an audit event so the failure is visible in the timeline."""
    error = type(exc).__name__[:100]
    with transaction.atomic():
        feedback = (
            Feedback.objects.select_for_update()
            .filter(pk=feedback_id, email_status=EmailStatus.QUEUED)
            .first()
        )
        if feedback is None:
            return
        feedback.email_status = EmailStatus.FAILED
        feedback.email_error = error
        feedback.save(update_fields=["email_status", "email_error", "updated_at"])
        contact = feedback.contact
        audit_record(
            actor=None,
            verb=AuditVerb.FEEDBACK_EMAIL_FAILED,
            target=feedback,
            hub_id=contact.hub_id,
            contact_id=contact.pk,
            changes={"email_status": [EmailStatus.QUEUED, EmailStatus.FAILED], "error": error},
        )
