"""Reads for quality improvement: scopes (`*_visible_to`), gates that answer NotFound for
missing and forbidden alike, and the aggregate figures (grade trends, feedback summaries,
outcome indicators). Figures count; they never list a person."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any
from uuid import UUID
from zoneinfo import ZoneInfo

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from openmash.access.checks import user_sees_whole_contact
from openmash.access.permissions import Permission
from openmash.core.errors import NotFound
from openmash.hubs.models import Hub
from openmash.reporting.facts import facts_refresh
from openmash.reporting.metrics import Period, metrics_compute
from openmash.reporting.national import selectors as national
from openmash.reporting.national.measures import BY_KEY

# The pure rules' names stay importable from here, where callers found them before.
from .feedback_shares import SMALL_NUMBER as SMALL_NUMBER
from .feedback_shares import Share as Share
from .feedback_shares import month_end as month_end
from .feedback_shares import months_back_from
from .grade_trends import GradeRow as GradeRow
from .grade_trends import grade_rows
from .indicators import INDICATORS
from .models import (
    Answer,
    AuditCriterion,
    AuditSample,
    CaseAudit,
    ChangeStep,
    FamilyFeedback,
    Grade,
    ImprovementAction,
    ImprovementStatus,
    IndicatorSource,
    IndicatorValue,
    Outcome,
    ReferrerRating,
    Respondent,
    SampledContact,
)

if TYPE_CHECKING:
    from openmash.accounts.models import User

GRADE_KEYS = list(Grade.values)


def can_case_file_audit(user: "User") -> bool:
    return user.can(Permission.CASE_AUDIT)


def can_manage(user: "User") -> bool:
    return user.can(Permission.QUALITY_MANAGE)


def sees_case_file_audits(user: "User") -> bool:
    return can_case_file_audit(user) or can_manage(user)


def sees_feedback_figures(user: "User") -> bool:
    return sees_case_file_audits(user) or user.can(Permission.AGGREGATES_VIEW)


def sees_feedback_comments(user: "User") -> bool:
    """Free text may name a child or a family: only those who read case files (the auditor and
    the MASH manager) read it, not a quality manager as such (the hub administrator manages
    criteria and improvement actions, never a person's words)."""
    return can_case_file_audit(user)


def _hub_of(user: "User") -> UUID:
    """The user's hub id; NotFound for an inactive user or one without a hub."""
    hub_id = user.hub_id if user.is_active else None
    if hub_id is None:
        raise NotFound("Not found")
    return hub_id


# -- Case-file audits: criteria, samples, audits ---------------------------------------------


def criteria_for(hub: Hub, *, active_only: bool = False) -> QuerySet[AuditCriterion]:
    criteria = AuditCriterion.objects.filter(hub=hub)
    return criteria.filter(active=True) if active_only else criteria


def criterion_get_for_user(user: "User", criterion_id: UUID | str) -> AuditCriterion:
    if not can_manage(user):
        raise NotFound("Criterion not found")
    try:
        return AuditCriterion.objects.get(pk=criterion_id, hub_id=_hub_of(user))
    except (AuditCriterion.DoesNotExist, ValueError) as exc:
        raise NotFound("Criterion not found") from exc


def samples_visible_to(user: "User") -> QuerySet[AuditSample]:
    if not sees_case_file_audits(user) or not user.is_active or user.hub_id is None:
        return AuditSample.objects.none()
    return AuditSample.objects.filter(hub_id=_hub_of(user))


def sample_get_for_user(user: "User", sample_id: UUID | str) -> AuditSample:
    try:
        return samples_visible_to(user).select_related("drawn_by").get(pk=sample_id)
    except (AuditSample.DoesNotExist, ValueError) as exc:
        raise NotFound("Sample not found") from exc


def sample_items(sample: AuditSample) -> list[SampledContact]:
    return list(
        sample.items.select_related("contact", "audit", "audit__auditor", "audit__moderated_by")
    )


def item_get_for_user(user: "User", item_id: UUID | str) -> SampledContact:
    """A sampled case file, for an auditor who may open the contact itself."""
    if not can_case_file_audit(user) or not user_sees_whole_contact(user):
        raise NotFound("Case file not found")
    try:
        return SampledContact.objects.select_related(
            "sample", "sample__hub", "contact", "audit", "audit__auditor", "audit__moderated_by"
        ).get(pk=item_id, sample__hub_id=_hub_of(user))
    except (SampledContact.DoesNotExist, ValueError) as exc:
        raise NotFound("Case file not found") from exc


def case_file_audit_grades(audit: CaseAudit) -> list[Any]:
    return list(audit.grades.select_related("criterion"))


def case_file_audits_for_hub(hub: Hub) -> QuerySet[CaseAudit]:
    return CaseAudit.objects.filter(item__sample__hub=hub)


# The names callers used before "case-file audit" was spelt out.
can_audit = can_case_file_audit
sees_audits = sees_case_file_audits
audit_grades = case_file_audit_grades
audits_for_hub = case_file_audits_for_hub


# -- Grade trends --------------------------------------------------------------------------------


def grade_trend(hub: Hub, *, by: str = "quarter") -> list[GradeRow]:
    """Final grades (moderated where moderated) of audited case files, by the quarter or month
    the contact was received: what practice was like then."""
    zone = ZoneInfo(hub.timezone)
    rows = case_file_audits_for_hub(hub).values_list(
        "item__contact__received_at", "overall_grade", "moderated_grade"
    )
    audits = ((received.astimezone(zone).date(), o, m) for received, o, m in rows)
    return grade_rows(audits, grades=GRADE_KEYS, by=by)


# -- Improvement actions -----------------------------------------------------------------------


def improvement_actions_visible_to(user: "User") -> QuerySet[ImprovementAction]:
    if not sees_case_file_audits(user) or not user.is_active or user.hub_id is None:
        return ImprovementAction.objects.none()
    return ImprovementAction.objects.filter(hub_id=_hub_of(user)).select_related(
        "owner_agency", "owner", "audit", "audit__item__sample"
    )


def improvement_action_get_for_user(user: "User", action_id: UUID | str) -> ImprovementAction:
    try:
        return improvement_actions_visible_to(user).get(pk=action_id)
    except (ImprovementAction.DoesNotExist, ValueError) as exc:
        raise NotFound("Improvement action not found") from exc


def is_overdue(action: ImprovementAction, today: date | None = None) -> bool:
    today = today or timezone.localdate()
    return action.status == ImprovementStatus.OPEN and action.due_date < today


# -- Feedback ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FeedbackSummary:
    start: date
    end: date
    ratings: int
    explained: Share
    timely: Share
    families: int
    by_respondent: dict[str, int]
    listened: Share
    understood: Share
    helped: Share
    worker_recorded: int = 0
    notes: list[str] = field(default_factory=list)


def _answers(prefix: str) -> dict[str, Any]:
    return {f"{prefix}_{a}": Count("pk", filter=Q(**{prefix: a})) for a in Answer.values}


def _share(row: dict[str, Any], prefix: str) -> Share:
    return Share(row[f"{prefix}_yes"], row[f"{prefix}_partly"], row[f"{prefix}_no"])


def _bounds(hub: Hub, start: date, end: date) -> tuple[datetime, datetime]:
    return Period(start, end).bounds(ZoneInfo(hub.timezone))


def feedback_summary(hub: Hub, start: date, end: date) -> FeedbackSummary:
    """Referrers' ratings and families' feedback received in the period: two aggregate
    queries, whatever the volume."""
    low, high = _bounds(hub, start, end)
    ratings = ReferrerRating.objects.filter(hub=hub, rated_at__gte=low, rated_at__lt=high)
    r = ratings.aggregate(n=Count("pk"), **_answers("explained"), **_answers("timely"))
    families = FamilyFeedback.objects.filter(hub=hub, received_at__gte=low, received_at__lt=high)
    f = families.aggregate(
        n=Count("pk"),
        worker=Count("pk", filter=Q(channel="worker")),
        **_answers("listened"),
        **_answers("understood"),
        **_answers("helped"),
        **{f"r_{k}": Count("pk", filter=Q(respondent=k)) for k in Respondent.values},
    )
    return FeedbackSummary(
        start=start,
        end=end,
        ratings=r["n"],
        explained=_share(r, "explained"),
        timely=_share(r, "timely"),
        families=f["n"],
        by_respondent={k: f[f"r_{k}"] for k in Respondent.values},
        listened=_share(f, "listened"),
        understood=_share(f, "understood"),
        helped=_share(f, "helped"),
        worker_recorded=f["worker"],
    )


@dataclass(frozen=True)
class FeedbackMonth:
    month: date
    explained: Share
    timely: Share
    listened: Share
    helped: Share


def months_back(count: int, today: date | None = None) -> list[date]:
    return months_back_from(today or timezone.localdate(), count)


def feedback_by_month(hub: Hub, months: Sequence[date]) -> list[FeedbackMonth]:
    """Month by month (local months): two queries, bucketed here (SQLite and PostgreSQL
    truncate dates to months in their own zones; the hub's zone is what counts)."""
    if not months:
        return []
    zone = ZoneInfo(hub.timezone)
    low, high = _bounds(hub, months[0], month_end(months[-1]))
    buckets: dict[date, dict[str, list[int]]] = {
        m: {k: [0, 0, 0] for k in ("explained", "timely", "listened", "helped")} for m in months
    }
    index = {a: n for n, a in enumerate(Answer.values)}
    for at, explained, timely in ReferrerRating.objects.filter(
        hub=hub, rated_at__gte=low, rated_at__lt=high
    ).values_list("rated_at", "explained", "timely"):
        month = at.astimezone(zone).date().replace(day=1)
        if month in buckets:
            buckets[month]["explained"][index[explained]] += 1
            buckets[month]["timely"][index[timely]] += 1
    for at, listened, helped in FamilyFeedback.objects.filter(
        hub=hub, received_at__gte=low, received_at__lt=high
    ).values_list("received_at", "listened", "helped"):
        month = at.astimezone(zone).date().replace(day=1)
        if month in buckets:
            buckets[month]["listened"][index[listened]] += 1
            buckets[month]["helped"][index[helped]] += 1
    return [
        FeedbackMonth(
            m, *(Share(*buckets[m][k]) for k in ("explained", "timely", "listened", "helped"))
        )
        for m in months
    ]


def family_comments(hub: Hub, *, limit: int = 20) -> list[FamilyFeedback]:
    return list(
        FamilyFeedback.objects.filter(hub=hub).exclude(comments="").order_by("-received_at")[:limit]
    )


def referrer_comments(hub: Hub, *, limit: int = 20) -> list[ReferrerRating]:
    return list(
        ReferrerRating.objects.filter(hub=hub).exclude(comment="").order_by("-rated_at")[:limit]
    )


# -- Theory of change and outcome indicators ----------------------------------------------------


def steps_for(hub: Hub) -> list[ChangeStep]:
    return list(ChangeStep.objects.filter(hub=hub).prefetch_related("outcomes"))


def outcomes_for(hub: Hub) -> list[Outcome]:
    return list(Outcome.objects.filter(hub=hub).prefetch_related("leads_from"))


def outcome_get_for_user(user: "User", outcome_id: UUID | str) -> Outcome:
    if not sees_outcomes(user):
        raise NotFound("Outcome not found")
    try:
        return Outcome.objects.select_related("hub").get(pk=outcome_id, hub_id=_hub_of(user))
    except (Outcome.DoesNotExist, ValueError) as exc:
        raise NotFound("Outcome not found") from exc


def sees_outcomes(user: "User") -> bool:
    return sees_case_file_audits(user) or user.can(Permission.AGGREGATES_VIEW)


@dataclass(frozen=True)
class IndicatorPoint:
    month: date
    hub: float | None
    national: float | None = None
    note: str = ""  # e.g. "12 of 40", or who recorded it


def indicator_label(outcome: Outcome) -> str:
    if outcome.source == IndicatorSource.COMPUTED and outcome.indicator_key in INDICATORS:
        return INDICATORS[outcome.indicator_key].label
    return outcome.indicator_name


def indicator_series(outcome: Outcome, months: Sequence[date]) -> list[IndicatorPoint]:
    """The indicator month by month: computed from the hub's facts (one metrics computation
    a month, with the national figure from imported returns beside it), or as recorded."""
    if not months:
        return []
    if outcome.source == IndicatorSource.RECORDED:
        recorded = {
            v.month: v
            for v in IndicatorValue.objects.filter(
                outcome=outcome, month__gte=months[0], month__lte=months[-1]
            ).select_related("recorded_by")
        }
        return [
            IndicatorPoint(
                m,
                recorded[m].value if m in recorded else None,
                note=(
                    f"Recorded by {recorded[m].recorded_by.display_name}"
                    + (f": {recorded[m].note}" if recorded[m].note else "")
                    if m in recorded
                    else ""
                ),
            )
            for m in months
        ]
    indicator = INDICATORS[outcome.indicator_key]
    hub = outcome.hub
    facts_refresh(hub=hub)
    nationally = {
        p.month: p.value
        for p in national.trend(indicator.spec, national.Period(months[0], months[-1]))
    }
    points = []
    for m in months:
        rate = indicator.rate(metrics_compute(hub=hub, period=Period(m, month_end(m))))
        note = f"{rate.numerator} of {rate.denominator}" if rate.denominator else "none to count"
        value = nationally.get(m)
        points.append(
            IndicatorPoint(m, rate.percent, None if value is None else round(value, 1), note)
        )
    return points


def indicator_latest(outcome: Outcome, months: Sequence[date]) -> IndicatorPoint | None:
    """The latest month with a value (for the theory-of-change overview)."""
    if outcome.source == IndicatorSource.RECORDED:
        row = IndicatorValue.objects.filter(outcome=outcome).order_by("-month").first()
        return IndicatorPoint(row.month, row.value) if row else None
    series = indicator_series(outcome, months)
    valued = [p for p in series if p.hub is not None]
    return valued[-1] if valued else None


def national_measure_of(outcome: Outcome) -> str:
    """The national view's measure key (e.g. "repeat.rereferrals_12m"), or "" (hand-recorded
    indicators are local only)."""
    if outcome.source != IndicatorSource.COMPUTED or outcome.indicator_key not in BY_KEY:
        return ""
    return BY_KEY[outcome.indicator_key].measure
