"""Case-file audit grade trends: pure rules, no database. Final grades (the moderator's where
an audit was moderated) counted by the quarter or month a contact was received."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class GradeRow:
    label: str
    counts: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def share(self, grade: str) -> float | None:
        if self.total < 1:
            return None
        return round(100 * self.counts[grade] / self.total, 1)


def quarter_of(day: date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


def grade_rows(
    audits: Iterable[tuple[date, str, str]], *, grades: Sequence[str], by: str = "quarter"
) -> list[GradeRow]:
    """One row per quarter (or month, ``by="month"``) that has an audit, oldest first. Each
    audit is (the local day its contact was received, overall grade, moderated grade or "")."""
    buckets: dict[tuple[int, int], dict[str, int]] = {}
    for day, overall, moderated in audits:
        key = quarter_of(day) if by == "quarter" else (day.year, day.month)
        counts = buckets.setdefault(key, dict.fromkeys(grades, 0))
        counts[moderated or overall] += 1
    out = []
    for (year, part), counts in sorted(buckets.items()):
        label = f"Q{part} {year}" if by == "quarter" else f"{date(year, part, 1):%b %Y}"
        out.append(GradeRow(label, counts))
    return out
