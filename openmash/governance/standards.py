"""The standards self-assessment: the national core (the brief's six recommendations) checked
against the hub's configuration and data. Each check says which standard it tests, whether
the hub meets it, the evidence found, and what to do to meet it. The page and
`openmash standards check` both run `standards_check`."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from openmash.access.checks import require
from openmash.access.permissions import Permission
from openmash.audit.models import AuditVerb
from openmash.audit.services import audit_record
from openmash.core.errors import PermissionDenied
from openmash.hubs.models import AgencyType, Hub
from openmash.reporting.facts import facts_refresh
from openmash.reporting.metrics import Metrics, Period, Rate, metrics_compute

from .models import DocumentKind, FundingContribution
from .selectors import (
    accountable_manager,
    contributing_agencies_unsigned,
    core_agencies,
    core_agencies_unsigned,
    definition_for,
    document_current,
    financial_year_of,
    leadership_roles,
    review_notices,
    review_reminder_days,
    thresholds_current,
)
from .standard_results import (
    FEEDBACK_TARGET,
    RATIONALE_TARGET,
    CheckResult,
    Result,
    feedback_sent_result,
    rationale_result,
)

if TYPE_CHECKING:
    from openmash.accounts.models import User


MONITORING_DAYS = 365  # figures cover the last twelve months


@dataclass
class Context:
    hub: Hub
    today: date
    _metrics: Metrics | None = None

    @property
    def metrics(self) -> Metrics:
        """The last twelve months' figures, computed once per run."""
        if self._metrics is None:
            facts_refresh(hub=self.hub)
            period = Period(self.today - timedelta(days=MONITORING_DAYS - 1), self.today)
            self._metrics = metrics_compute(hub=self.hub, period=period)
        return self._metrics


Check = Callable[[Context], CheckResult]
CHECKS: list[Check] = []


def check(func: Check) -> Check:
    """Register a check; they run in the order they are defined."""
    CHECKS.append(func)
    return func


@dataclass
class StandardsReport:
    hub: Hub
    today: date
    results: list[CheckResult] = field(default_factory=list)

    def count(self, result: Result) -> int:
        return sum(1 for r in self.results if r.result == result)

    @property
    def passed(self) -> int:
        return self.count(Result.PASS)

    @property
    def warnings(self) -> int:
        return self.count(Result.WARNING)

    @property
    def failed(self) -> int:
        return self.count(Result.FAIL)


def standards_evaluate(hub: Hub, *, today: date | None = None) -> StandardsReport:
    """Run every check (a read: `standards_check` records that it was run)."""
    context = Context(hub=hub, today=today or timezone.localdate())
    return StandardsReport(hub=hub, today=context.today, results=[run(context) for run in CHECKS])


def standards_check(
    *, actor: "User | None", hub: Hub, today: date | None = None
) -> StandardsReport:
    """The self-assessment, recorded in the audit trail (actor None: the command line)."""
    if actor is not None:
        require(actor, Permission.GOVERNANCE_VIEW)
        if actor.hub_id != hub.pk:
            raise PermissionDenied("You do not have permission to do that.")
    report = standards_evaluate(hub, today=today)
    with transaction.atomic():
        audit_record(
            actor=actor,
            verb=AuditVerb.STANDARDS_CHECKED,
            target=hub,
            hub_id=hub.pk,
            changes={
                "met": report.passed,
                "warnings": [r.code for r in report.results if r.result == Result.WARNING],
                "not_met": [r.code for r in report.results if r.result == Result.FAIL],
            },
        )
    return report


def _day(value: date) -> str:
    return f"{value.day} {value:%B %Y}"


def _names(items: list[object]) -> str:
    return ", ".join(str(i) for i in items)


# -- 1. Definition -----------------------------------------------------------------------------


@check
def definition_complete(ctx: Context) -> CheckResult:
    definition = definition_for(ctx.hub)
    missing = [
        label
        for label, value in (
            ("purpose", definition.purpose),
            ("who may be referred", definition.who_may_be_referred),
            ("working arrangement", definition.working_arrangement),
        )
        if not value
    ]
    evidence = [f"Scope: {ctx.hub.get_scope_display()}."]
    if definition.working_arrangement:
        evidence.append(f"Working arrangement: {definition.get_working_arrangement_display()}.")
    if missing:
        return CheckResult(
            "definition_complete",
            "The hub's definition is complete",
            1,
            Result.FAIL,
            [*evidence, f"Missing: {_names(list(missing))}."],
            "Complete the hub definition under Governance > Definition.",
        )
    return CheckResult(
        "definition_complete",
        "The hub's definition is complete",
        1,
        Result.PASS,
        [*evidence, "Purpose and who may be referred are recorded."],
    )


# -- 2. Leadership -----------------------------------------------------------------------------


@check
def accountable_manager_named(ctx: Context) -> CheckResult:
    title = "One accountable manager is named"
    role = accountable_manager(ctx.hub)
    if role is None:
        return CheckResult(
            "accountable_manager",
            title,
            2,
            Result.FAIL,
            ["No leadership role is marked as the accountable manager."],
            "Name the hub's accountable manager under Governance > Leadership.",
        )
    user = role.user
    if user is None or not user.is_active or not user.can(Permission.DECISION_SIGN_OFF):
        return CheckResult(
            "accountable_manager",
            title,
            2,
            Result.FAIL,
            [f"{role.holder_name} ({role.title}) is no longer an active MASH manager."],
            "Name an active MASH manager as the accountable manager.",
        )
    return CheckResult(
        "accountable_manager",
        title,
        2,
        Result.PASS,
        [f"{role.holder_name}, {role.title} ({role.agency.name})."],
    )


@check
def roles_per_core_agency(ctx: Context) -> CheckResult:
    title = "Every core agency has a named role with responsibilities"
    held = {r.agency_id for r in leadership_roles(ctx.hub)}
    missing = [a.name for a in core_agencies(ctx.hub) if a.pk not in held]
    if missing:
        return CheckResult(
            "roles_per_core_agency",
            title,
            2,
            Result.WARNING,
            [f"No named role for: {_names(list(missing))}."],
            "Add a named lead with responsibilities for each core agency under "
            "Governance > Leadership.",
        )
    return CheckResult(
        "roles_per_core_agency",
        title,
        2,
        Result.PASS,
        [f"{len(held)} agencies have named roles."],
    )


# -- 3. Membership -----------------------------------------------------------------------------

DECISION_MAKERS = {
    "police": {AgencyType.POLICE},
    "social care": {AgencyType.CHILDRENS_SOCIAL_CARE, AgencyType.ADULT_SOCIAL_CARE},
    "health": {
        AgencyType.HEALTH_GP,
        AgencyType.HEALTH_VISITING,
        AgencyType.HEALTH_SCHOOL_NURSING,
        AgencyType.HEALTH_ACUTE,
        AgencyType.HEALTH_MENTAL,
    },
}


@check
def core_agencies_take_part(ctx: Context) -> CheckResult:
    title = "Police, social care and health are core agencies"
    core = core_agencies(ctx.hub)
    missing = [
        name
        for name, types in DECISION_MAKERS.items()
        if not any(a.agency_type in types for a in core)
    ]
    evidence = [f"Core agencies: {_names([a.name for a in core]) or 'none'}."]
    if missing:
        return CheckResult(
            "core_agencies",
            title,
            3,
            Result.FAIL,
            [*evidence, f"No core agency for: {_names(list(missing))}."],
            "Make police, social care and health core members under Governance > Agencies.",
        )
    return CheckResult("core_agencies", title, 3, Result.PASS, evidence)


# -- 4. Core documents -------------------------------------------------------------------------


def _signed_document(ctx: Context, code: str, kind: DocumentKind) -> CheckResult:
    label = kind.label
    title = f"Every agency has signed the current {label.lower()}"
    version = document_current(ctx.hub, kind)
    if version is None:
        return CheckResult(
            code,
            title,
            4,
            Result.FAIL,
            [f"No current {label.lower()} is published."],
            f"Publish the {label.lower()} and ask each core agency's lead to sign it.",
        )
    evidence = [f"Version {version.version_label}, effective {_day(version.effective_from)}."]
    unsigned_core = core_agencies_unsigned(version)
    if unsigned_core:
        return CheckResult(
            code,
            title,
            4,
            Result.FAIL,
            [*evidence, f"Not signed by: {_names([a.name for a in unsigned_core])}."],
            "Ask each of these agencies' leads to sign the current version.",
        )
    unsigned_other = contributing_agencies_unsigned(version)
    if unsigned_other:
        return CheckResult(
            code,
            title,
            4,
            Result.WARNING,
            [
                *evidence,
                "Signed by every core agency.",
                "Contributing agencies not yet signed: "
                f"{_names([a.name for a in unsigned_other])}.",
            ],
            "Ask the contributing agencies' leads to sign the current version too.",
        )
    return CheckResult(
        code, title, 4, Result.PASS, [*evidence, "Signed by every core and contributing agency."]
    )


@check
def information_sharing_signed(ctx: Context) -> CheckResult:
    return _signed_document(ctx, "isa_signed", DocumentKind.INFORMATION_SHARING)


@check
def data_protection_signed(ctx: Context) -> CheckResult:
    return _signed_document(ctx, "dpp_signed", DocumentKind.DATA_PROTECTION)


@check
def escalation_signed(ctx: Context) -> CheckResult:
    return _signed_document(ctx, "escalation_signed", DocumentKind.ESCALATION)


@check
def thresholds_published(ctx: Context) -> CheckResult:
    title = "Thresholds are published in the hub's own words"
    document = document_current(ctx.hub, DocumentKind.THRESHOLDS)
    version = thresholds_current(ctx.hub)
    problems = []
    evidence = []
    if document is None:
        problems.append("No current thresholds document is published.")
    else:
        evidence.append(f"Thresholds document version {document.version_label} is current.")
        unsigned = core_agencies_unsigned(document)
        if unsigned:
            problems.append(
                f"Thresholds document not signed by: {_names([a.name for a in unsigned])}."
            )
    if version is None:
        problems.append("No level-of-need descriptors and RAG criteria are published.")
    else:
        evidence.append(
            f"Levels of need and RAG criteria version {version.version_label}, effective "
            f"{_day(version.effective_from)}."
        )
    if problems:
        return CheckResult(
            "thresholds_published",
            title,
            4,
            Result.FAIL,
            [*evidence, *problems],
            "Publish the thresholds document and the levels of need and RAG criteria under "
            "Governance > Thresholds, and have every core agency sign the document.",
        )
    return CheckResult("thresholds_published", title, 4, Result.PASS, evidence)


@check
def documents_within_review(ctx: Context) -> CheckResult:
    title = "Core documents are within their review dates"
    notices = review_notices(ctx.hub, today=ctx.today)
    overdue = [n for n in notices if n.overdue]
    soon = [n for n in notices if not n.overdue]
    if overdue:
        return CheckResult(
            "documents_reviewed",
            title,
            4,
            Result.FAIL,
            [
                f"{n.version} was due for review on {_day(n.version.review_by)} "
                f"({-n.days} days ago)."
                for n in overdue
            ],
            "Review each overdue document, publish the new version and have the agencies sign it.",
        )
    if soon:
        return CheckResult(
            "documents_reviewed",
            title,
            4,
            Result.WARNING,
            [
                f"{n.version} is due for review on {_day(n.version.review_by)} (in {n.days} days)."
                for n in soon
            ],
            "Start the review now, so that a new version is signed before the date.",
        )
    return CheckResult(
        "documents_reviewed",
        title,
        4,
        Result.PASS,
        [f"No current document is due for review in the next {review_reminder_days()} days."],
    )


# -- 5. Recording and monitoring ---------------------------------------------------------------


def _rate(rate: Rate) -> str:
    return f"{rate.numerator} of {rate.denominator} ({rate.percent}%)"


@check
def rationale_recorded(ctx: Context) -> CheckResult:
    title = f"At least {RATIONALE_TARGET:g}% of decisions have a recorded rationale"
    rate = ctx.metrics.rationale_recorded
    if rate.percent is None:
        return CheckResult(
            "rationale_recorded",
            title,
            5,
            Result.WARNING,
            ["No decisions on contacts received in the last twelve months."],
            "The check runs once the hub has made decisions.",
        )
    evidence = [f"Decisions in the last twelve months with a rationale: {_rate(rate)}."]
    if rationale_result(rate.percent) == Result.FAIL:
        return CheckResult(
            "rationale_recorded",
            title,
            5,
            Result.FAIL,
            evidence,
            "Make sure every decision records its reasoning; audit a sample of case files.",
        )
    return CheckResult("rationale_recorded", title, 5, Result.PASS, evidence)


@check
def feedback_to_referrers(ctx: Context) -> CheckResult:
    title = f"Referrers are told the outcome ({FEEDBACK_TARGET:g}% or more)"
    sent = ctx.metrics.feedback_sent
    on_time = ctx.metrics.feedback_on_time
    if sent.percent is None:
        return CheckResult(
            "feedback_sent",
            title,
            5,
            Result.WARNING,
            ["No decisions on contacts received in the last twelve months."],
            "The check runs once the hub has made decisions.",
        )
    evidence = [f"Decided contacts whose referrer was told: {_rate(sent)}."]
    if on_time.denominator:
        evidence.append(f"Told within the hub's timescale: {_rate(on_time)}.")
    result = feedback_sent_result(sent.percent)
    action = (
        ""
        if result == Result.PASS
        else "Send feedback to the referrer after every decision (the contact page shows "
        "which are due)."
    )
    return CheckResult("feedback_sent", title, 5, result, evidence, action)


# -- 6. Funding --------------------------------------------------------------------------------


@check
def funding_published(ctx: Context) -> CheckResult:
    year = financial_year_of(ctx.today)
    title = "Each core agency's contribution this financial year is published"
    recorded = set(
        FundingContribution.objects.filter(hub=ctx.hub, financial_year=year).values_list(
            "agency_id", flat=True
        )
    )
    label = f"{year}-{(year + 1) % 100:02d}"
    if not recorded:
        return CheckResult(
            "funding_published",
            title,
            6,
            Result.FAIL,
            [f"No contributions are recorded for {label}."],
            "Record each agency's money and staff for this financial year under "
            "Governance > Funding.",
        )
    missing = [a.name for a in core_agencies(ctx.hub) if a.pk not in recorded]
    evidence = [f"{len(recorded)} agencies' contributions recorded for {label}."]
    if missing:
        return CheckResult(
            "funding_published",
            title,
            6,
            Result.WARNING,
            [*evidence, f"Not recorded for: {_names(list(missing))}."],
            "Record the missing core agencies' contributions.",
        )
    return CheckResult("funding_published", title, 6, Result.PASS, evidence)
