"""Contacts API: list, create, read, timeline."""

from datetime import date, datetime
from uuid import UUID

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from openmash.access.checks import user_sees_whole_contact
from openmash.accounts.models import User
from openmash.api.helpers import api_user
from openmash.api.schemas import ERRORS

from .models import Contact, JourneyStage
from .selectors import contact_open, contact_timeline, contacts_list, people_for
from .services import ContactInput, PersonInput, contact_create

router = Router(tags=["contacts"])


class PersonIn(Schema):
    role: str = Field("subject", description="subject | household")
    kind: str = Field("child", description="child | unborn | adult")
    relationship: str = Field(
        "",
        description="parent | carer | sibling | partner | "
        "other_adult | alleged_perpetrator | other_child",
    )
    given_name: str = Field("", max_length=100)
    family_name: str = Field("", max_length=100)
    aliases: str = Field("", max_length=300)
    date_of_birth: date | None = None
    expected_date_of_birth: date | None = None
    sex: str = Field("U", description="M | F | U")
    ethnicity: str = Field("NOBT", description="CIN census ethnicity code")
    address_line_1: str = Field("", max_length=200)
    address_line_2: str = Field("", max_length=200)
    town: str = Field("", max_length=100)
    postcode: str = Field("", max_length=10)
    address_confidential: bool = False
    nhs_number: str = Field("", max_length=12)
    upn: str = Field("", max_length=13)
    disabilities: list[str] = Field(
        default_factory=list,
        max_length=13,
        description="CIN census disability codes (NONE, MOB, HAND, ...); [] when not known",
    )


class ContactIn(Schema):
    channel: str = Field(
        "api", description="phone | email | online_form | police_notification | in_person | api"
    )
    received_at: datetime | None = Field(None, description="Defaults to now")
    source_code: str = Field("", description="CIN ReferralSource code, e.g. 2A, 6")
    referrer_name: str = Field("", max_length=200)
    referrer_role: str = Field("", max_length=200)
    referrer_organisation: str = Field("", max_length=200)
    referrer_agency_id: UUID | None = None
    referrer_is_public: bool = False
    referrer_email: str = Field("", max_length=254)
    referrer_phone: str = Field("", max_length=40)
    concern_categories: list[str] = Field(default_factory=list, max_length=30)
    concern_narrative: str = Field(..., max_length=20000)
    immediate_risk: bool = False
    family_awareness: str = Field(
        ..., description="aware_consented | aware_not_consented | not_aware | unknown"
    )
    no_consent_reason: str = Field("", max_length=5000)
    action_taken: str = Field("", max_length=5000)
    people: list[PersonIn] = Field(..., max_length=30)


class PersonOut(Schema):
    id: UUID
    role: str
    kind: str
    relationship: str
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
    disabilities: list[str]


class ContactSummaryOut(Schema):
    id: UUID
    reference: str
    received_at: datetime
    stage: str
    rag: str
    level_of_need: int | None
    stage_due_at: datetime | None
    immediate_risk: bool


class ScreeningOut(Schema):
    outcome: str
    level_of_need: int
    rag: str
    rationale: str
    is_rerating: bool
    recorded_by: str
    recorded_at: datetime


class FeedbackOut(Schema):
    message: str
    sent_at: datetime


class ContactOut(ContactSummaryOut):
    channel: str
    source_code: str
    referrer_name: str
    referrer_role: str
    referrer_organisation: str
    referrer_email: str
    referrer_phone: str
    concern_categories: list[str]
    concern_narrative: str
    family_awareness: str
    no_consent_reason: str
    action_taken: str
    people: list[PersonOut]
    screenings: list[ScreeningOut]
    feedback: list[FeedbackOut]


class ContactPage(Schema):
    count: int
    items: list[ContactSummaryOut]


class TimelineOut(Schema):
    at: datetime
    label: str
    actor: str
    agency: str
    detail: str


class ContactFilters(Schema):
    stage: JourneyStage | None = None
    limit: int = Field(50, ge=1, le=200)
    offset: int = Field(0, ge=0, le=10_000_000)


def summary_out(user: User, contact: Contact) -> ContactSummaryOut:
    """A referrer is told where their contact stands, never the hub's rating of it."""
    summary = ContactSummaryOut.from_orm(contact)
    if user_sees_whole_contact(user):
        return summary
    return summary.model_copy(update={"rag": "", "level_of_need": None, "stage_due_at": None})


def contact_out(request: HttpRequest, contact: Contact) -> ContactOut:
    user = api_user(request)
    whole = user_sees_whole_contact(user)
    screenings = list(contact.screenings.select_related("recorded_by")) if whole else []
    return ContactOut(
        **summary_out(user, contact).dict(),
        channel=contact.channel,
        source_code=contact.source_code,
        referrer_name=contact.referrer_name,
        referrer_role=contact.referrer_role,
        referrer_organisation=contact.referrer_organisation,
        referrer_email=contact.referrer_email,
        referrer_phone=contact.referrer_phone,
        concern_categories=contact.concern_categories,
        concern_narrative=contact.concern_narrative,
        family_awareness=contact.family_awareness,
        no_consent_reason=contact.no_consent_reason,
        action_taken=contact.action_taken,
        people=[PersonOut(**vars(p)) for p in people_for(user, contact)],
        screenings=[
            ScreeningOut(
                outcome=s.outcome,
                level_of_need=s.level_of_need,
                rag=s.rag,
                rationale=s.rationale,
                is_rerating=s.is_rerating,
                recorded_by=s.recorded_by.username,
                recorded_at=s.recorded_at,
            )
            for s in screenings
        ],
        feedback=[
            FeedbackOut(message=f.message, sent_at=f.sent_at) for f in contact.feedback.all()
        ],
    )


@router.get("", response={200: ContactPage, **ERRORS}, summary="Contacts you may see")
def contacts_index(request: HttpRequest, filters: Query[ContactFilters]) -> ContactPage:
    user = api_user(request)
    page, total = contacts_list(
        user, stage=filters.stage or "", limit=filters.limit, offset=filters.offset
    )
    return ContactPage(count=total, items=[summary_out(user, c) for c in page])


@router.post(
    "",
    response={201: ContactOut, **ERRORS},
    summary="Record a contact",
)
def contacts_create(request: HttpRequest, payload: ContactIn) -> Status[ContactOut]:
    data = payload.dict()
    people = [PersonInput(**p) for p in data.pop("people")]
    agency_id = data.pop("referrer_agency_id")
    contact = contact_create(
        actor=api_user(request),
        data=ContactInput(
            **data, people=people, referrer_agency_id=str(agency_id) if agency_id else None
        ),
    )
    return Status(201, contact_out(request, contact))


@router.get("/{contact_id}", response={200: ContactOut, **ERRORS}, summary="One contact")
def contacts_detail(request: HttpRequest, contact_id: UUID) -> ContactOut:
    return contact_out(request, contact_open(api_user(request), contact_id))


@router.get(
    "/{contact_id}/timeline",
    response={200: list[TimelineOut], **ERRORS},
    summary="Everything that happened to a contact",
)
def contacts_timeline(request: HttpRequest, contact_id: UUID) -> list[TimelineOut]:
    user = api_user(request)
    contact = contact_open(user, contact_id)
    if not user_sees_whole_contact(user):
        return []
    return [
        TimelineOut(at=i.at, label=i.label, actor=i.actor, agency=i.agency, detail=i.detail)
        for i in contact_timeline(contact, viewer=user)
    ]
