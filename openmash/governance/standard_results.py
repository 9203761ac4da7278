"""The standards self-assessment's results and its thresholds: pure, no database. A check
meets its standard, warns, or fails; the monitoring checks turn a rate into one of those."""

from dataclasses import dataclass
from enum import StrEnum


class Result(StrEnum):
    PASS = "pass"
    WARNING = "warning"
    FAIL = "fail"

    @property
    def label(self) -> str:
        return {"pass": "Met", "warning": "Warning", "fail": "Not met"}[self.value]


# The brief's recommendations, as each check names them.
STANDARDS = {
    1: "1. A standard definition of the hub",
    2: "2. Leadership: one accountable manager, named roles",
    3: "3. Core and contributing agencies",
    4: "4. Core documents every agency signs up to",
    5: "5. Recording and monitoring practice",
    6: "6. Transparency on funding and resources",
}

RATIONALE_TARGET = 99.0  # per cent of decisions with a recorded rationale
FEEDBACK_TARGET = 95.0  # per cent of decided contacts whose referrer was told
FEEDBACK_FLOOR = 80.0  # below this, not met; between the two, a warning


@dataclass(frozen=True)
class CheckResult:
    code: str
    title: str
    standard: int
    result: Result
    evidence: list[str]
    action: str = ""  # what to do to meet the standard ("" when met)

    @property
    def standard_label(self) -> str:
        return STANDARDS[self.standard]


def rationale_result(percent: float) -> Result:
    """Decisions with a recorded rationale: met at RATIONALE_TARGET or more, else not met."""
    return Result.FAIL if percent < RATIONALE_TARGET else Result.PASS


def feedback_sent_result(percent: float) -> Result:
    """Referrers told the outcome: not met below the floor, a warning below the target."""
    if percent < FEEDBACK_FLOOR:
        return Result.FAIL
    if percent < FEEDBACK_TARGET:
        return Result.WARNING
    return Result.PASS
