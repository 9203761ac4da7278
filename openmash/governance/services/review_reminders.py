"""Review reminders: the accountable manager and a document's owner are e-mailed once before
a current version's review date."""

import logging
from datetime import date

from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from openmash.audit.models import AuditVerb
from openmash.audit.services import audit_record
from openmash.governance.models import DocumentVersion, ReviewReminder, VersionStatus
from openmash.governance.selectors import accountable_manager, review_reminder_days

logger = logging.getLogger(__name__)


def review_reminders_send(*, today: date | None = None, days: int | None = None) -> int:
    """E-mail the accountable manager and the document's owner once, `days` (default: the
    OPENMASH_REVIEW_REMINDER_DAYS setting, 30) before a current version's review date, or as
    soon as it is noticed within that window. Each reminder is recorded, so it is never sent
    twice; a failed e-mail is not recorded, so the next run tries again. Returns how many went."""
    today = today or timezone.localdate()
    days = review_reminder_days() if days is None else days
    due = DocumentVersion.objects.filter(status=VersionStatus.CURRENT).exclude(
        review_reminders__days_before=days
    )
    sent = 0
    for version in due.select_related("hub", "owner").order_by("review_by"):
        if (version.review_by - today).days > days:
            continue
        try:
            sent += _review_reminder_send(version, today=today, days=days)
        except Exception as exc:  # one failed e-mail never stops the others
            logger.warning("Review reminder %s not sent: %s", version.pk, type(exc).__name__)
    return sent


def _reminder_recipients(version: DocumentVersion) -> list[str]:
    leader = accountable_manager(version.hub)
    return sorted(
        {
            u.email
            for u in (leader.user if leader else None, version.owner)
            if u is not None and u.email and u.is_active
        }
    )


def _reminder_mail(version: DocumentVersion, *, today: date, recipients: list[str]) -> None:
    when = "was due" if version.review_by < today else "is due"
    review_by = f"{version.review_by.day} {version.review_by:%B %Y}"
    send_mail(
        f"{version.hub.name}: {version} review {when} by {review_by}",
        f"The {version.get_kind_display().lower()} (version "
        f'{version.version_label}, "{version.title}") {when} for review by '
        f"{review_by}.\n\nPublish a reviewed version and ask each agency to sign it "
        "up, under Governance > Core documents.",
        None,
        recipients,
        fail_silently=False,
    )


def _review_reminder_send(version: DocumentVersion, *, today: date, days: int) -> bool:
    recipients = _reminder_recipients(version)
    with transaction.atomic():
        if ReviewReminder.objects.filter(version=version, days_before=days).exists():
            return False
        ReviewReminder.objects.create(
            version=version, days_before=days, sent_at=timezone.now(), recipients=recipients
        )
        audit_record(
            actor=None,
            verb=AuditVerb.GOVERNANCE_CHANGED,
            target=version,
            hub_id=version.hub_id,
            changes={
                "review_reminder": {
                    "version": version.version_label,
                    "review_by": version.review_by.isoformat(),
                    "days_before": days,
                    "recipients": recipients,
                }
            },
        )
        if recipients:
            # Inside the transaction: a failed e-mail rolls the record back, to try again.
            _reminder_mail(version, today=today, recipients=recipients)
    return True
