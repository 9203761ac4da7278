"""Screening, decisions, dissent, actions and feedback API."""

from datetime import date, datetime
from uuid import UUID

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from openmash.access.gates import decision_get_for_user, user_sees_whole_contact
from openmash.api.helpers import api_user
from openmash.api.schemas import ERRORS
from openmash.contacts.selectors import contact_open
from openmash.core.errors import NotFound

from .models import Action, Decision, Dissent, Feedback, Screening
from .services import (
    ActionInput,
    action_update_status,
    decision_propose,
    decision_return,
    decision_sign_off,
    dissent_record,
    dissent_resolve,
    feedback_send,
    screening_record,
)

router = Router(tags=["screening and decisions"])


class ScreeningIn(Schema):
    outcome: str = Field(
        ..., description="nfa | advice | early_help | mash_enquiry | strategy_discussion"
    )
    level_of_need: int = Field(..., ge=0, le=99)
    rag: str = Field(..., description="red | amber | green")
    rationale: str = Field(..., max_length=20000)


class ScreeningOut(Schema):
    id: UUID
    outcome: str
    level_of_need: int
    rag: str
    rationale: str
    is_rerating: bool
    recorded_at: datetime


class ActionIn(Schema):
    owner_agency_id: UUID
    description: str = Field(..., max_length=5000)
    due_date: date


class ActionOut(Schema):
    id: UUID
    owner_agency_id: UUID
    description: str
    due_date: date
    status: str


class DecisionIn(Schema):
    outcome: str = Field(..., description="A code from GET /hub outcomes")
    level_of_need: int = Field(..., ge=0, le=99)
    rationale: str = Field(..., max_length=20000)
    childs_voice: str = Field("", max_length=20000)
    actions: list[ActionIn] = Field(default_factory=list, max_length=50)


class DissentOut(Schema):
    id: UUID
    agency_id: UUID
    reason: str
    escalated_to: str
    status: str
    resolution: str


class DecisionOut(Schema):
    id: UUID
    contact_id: UUID
    outcome: str
    outcome_label: str
    national_code: str
    level_of_need: int
    rationale: str
    childs_voice: str
    status: str
    proposed_at: datetime
    signed_off_at: datetime | None
    supersedes_id: UUID | None
    actions: list[ActionOut]
    dissents: list[DissentOut]


class SignOffIn(Schema):
    note: str = Field("", max_length=5000)


class ReturnIn(Schema):
    note: str = Field(..., max_length=5000)


class DissentIn(Schema):
    reason: str = Field(..., max_length=10000)
    escalated_to: str = Field(..., max_length=200)


class ResolveIn(Schema):
    resolution: str = Field(..., max_length=10000)


class ActionStatusIn(Schema):
    status: str = Field(..., description="open | done | cancelled")


class FeedbackIn(Schema):
    message: str = Field("", max_length=10000, description="Leave empty for the standard message")


class FeedbackOut(Schema):
    id: UUID
    message: str
    sent_to: str
    sent_at: datetime


def screening_out(s: Screening) -> ScreeningOut:
    return ScreeningOut.from_orm(s)


def decision_out(d: Decision) -> DecisionOut:
    return DecisionOut(
        id=d.id,
        contact_id=d.contact_id,
        outcome=d.outcome.code,
        outcome_label=d.outcome.label,
        national_code=d.outcome.national_code,
        level_of_need=d.level_of_need,
        rationale=d.rationale,
        childs_voice=d.childs_voice,
        status=d.status,
        proposed_at=d.proposed_at,
        signed_off_at=d.signed_off_at,
        supersedes_id=d.supersedes_id,
        actions=[ActionOut.from_orm(a) for a in d.actions.all()],
        dissents=[DissentOut.from_orm(x) for x in d.dissents.all()],
    )


@router.post(
    "/contacts/{contact_id}/screenings",
    response={201: ScreeningOut, **ERRORS},
    summary="Screen (or re-rate) a contact",
)
def screenings_create(
    request: HttpRequest, contact_id: UUID, payload: ScreeningIn
) -> Status[ScreeningOut]:
    user = api_user(request)
    contact = contact_open(user, contact_id)
    return Status(
        201, screening_out(screening_record(actor=user, contact=contact, **payload.dict()))
    )


@router.post(
    "/contacts/{contact_id}/decisions",
    response={201: DecisionOut, **ERRORS},
    summary="Propose a decision (a manager signs it off)",
)
def decisions_create(
    request: HttpRequest, contact_id: UUID, payload: DecisionIn
) -> Status[DecisionOut]:
    user = api_user(request)
    contact = contact_open(user, contact_id)
    decision = decision_propose(
        actor=user,
        contact=contact,
        outcome_code=payload.outcome,
        level_of_need=payload.level_of_need,
        rationale=payload.rationale,
        childs_voice=payload.childs_voice,
        actions=[
            ActionInput(
                owner_agency_id=str(a.owner_agency_id),
                description=a.description,
                due_date=a.due_date,
            )
            for a in payload.actions
        ],
    )
    return Status(201, decision_out(decision))


@router.get(
    "/contacts/{contact_id}/decisions",
    response={200: list[DecisionOut], **ERRORS},
    summary="The decisions of a contact, oldest first",
)
def decisions_of_contact(request: HttpRequest, contact_id: UUID) -> list[DecisionOut]:
    user = api_user(request)
    contact = contact_open(user, contact_id)
    if not user_sees_whole_contact(user):
        raise NotFound("Contact not found")
    return [decision_out(d) for d in contact.decisions.select_related("outcome")]


@router.get(
    "/decisions/{decision_id}",
    response={200: DecisionOut, **ERRORS},
    summary="One decision",
)
def decisions_detail(request: HttpRequest, decision_id: UUID) -> DecisionOut:
    return decision_out(decision_get_for_user(api_user(request), decision_id))


@router.post(
    "/decisions/{decision_id}/sign-off",
    response={200: DecisionOut, **ERRORS},
    summary="Sign off a proposed decision (MASH manager)",
)
def decisions_sign_off(request: HttpRequest, decision_id: UUID, payload: SignOffIn) -> DecisionOut:
    user = api_user(request)
    decision = decision_get_for_user(user, decision_id)
    return decision_out(decision_sign_off(actor=user, decision=decision, note=payload.note))


@router.post(
    "/decisions/{decision_id}/return",
    response={200: DecisionOut, **ERRORS},
    summary="Return a proposed decision to the practitioner (MASH manager)",
)
def decisions_return(request: HttpRequest, decision_id: UUID, payload: ReturnIn) -> DecisionOut:
    user = api_user(request)
    decision = decision_get_for_user(user, decision_id)
    return decision_out(decision_return(actor=user, decision=decision, note=payload.note))


@router.post(
    "/decisions/{decision_id}/dissents",
    response={201: DissentOut, **ERRORS},
    summary="Record your agency's dissent and its escalation",
)
def dissents_create(
    request: HttpRequest, decision_id: UUID, payload: DissentIn
) -> Status[DissentOut]:
    user = api_user(request)
    decision = decision_get_for_user(user, decision_id)
    return Status(
        201, DissentOut.from_orm(dissent_record(actor=user, decision=decision, **payload.dict()))
    )


@router.post(
    "/dissents/{dissent_id}/resolve",
    response={200: DissentOut, **ERRORS},
    summary="Record how a disagreement was resolved (MASH manager)",
)
def dissents_resolve(request: HttpRequest, dissent_id: UUID, payload: ResolveIn) -> DissentOut:
    user = api_user(request)
    dissent = Dissent.objects.filter(pk=dissent_id).select_related("decision").first()
    if dissent is None:
        raise NotFound("Dissent not found")
    decision_get_for_user(user, dissent.decision_id)
    return DissentOut.from_orm(
        dissent_resolve(actor=user, dissent=dissent, resolution=payload.resolution)
    )


@router.post(
    "/actions/{action_id}/status",
    response={200: ActionOut, **ERRORS},
    summary="Mark an agreed action open, done or cancelled",
)
def actions_status(request: HttpRequest, action_id: UUID, payload: ActionStatusIn) -> ActionOut:
    user = api_user(request)
    action = Action.objects.filter(pk=action_id).select_related("decision").first()
    if action is None:
        raise NotFound("Action not found")
    decision_get_for_user(user, action.decision_id)
    return ActionOut.from_orm(
        action_update_status(actor=user, action=action, status=payload.status)
    )


@router.post(
    "/contacts/{contact_id}/feedback",
    response={201: FeedbackOut, **ERRORS},
    summary="Send the outcome to the referrer",
)
def feedback_create(
    request: HttpRequest, contact_id: UUID, payload: FeedbackIn
) -> Status[FeedbackOut]:
    user = api_user(request)
    contact = contact_open(user, contact_id)
    feedback: Feedback = feedback_send(actor=user, contact=contact, message=payload.message)
    return Status(201, FeedbackOut.from_orm(feedback))
