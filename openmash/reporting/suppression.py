"""Statistical disclosure control for published figures.

Primary suppression hides every count from 1 to `threshold - 1`. Secondary suppression then
makes sure no hidden count can be worked back from what is published. Published figures
are tied together by additive equations (a total equals the sum of its breakdown; two cells
showing the same quantity are equal), and an attacker knows that zeros are published, so a
hidden count is at least 1. For every equation, hidden cells are added until:

- no equation has exactly one hidden cell (it would be the total minus the rest), and
- where the total is published, the hidden cells of the equation do not add up to their own
  number (each would then have to be exactly 1).

Cells are added smallest first (the least information lost), and the rules are re-checked
until nothing changes, because hiding a cell in one equation can expose another.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

THRESHOLD = 5


@dataclass(frozen=True)
class Equation:
    """`total` equals the sum of `parts` (a single part: the two cells are the same figure)."""

    total: str
    parts: tuple[str, ...]

    @property
    def cells(self) -> tuple[str, ...]:
        return (self.total, *self.parts)


def primary_suppressed(values: Mapping[str, int], threshold: int = THRESHOLD) -> set[str]:
    return {path for path, value in values.items() if 0 < value < threshold}


def _exposed(eq: Equation, values: Mapping[str, int], hidden: set[str]) -> bool:
    unknown = [cell for cell in eq.cells if cell in hidden]
    if not unknown:
        return False
    if len(unknown) == 1:
        return True
    if eq.total not in hidden:
        # The hidden parts add up to a known sum; all ones if that sum is their number.
        return sum(values[cell] for cell in unknown) <= len(unknown)
    return False


def suppress(
    values: Mapping[str, int], equations: Sequence[Equation], threshold: int = THRESHOLD
) -> set[str]:
    """The cells to hide: small counts, and enough others to protect them."""
    for eq in equations:
        for cell in eq.cells:
            if cell not in values:
                raise KeyError(f"The equation refers to an unknown cell {cell!r}")
    hidden = primary_suppressed(values, threshold)
    changed = True
    while changed:
        changed = False
        for eq in equations:
            while _exposed(eq, values, hidden):
                candidates = sorted(
                    (values[cell], cell != eq.total, cell)
                    for cell in eq.cells
                    if cell not in hidden and values[cell] > 0
                )
                if not candidates:
                    break  # every other cell is zero: nothing left to hide it among
                # Smallest first; among equals, a part rather than the total.
                _value, _is_part, cell = min(candidates, key=lambda c: (c[0], not c[1], c[2]))
                hidden.add(cell)
                changed = True
    return hidden
