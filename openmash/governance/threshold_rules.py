"""Local thresholds' rules: pure, no database. A thresholds version describes exactly the
hub's levels of need, each once, each named and described in the hub's words."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

RAG_CRITERIA = ("red", "amber", "green")


@dataclass(frozen=True)
class ThresholdLevelInput:
    level: int
    name: str
    descriptor: str


def level_problems(
    hub_levels: Iterable[int], levels: Sequence[ThresholdLevelInput]
) -> dict[str, str]:
    """Problems keyed ``levels`` (the set of levels is not the hub's) and ``levels.<n>`` (one
    level's name or descriptor; a level given twice is judged by its last line)."""
    problems: dict[str, str] = {}
    expected = sorted(hub_levels)
    if sorted(item.level for item in levels) != expected:
        problems["levels"] = "Describe each of the hub's levels of need once: " + ", ".join(
            str(n) for n in expected
        )
    for item in levels:
        if not item.name.strip() or len(item.name.strip()) > 100:
            problems[f"levels.{item.level}"] = (
                f"Enter a name of at most 100 characters for level {item.level}"
            )
        elif not item.descriptor.strip():
            problems[f"levels.{item.level}"] = f"Describe level {item.level} in the hub's words"
    return problems


def criteria_problems(criteria: dict[str, str]) -> dict[str, str]:
    """Each RAG rating (red, amber, green) must say when a contact is given it."""
    return {
        f"{rag}_criteria": f"Describe when a contact is rated {rag.title()}"
        for rag in RAG_CRITERIA
        if not criteria[rag].strip()
    }
