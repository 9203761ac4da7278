"""Checks of standard 4: the core documents every agency signs up to, and the thresholds."""

from typing import TYPE_CHECKING

from openmash.governance.models import DocumentKind
from openmash.governance.selectors import (
    contributing_agencies_unsigned,
    core_agencies_unsigned,
    document_current,
    review_notices,
    review_reminder_days,
    thresholds_current,
)
from openmash.governance.standard_results import (
    CheckResult,
    Result,
)

from .framework import Context, check, day_text, names_text

if TYPE_CHECKING:
    pass


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
    evidence = [f"Version {version.version_label}, effective {day_text(version.effective_from)}."]
    unsigned_core = core_agencies_unsigned(version)
    if unsigned_core:
        return CheckResult(
            code,
            title,
            4,
            Result.FAIL,
            [*evidence, f"Not signed by: {names_text([a.name for a in unsigned_core])}."],
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
                f"{names_text([a.name for a in unsigned_other])}.",
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
                f"Thresholds document not signed by: {names_text([a.name for a in unsigned])}."
            )
    if version is None:
        problems.append("No level-of-need descriptors and RAG criteria are published.")
    else:
        evidence.append(
            f"Levels of need and RAG criteria version {version.version_label}, effective "
            f"{day_text(version.effective_from)}."
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
                f"{n.version} was due for review on {day_text(n.version.review_by)} "
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
                f"{n.version} is due for review on {day_text(n.version.review_by)} "
                f"(in {n.days} days)."
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
