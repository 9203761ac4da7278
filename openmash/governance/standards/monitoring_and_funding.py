"""Checks of standards 5 and 6: recording and monitoring practice, and funding."""

from typing import TYPE_CHECKING

from openmash.governance.models import FundingContribution
from openmash.governance.selectors import (
    core_agencies,
    financial_year_of,
)
from openmash.governance.standard_results import (
    FEEDBACK_TARGET,
    RATIONALE_TARGET,
    CheckResult,
    Result,
    feedback_sent_result,
    rationale_result,
)
from openmash.reporting.metrics import Rate

from .framework import Context, check, names_text

if TYPE_CHECKING:
    pass


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
            [*evidence, f"Not recorded for: {names_text(list(missing))}."],
            "Record the missing core agencies' contributions.",
        )
    return CheckResult("funding_published", title, 6, Result.PASS, evidence)
