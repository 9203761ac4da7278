"""Writes for quality improvement. Each service checks permission, validates (every field
error at once), writes, and records its audit event in the same transaction."""

import hashlib
import random
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any
from uuid import UUID
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from openmash.access.gates import contacts_visible_to, feedback_get_for_user, require
from openmash.access.permissions import Permission
from openmash.audit.models import AuditVerb
from openmash.audit.services import audit_record, diff
from openmash.contacts.models import Contact, JourneyStage
from openmash.core.errors import (
    Conflict,
    NotFound,
    PermissionDenied,
    ValidationError,
    refused_if_not_unique,
)
from openmash.decisions.models import Decision, DecisionStatus, Feedback
from openmash.enquiries.models import InformationRequest
from openmash.hubs.models import Agency, Hub
from openmash.reporting.metrics import Period

from .indicators import INDICATORS
from .models import (
    Answer,
    AuditCriterion,
    AuditSample,
    CaseAudit,
    ChangeStep,
    CriterionGrade,
    FamilyChannel,
    FamilyFeedback,
    Grade,
    ImprovementAction,
    ImprovementStatus,
    IndicatorSource,
    IndicatorValue,
    Outcome,
    RatingChannel,
    RatingInvite,
    ReferrerRating,
    Respondent,
    SampledContact,
    SampleMethod,
    StepKind,
)

if TYPE_CHECKING:
    from openmash.accounts.models import User

MAX_SAMPLE = 200
MAX_COMMENT = 5000
NO_AGENCY = "none"


def _raise_if(errors: Mapping[str, list[str]]) -> None:
    if errors:
        raise ValidationError(next(iter(errors.values()))[0], errors=errors)


def _own_hub(actor: "User", hub: Hub) -> None:
    if actor.hub_id != hub.pk:
        raise NotFound("Hub not found")


def _require_any(actor: "User", *permissions: Permission) -> None:
    if not any(actor.can(p) for p in permissions):
        raise PermissionDenied("You do not have permission to do that.")


def _long_text(errors: dict[str, list[str]], field: str, text: str, name: str) -> None:
    if len(text) > MAX_COMMENT:
        errors[field] = [f"{name} must be {MAX_COMMENT:,} characters or fewer"]


# -- Audit criteria -------------------------------------------------------------------------------


def criterion_save(
    *,
    actor: "User",
    hub: Hub,
    code: str,
    question: str,
    guidance: str = "",
    active: bool = True,
    order: int = 0,
    criterion: AuditCriterion | None = None,
) -> AuditCriterion:
    """Add a criterion, or change one (its code never changes: grades refer to it)."""
    require(actor, Permission.QUALITY_MANAGE)
    _own_hub(actor, hub)
    code, question, guidance = code.strip().lower(), question.strip(), guidance.strip()
    errors: dict[str, list[str]] = {}
    if criterion is None:
        if not code:
            errors["code"] = ["Enter a short code, for example voice-of-child"]
        elif not all(c.isalnum() or c in "-_" for c in code) or len(code) > 40:
            errors["code"] = ["The code can only contain letters, numbers, hyphens and underscores"]
        elif AuditCriterion.objects.filter(hub=hub, code=code).exists():
            errors["code"] = ["A criterion with this code already exists"]
    if not question:
        errors["question"] = ["Enter the question auditors answer"]
    elif len(question) > 300:
        errors["question"] = ["The question must be 300 characters or fewer"]
    _long_text(errors, "guidance", guidance, "Guidance")
    if not 0 <= order <= 999:
        errors["order"] = ["Enter a position from 0 to 999"]
    _raise_if(errors)
    with (
        refused_if_not_unique(
            ValidationError.for_field("code", "A criterion with this code already exists")
        ),
        transaction.atomic(),
    ):
        if criterion is None:
            criterion = AuditCriterion.objects.create(
                hub=hub, code=code, question=question, guidance=guidance, active=active, order=order
            )
            changes: dict[str, Any] = {"created": code, "question": question, "active": active}
        else:
            if criterion.hub_id != hub.pk:
                raise NotFound("Criterion not found")
            before: dict[str, Any] = {
                "question": criterion.question,
                "guidance": criterion.guidance,
            }
            before |= {"active": criterion.active, "order": criterion.order}
            after: dict[str, Any] = {
                "question": question,
                "guidance": guidance,
                "active": active,
                "order": order,
            }
            for key, value in after.items():
                setattr(criterion, key, value)
            criterion.save()
            changes = diff(before, after)
        audit_record(
            actor=actor,
            verb=AuditVerb.QUALITY_CHANGED,
            target=criterion,
            hub_id=hub.pk,
            changes=changes,
        )
    return criterion


# -- Samples ----------------------------------------------------------------------------------


def sample_population(hub: Hub, period_start: date, period_end: date) -> list[Contact]:
    """Case files that can be audited: contacts received in the period (local days) whose
    decision has been made (awaiting feedback, or closed), oldest first."""
    low, high = Period(period_start, period_end).bounds(ZoneInfo(hub.timezone))
    return list(
        Contact.objects.filter(
            hub=hub,
            received_at__gte=low,
            received_at__lt=high,
            stage__in=[JourneyStage.FEEDBACK, JourneyStage.CLOSED],
        ).order_by("received_at", "id")
    )


def _strata(method: str, contacts: Sequence[Contact]) -> dict[str, list[Contact]]:
    """Each stratum's contacts (a contact asked of two agencies is in both strata)."""
    ids = [c.pk for c in contacts]
    keys: dict[object, list[str]] = {}
    if method == SampleMethod.RAG:
        keys = {c.pk: [c.rag or "unrated"] for c in contacts}
    elif method == SampleMethod.OUTCOME:
        outcomes = dict(
            Decision.objects.filter(
                contact_id__in=ids, status=DecisionStatus.SIGNED_OFF
            ).values_list("contact_id", "outcome__national_code")
        )
        keys = {c.pk: [outcomes.get(c.pk) or "undecided"] for c in contacts}
    elif method == SampleMethod.AGENCY:
        asked: dict[object, set[str]] = {}
        for contact_id, code in InformationRequest.objects.filter(contact_id__in=ids).values_list(
            "contact_id", "agency__code"
        ):
            asked.setdefault(contact_id, set()).add(code)
        keys = {c.pk: sorted(asked.get(c.pk, {NO_AGENCY})) for c in contacts}
    strata: dict[str, list[Contact]] = {}
    for contact in contacts:
        for key in keys[contact.pk]:
            strata.setdefault(key, []).append(contact)
    return dict(sorted(strata.items()))


def _allocate(sizes: Mapping[str, int], n: int) -> dict[str, int]:
    """One case file from every stratum, the rest in proportion to the strata's sizes."""
    alloc = dict.fromkeys(sizes, 1)
    total = sum(sizes.values())
    for _ in range(n - len(sizes)):
        open_keys = [k for k in sizes if alloc[k] < sizes[k]]
        if not open_keys:
            break
        key = max(open_keys, key=lambda k: (sizes[k] * n / total - alloc[k], sizes[k], k))
        alloc[key] += 1
    return alloc


def sample_choose(
    method: str, contacts: Sequence[Contact], size: int, seed: int
) -> list[tuple[Contact, str]]:
    """The draw itself: the same population, method, size and seed always give the same
    contacts in the same order."""
    rng = random.Random(seed)
    if method == SampleMethod.RANDOM:
        return [(c, "") for c in rng.sample(list(contacts), min(size, len(contacts)))]
    strata = _strata(method, contacts)
    alloc = _allocate({k: len(v) for k, v in strata.items()}, size)
    chosen: list[tuple[Contact, str]] = []
    taken: set[object] = set()
    for key, members in strata.items():
        pool = [c for c in members if c.pk not in taken]
        for contact in rng.sample(pool, min(alloc[key], len(pool))):
            chosen.append((contact, key))
            taken.add(contact.pk)
    return chosen


def sample_draw(
    *,
    actor: "User",
    hub: Hub,
    period_start: date,
    period_end: date,
    size: int,
    method: str,
    seed: int | None = None,
) -> AuditSample:
    """Draw case files for audit. Without a seed one is chosen at random and recorded, so the
    draw can be repeated and checked."""
    _require_any(actor, Permission.CASE_AUDIT, Permission.QUALITY_MANAGE)
    _own_hub(actor, hub)
    errors: dict[str, list[str]] = {}
    if period_end < period_start:
        errors["period_end"] = ["The period must end on or after the day it starts"]
    else:
        if period_start > timezone.localdate():
            errors["period_start"] = ["The period must start today or in the past"]
        if period_end > timezone.localdate(timezone=ZoneInfo(hub.timezone)):
            errors["period_end"] = ["The period must end today or in the past"]
    if not 1 <= size <= MAX_SAMPLE:
        errors["size"] = [f"Enter a sample size from 1 to {MAX_SAMPLE}"]
    if method not in SampleMethod.values:
        errors["method"] = ["Choose how to draw the sample"]
    if seed is not None and not 0 <= seed < 2**53:
        errors["seed"] = ["Enter a whole number from 0 to 9,007,199,254,740,991"]
    _raise_if(errors)
    population = sample_population(hub, period_start, period_end)
    if not population:
        errors["period_start"] = ["No case files with a decision were received in this period"]
    elif size > len(population):
        errors["size"] = [f"Only {len(population)} case files can be sampled in this period"]
    elif method != SampleMethod.RANDOM:
        strata = len(_strata(method, population))
        if size < strata:
            errors["size"] = [
                f"The sample must have at least {strata} case files: one from each group"
            ]
    _raise_if(errors)
    seed = secrets.randbelow(2**53) if seed is None else seed
    chosen = sample_choose(method, population, size, seed)
    with transaction.atomic():
        sample = AuditSample.objects.create(
            hub=hub,
            period_start=period_start,
            period_end=period_end,
            size=len(chosen),
            method=method,
            seed=seed,
            population=len(population),
            drawn_by=actor,
            drawn_at=timezone.now(),
        )
        SampledContact.objects.bulk_create(
            SampledContact(sample=sample, contact=c, stratum=key, order=n)
            for n, (c, key) in enumerate(chosen, start=1)
        )
        audit_record(
            actor=actor,
            verb=AuditVerb.CASE_AUDIT_SAMPLED,
            target=sample,
            hub_id=hub.pk,
            changes={
                "method": method,
                "seed": seed,
                "period": [period_start.isoformat(), period_end.isoformat()],
                "contacts": [str(c.pk) for c, _ in chosen],
            },
        )
    return sample


# -- Audits and moderation -------------------------------------------------------------------


@dataclass(frozen=True)
class GradeInput:
    grade: str
    comment: str = ""


def case_audit_record(
    *,
    actor: "User",
    item: SampledContact,
    grades: Mapping[str, GradeInput],
    overall_grade: str,
    comments: str = "",
) -> CaseAudit:
    """Grade a sampled case file against every active criterion (keyed by criterion id) and
    overall. A missing grade refuses the whole audit: nothing is saved."""
    require(actor, Permission.CASE_AUDIT)
    hub = item.sample.hub
    _own_hub(actor, hub)
    criteria = list(AuditCriterion.objects.filter(hub=hub, active=True))
    errors: dict[str, list[str]] = {}
    if not criteria:
        errors["overall_grade"] = ["The hub has no audit criteria yet: a manager adds them first"]
    for criterion in criteria:
        given = grades.get(str(criterion.pk))
        if given is None or given.grade not in Grade.values:
            errors[f"grades.{criterion.pk}"] = [f"Choose a grade for: {criterion.question}"]
        elif len(given.comment) > MAX_COMMENT:
            errors[f"comments.{criterion.pk}"] = ["The comment must be 5,000 characters or fewer"]
    if overall_grade not in Grade.values:
        errors["overall_grade"] = ["Choose an overall grade"]
    _long_text(errors, "comments", comments, "Comments")
    _raise_if(errors)
    with (
        refused_if_not_unique(Conflict("This case file has already been audited.")),
        transaction.atomic(),
    ):
        if CaseAudit.objects.select_for_update().filter(item=item).exists():
            raise Conflict("This case file has already been audited.")
        audit = CaseAudit.objects.create(
            item=item,
            auditor=actor,
            audited_at=timezone.now(),
            overall_grade=overall_grade,
            comments=comments.strip(),
        )
        CriterionGrade.objects.bulk_create(
            CriterionGrade(
                audit=audit,
                criterion=c,
                grade=grades[str(c.pk)].grade,
                comment=grades[str(c.pk)].comment.strip(),
            )
            for c in criteria
        )
        audit_record(
            actor=actor,
            verb=AuditVerb.CASE_AUDIT_RECORDED,
            target=audit,
            hub_id=hub.pk,
            contact_id=item.contact_id,
            changes={
                "overall_grade": overall_grade,
                "grades": {c.code: grades[str(c.pk)].grade for c in criteria},
            },
        )
    return audit


def case_audit_moderate(
    *, actor: "User", audit: CaseAudit, agree: bool | None, grade: str = "", comment: str = ""
) -> CaseAudit:
    """A second auditor (never the one who audited) agrees with the overall grade or changes
    it, saying why."""
    require(actor, Permission.CASE_AUDIT)
    _own_hub(actor, audit.item.sample.hub)
    errors: dict[str, list[str]] = {}
    if audit.auditor_id == actor.pk:
        raise ValidationError.for_field(
            "agree", "A second auditor must moderate this audit: you carried it out"
        )
    comment = comment.strip()
    if agree is None:
        errors["agree"] = ["Choose whether you agree with the overall grade"]
    elif not agree:
        if grade not in Grade.values:
            errors["grade"] = ["Choose the grade you give instead"]
        elif grade == audit.overall_grade:
            errors["grade"] = ["Choose a different grade, or agree with the auditor's"]
        if not comment:
            errors["comment"] = ["Say why you changed the grade"]
    _long_text(errors, "comment", comment, "The comment")
    _raise_if(errors)
    with transaction.atomic():
        audit.refresh_from_db(from_queryset=CaseAudit.objects.select_for_update())
        if audit.moderated_at is not None:
            raise Conflict("This audit has already been moderated.")
        audit.moderated_by = actor
        audit.moderated_at = timezone.now()
        audit.moderated_grade = audit.overall_grade if agree else grade
        audit.moderation_comment = comment
        audit.save()
        audit_record(
            actor=actor,
            verb=AuditVerb.CASE_AUDIT_MODERATED,
            target=audit,
            hub_id=audit.item.sample.hub_id,
            contact_id=audit.item.contact_id,
            changes={"overall_grade": [audit.overall_grade, audit.moderated_grade]},
            reason=comment,
        )
    return audit


# -- Improvement actions ------------------------------------------------------------------------


def improvement_action_create(
    *,
    actor: "User",
    hub: Hub,
    description: str,
    due_date: date | None,
    owner_agency: Agency | None = None,
    owner: "User | None" = None,
    audit: CaseAudit | None = None,
) -> ImprovementAction:
    require(actor, Permission.QUALITY_MANAGE)
    _own_hub(actor, hub)
    description = description.strip()
    errors: dict[str, list[str]] = {}
    if not description:
        errors["description"] = ["Describe the improvement to be made"]
    _long_text(errors, "description", description, "The description")
    if owner_agency is None and owner is None:
        errors["owner_agency"] = ["Choose an owning agency or a named owner, or both"]
    if owner_agency is not None and owner_agency.hub_id != hub.pk:
        errors["owner_agency"] = ["Choose one of the hub's agencies"]
    if owner is not None and owner.hub_id != hub.pk:
        errors["owner"] = ["Choose someone who works in the hub"]
    if due_date is None:
        errors["due_date"] = ["Enter the date it is due"]
    if audit is not None and audit.item.sample.hub_id != hub.pk:
        raise NotFound("Audit not found")
    _raise_if(errors)
    assert due_date is not None
    with transaction.atomic():
        action = ImprovementAction.objects.create(
            hub=hub,
            audit=audit,
            description=description,
            owner_agency=owner_agency,
            owner=owner,
            due_date=due_date,
            created_by=actor,
        )
        audit_record(
            actor=actor,
            verb=AuditVerb.QUALITY_CHANGED,
            target=action,
            hub_id=hub.pk,
            changes={
                "improvement_action": "created",
                "due_date": due_date.isoformat(),
                "owner_agency": owner_agency.code if owner_agency else "",
                "owner": owner.username if owner else "",
            },
        )
    return action


def improvement_action_set_status(
    *, actor: "User", action: ImprovementAction, status: str
) -> ImprovementAction:
    require(actor, Permission.QUALITY_MANAGE)
    _own_hub(actor, action.hub)
    if status not in ImprovementStatus.values:
        raise ValidationError.for_field("status", "Choose open, done or cancelled")
    with transaction.atomic():
        action.refresh_from_db(from_queryset=ImprovementAction.objects.select_for_update())
        before = action.status
        if before == status:
            return action
        action.status = status
        action.closed_at = None if status == ImprovementStatus.OPEN else timezone.now()
        action.save()
        audit_record(
            actor=actor,
            verb=AuditVerb.QUALITY_CHANGED,
            target=action,
            hub_id=action.hub_id,
            changes={"status": [before, status]},
        )
    return action


# -- Referrers rate their feedback -------------------------------------------------------------


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def rating_invite_issue(*, feedback: Feedback) -> str:
    """A fresh single-use token for the rating link in a feedback e-mail (an e-mail sent
    again gets a new one; the old stops working). Only its hash is stored."""
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        RatingInvite.objects.filter(feedback=feedback).delete()
        invite = RatingInvite.objects.create(feedback=feedback, token_hash=_token_hash(token))
        audit_record(
            actor=None,
            verb=AuditVerb.QUALITY_CHANGED,
            target=invite,
            hub_id=feedback.contact.hub_id,
            changes={"rating_invite": "issued", "feedback": str(feedback.pk)},
        )
    return token


# A rating link works for this long after its e-mail: long enough for a busy referrer, and a
# link found in an old mailbox years later opens nothing.
RATING_LINK_LIFETIME = timedelta(days=60)


def rating_invite_find(token: str) -> RatingInvite:
    """The unused, unexpired invite for a token, or NotFound (unknown, used, expired, or the
    feedback already rated another way)."""
    invite = (
        RatingInvite.objects.filter(
            token_hash=_token_hash(token or ""),
            used_at__isnull=True,
            created_at__gte=timezone.now() - RATING_LINK_LIFETIME,
        )
        .select_related("feedback", "feedback__contact")
        .first()
    )
    if invite is None or ReferrerRating.objects.filter(feedback=invite.feedback).exists():
        raise NotFound("This link has been used or is not valid")
    return invite


def _rating_errors(explained: str, timely: str, comment: str) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if explained not in Answer.values:
        errors["explained"] = ["Say whether the decision was explained clearly"]
    if timely not in Answer.values:
        errors["timely"] = ["Say whether the feedback was timely"]
    _long_text(errors, "comment", comment, "Your comment")
    return errors


def referrer_rating_record(
    *,
    actor: "User | None",
    explained: str,
    timely: str,
    comment: str = "",
    feedback_id: str | None = None,
    token: str | None = None,
) -> ReferrerRating:
    """A referrer rates the feedback they were sent: signed in (their own referrals only), or
    with the single-use token from the e-mail (no sign-in). One rating per feedback."""
    comment = comment.strip()
    with transaction.atomic():
        if token is not None:
            invite = rating_invite_find(token)
            feedback = invite.feedback
            channel, rater = RatingChannel.EMAIL_LINK, None
        else:
            if actor is None or feedback_id is None:
                raise NotFound("Feedback not found")
            feedback = feedback_get_for_user(actor, feedback_id)
            if feedback.contact.submitted_by_id != actor.pk:
                raise NotFound("Feedback not found")  # only the referrer who sent it rates it
            channel, rater, invite = RatingChannel.SIGNED_IN, actor, None
        _raise_if(_rating_errors(explained, timely, comment))
        try:
            with transaction.atomic():
                rating = ReferrerRating.objects.create(
                    hub_id=feedback.contact.hub_id,
                    feedback=feedback,
                    explained=explained,
                    timely=timely,
                    comment=comment,
                    channel=channel,
                    rated_by=rater,
                    rated_at=timezone.now(),
                )
        except IntegrityError as exc:
            raise Conflict("This feedback has already been rated. Thank you.") from exc
        if invite is not None:
            invite.used_at = rating.rated_at
            invite.save(update_fields=["used_at", "updated_at"])
        RatingInvite.objects.filter(feedback=feedback, used_at__isnull=True).update(
            used_at=rating.rated_at
        )
        audit_record(
            actor=rater,
            verb=AuditVerb.FEEDBACK_RECEIVED,
            target=rating,
            hub_id=feedback.contact.hub_id,
            contact_id=feedback.contact_id,
            changes={"explained": explained, "timely": timely, "channel": channel},
        )
    return rating


def referrer_rating_exists(feedback_id: UUID | str) -> bool:
    return ReferrerRating.objects.filter(feedback_id=feedback_id).exists()


# -- Families' feedback ----------------------------------------------------------------------


def family_feedback_record(
    *,
    actor: "User | None",
    hub: Hub,
    respondent: str,
    listened: str,
    understood: str,
    helped: str,
    comments: str = "",
    contact_reference: str = "",
) -> FamilyFeedback:
    """A child's, young person's or parent's feedback: from the public form (no actor), or
    recorded by a worker on their behalf, optionally against a contact they can open."""
    if actor is not None:
        require(actor, Permission.FEEDBACK_RECORD)
        _own_hub(actor, hub)
    comments = comments.strip()
    errors: dict[str, list[str]] = {}
    if respondent not in Respondent.values:
        errors["respondent"] = ["Choose who is giving the feedback"]
    for field, message in (
        ("listened", "Say whether you felt listened to"),
        ("understood", "Say whether we explained what would happen"),
        ("helped", "Say whether our help made things better"),
    ):
        if {"listened": listened, "understood": understood, "helped": helped}[
            field
        ] not in Answer.values:
            errors[field] = [message]
    if len(comments) > 2000:
        errors["comments"] = ["Your comments must be 2,000 characters or fewer"]
    contact = None
    reference = contact_reference.strip().upper()
    if reference:
        if actor is None:
            raise PermissionDenied("Only a worker links feedback to a contact.")
        contact = contacts_visible_to(actor).filter(reference=reference).first()
        if contact is None:
            errors["contact_reference"] = ["There is no contact with this reference"]
    _raise_if(errors)
    with transaction.atomic():
        feedback = FamilyFeedback.objects.create(
            hub=hub,
            respondent=respondent,
            listened=listened,
            understood=understood,
            helped=helped,
            comments=comments,
            channel=FamilyChannel.WORKER if actor is not None else FamilyChannel.ONLINE,
            contact=contact,
            recorded_by=actor,
            received_at=timezone.now(),
        )
        audit_record(
            actor=actor,
            verb=AuditVerb.FEEDBACK_RECEIVED,
            target=feedback,
            hub_id=hub.pk,
            contact_id=contact.pk if contact else None,
            changes={"respondent": respondent, "channel": feedback.channel},
        )
    return feedback


# -- Theory of change ------------------------------------------------------------------------


def change_step_create(
    *, actor: "User", hub: Hub, kind: str, title: str, description: str = "", order: int = 0
) -> ChangeStep:
    require(actor, Permission.QUALITY_MANAGE)
    _own_hub(actor, hub)
    title, description = title.strip(), description.strip()
    errors: dict[str, list[str]] = {}
    if kind not in StepKind.values:
        errors["kind"] = ["Choose activity or output"]
    if not title:
        errors["title"] = ["Enter a short name"]
    elif len(title) > 200:
        errors["title"] = ["The name must be 200 characters or fewer"]
    _long_text(errors, "description", description, "The description")
    _raise_if(errors)
    with transaction.atomic():
        step = ChangeStep.objects.create(
            hub=hub, kind=kind, title=title, description=description, order=order
        )
        audit_record(
            actor=actor,
            verb=AuditVerb.QUALITY_CHANGED,
            target=step,
            hub_id=hub.pk,
            changes={"theory_of_change": f"{kind} added", "title": title},
        )
    return step


def outcome_create(
    *,
    actor: "User",
    hub: Hub,
    title: str,
    source: str,
    description: str = "",
    indicator_key: str = "",
    indicator_name: str = "",
    unit: str = "",
    target: float | None = None,
    leads_from: Sequence[ChangeStep] = (),
    order: int = 0,
) -> Outcome:
    """An outcome and its indicator: computed (a catalogue key) or recorded by hand (named)."""
    require(actor, Permission.QUALITY_MANAGE)
    _own_hub(actor, hub)
    title, description = title.strip(), description.strip()
    indicator_name = indicator_name.strip()
    errors: dict[str, list[str]] = {}
    if not title:
        errors["title"] = ["Enter the outcome"]
    elif len(title) > 200:
        errors["title"] = ["The outcome must be 200 characters or fewer"]
    _long_text(errors, "description", description, "The description")
    if source == IndicatorSource.COMPUTED:
        if indicator_key not in INDICATORS:
            errors["indicator_key"] = ["Choose the figure that measures this outcome"]
        indicator_name, unit = "", "%"
    elif source == IndicatorSource.RECORDED:
        if not indicator_name:
            errors["indicator_name"] = ["Enter the name of the indicator you will record"]
        if unit not in ("", "%"):
            errors["unit"] = ["Choose a percentage or a number"]
        indicator_key = ""
    else:
        errors["source"] = ["Choose how the indicator is measured"]
    if target is not None and unit == "%" and not 0 <= target <= 100:
        errors["target"] = ["A percentage target must be from 0 to 100"]
    if any(step.hub_id != hub.pk for step in leads_from):
        errors["leads_from"] = ["Choose activities and outputs of this hub"]
    _raise_if(errors)
    with transaction.atomic():
        outcome = Outcome.objects.create(
            hub=hub,
            title=title,
            description=description,
            source=source,
            indicator_key=indicator_key,
            indicator_name=indicator_name,
            unit=unit,
            target=target,
            order=order,
        )
        outcome.leads_from.set(leads_from)
        audit_record(
            actor=actor,
            verb=AuditVerb.QUALITY_CHANGED,
            target=outcome,
            hub_id=hub.pk,
            changes={
                "theory_of_change": "outcome added",
                "title": title,
                "indicator": indicator_key or indicator_name,
                "leads_from": [str(s.pk) for s in leads_from],
            },
        )
    return outcome


def indicator_value_record(
    *, actor: "User", outcome: Outcome, month: date | None, value: float | None, note: str = ""
) -> IndicatorValue:
    """Record (or correct) a hand-recorded indicator's value for a month."""
    require(actor, Permission.QUALITY_MANAGE)
    _own_hub(actor, outcome.hub)
    errors: dict[str, list[str]] = {}
    if outcome.source != IndicatorSource.RECORDED:
        raise Conflict("This indicator is computed from the monitoring figures.")
    if month is None:
        errors["month"] = ["Choose the month"]
    elif month > timezone.localdate():
        errors["month"] = ["The month must be this month or earlier"]
    if value is None:
        errors["value"] = ["Enter the value"]
    elif outcome.unit == "%" and not 0 <= value <= 100:
        errors["value"] = ["A percentage must be from 0 to 100"]
    if len(note.strip()) > 300:
        errors["note"] = ["The note must be 300 characters or fewer"]
    _raise_if(errors)
    assert month is not None and value is not None
    month = month.replace(day=1)
    with transaction.atomic():
        existing = IndicatorValue.objects.filter(outcome=outcome, month=month).first()
        before = existing.value if existing else None
        row, _ = IndicatorValue.objects.update_or_create(
            outcome=outcome,
            month=month,
            defaults={
                "value": value,
                "note": note.strip(),
                "recorded_by": actor,
                "recorded_at": timezone.now(),
            },
        )
        audit_record(
            actor=actor,
            verb=AuditVerb.QUALITY_CHANGED,
            target=row,
            hub_id=outcome.hub_id,
            changes={
                "indicator": outcome.indicator_name,
                "month": month.isoformat(),
                "value": [before, value],
            },
        )
    return row


def rating_link(*, feedback: Feedback) -> str:
    """The absolute link for a feedback e-mail (OPENMASH_SITE_URL is the service's address)."""
    site = settings.OPENMASH_SITE_URL.rstrip("/")
    return site + reverse("quality:rate-link", args=[rating_invite_issue(feedback=feedback)])
