"""Funding, thresholds and standards rules (governance.funding_rules, .threshold_rules,
.standard_results): plain inputs, no database."""

from decimal import Decimal

from openmash.governance.funding_rules import (
    MAX_AMOUNT_PENCE,
    StaffInput,
    amount_problem,
    fte_is_valid,
    staff_problems,
)
from openmash.governance.standard_results import Result, feedback_sent_result, rationale_result
from openmash.governance.threshold_rules import (
    ThresholdLevelInput,
    criteria_problems,
    level_problems,
)


def test_money_is_zero_or_more_and_not_absurd() -> None:
    assert amount_problem(0) == "" and amount_problem(MAX_AMOUNT_PENCE) == ""
    assert amount_problem(None) == amount_problem(-1) != ""
    assert amount_problem(MAX_AMOUNT_PENCE + 1).startswith("Money contributed must be £")


def test_a_full_time_equivalent_is_a_positive_number_in_hundredths() -> None:
    assert fte_is_valid(Decimal("1")) and fte_is_valid(Decimal("0.25"))
    for bad in ("0", "-1", "0.125", "1000", "NaN", "Infinity"):
        assert not fte_is_valid(Decimal(bad)), bad


def test_each_staff_line_names_its_role_once() -> None:
    problems = staff_problems(
        [
            StaffInput("Social worker", Decimal("2")),
            StaffInput("social worker ", Decimal("1")),
            StaffInput("", Decimal("1")),
            StaffInput("Nurse", Decimal("0")),
        ]
    )
    assert problems == {
        "staff.1": "social worker is given twice: give each role once",
        "staff.2": "Enter the role (at most 100 characters) for each line of staff",
        "staff.3": "Enter the full-time equivalent for Nurse, like 1 or 0.5",
    }


def test_a_thresholds_version_describes_exactly_the_hubs_levels() -> None:
    levels = [ThresholdLevelInput(1, "Universal", "Needs met"), ThresholdLevelInput(3, "", "x")]
    assert level_problems([1, 2, 3], levels) == {
        "levels": "Describe each of the hub's levels of need once: 1, 2, 3",
        "levels.3": "Enter a name of at most 100 characters for level 3",
    }
    assert level_problems([1], [ThresholdLevelInput(1, "Universal", " ")]) == {
        "levels.1": "Describe level 1 in the hub's words"
    }


def test_every_rag_rating_says_when_it_is_given() -> None:
    assert criteria_problems({"red": "Harm", "amber": " ", "green": ""}) == {
        "amber_criteria": "Describe when a contact is rated Amber",
        "green_criteria": "Describe when a contact is rated Green",
    }


def test_the_monitoring_standards_thresholds() -> None:
    assert rationale_result(99.0) == Result.PASS and rationale_result(98.9) == Result.FAIL
    assert [feedback_sent_result(p) for p in (95.0, 94.9, 80.0, 79.9)] == [
        Result.PASS,
        Result.WARNING,
        Result.WARNING,
        Result.FAIL,
    ]


def test_the_checks_run_in_the_order_of_the_standards() -> None:
    from openmash.governance.standards import CHECKS

    assert [c.__name__ for c in CHECKS] == [
        "definition_complete",
        "accountable_manager_named",
        "roles_per_core_agency",
        "core_agencies_take_part",
        "information_sharing_signed",
        "data_protection_signed",
        "escalation_signed",
        "thresholds_published",
        "documents_within_review",
        "rationale_recorded",
        "feedback_to_referrers",
        "funding_published",
    ]
