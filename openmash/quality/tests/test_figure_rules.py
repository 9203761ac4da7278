"""Grade trends and feedback shares (quality.grade_trends, quality.feedback_shares): plain
inputs, no database."""

from datetime import date

from openmash.quality.feedback_shares import Share, month_end, months_back_from
from openmash.quality.grade_trends import grade_rows, quarter_of

GRADES = ["outstanding", "good", "requires_improvement", "inadequate"]


def test_the_moderated_grade_has_the_last_word_by_quarter() -> None:
    rows = grade_rows(
        [
            (date(2026, 2, 1), "good", ""),
            (date(2026, 3, 31), "good", "inadequate"),
            (date(2026, 4, 1), "outstanding", ""),
        ],
        grades=GRADES,
    )
    assert [r.label for r in rows] == ["Q1 2026", "Q2 2026"]
    assert rows[0].counts == {
        "outstanding": 0,
        "good": 1,
        "requires_improvement": 0,
        "inadequate": 1,
    }
    assert rows[0].share("good") == 50.0 and rows[1].total == 1


def test_by_month_the_rows_are_labelled_by_month_oldest_first() -> None:
    rows = grade_rows(
        [(date(2026, 5, 2), "good", ""), (date(2025, 12, 9), "good", "")],
        grades=GRADES,
        by="month",
    )
    assert [r.label for r in rows] == ["Dec 2025", "May 2026"]


def test_quarters() -> None:
    assert [quarter_of(date(2026, m, 1))[1] for m in (1, 3, 4, 6, 7, 10, 12)] == [
        1,
        1,
        2,
        2,
        3,
        4,
        4,
    ]


def test_a_share_of_too_few_responses_shows_counts_only() -> None:
    assert Share(2, 1, 1).percent is None and Share(2, 1, 1).too_few
    assert Share(2, 1, 1).text == "2 of 4 said yes (too few responses for a percentage)"
    assert Share(3, 1, 1).text == "60% said yes (3 of 5)"
    assert Share(0, 0, 0).text == "No responses" and not Share(0, 0, 0).too_few


def test_months_back_cross_the_year_and_end_on_the_right_day() -> None:
    assert months_back_from(date(2026, 2, 14), 3) == [
        date(2025, 12, 1),
        date(2026, 1, 1),
        date(2026, 2, 1),
    ]
    assert month_end(date(2024, 2, 1)) == date(2024, 2, 29)
    assert month_end(date(2025, 12, 1)) == date(2025, 12, 31)
