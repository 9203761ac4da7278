"""A contact's journey: its stages, which stage follows which, and each stage's clock.

Where the RAG deadline is computed: here. `journey_clock` says which of the hub's timescales
(hubs.models.Stage) a stage runs on (an enquiry by its RAG rating; a child at immediate risk on
the Red clock), and `journey_due` counts it in the hub's working time (hubs.selectors.due_at).
deadlines/ only flags the stages whose due time has passed.

Every change of `Contact.stage` and its clocks (`stage_started_at`, `stage_due_at`,
`breach_flagged_at`, `closed_at`) goes through the functions below; they set the fields and
return their names (callers save, inside their own transaction and lock). The rules at the top
need no database.
"""

from datetime import datetime
from typing import Any

from django.utils import timezone

from openmash.core.errors import Conflict
from openmash.hubs.models import Hub, Stage
from openmash.hubs.selectors import due_at, enquiry_stage_for_rag

from .models import Contact, JourneyStage

# -- The rules (no database) ---------------------------------------------------------------

# Which stages a contact may move to from each stage. A new proposal can follow a signed
# decision (it will supersede it), so SIGN_OFF follows FEEDBACK and CLOSED too.
JOURNEY_NEXT: dict[str, frozenset[str]] = {
    JourneyStage.SCREENING: frozenset({JourneyStage.ENQUIRY, JourneyStage.DECISION}),
    JourneyStage.ENQUIRY: frozenset({JourneyStage.DECISION, JourneyStage.SIGN_OFF}),
    JourneyStage.DECISION: frozenset(
        # DECISION again: an immediate strategy discussion restarts it on the Red clock.
        {JourneyStage.ENQUIRY, JourneyStage.DECISION, JourneyStage.SIGN_OFF}
    ),
    JourneyStage.SIGN_OFF: frozenset(
        {JourneyStage.DECISION, JourneyStage.FEEDBACK, JourneyStage.CLOSED}
    ),
    JourneyStage.FEEDBACK: frozenset({JourneyStage.SIGN_OFF, JourneyStage.CLOSED}),
    JourneyStage.CLOSED: frozenset({JourneyStage.SIGN_OFF}),
}

# The timescale a child at immediate risk is screened, and decided, on.
URGENT_CLOCK = Stage.ENQUIRY_RED


def journey_can_move(current: str, stage: str) -> bool:
    return stage in JOURNEY_NEXT.get(current, frozenset())


def journey_clock(stage: str, *, rag: str = "", urgent: bool = False) -> str | None:
    """The hub timescale (hubs.models.Stage) a journey stage runs on; None: no clock."""
    if urgent and stage in (JourneyStage.SCREENING, JourneyStage.DECISION):
        return URGENT_CLOCK
    if stage == JourneyStage.ENQUIRY:
        return enquiry_stage_for_rag(rag)
    clocks: dict[str, str] = {
        JourneyStage.SCREENING: Stage.SCREENING,
        JourneyStage.DECISION: Stage.DECISION,
        # A proposal that supersedes a signed decision is decided again on the decision clock.
        JourneyStage.SIGN_OFF: Stage.DECISION,
        JourneyStage.FEEDBACK: Stage.FEEDBACK,
    }
    return clocks.get(stage)


def journey_after_return(*, has_signed_decision: bool, was_closed: bool) -> JourneyStage:
    """Where a returned proposal leaves the contact: back to its decision, or, when the
    proposal would have superseded a signed decision, where that decision had got to."""
    if not has_signed_decision:
        return JourneyStage.DECISION
    return JourneyStage.CLOSED if was_closed else JourneyStage.FEEDBACK


def journey_keeps_earlier_due(
    *, stage: str, current_due: datetime | None, urgent_due: datetime
) -> bool:
    """Urgency never pushes a deadline later: a decision already due sooner keeps its own."""
    return stage == JourneyStage.DECISION and current_due is not None and current_due <= urgent_due


# -- Applying them to a contact ------------------------------------------------------------

CLOCK_FIELDS = ["stage", "stage_started_at", "stage_due_at", "breach_flagged_at", "updated_at"]


def journey_due(
    hub: Hub, stage: str, start: datetime, *, rag: str = "", urgent: bool = False
) -> datetime | None:
    """When `stage`, begun at `start`, is due in the hub's working time (None: no clock)."""
    clock = journey_clock(stage, rag=rag, urgent=urgent)
    return due_at(hub, clock, start) if clock is not None else None


def journey_start(hub: Hub, *, received_at: datetime, immediate_risk: bool) -> dict[str, Any]:
    """The journey fields of a new contact: awaiting screening from when it was received."""
    return {
        "stage": JourneyStage.SCREENING,
        "stage_started_at": received_at,
        "stage_due_at": journey_due(
            hub, JourneyStage.SCREENING, received_at, urgent=immediate_risk
        ),
    }


def _check_move(contact: Contact, stage: str) -> None:
    # A Conflict (409 on a page or the API), never a 500: the contact's state does not allow it.
    if not journey_can_move(contact.stage, stage):
        raise Conflict(
            f"This contact is {contact.get_stage_display().lower()}: it cannot move to "
            f"{JourneyStage(stage).label.lower()} from there."
        )


def journey_enter(
    contact: Contact,
    stage: JourneyStage,
    *,
    urgent: bool = False,
    due: datetime | None = None,
    now: datetime | None = None,
) -> list[str]:
    """The contact enters `stage` now: its clock starts, it is due by the stage's timescale
    (or at `due`, when the caller knows better, e.g. the last open request), and any breach of
    the previous stage is forgotten. Entering CLOSED closes it; entering FEEDBACK (a decision
    signed off) reopens it. Returns the fields set."""
    _check_move(contact, stage)
    now = now or timezone.now()
    contact.stage = stage
    contact.stage_started_at = now
    contact.stage_due_at = (
        due
        if due is not None
        else journey_due(contact.hub, stage, now, rag=contact.rag, urgent=urgent)
    )
    contact.breach_flagged_at = None
    fields = list(CLOCK_FIELDS)
    if stage == JourneyStage.CLOSED:
        contact.closed_at = now
        fields.append("closed_at")
    elif stage == JourneyStage.FEEDBACK:
        contact.closed_at = None
        fields.append("closed_at")
    return fields


def journey_continue(contact: Contact, stage: JourneyStage) -> list[str]:
    """The contact moves to `stage` on the clock already running (a proposal awaits sign-off
    within the decision's time; a returned one goes back to it)."""
    _check_move(contact, stage)
    contact.stage = stage
    return ["stage", "updated_at"]


def journey_reschedule(contact: Contact, *, due: datetime, clear_breach: bool = True) -> list[str]:
    """The current stage's deadline moves (a re-rating, another request). A moved deadline
    forgets the breach of the old one unless `clear_breach` is False."""
    contact.stage_due_at = due
    fields = ["stage_due_at", "updated_at"]
    if clear_breach:
        contact.breach_flagged_at = None
        fields.append("breach_flagged_at")
    return fields


def journey_enquiry_due(contact: Contact, *, open_request_dues: list[datetime]) -> datetime:
    """An enquiry is due when its last open request is; with none open, by its RAG
    timescale from when the enquiry began."""
    if open_request_dues:
        return max(open_request_dues)
    due = journey_due(contact.hub, JourneyStage.ENQUIRY, contact.stage_started_at, rag=contact.rag)
    assert due is not None  # an enquiry always runs on a clock
    return due


def journey_decide_urgently(contact: Contact, *, now: datetime | None = None) -> list[str]:
    """An immediate strategy discussion: the decision is due on the Red clock from now, unless
    it is already due sooner. Returns the fields set ([] when nothing changed)."""
    now = now or timezone.now()
    urgent_due = due_at(contact.hub, URGENT_CLOCK, now)
    if journey_keeps_earlier_due(
        stage=contact.stage, current_due=contact.stage_due_at, urgent_due=urgent_due
    ):
        return []
    return journey_enter(contact, JourneyStage.DECISION, due=urgent_due, now=now)
