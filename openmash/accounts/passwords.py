"""Password writes: a user changes their own, or resets it from an e-mailed link; an account
whose password someone else chose must be changed before any page with personal data."""

from axes.utils import reset
from django.db import transaction

from openmash.audit.models import AuditEvent, AuditVerb
from openmash.audit.services import audit_record

from .models import User


def password_change_required(user: User) -> bool:
    """Whether the user must choose their own password first: flagged (`user_create` flags
    every account an administrator makes), or, for accounts made before the flag existed,
    never signed in and created by a hub administrator (who chose the first password)."""
    if user.must_change_password:
        return True
    if user.last_login is not None:
        return False
    return AuditEvent.objects.filter(
        verb=AuditVerb.USER_CHANGED,
        target_type=User._meta.label_lower,
        target_id=str(user.pk),
        changes__has_key="created",
    ).exists()


def password_change_flag(user: User) -> None:
    """At sign-in: remember that this user must change their password (so every later
    request knows without asking the audit trail)."""
    if password_change_required(user) and not user.must_change_password:
        User.objects.filter(pk=user.pk).update(must_change_password=True)
        user.must_change_password = True


def password_changed_record(*, user: User, via_reset: bool) -> None:
    """After Django's form has saved the new password: the flag goes, a lockout on the
    username goes (they proved who they are), and the change is audited."""
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(must_change_password=False)
        user.must_change_password = False
        audit_record(
            actor=user,
            verb=AuditVerb.PASSWORD_RESET if via_reset else AuditVerb.PASSWORD_CHANGED,
            target=user,
        )
    if via_reset:
        reset(username=user.username)


def password_reset_requested_record(*, user: User) -> None:
    with transaction.atomic():
        audit_record(actor=user, verb=AuditVerb.PASSWORD_RESET_REQUESTED, target=user)
