"""Screening, decisions, dissent, actions and feedback API."""

from datetime import date, datetime
from uuid import UUID

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from openmash.access.checks import user_sees_whole_contact
from openmash.accounts.models import User
from openmash.api.helpers import api_user
from openmash.api.schemas import ERRORS
from openmash.contacts.selectors import contact_open, contact_open_for
from openmash.core.errors import NotFound
from openmash.decisions.scopes import (
    action_get_for_user,
    decision_get_for_user,
    dissent_get_for_user,
    feedback_awaiting_get_for_user,
    feedback_get_for_user,
)

from .models import Decision, Dissent, Feedback, Screening
from .selectors import (
    ActionView,
    DecisionView,
    DissentView,
    decision_view_build,
    decision_view_for,
    decisions_view_for_contact,
    referral_view_for,
)
from .services import (
    ActionInput,
    ReferralProgressInput,
    action_update_status,
    decision_propose,
    decision_return,
    decision_sign_off,
    dissent_record,
    dissent_resolve,
    feedback_approve,
    feedback_email_resend,
    feedback_return,
    feedback_send,
    referral_progress_record,
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
    primary_need_code: str = Field(
        "",
        description="CIN primary need N0-N9: required when the outcome's national code is "
        "S17 or S47 (the contact becomes a referral)",
    )
    actions: list[ActionIn] = Field(default_factory=list, max_length=50)


class DissentOut(Schema):
    id: UUID
    agency_id: UUID
    reason: str
    escalated_to: str
    status: str
    resolution: str


class DecisionOut(Schema):
    """A decision as the caller may see it: an agency researcher gets null for the rationale
    and the child's voice, and only their own agency's actions and dissents."""

    id: UUID
    contact_id: UUID
    outcome: str
    outcome_label: str
    national_code: str
    level_of_need: int
    rationale: str | None = Field(..., description="null for an agency researcher")
    childs_voice: str | None = Field(..., description="null for an agency researcher")
    primary_need_code: str | None = Field(..., description="null for an agency researcher")
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
    message: str = Field(
        "",
        max_length=10000,
        description="An optional note of at most 500 characters; the outcome, next step and "
        "contact point are composed for you. A note on a contact with a confidential address "
        "or unconsented originator-controlled information awaits a manager's approval.",
    )
    next_step: str = Field("", max_length=40, description="What happens now (a choice's code)")


class FeedbackApprovalIn(Schema):
    decision: str = Field(..., pattern="^(approve|return)$")
    note: str = Field("", max_length=500, description="Why it is returned")


class FeedbackOut(Schema):
    id: UUID
    message: str
    status: str = Field(..., description="sent | awaiting_approval | returned")
    sent_to: str
    sent_at: datetime
    email_status: str = Field(..., description="not_needed | queued | sent | failed")
    emailed_at: datetime | None
    email_error: str = Field(..., description="The class of the error when the e-mail failed")


def screening_out(s: Screening) -> ScreeningOut:
    return ScreeningOut.from_orm(s)


def action_out(a: ActionView) -> ActionOut:
    return ActionOut(
        id=a.id,
        owner_agency_id=a.owner_agency_id,
        description=a.description,
        due_date=a.due_date,
        status=a.status,
    )


def dissent_out(d: DissentView | Dissent) -> DissentOut:
    return DissentOut(
        id=d.id,
        agency_id=d.agency_id,
        reason=d.reason,
        escalated_to=d.escalated_to,
        status=d.status,
        resolution=d.resolution,
    )


def decision_out(d: DecisionView) -> DecisionOut:
    return DecisionOut(
        id=d.id,
        contact_id=d.contact_id,
        outcome=d.outcome_code,
        outcome_label=d.outcome_label,
        national_code=d.national_code,
        level_of_need=d.level_of_need,
        rationale=d.rationale,
        childs_voice=d.childs_voice,
        primary_need_code=d.primary_need_code,
        status=d.status,
        proposed_at=d.proposed_at,
        signed_off_at=d.signed_off_at,
        supersedes_id=d.supersedes_id,
        actions=[action_out(a) for a in d.actions],
        dissents=[dissent_out(x) for x in d.dissents],
    )


def written(user: User, decision: Decision) -> DecisionOut:
    """The answer to a write: the decision as the writer may see it (the write is audited)."""
    return decision_out(decision_view_build(user, decision))


@router.post(
    "/contacts/{contact_id}/screenings",
    response={201: ScreeningOut, **ERRORS},
    summary="Screen (or re-rate) a contact",
)
def screenings_create(
    request: HttpRequest, contact_id: UUID, payload: ScreeningIn
) -> Status[ScreeningOut]:
    user = api_user(request)
    contact = contact_open_for(user, contact_id, writing=True)
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
    contact = contact_open_for(user, contact_id, writing=True)
    decision = decision_propose(
        actor=user,
        contact=contact,
        outcome_code=payload.outcome,
        level_of_need=payload.level_of_need,
        rationale=payload.rationale,
        childs_voice=payload.childs_voice,
        primary_need_code=payload.primary_need_code,
        actions=[
            ActionInput(
                owner_agency_id=str(a.owner_agency_id),
                description=a.description,
                due_date=a.due_date,
            )
            for a in payload.actions
        ],
    )
    return Status(201, written(user, decision))


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
    return [decision_out(d) for d in decisions_view_for_contact(user, contact)]


@router.get(
    "/decisions/{decision_id}",
    response={200: DecisionOut, **ERRORS},
    summary="One decision (an agency researcher sees the outcome and their own agency's part)",
)
def decisions_detail(request: HttpRequest, decision_id: UUID) -> DecisionOut:
    return decision_out(decision_view_for(api_user(request), decision_id))


@router.post(
    "/decisions/{decision_id}/sign-off",
    response={200: DecisionOut, **ERRORS},
    summary="Sign off a proposed decision (MASH manager)",
)
def decisions_sign_off(request: HttpRequest, decision_id: UUID, payload: SignOffIn) -> DecisionOut:
    user = api_user(request)
    decision = decision_get_for_user(user, decision_id)
    return written(user, decision_sign_off(actor=user, decision=decision, note=payload.note))


@router.post(
    "/decisions/{decision_id}/return",
    response={200: DecisionOut, **ERRORS},
    summary="Return a proposed decision to the practitioner (MASH manager)",
)
def decisions_return(request: HttpRequest, decision_id: UUID, payload: ReturnIn) -> DecisionOut:
    user = api_user(request)
    decision = decision_get_for_user(user, decision_id)
    return written(user, decision_return(actor=user, decision=decision, note=payload.note))


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
    return Status(201, dissent_out(dissent_record(actor=user, decision=decision, **payload.dict())))


@router.post(
    "/dissents/{dissent_id}/resolve",
    response={200: DissentOut, **ERRORS},
    summary="Record how a disagreement was resolved (MASH manager)",
)
def dissents_resolve(request: HttpRequest, dissent_id: UUID, payload: ResolveIn) -> DissentOut:
    user = api_user(request)
    dissent = dissent_get_for_user(user, dissent_id)
    return dissent_out(dissent_resolve(actor=user, dissent=dissent, resolution=payload.resolution))


@router.post(
    "/actions/{action_id}/status",
    response={200: ActionOut, **ERRORS},
    summary="Mark an agreed action open, done or cancelled",
)
def actions_status(request: HttpRequest, action_id: UUID, payload: ActionStatusIn) -> ActionOut:
    user = api_user(request)
    action = action_get_for_user(user, action_id)
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
    contact = contact_open_for(user, contact_id, writing=True)
    feedback: Feedback = feedback_send(
        actor=user, contact=contact, message=payload.message, next_step=payload.next_step
    )
    feedback.refresh_from_db()  # the e-mail task may already have run (after the commit)
    return Status(201, FeedbackOut.from_orm(feedback))


@router.post(
    "/feedback/{feedback_id}/approval",
    response={200: FeedbackOut, **ERRORS},
    summary="A manager (not the sender) approves or returns a held message",
)
def feedback_approval(
    request: HttpRequest, feedback_id: UUID, payload: FeedbackApprovalIn
) -> FeedbackOut:
    user = api_user(request)
    held = feedback_awaiting_get_for_user(user, feedback_id)
    if payload.decision == "approve":
        feedback = feedback_approve(actor=user, feedback=held)
    else:
        feedback = feedback_return(actor=user, feedback=held, note=payload.note)
    feedback.refresh_from_db()
    return FeedbackOut.from_orm(feedback)


@router.post(
    "/feedback/{feedback_id}/resend",
    response={200: FeedbackOut, **ERRORS},
    summary="Send a feedback e-mail that failed again",
)
def feedback_resend(request: HttpRequest, feedback_id: UUID) -> FeedbackOut:
    user = api_user(request)
    feedback = feedback_email_resend(actor=user, feedback=feedback_get_for_user(user, feedback_id))
    feedback.refresh_from_db()
    return FeedbackOut.from_orm(feedback)


class ReferralProgressIn(Schema):
    """The whole record each time: a field left out (null) has not happened yet."""

    assessment_started_on: date | None = None
    assessment_authorised_on: date | None = None
    assessment_factors: list[str] | None = Field(
        None,
        max_length=45,
        description="CIN assessment factor codes; null: from the contact's concern categories",
    )
    s47_started_on: date | None = None
    icpc_on: date | None = Field(None, description="Initial child protection conference")
    icpc_not_required: bool = False
    closed_on: date | None = None
    closure_reason: str = Field("", description="RC1-RC9, with closed_on")


class ReferralProgressOut(Schema):
    referred_on: date
    assessment_started_on: date | None
    assessment_authorised_on: date | None
    assessment_factors: list[str]
    s47_started_on: date | None
    icpc_on: date | None
    icpc_not_required: bool
    closed_on: date | None
    closure_reason: str
    recorded_at: datetime | None


def _referral_out(contact_id: UUID, user: User) -> ReferralProgressOut:
    contact = contact_open(user, contact_id)
    if not user_sees_whole_contact(user):
        raise NotFound("Contact not found")
    referral = referral_view_for(contact)
    if referral is None:
        raise NotFound("This contact is not a referral")
    p = referral.progress
    return ReferralProgressOut(
        referred_on=referral.referred_on,
        assessment_started_on=p.assessment_started_on if p else None,
        assessment_authorised_on=p.assessment_authorised_on if p else None,
        assessment_factors=list(p.assessment_factors) if p else [],
        s47_started_on=p.s47_started_on if p else None,
        icpc_on=p.icpc_on if p else None,
        icpc_not_required=p.icpc_not_required if p else False,
        closed_on=p.closed_on if p else None,
        closure_reason=p.closure_reason if p else "",
        recorded_at=p.recorded_at if p else None,
    )


@router.get(
    "/contacts/{contact_id}/referral-progress",
    response={200: ReferralProgressOut, **ERRORS},
    summary="A referral's assessment, section 47 enquiry and closure",
)
def referral_progress_get(request: HttpRequest, contact_id: UUID) -> ReferralProgressOut:
    return _referral_out(contact_id, api_user(request))


@router.put(
    "/contacts/{contact_id}/referral-progress",
    response={200: ReferralProgressOut, **ERRORS},
    summary="Record a referral's progress (the whole record)",
)
def referral_progress_put(
    request: HttpRequest, contact_id: UUID, payload: ReferralProgressIn
) -> ReferralProgressOut:
    user = api_user(request)
    contact = contact_open_for(user, contact_id, writing=True)
    referral_progress_record(
        actor=user, contact=contact, data=ReferralProgressInput(**payload.dict())
    )
    return _referral_out(contact_id, user)
