"""People API: possible matches for a contact, reviews, agency index loads, duplicates,
merges."""

import io
from datetime import date
from uuid import UUID

from django.http import HttpRequest
from ninja import Field, File, Router, Schema, Status, UploadedFile

from openmash.access.checks import user_sees_whole_contact
from openmash.access.permissions import Permission
from openmash.api.helpers import api_user
from openmash.api.schemas import ERRORS
from openmash.core.errors import NotFound, PermissionDenied, ValidationError
from openmash.hubs.models import Agency

from .casework import contact_get_for_user, mention_find
from .forms import MAX_UPLOAD_BYTES
from .index_csv import parse_index_rows
from .models import Person, PersonMerge
from .selectors import contact_matches, possible_duplicates_read
from .services import index_load, index_load_require, match_review, person_merge, person_unmerge

router = Router(tags=["people"])


class ExplanationOut(Schema):
    comparison: str
    level: str
    weight: float


class PriorContactOut(Schema):
    contact_id: str
    reference: str
    received_at: str
    outcome: str
    was_referral: bool


class KnownOut(Schema):
    prior_contacts: list[PriorContactOut]
    re_referral: bool


class CandidateOut(Schema):
    key: str
    kind: str
    probability: float
    label: str
    agency_id: UUID | None
    known: KnownOut | None
    review: str
    explanation: list[ExplanationOut]


class MentionMatchesOut(Schema):
    mention_id: UUID
    name: str
    person_id: UUID | None
    known: KnownOut | None
    candidates: list[CandidateOut]


def _known(known: object) -> KnownOut | None:
    if known is None:
        return None
    return KnownOut(
        prior_contacts=[
            PriorContactOut(
                contact_id=p.contact_id,
                reference=p.reference,
                received_at=p.received_at.isoformat(),
                outcome=p.outcome,
                was_referral=p.was_referral,
            )
            for p in known.prior_contacts  # type: ignore[attr-defined]
        ],
        re_referral=known.re_referral,  # type: ignore[attr-defined]
    )


@router.get(
    "/contacts/{contact_id}/matches",
    response={200: list[MentionMatchesOut], **ERRORS},
    summary="Who the contact's people may be: hub persons and agency index records",
)
def matches_for_contact(request: HttpRequest, contact_id: UUID) -> list[MentionMatchesOut]:
    user = api_user(request)
    contact = contact_get_for_user(user, contact_id)
    if not user_sees_whole_contact(user):
        raise NotFound("Contact not found")
    return [
        MentionMatchesOut(
            mention_id=m.mention.pk,
            name=m.mention.full_name,
            person_id=m.mention.person_id,
            known=_known(m.known),
            candidates=[
                CandidateOut(
                    key=c.key,
                    kind=c.kind,
                    probability=c.probability,
                    label=c.label,
                    agency_id=c.agency.pk if c.agency else None,
                    known=_known(c.known),
                    review=c.review,
                    explanation=[
                        ExplanationOut(comparison=e.comparison, level=e.level, weight=e.weight)
                        for e in c.explanation
                    ],
                )
                for c in m.candidates
            ],
        )
        for m in contact_matches(user, contact)
    ]


class ReviewIn(Schema):
    mention_id: UUID
    candidate: str = Field(..., max_length=80, description='"person:<id>" or "agency:<id>"')
    probability: float = Field(..., ge=0, le=1)
    decision: str = Field(..., description="confirmed | rejected")


class ReviewOut(Schema):
    id: UUID
    decision: str


@router.post(
    "/match-reviews",
    response={201: ReviewOut, **ERRORS},
    summary="Confirm or reject a possible match",
)
def reviews_create(request: HttpRequest, payload: ReviewIn) -> Status[ReviewOut]:
    user = api_user(request)
    mention = mention_find(payload.mention_id)
    if mention is None:
        raise NotFound("Person not found")
    contact_get_for_user(user, mention.contact_id)
    review = match_review(
        actor=user,
        mention=mention,
        candidate_key=payload.candidate,
        probability=payload.probability,
        decision=payload.decision,
    )
    return Status(201, ReviewOut(id=review.pk, decision=review.decision))


class LoadOut(Schema):
    id: UUID
    agency: str
    inserted: int
    updated: int
    deleted: int


@router.post(
    "/agencies/{agency_code}/index",
    response={201: LoadOut, **ERRORS},
    summary="Load an agency's pointer index (CSV; all rows or none)",
)
def index_upload(
    request: HttpRequest, agency_code: str, file: File[UploadedFile]
) -> Status[LoadOut]:
    user = api_user(request)
    agency = Agency.objects.filter(hub=user.hub, code=agency_code[:40]).first()
    if agency is None:
        raise NotFound("Agency not found")
    index_load_require(actor=user, agency=agency)  # before the file is read
    if (file.size or 0) > MAX_UPLOAD_BYTES:
        raise ValidationError.for_field("file", "The file must be smaller than 200 MB")
    try:
        raw = file.read().decode("utf-8-sig")
        parsed = parse_index_rows(io.StringIO(raw, newline=""))
    except UnicodeDecodeError as exc:
        raise ValidationError.for_field("file", "The file must be a CSV saved as UTF-8") from exc
    result = index_load(
        actor=user, agency=agency, parsed=parsed, source="api", filename=file.name or ""
    )
    return Status(
        201,
        LoadOut(
            id=result.load.pk,
            agency=agency.code,
            inserted=result.inserted,
            updated=result.updated,
            deleted=result.deleted,
        ),
    )


class PersonOut(Schema):
    id: UUID
    given_name: str
    family_name: str
    date_of_birth: date | None
    postcode: str


class DuplicateOut(Schema):
    first: PersonOut
    second: PersonOut
    probability: float
    explanation: list[ExplanationOut]


def _require_merge(request: HttpRequest) -> None:
    if not api_user(request).can(Permission.PERSON_MERGE):
        raise PermissionDenied("You do not have permission to do that.")


@router.get(
    "/people/duplicates",
    response={200: list[DuplicateOut], **ERRORS},
    summary="Possible duplicates among the hub's persons",
)
def duplicates(request: HttpRequest) -> list[DuplicateOut]:
    _require_merge(request)
    user = api_user(request)
    hub = user.hub
    assert hub is not None
    return [
        DuplicateOut(
            first=PersonOut.from_orm(d.first),
            second=PersonOut.from_orm(d.second),
            probability=d.probability,
            explanation=[
                ExplanationOut(comparison=e.comparison, level=e.level, weight=e.weight)
                for e in d.explanation
            ],
        )
        for d in possible_duplicates_read(user, hub)
    ]


class MergeIn(Schema):
    merged: UUID
    into: UUID
    reason: str = Field(..., max_length=2000)


class MergeOut(Schema):
    id: UUID
    merged: UUID
    into: UUID
    undone: bool


def _merge_out(merge: PersonMerge) -> MergeOut:
    return MergeOut(
        id=merge.pk, merged=merge.merged_id, into=merge.into_id, undone=merge.undone_at is not None
    )


@router.post(
    "/people/merges",
    response={201: MergeOut, **ERRORS},
    summary="Merge one hub person into another (undoable)",
)
def merges_create(request: HttpRequest, payload: MergeIn) -> Status[MergeOut]:
    user = api_user(request)
    _require_merge(request)
    people = {
        p.pk: p for p in Person.objects.filter(hub=user.hub, pk__in=[payload.merged, payload.into])
    }
    if payload.merged not in people or payload.into not in people:
        raise NotFound("Person not found")
    merge = person_merge(
        actor=user, merged=people[payload.merged], into=people[payload.into], reason=payload.reason
    )
    return Status(201, _merge_out(merge))


class UndoIn(Schema):
    reason: str = Field(..., max_length=2000)


@router.post(
    "/people/merges/{merge_id}/undo",
    response={200: MergeOut, **ERRORS},
    summary="Undo a merge exactly",
)
def merges_undo(request: HttpRequest, merge_id: UUID, payload: UndoIn) -> MergeOut:
    user = api_user(request)
    _require_merge(request)
    merge = PersonMerge.objects.filter(pk=merge_id, into__hub=user.hub).first()
    if merge is None:
        raise NotFound("Merge not found")
    return _merge_out(person_unmerge(actor=user, merge=merge, reason=payload.reason))
