"""Information requests API: ask agencies, the agency queue, answers."""

from datetime import date, datetime
from uuid import UUID

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from openmash.access.checks import user_sees_whole_contact
from openmash.access.permissions import Permission
from openmash.api.helpers import api_user
from openmash.api.schemas import ERRORS
from openmash.contacts.selectors import contact_open, contact_open_for, deadline_for
from openmash.core.errors import NotFound

from .models import InformationRequest, RequestStatus, SharingLedgerEntry
from .selectors import people_to_search, request_open, request_open_for, requests_queue_read
from .services import request_answer, requests_create, sharing_decision_record

router = Router(tags=["information requests"])


class RequestsIn(Schema):
    agency_ids: list[UUID] = Field(..., max_length=50)
    question: str = Field("", max_length=5000)


class PersonToSearchOut(Schema):
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


class RequestOut(Schema):
    id: UUID
    contact_id: UUID
    contact_reference: str
    agency_id: UUID
    agency_name: str
    rag: str
    question: str
    requested_at: datetime
    due_at: datetime
    working_time_left: str
    overdue: bool
    status: str
    result: str
    information: str
    not_checked_reason: str
    handling: str
    lawful_basis: str
    answered_at: datetime | None


class RequestDetailOut(RequestOut):
    people: list[PersonToSearchOut]


class AnswerIn(Schema):
    result: str = Field(..., description="known | not_known | not_checked")
    information: str = Field("", max_length=20000)
    not_checked_reason: str = Field("", max_length=5000)
    handling: str = Field("", description="family | mash_only | originator_consent")
    lawful_basis: str = Field("", description="e.g. public_task_safeguarding, law_enforcement")


class QueueFilters(Schema):
    status: RequestStatus | None = RequestStatus.OPEN


def request_out(r: InformationRequest) -> RequestOut:
    deadline = deadline_for(r.contact.hub, r.due_at if r.status == RequestStatus.OPEN else None)
    return RequestOut(
        id=r.id,
        contact_id=r.contact_id,
        contact_reference=r.contact.reference,
        agency_id=r.agency_id,
        agency_name=r.agency.name,
        rag=r.rag,
        question=r.question,
        requested_at=r.requested_at,
        due_at=r.due_at,
        working_time_left=deadline.working_left,
        overdue=deadline.overdue,
        status=r.status,
        result=r.result,
        information=r.information,
        not_checked_reason=r.not_checked_reason,
        handling=r.handling,
        lawful_basis=r.lawful_basis,
        answered_at=r.answered_at,
    )


@router.post(
    "/contacts/{contact_id}/requests",
    response={201: list[RequestOut], **ERRORS},
    summary="Ask agencies what they know (MASH enquiry)",
)
def requests_create_endpoint(
    request: HttpRequest, contact_id: UUID, payload: RequestsIn
) -> Status[list[RequestOut]]:
    user = api_user(request)
    contact = contact_open_for(user, contact_id, writing=True)
    created = requests_create(
        actor=user,
        contact=contact,
        agency_ids=[str(a) for a in payload.agency_ids],
        question=payload.question,
    )
    return Status(201, [request_out(r) for r in created])


@router.get(
    "/contacts/{contact_id}/requests",
    response={200: list[RequestOut], **ERRORS},
    summary="The information requests of a contact",
)
def requests_of_contact(request: HttpRequest, contact_id: UUID) -> list[RequestOut]:
    user = api_user(request)
    contact = contact_open(user, contact_id)
    if not user_sees_whole_contact(user):
        return []
    return [request_out(r) for r in contact.requests.select_related("agency", "contact__hub")]


@router.get(
    "/requests",
    response={200: list[RequestOut], **ERRORS},
    summary="Your agency's queue of information requests, by deadline",
)
def requests_index(request: HttpRequest, filters: Query[QueueFilters]) -> list[RequestOut]:
    user = api_user(request)
    rows, _more = requests_queue_read(user, status=filters.status or "", limit=500)
    return [request_out(r) for r in rows]


@router.get(
    "/requests/{request_id}",
    response={200: RequestDetailOut, **ERRORS},
    summary="One information request, with the people to search for",
)
def requests_detail(request: HttpRequest, request_id: UUID) -> RequestDetailOut:
    r = request_open(api_user(request), request_id)
    return RequestDetailOut(
        **request_out(r).dict(),
        people=[PersonToSearchOut(**vars(p)) for p in people_to_search(r)],
    )


@router.post(
    "/requests/{request_id}/answer",
    response={200: RequestOut, **ERRORS},
    summary="Answer an information request for your agency",
)
def requests_answer(request: HttpRequest, request_id: UUID, payload: AnswerIn) -> RequestOut:
    user = api_user(request)
    r = request_open_for(user, request_id, writing=True)
    answered = request_answer(actor=user, request=r, **payload.dict())
    return request_out(answered)


class SharingIn(Schema):
    shared: bool = Field(..., description="false records a decision NOT to share")
    what: str = Field(..., max_length=10000)
    to: str = Field(..., max_length=200)
    why: str = Field(..., max_length=10000)
    lawful_basis: str = Field(..., description="e.g. public_task_safeguarding")


class SharingOut(Schema):
    id: UUID
    shared: bool
    what: str
    from_agency: str
    to: str
    why: str
    lawful_basis: str
    handling: str
    by: str
    at: datetime


def sharing_out(entry: SharingLedgerEntry) -> SharingOut:
    return SharingOut(
        id=entry.id,
        shared=entry.shared,
        what=entry.what,
        from_agency=entry.from_agency.name,
        to=entry.to,
        why=entry.why,
        lawful_basis=entry.lawful_basis,
        handling=entry.handling,
        by=entry.by.username,
        at=entry.at,
    )


@router.get(
    "/contacts/{contact_id}/sharing",
    response={200: list[SharingOut], **ERRORS},
    summary="The contact's information-sharing record (golden rule 7)",
)
def sharing_index(request: HttpRequest, contact_id: UUID) -> list[SharingOut]:
    user = api_user(request)
    contact = contact_open(user, contact_id)
    if not user.can(Permission.SHARING_LEDGER_VIEW):
        raise NotFound("Contact not found")
    return [sharing_out(e) for e in contact.ledger.select_related("from_agency", "by")]


@router.post(
    "/contacts/{contact_id}/sharing",
    response={201: SharingOut, **ERRORS},
    summary="Record information shared outside a request, or a decision not to share",
)
def sharing_create(
    request: HttpRequest, contact_id: UUID, payload: SharingIn
) -> Status[SharingOut]:
    user = api_user(request)
    contact = contact_open_for(user, contact_id, writing=True)
    entry = sharing_decision_record(actor=user, contact=contact, **payload.dict())
    return Status(201, sharing_out(entry))
