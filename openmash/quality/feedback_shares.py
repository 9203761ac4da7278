"""Feedback figures' rules: pure, no database. How many said yes of how many, shown as a
percentage only when there are enough responses; and the months a trend covers."""

from dataclasses import dataclass
from datetime import date, timedelta

SMALL_NUMBER = 5  # fewer responses than this: counts are shown, shares are not


@dataclass(frozen=True)
class Share:
    """How many answered `yes` of how many responses; the percent only when not too few."""

    yes: int
    partly: int
    no: int

    @property
    def total(self) -> int:
        return self.yes + self.partly + self.no

    @property
    def too_few(self) -> bool:
        return 0 < self.total < SMALL_NUMBER

    @property
    def percent(self) -> float | None:
        if self.total < SMALL_NUMBER:
            return None
        return round(100 * self.yes / self.total, 1)

    @property
    def text(self) -> str:
        if not self.total:
            return "No responses"
        if self.percent is None:
            return f"{self.yes} of {self.total} said yes (too few responses for a percentage)"
        return f"{self.percent:.0f}% said yes ({self.yes} of {self.total})"


def months_back_from(today: date, count: int) -> list[date]:
    """The first days of the ``count`` months up to and including today's, oldest first."""
    months = []
    year, month = today.year, today.month
    for _ in range(count):
        months.append(date(year, month, 1))
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return months[::-1]


def month_end(month: date) -> date:
    following = date(month.year + (month.month == 12), month.month % 12 + 1, 1)
    return following - timedelta(days=1)
