"""The CIN census rules a referral's progress must keep (the rule numbers are DfE's), as pure
rules: no database here (services/referral_progress.py records what passes)."""

from dataclasses import dataclass
from datetime import date

from openmash.core.standards import (
    ASSESSMENT_FACTORS,
    CLOSED_AFTER_ASSESSMENT,
    CLOSURE_REASONS,
    NO_FACTORS,
)
from openmash.core.validation import FieldProblems


@dataclass
class ReferralProgressInput:
    assessment_started_on: date | None = None
    assessment_authorised_on: date | None = None
    assessment_factors: list[str] | None = None  # None: from the contact's concerns
    s47_started_on: date | None = None
    icpc_on: date | None = None
    icpc_not_required: bool = False
    closed_on: date | None = None
    closure_reason: str = ""


def referral_progress_validate(
    data: ReferralProgressInput, *, referred_on: date, today: date
) -> None:
    """The CIN census rules a referral's progress must keep (the rule numbers are DfE's), all
    problems at once, in the order of the form."""
    problems = FieldProblems()
    _dates_check(data, problems, referred_on=referred_on, today=today)
    _assessment_check(data, problems)
    _s47_check(data, problems)
    _closure_check(data, problems)
    problems.raise_if_any()


def _dated(data: ReferralProgressInput) -> dict[str, tuple[str, date | None]]:
    return {
        "assessment_started_on": ("The assessment start date", data.assessment_started_on),
        "assessment_authorised_on": ("The authorisation date", data.assessment_authorised_on),
        "s47_started_on": ("The section 47 start date", data.s47_started_on),
        "icpc_on": ("The conference date", data.icpc_on),
        "closed_on": ("The closure date", data.closed_on),
    }


def _dates_check(
    data: ReferralProgressInput, problems: FieldProblems, *, referred_on: date, today: date
) -> None:
    for name, (label, value) in _dated(data).items():
        if value is None:
            continue
        if value > today:
            problems.add(name, f"{label} must be today or in the past")
        elif value < referred_on:  # 1103, 1104, 2889, 8630
            problems.add(name, f"{label} cannot be before the referral ({referred_on:%-d %B %Y})")


def _assessment_check(data: ReferralProgressInput, problems: FieldProblems) -> None:
    add = problems.add
    started, authorised = data.assessment_started_on, data.assessment_authorised_on
    if authorised is not None and started is None:
        add("assessment_started_on", "Enter the date the assessment started")
    elif authorised is not None and started is not None and authorised < started:  # 8608
        add("assessment_authorised_on", "The authorisation date cannot be before the start")
    factors = data.assessment_factors or []
    if any(code not in ASSESSMENT_FACTORS for code in factors):
        add("assessment_factors", "Choose assessment factors from the list")
    elif NO_FACTORS in factors and len(set(factors)) > 1:  # 8869
        add("assessment_factors", "'No factors identified' cannot be chosen with other factors")
    elif authorised is not None and not factors:  # 8897Q
        add("assessment_factors", "Choose the factors identified at the assessment")


def _s47_check(data: ReferralProgressInput, problems: FieldProblems) -> None:
    add = problems.add
    s47, icpc = data.s47_started_on, data.icpc_on
    if icpc is not None and s47 is None:  # 8615
        add("s47_started_on", "Enter the date the section 47 enquiry started")
    elif icpc is not None and s47 is not None and icpc < s47:
        add("icpc_on", "The conference cannot be before the section 47 enquiry started")
    if icpc is not None and icpc.weekday() >= 5:  # 8875
        add("icpc_on", "An initial child protection conference is not held at a weekend")
    if icpc is not None and data.icpc_not_required:  # 8868
        add("icpc_not_required", "Either give the conference date or say it was not required")
    if data.icpc_not_required and s47 is None:
        add("s47_started_on", "Enter the date the section 47 enquiry started")


def _closure_check(data: ReferralProgressInput, problems: FieldProblems) -> None:
    add = problems.add
    closed, reason = data.closed_on, data.closure_reason
    if reason and reason not in CLOSURE_REASONS:  # 8640
        add("closure_reason", "Choose a reason for closure from the list")
    elif closed is not None and not reason:  # 8805
        add("closure_reason", "Choose the reason for closure")
    elif reason and closed is None:  # 8810
        add("closed_on", "Enter the date the case was closed")
    if closed is not None:
        _closed_after_the_rest(data, problems, closed)
    _closure_reason_fits(data, problems)


def _closed_after_the_rest(
    data: ReferralProgressInput, problems: FieldProblems, closed: date
) -> None:
    add = problems.add
    dates = _dated(data)
    for name in ("assessment_started_on", "assessment_authorised_on", "s47_started_on"):
        value = dates[name][1]
        if value is not None and value > closed:  # 8565
            add("closed_on", f"The closure date cannot be before {dates[name][0].lower()}")
    if data.icpc_on is not None and data.icpc_on > closed:
        add("closed_on", "The case cannot close before the conference")
    if data.assessment_started_on is not None and data.assessment_authorised_on is None:  # 8867
        add("assessment_authorised_on", "Enter the authorisation date before closing")
    s47_open = data.s47_started_on is not None and data.icpc_on is None  # 8868
    if s47_open and not data.icpc_not_required:
        add("icpc_on", "Give the conference date, or say it was not required, before closing")


def _closure_reason_fits(data: ReferralProgressInput, problems: FieldProblems) -> None:
    add = problems.add
    reason = data.closure_reason
    if reason in CLOSED_AFTER_ASSESSMENT:
        if data.assessment_started_on is None:  # 8825Q
            add("closure_reason", "This reason needs an assessment: record it, or choose another")
        if data.s47_started_on is not None:  # 2990
            add(
                "closure_reason", "A case with a section 47 enquiry does not close with this reason"
            )
    elif reason and (data.assessment_factors or []) == [NO_FACTORS]:  # 8873Q
        add("closure_reason", "With no factors identified, close as RC8 or RC9")
