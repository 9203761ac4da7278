"""Reads for MASH enquiries. A researcher sees the minimum needed to search their records."""

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING
from uuid import UUID

from django.db import transaction
from django.db.models import QuerySet

from openmash.audit.models import AuditVerb
from openmash.audit.services import audit_list_read, audit_record
from openmash.enquiries.scopes import request_get_for_user, requests_visible_to

from .models import InformationRequest, RequestStatus

if TYPE_CHECKING:
    from openmash.accounts.models import User

WITHHELD = "Withheld: confidential address"


@dataclass(frozen=True)
class PersonToSearch:
    """Only what an agency needs to search its own systems (golden rule 6)."""

    role: str
    relationship: str
    given_name: str
    family_name: str
    aliases: str
    date_of_birth: date | None
    expected_date_of_birth: date | None
    sex: str
    address_lines: list[str]
    nhs_number: str
    upn: str


def people_to_search(request: InformationRequest) -> list[PersonToSearch]:
    return [
        PersonToSearch(
            role=p.role,
            relationship=p.relationship,
            given_name=p.given_name,
            family_name=p.family_name,
            aliases=p.aliases,
            date_of_birth=p.date_of_birth,
            expected_date_of_birth=p.expected_date_of_birth,
            sex=p.sex,
            address_lines=[WITHHELD] if p.address_confidential else p.address_lines,
            nhs_number=p.nhs_number,
            upn=p.upn,
        )
        for p in request.contact.people.all()
    ]


def request_open(user: "User", request_id: UUID | str) -> InformationRequest:
    """The gate plus the consultation log."""
    request = request_get_for_user(user, request_id)
    with transaction.atomic():
        audit_record(
            actor=user,
            verb=AuditVerb.REQUEST_VIEWED,
            target=request,
            hub_id=request.contact.hub_id,
            contact_id=request.contact_id,
        )
    return request


def request_open_for(user: "User", request_id: UUID | str, *, writing: bool) -> InformationRequest:
    """As `contacts.selectors.contact_open_for`: a read is logged as a consultation, a write
    (an answer) opens the request through the gate alone and is audited by its own event."""
    if writing:
        return request_get_for_user(user, request_id)
    return request_open(user, request_id)


def requests_queue(
    user: "User", *, status: str = RequestStatus.OPEN
) -> QuerySet[InformationRequest]:
    qs = requests_visible_to(user).select_related("contact", "contact__hub", "agency")
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("due_at")


def requests_queue_read(
    user: "User", *, status: str = RequestStatus.OPEN, limit: int = 200
) -> tuple[list[InformationRequest], bool]:
    """Up to `limit` requests for a queue (answered ones newest first), logged as read;
    and whether there were more."""
    qs = requests_queue(user, status=status).select_related("answered_by")
    if status == RequestStatus.ANSWERED:
        qs = qs.order_by("-answered_at")
    rows = list(qs[: limit + 1])
    audit_list_read(actor=user, kind="requests", objects=rows[:limit])
    return rows[:limit], len(rows) > limit
