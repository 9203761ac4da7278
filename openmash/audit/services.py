"""Writing audit events. Call inside the same transaction as the change being recorded."""

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any
from uuid import UUID

from django.db import models, transaction
from django.utils import timezone

from openmash.core.request_context import current_request_id

from .models import AuditChainHead, AuditEvent, AuditVerb

if TYPE_CHECKING:
    from openmash.accounts.models import User

GENESIS_HASH = "0" * 64


def _canonical(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, models.Model):
        return str(value.pk)
    if isinstance(value, dict):
        return {str(k): _canonical(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        items = [_canonical(v) for v in value]
        return sorted(items, key=str) if isinstance(value, set | frozenset) else items
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


def event_hash(event: AuditEvent) -> str:
    """SHA-256 over the event's content and the previous hash: any edit breaks the chain."""
    payload = {
        "at": _canonical(event.at),
        "actor": event.actor_username,
        "actor_agency": event.actor_agency,
        "actor_roles": event.actor_roles,
        "verb": event.verb,
        "target_type": event.target_type,
        "target_id": event.target_id,
        "hub_id": _canonical(event.hub_id),
        "contact_id": _canonical(event.contact_id),
        "changes": event.changes,
        "reason": event.reason,
        "request_id": event.request_id,
        "prev_hash": event.prev_hash,
    }
    blob = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(blob.encode()).hexdigest()


def audit_record(
    *,
    actor: "User | None",
    verb: AuditVerb,
    target: models.Model | None = None,
    hub_id: UUID | None = None,
    contact_id: UUID | None = None,
    changes: dict[str, Any] | None = None,
    reason: str = "",
) -> AuditEvent:
    """Append one event to the chain (inside the caller's transaction)."""
    with transaction.atomic():
        head, _ = AuditChainHead.objects.select_for_update().get_or_create(
            id=1, defaults={"last_hash": GENESIS_HASH}
        )
        agency = getattr(actor, "agency", None) if actor is not None else None
        event = AuditEvent(
            at=timezone.now().astimezone(UTC),
            actor=actor if actor is not None and actor.pk else None,
            actor_username=actor.username if actor is not None else "",
            actor_agency=agency.name if agency is not None else "",
            actor_roles=",".join(sorted(actor.roles)) if actor is not None else "",
            verb=verb.value,
            target_type=target._meta.label_lower if target is not None else "",
            target_id=str(target.pk) if target is not None else "",
            hub_id=hub_id if hub_id is not None else (actor.hub_id if actor is not None else None),
            contact_id=contact_id,
            changes=_canonical(changes or {}),
            reason=reason,
            request_id=current_request_id.get(),
            prev_hash=head.last_hash,
        )
        event.hash = event_hash(event)
        event.save()
        AuditChainHead.objects.filter(id=1).update(last_hash=event.hash)
        return event


def audit_list_read(*, actor: "User", kind: str, objects: Sequence[models.Model]) -> None:
    """Consultation log of a list page or API list: which records were shown, to whom."""
    if not objects:
        return
    with transaction.atomic():
        audit_record(
            actor=actor,
            verb=AuditVerb.CONTACT_LISTED,
            hub_id=actor.hub_id,
            changes={kind: [str(o.pk) for o in objects]},
        )


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """Changed fields as {field: [old, new]}."""
    return {k: [before.get(k), v] for k, v in after.items() if before.get(k) != v}


@dataclass(frozen=True)
class ChainReport:
    checked: int
    first_broken_id: int | None
    problem: str

    @property
    def ok(self) -> bool:
        return self.first_broken_id is None


def audit_chain_verify(batch_size: int = 5000) -> ChainReport:
    """Recompute every hash in order; name the first event whose hash or link is wrong."""
    expected_prev = GENESIS_HASH
    checked = 0
    last_id = 0
    while True:
        batch = list(AuditEvent.objects.filter(id__gt=last_id).order_by("id")[:batch_size])
        if not batch:
            break
        for event in batch:
            if event.prev_hash != expected_prev:
                return ChainReport(checked, event.id, "its link to the previous event is broken")
            if event_hash(event) != event.hash:
                return ChainReport(checked, event.id, "its content does not match its hash")
            expected_prev = event.hash
            checked += 1
            last_id = event.id
    head = AuditChainHead.objects.filter(id=1).first()
    if head is not None and head.last_hash != expected_prev:
        return ChainReport(checked, last_id + 1, "events after it have been removed")
    return ChainReport(checked, None, "")
