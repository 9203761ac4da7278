"""Funding and resources' rules: pure, no database. What a contribution's money and staff
lines may be."""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

MAX_FTE = Decimal("999.99")
# £10 trillion: far above any contribution, far below the column's limit.
MAX_AMOUNT_PENCE = 10**15


@dataclass(frozen=True)
class StaffInput:
    role: str
    fte: Decimal


def amount_problem(amount_pence: int | None) -> str:
    """Why the money contributed cannot be recorded, or ""."""
    if amount_pence is None or amount_pence < 0:
        return "Enter the money contributed in pounds, 0 or more"
    if amount_pence > MAX_AMOUNT_PENCE:
        return f"Money contributed must be £{MAX_AMOUNT_PENCE // 100:,} or less"
    return ""


def fte_is_valid(fte: Decimal) -> bool:
    """More than 0, at most MAX_FTE, in hundredths (NaN and infinities are not numbers)."""
    return (
        fte.is_finite()  # NaN cannot even be compared
        and Decimal(0) < fte <= MAX_FTE
        and fte == fte.quantize(Decimal("0.01"))
    )


def staff_problems(staff: Sequence[StaffInput]) -> dict[str, str]:
    """Each staff line's problem, keyed ``staff.<index>``: a role given (at most 100
    characters), each role once (ignoring case), a sensible full-time equivalent."""
    problems: dict[str, str] = {}
    roles: set[str] = set()
    for index, item in enumerate(staff):
        key = f"staff.{index}"
        role = item.role.strip()
        if not role or len(role) > 100:
            problems[key] = "Enter the role (at most 100 characters) for each line of staff"
        elif role.lower() in roles:
            problems[key] = f"{role} is given twice: give each role once"
        elif not fte_is_valid(item.fte):
            problems[key] = f"Enter the full-time equivalent for {role}, like 1 or 0.5"
        roles.add(role.lower())
    return problems
