"""Reads of decisions: one projection of a decision for whoever opens it.

`decision_view_for` is the only way a page or the API reads a decision: it opens it through
the gate, writes the consultation log (DPA 2018 s.62) and returns only what the user may see
(the rule is `openmash.decisions.scopes.decision_shows_whole` and the action and dissent scopes)."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING
from uuid import UUID

from django.db import transaction
from django.utils import timezone

from openmash.audit.models import AuditVerb
from openmash.audit.services import audit_list_read, audit_record
from openmash.contacts.models import Contact
from openmash.core.standards import ASSESSMENT_FACTORS, REFERRAL_OUTCOMES
from openmash.decisions.scopes import (
    actions_visible_to,
    decision_get_for_user,
    decision_shows_whole,
    decisions_visible_to,
    dissents_visible_to,
)
from openmash.hubs.models import DecisionOutcome

from .models import Action, Decision, DecisionStatus, Dissent, ReferralProgress

if TYPE_CHECKING:
    from openmash.accounts.models import User


@dataclass(frozen=True)
class ActionView:
    id: UUID
    owner_agency_id: UUID
    owner_agency_name: str
    description: str
    due_date: date
    status: str
    status_label: str


@dataclass(frozen=True)
class DissentView:
    id: UUID
    agency_id: UUID
    agency_name: str
    raised_by_name: str
    raised_at: datetime
    reason: str
    escalated_to: str
    status: str
    status_label: str
    resolution: str
    resolved_by_name: str
    resolved_at: datetime | None


@dataclass(frozen=True)
class DecisionView:
    """A decision as one user may see it. `whole` is False for an agency researcher: then the
    fields marked "MASH staff only" are None and `actions` and `dissents` hold only their own
    agency's items."""

    id: UUID
    contact_id: UUID
    contact_reference: str
    outcome_code: str
    outcome_label: str
    national_code: str
    level_of_need: int
    status: str
    status_label: str
    proposed_at: datetime
    signed_off_at: datetime | None
    supersedes_id: UUID | None
    superseded_by_id: UUID | None
    superseded_by_label: str
    actions: list[ActionView]
    dissents: list[DissentView]
    whole: bool
    # MASH staff only (None for an agency researcher):
    rationale: str | None
    childs_voice: str | None
    primary_need_code: str | None
    primary_need_label: str | None
    proposed_by_id: int | None
    proposed_by_name: str | None
    signed_off_by_name: str | None
    sign_off_note: str | None

    @property
    def is_current(self) -> bool:
        return self.status in (DecisionStatus.PROPOSED, DecisionStatus.SIGNED_OFF)


def _action_view(action: Action) -> ActionView:
    return ActionView(
        id=action.id,
        owner_agency_id=action.owner_agency_id,
        owner_agency_name=action.owner_agency.name,
        description=action.description,
        due_date=action.due_date,
        status=action.status,
        status_label=action.get_status_display(),
    )


def _dissent_view(dissent: Dissent) -> DissentView:
    return DissentView(
        id=dissent.id,
        agency_id=dissent.agency_id,
        agency_name=dissent.agency.name,
        raised_by_name=dissent.raised_by.display_name,
        raised_at=dissent.raised_at,
        reason=dissent.reason,
        escalated_to=dissent.escalated_to,
        status=dissent.status,
        status_label=dissent.get_status_display(),
        resolution=dissent.resolution,
        resolved_by_name=dissent.resolved_by.display_name if dissent.resolved_by else "",
        resolved_at=dissent.resolved_at,
    )


def decision_view_build(user: "User", decision: Decision) -> DecisionView:
    """The projection alone, without the consultation log: for the answer to a write the user
    has just made (audited as that write). Every other read goes through `decision_view_for`.
    `decision` must have come through a gate (`decision_get_for_user`)."""
    whole = decision_shows_whole(user)
    actions = (
        actions_visible_to(user)
        .filter(decision=decision)
        .select_related("owner_agency")
        .order_by("due_date", "created_at")
    )
    dissents = (
        dissents_visible_to(user)
        .filter(decision=decision)
        .select_related("agency", "raised_by", "resolved_by")
        .order_by("raised_at")
    )
    later = (
        Decision.objects.filter(supersedes=decision)
        .select_related("outcome")
        .only("id", "outcome__label")
        .first()
    )
    proposed_by = decision.proposed_by if whole else None
    signed_off_by = decision.signed_off_by if whole else None
    return DecisionView(
        id=decision.id,
        contact_id=decision.contact_id,
        contact_reference=decision.contact.reference,
        outcome_code=decision.outcome.code,
        outcome_label=decision.outcome.label,
        national_code=decision.outcome.national_code,
        level_of_need=decision.level_of_need,
        status=decision.status,
        status_label=decision.get_status_display(),
        proposed_at=decision.proposed_at,
        signed_off_at=decision.signed_off_at,
        supersedes_id=decision.supersedes_id,
        superseded_by_id=later.id if later else None,
        superseded_by_label=later.outcome.label if later else "",
        actions=[_action_view(a) for a in actions],
        dissents=[_dissent_view(d) for d in dissents],
        whole=whole,
        rationale=decision.rationale if whole else None,
        childs_voice=decision.childs_voice if whole else None,
        primary_need_code=decision.primary_need_code if whole else None,
        primary_need_label=decision.get_primary_need_code_display() if whole else None,
        proposed_by_id=proposed_by.pk if proposed_by else None,
        proposed_by_name=proposed_by.display_name if proposed_by else None,
        signed_off_by_name=signed_off_by.display_name if signed_off_by else None,
        sign_off_note=decision.sign_off_note if whole else None,
    )


def decision_view_for(user: "User", decision_id: UUID | str) -> DecisionView:
    """Open a decision: the gate (404 when not visible), the consultation log, and the
    projection of what this user may see."""
    decision = decision_get_for_user(user, decision_id)
    view = decision_view_build(user, decision)
    with transaction.atomic():
        audit_record(
            actor=user,
            verb=AuditVerb.DECISION_VIEWED,
            target=decision,
            hub_id=decision.contact.hub_id,
            contact_id=decision.contact_id,
            changes={"whole": view.whole},
        )
    return view


def decisions_view_for_contact(user: "User", contact: Contact) -> list[DecisionView]:
    """The decisions of a contact the user has opened, oldest first, logged as a list read."""
    decisions = list(
        decisions_visible_to(user)
        .filter(contact=contact)
        .select_related("contact", "outcome", "proposed_by", "signed_off_by")
        .order_by("proposed_at")
    )
    audit_list_read(actor=user, kind="decisions", objects=decisions)
    return [decision_view_build(user, d) for d in decisions]


def referral_date(contact: Contact) -> date | None:
    """The day the contact became a referral: the sign-off of its first decision for a section
    17 assessment or a section 47 enquiry (see docs/adr/0006-cin-census-mapping.md); None when
    no signed decision has made it one."""
    first = (
        Decision.objects.filter(
            contact=contact,
            status__in=[DecisionStatus.SIGNED_OFF, DecisionStatus.SUPERSEDED],
            signed_off_at__isnull=False,
            outcome__national_code__in=REFERRAL_OUTCOMES,
        )
        .order_by("signed_off_at")
        .values_list("signed_off_at", flat=True)
        .first()
    )
    return timezone.localdate(first) if first is not None else None


@dataclass(frozen=True)
class ReferralView:
    """A referral and what has been recorded since (for the contact page and the API)."""

    referred_on: date
    progress: ReferralProgress | None
    factor_labels: list[str]


def referral_view_for(contact: Contact) -> ReferralView | None:
    """The contact as a referral, or None when its signed decision does not make it one.
    `contact` must have come through a gate."""
    current = (
        contact.decisions.filter(status=DecisionStatus.SIGNED_OFF).select_related("outcome").first()
    )
    referred_on = referral_date(contact)
    if current is None or referred_on is None:
        return None
    if current.outcome.national_code not in REFERRAL_OUTCOMES:
        return None
    progress = ReferralProgress.objects.filter(contact=contact).first()
    labels = [
        f"{code}: {ASSESSMENT_FACTORS[code]}"
        for code in (progress.assessment_factors if progress else [])
        if code in ASSESSMENT_FACTORS
    ]
    return ReferralView(referred_on=referred_on, progress=progress, factor_labels=labels)


def signed_off_outcomes(contact_ids: Sequence[str]) -> Mapping[str, DecisionOutcome]:
    """The outcome of each contact's signed-off decision (the person index's "known to the
    hub" shows it for a person's earlier contacts)."""
    decisions = Decision.objects.filter(
        contact_id__in=contact_ids, status=DecisionStatus.SIGNED_OFF
    ).select_related("outcome")
    return {str(d.contact_id): d.outcome for d in decisions}


def decision_current_for(user: "User", contact_id: UUID) -> Decision | None:
    """The contact's current decision (proposed or signed off), if this user may open it: an
    agency asked about the contact may disagree with it."""
    return (
        decisions_visible_to(user)
        .filter(
            contact_id=contact_id,
            status__in=(DecisionStatus.PROPOSED, DecisionStatus.SIGNED_OFF),
        )
        .select_related("outcome")
        .order_by("-proposed_at")
        .first()
    )
