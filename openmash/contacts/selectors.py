"""Reads of contacts. Opening a contact writes the consultation log (DPA 2018 s.62)."""

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING
from uuid import UUID

from django.db import transaction
from django.db.models import Count, F, QuerySet
from django.utils import timezone

from openmash.access.checks import can_see_confidential_address
from openmash.access.permissions import Permission
from openmash.audit.models import READ_VERBS, AuditEvent, AuditVerb
from openmash.audit.selectors import audit_event_shown
from openmash.audit.services import audit_list_read, audit_record
from openmash.contacts.scopes import contact_get_for_user, contacts_visible_to
from openmash.core.errors import PermissionDenied
from openmash.core.standards import CONCERN_CATEGORIES
from openmash.core.working_time import format_working_duration
from openmash.hubs.models import Hub

from .models import Contact, ContactPerson, JourneyStage, Rag

if TYPE_CHECKING:
    from openmash.accounts.models import User

WITHHELD = "Withheld: confidential address"


@dataclass(frozen=True)
class PersonView:
    """A person as this user may see them: a confidential address is withheld unless the
    user's role needs it."""

    id: UUID
    role: str
    kind: str
    relationship: str
    full_name: str
    given_name: str
    family_name: str
    aliases: str
    date_of_birth: date | None
    expected_date_of_birth: date | None
    sex: str
    ethnicity: str
    address_lines: list[str]
    address_confidential: bool
    address_withheld: bool
    nhs_number: str
    upn: str
    relationship_label: str = ""
    kind_label: str = ""
    sex_label: str = ""
    disabilities: list[str] = field(default_factory=list)


def person_view(person: ContactPerson, *, show_confidential: bool) -> PersonView:
    withheld = person.address_confidential and not show_confidential
    return PersonView(
        id=person.id,
        role=person.role,
        kind=person.kind,
        relationship=person.relationship,
        full_name=person.full_name,
        given_name=person.given_name,
        family_name=person.family_name,
        aliases=person.aliases,
        date_of_birth=person.date_of_birth,
        expected_date_of_birth=person.expected_date_of_birth,
        sex=person.sex,
        ethnicity=person.ethnicity,
        address_lines=[WITHHELD] if withheld else person.address_lines,
        address_confidential=person.address_confidential,
        address_withheld=withheld,
        nhs_number=person.nhs_number,
        upn=person.upn,
        relationship_label=person.get_relationship_display() if person.relationship else "",
        kind_label=person.get_kind_display(),
        sex_label=person.get_sex_display(),
        disabilities=list(person.disabilities),
    )


def people_for(user: "User", contact: Contact) -> list[PersonView]:
    show = can_see_confidential_address(user)
    return [person_view(p, show_confidential=show) for p in contact.people.all()]


def contact_open(user: "User", contact_id: UUID | str, *, reason: str = "") -> Contact:
    """The gate plus the consultation log: every opening of a contact is recorded."""
    contact = contact_get_for_user(user, contact_id)
    with transaction.atomic():
        audit_record(
            actor=user,
            verb=AuditVerb.CONTACT_VIEWED,
            target=contact,
            hub_id=contact.hub_id,
            contact_id=contact.pk,
            reason=reason,
        )
    return contact


def contact_open_for(user: "User", contact_id: UUID | str, *, writing: bool) -> Contact:
    """How every page and API endpoint opens a contact, so the two audit the same thing: to
    read it, the gate plus the consultation log; to write to it, the gate alone (the write's
    own event, in the same transaction as the change, records what was done and by whom)."""
    if writing:
        return contact_get_for_user(user, contact_id)
    return contact_open(user, contact_id)


def contacts_list(
    user: "User", *, stage: str = "", limit: int = 50, offset: int = 0
) -> tuple[list[Contact], int]:
    """A page of contacts for a list or the API; the page's ids go into the consultation log."""
    qs: QuerySet[Contact] = contacts_visible_to(user).select_related("hub")
    if stage:
        qs = qs.filter(stage=stage)
    total = qs.count()
    page = list(qs.order_by("-received_at")[offset : offset + limit])
    audit_list_read(actor=user, kind="contacts", objects=page)
    return page, total


def concern_labels(contact: Contact) -> list[str]:
    return [CONCERN_CATEGORIES[c][0] for c in contact.concern_categories if c in CONCERN_CATEGORIES]


@dataclass(frozen=True)
class Deadline:
    due_at: datetime | None
    working_left: str  # "3h 20m left" / "overdue by 1h 5m" / ""
    overdue: bool


def deadline_for(hub: Hub, due: datetime | None, now: datetime | None = None) -> Deadline:
    if due is None:
        return Deadline(None, "", False)
    now = now or timezone.now()
    left = hub.calendar().working_time_between(now, due)
    if due <= now:
        return Deadline(due, f"overdue by {format_working_duration(-left)}", True)
    return Deadline(due, f"{format_working_duration(left)} left", False)


@dataclass(frozen=True)
class TimelineItem:
    at: datetime
    label: str
    actor: str
    agency: str
    detail: str = ""
    changes: dict[str, object] = field(default_factory=dict)


def contact_timeline(contact: Contact, *, viewer: "User") -> list[TimelineItem]:
    """Everything that happened to the contact, from the audit trail (reads left out), each
    field through the same rule as the audit page (a correction's reason is withheld from a
    role that may not see confidential addresses, and so on)."""
    events = (
        AuditEvent.objects.filter(contact_id=contact.pk)
        .exclude(verb__in=[v.value for v in READ_VERBS])
        .order_by("at", "id")
    )
    labels = dict(AuditVerb.choices)
    items = []
    for e in events:
        shown = audit_event_shown(e, viewer)
        items.append(
            TimelineItem(
                at=e.at,
                label=labels.get(e.verb, e.verb),
                actor=e.actor_username or "OpenMASH",
                agency=e.actor_agency,
                detail=f"Reason {shown.reason}" if shown.reason_withheld else shown.reason,
                changes={c.field: c.value for c in shown.changes},
            )
        )
    return items


OPEN_STAGES = list(JourneyStage.open_stages())


def contacts_queue(
    user: "User", *, stage: str = "", limit: int = 50, offset: int = 0
) -> tuple[list[Contact], int]:
    """The MASH work queue: open contacts, the soonest due (so the overdue) first, with their
    people. The page's ids go into the consultation log, as for `contacts_list`."""
    qs: QuerySet[Contact] = contacts_visible_to(user).filter(stage__in=OPEN_STAGES)
    if stage:
        qs = qs.filter(stage=stage)
    total = qs.count()
    ordered = (
        qs.select_related("hub")
        .prefetch_related("people")
        .order_by(F("stage_due_at").asc(nulls_last=True), "-immediate_risk", "received_at", "id")
    )
    page = list(ordered[offset : offset + limit])
    audit_list_read(actor=user, kind="contacts", objects=page)
    return page, total


@dataclass(frozen=True)
class ContactCounts:
    """Aggregates only: never a name, a reference or anything else about one contact."""

    total: int
    by_stage: list[tuple[str, int]]
    by_rag: list[tuple[str, int]]  # open contacts only


def contact_counts(user: "User") -> ContactCounts:
    """Counts of the user's hub's contacts by stage, and of its open contacts by RAG rating."""
    if not user.is_active or user.hub_id is None or not user.can(Permission.AGGREGATES_VIEW):
        raise PermissionDenied("You do not have permission to see the hub's figures.")
    hub_contacts = Contact.objects.filter(hub_id=user.hub_id)
    stages = dict(hub_contacts.values_list("stage").annotate(n=Count("id")).order_by())
    rags = dict(
        hub_contacts.filter(stage__in=OPEN_STAGES)
        .values_list("rag")
        .annotate(n=Count("id"))
        .order_by()
    )
    return ContactCounts(
        total=sum(stages.values()),
        by_stage=[(label, stages.get(value, 0)) for value, label in JourneyStage.choices],
        by_rag=[(label, rags.get(value, 0)) for value, label in Rag.choices]
        + [("Not yet rated", rags.get("", 0))],
    )


def contacts_submitted(
    user: "User", *, limit: int = 50, offset: int = 0
) -> tuple[list[Contact], int]:
    """A page of the contacts this user sent themselves (a referrer's own list), newest first,
    with any feedback; the page's ids go into the consultation log."""
    qs: QuerySet[Contact] = contacts_visible_to(user).filter(submitted_by=user)
    total = qs.count()
    page = list(qs.prefetch_related("feedback").order_by("-received_at")[offset : offset + limit])
    audit_list_read(actor=user, kind="contacts", objects=page)
    return page, total
