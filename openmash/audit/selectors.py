"""Reading the audit trail (for data-protection officers, managers and auditors): itself a
read of personal data, so it is logged too."""

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import QuerySet

from .disclosure import ShownEvent, event_shown
from .models import AuditEvent, AuditVerb
from .services import audit_record

if TYPE_CHECKING:
    from openmash.accounts.models import User

PAGE_SIZE = 100


@dataclass(frozen=True)
class AuditFilters:
    username: str = ""
    verb: str = ""
    contact_id: str = ""


def audit_event_shown(event: AuditEvent, viewer: "User") -> ShownEvent:
    """The event as ``viewer`` may see it: the one field-level rule of the audit page and of
    every contact timeline (openmash/audit/disclosure.py)."""
    return event_shown(
        verb=event.verb,
        changes=event.changes if isinstance(event.changes, dict) else {},
        reason=event.reason,
        about_contact=event.contact_id is not None,
        permissions=viewer.permissions,
    )


def audit_events_for(
    user: "User", filters: AuditFilters, *, page: int = 1
) -> tuple[list[AuditEvent], bool]:
    """A page of the hub's audit events, newest first, and whether there are more. The caller
    has checked the AUDIT_VIEW permission."""
    qs: QuerySet[AuditEvent] = AuditEvent.objects.filter(hub_id=user.hub_id)
    if filters.username:
        qs = qs.filter(actor_username=filters.username)
    if filters.verb:
        qs = qs.filter(verb=filters.verb)
    if filters.contact_id:
        qs = qs.filter(contact_id=filters.contact_id)
    offset = (page - 1) * PAGE_SIZE
    rows = list(qs.order_by("-id")[offset : offset + PAGE_SIZE + 1])
    with transaction.atomic():
        audit_record(
            actor=user,
            verb=AuditVerb.AUDIT_VIEWED,
            hub_id=user.hub_id,
            changes={
                "username": filters.username,
                "verb": filters.verb,
                "contact": filters.contact_id,
                "page": page,
            },
        )
    return rows[:PAGE_SIZE], len(rows) > PAGE_SIZE
