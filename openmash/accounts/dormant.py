"""Dormant accounts: switched off after ``OPENMASH_DORMANT_AFTER_DAYS`` without a sign-in.

A switched-off account's sessions stop at once (Django's backend refuses an inactive user on
the next request) and its API tokens are revoked here."""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from openmash.audit.models import AuditVerb
from openmash.audit.services import audit_record

from .models import ApiToken, User


def accounts_disable_dormant(*, now: datetime | None = None) -> int:
    """Switch off every active account with no sign-in (or, never signed in, created) before
    the cut-off; audit each. Returns how many were switched off."""
    days = int(settings.OPENMASH_DORMANT_AFTER_DAYS)
    cutoff = (now or timezone.now()) - timedelta(days=days)
    dormant = User.objects.filter(is_active=True).filter(
        Q(last_login__lt=cutoff) | Q(last_login__isnull=True, date_joined__lt=cutoff)
    )
    count = 0
    for user in dormant.select_related("agency"):
        with transaction.atomic():
            User.objects.filter(pk=user.pk).update(is_active=False)
            ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(
                revoked_at=timezone.now()
            )
            audit_record(
                actor=None,
                verb=AuditVerb.ACCOUNT_DORMANT,
                target=user,
                hub_id=user.hub_id,
                changes={"active": [True, False], "dormant_after_days": days},
            )
        count += 1
    return count
