"""Suppression is proven by attacking it: for every published table, an attacker who knows the
published cells, the equations between them (totals and breakdowns) and that zeros are
published tries to pin down each hidden count. It must always have at least two values."""

from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import UTC, date, datetime
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from openmash.reporting.metrics import AgencyFigures, Metrics, Period, Rate, Stats, Turnaround
from openmash.reporting.monthly_return import return_cells, return_document
from openmash.reporting.national.validation import return_errors
from openmash.reporting.suppression import Equation, primary_suppressed, suppress


def possible_values(
    values: Mapping[str, int], equations: Sequence[Equation], hidden: set[str]
) -> dict[str, set[int]]:
    """Every value each hidden cell can take in some assignment consistent with everything
    published (exhaustive search with pruning; hidden cells are whole numbers >= 1)."""
    known = {cell: value for cell, value in values.items() if cell not in hidden}
    unknown = sorted(hidden)
    bound = max([*known.values(), 1]) * 2 + 10
    seen: dict[str, set[int]] = {cell: set() for cell in unknown}
    assignment: dict[str, int] = {}

    def search(i: int) -> None:
        if all(len(s) >= 2 for s in seen.values()):
            return  # enough to prove nothing is pinned
        if i == len(unknown):
            if _consistent(equations, known, assignment, complete=True):
                for cell, value in assignment.items():
                    seen[cell].add(value)
            return
        only = _forced(equations, known, assignment, unknown[i])
        candidates = range(1, bound) if only is None else [v for v in (only,) if 1 <= v < bound]
        for value in candidates:
            assignment[unknown[i]] = value
            if _consistent(equations, known, assignment, complete=False):
                search(i + 1)
            del assignment[unknown[i]]

    search(0)
    return seen


def _forced(
    equations: Sequence[Equation],
    known: Mapping[str, int],
    assignment: Mapping[str, int],
    cell: str,
) -> int | None:
    """The only value `cell` can take when it is the last cell of an equation still open (any
    other value breaks that equation, so trying them would find nothing)."""
    for eq in equations:
        if eq.cells.count(cell) != 1:
            continue
        if [c for c in eq.cells if c not in known and c not in assignment] != [cell]:
            continue
        given = {c: known.get(c, assignment.get(c, 0)) for c in eq.cells if c != cell}
        if cell == eq.total:
            return sum(given[p] for p in eq.parts)
        return given[eq.total] - sum(given[p] for p in eq.parts if p != cell)
    return None


def _consistent(
    equations: Sequence[Equation],
    known: Mapping[str, int],
    assignment: Mapping[str, int],
    *,
    complete: bool,
) -> bool:
    """Whether the assignment so far breaks no equation (``complete``: and fills them all)."""
    for eq in equations:
        if any(c not in known and c not in assignment for c in eq.cells):
            if complete or _partial_exceeds(eq, known, assignment):
                return False
            continue
        total = known.get(eq.total, assignment.get(eq.total))
        if total != sum(known.get(p, assignment.get(p, 0)) for p in eq.parts):
            return False
    return True


def _partial_exceeds(eq: Equation, known: Mapping[str, int], assignment: Mapping[str, int]) -> bool:
    """Assigned and known parts (each hidden one at least 1) already exceed a known total."""
    total = known.get(eq.total, assignment.get(eq.total))
    if total is None:
        return False
    partial = sum(known.get(p, assignment.get(p, 0)) for p in eq.parts) + sum(
        1 for p in eq.parts if p not in known and p not in assignment
    )
    return partial > total


@st.composite
def tables(draw: st.DrawFn) -> tuple[dict[str, int], list[Equation]]:
    """A total broken down two ways (like contacts by RAG and by outcome), plus a figure that
    is published twice (like a conversion numerator and an outcome count)."""
    values: dict[str, int] = {}
    equations: list[Equation] = []
    total = draw(st.integers(min_value=0, max_value=24))
    values["total"] = total
    for group in ("a", "b"):
        size = draw(st.integers(min_value=2, max_value=4))
        cuts = sorted(draw(st.lists(st.integers(0, total), min_size=size - 1, max_size=size - 1)))
        parts = [hi - lo for lo, hi in zip([0, *cuts], [*cuts, total], strict=True)]
        names = [f"{group}{i}" for i in range(size)]
        values.update(zip(names, parts, strict=True))
        equations.append(Equation("total", tuple(names)))
    values["a0_again"] = values["a0"]
    equations.append(Equation("a0", ("a0_again",)))
    return values, equations


@settings(max_examples=300, deadline=None)
@given(tables())
def test_no_hidden_count_can_be_worked_back_from_the_published_totals(
    table: tuple[dict[str, int], list[Equation]],
) -> None:
    values, equations = table
    hidden = suppress(values, equations)
    assert primary_suppressed(values) <= hidden
    for cell, options in possible_values(values, equations, hidden).items():
        assert len(options) >= 2, f"{cell}={values[cell]} can be recovered: {values} {hidden}"


def test_a_lone_small_cell_takes_a_second_cell_with_it() -> None:
    values = {"total": 30, "red": 3, "amber": 12, "green": 15}
    hidden = suppress(values, [Equation("total", ("red", "amber", "green"))])
    assert hidden == {"red", "amber"}


def test_two_ones_are_not_enough_to_hide_each_other() -> None:
    values = {"total": 20, "a": 1, "b": 1, "c": 18}
    hidden = suppress(values, [Equation("total", ("a", "b", "c"))])
    assert hidden == {"a", "b", "c"}


def test_zeros_and_large_counts_are_published() -> None:
    values = {"total": 20, "a": 0, "b": 5, "c": 15}
    assert suppress(values, [Equation("total", ("a", "b", "c"))]) == set()


def test_an_unknown_cell_in_an_equation_is_refused() -> None:
    with pytest.raises(KeyError):
        suppress({"total": 3}, [Equation("total", ("missing",))])


def _metrics(**changes: object) -> Metrics:
    from openmash.hubs.models import Hub

    hub = Hub(name="Test MASH", la_code="123", timezone="Europe/London")
    stats = Stats(count=7, mean_hours=3.0, median_hours=2.5, p90_hours=6.0, mean_days=1.2)
    turnaround = Turnaround(
        all=stats,
        by_rag={"red": Stats(3, 1, 1, 1, 0.1), "amber": Stats(4, 4, 4, 4, 1)},
        by_level={"3": stats},
    )
    base = Metrics(
        hub=hub,
        period=Period.month(2026, 10),
        filters=__import__("openmash.reporting.metrics", fromlist=["FactFilter"]).FactFilter(),
        as_of=datetime(2026, 11, 2, tzinfo=UTC),
        total=9,
        by_source={"2A": 6, "6": 3},
        by_concern={"neglect": 2, "cse": 7},
        by_rag={"red": 3, "amber": 4, "green": 0, "unrated": 2},
        by_level={"2": 0, "3": 7, "unrated": 2},
        by_outcome={"NFA": 1, "EARLY_HELP": 0, "S17": 6, "S47": 0, "undecided": 2},
        to_screening=turnaround,
        to_decision=turnaround,
        on_time={
            "screening": Rate(6, 7),
            "agency_checks": Rate(8, 10),
            "decision": Rate(7, 7),
            "feedback": Rate(2, 7),
        },
        agency_checks=[
            AgencyFigures("police", "Police", "police", 6, 6, Rate(5, 6), stats),
            AgencyFigures("health", "Health", "health_gp", 4, 4, Rate(3, 4), stats),
        ],
        conversion={"early_help": Rate(0, 7), "s17": Rate(6, 7), "s47": Rate(0, 7)},
        repeat={
            "recontacts_12m": Rate(2, 9),
            "rereferrals_12m": Rate(1, 6),
            "referrals_after_nfa_12m": Rate(0, 6),
        },
        rationale_recorded=Rate(7, 7),
        feedback_sent=Rate(6, 7),
        feedback_on_time=Rate(2, 7),
        level_names={"2": "Early help", "3": "Targeted"},
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def test_a_real_return_hides_small_cells_everywhere_and_stays_valid() -> None:
    metrics = _metrics()
    document = return_document(metrics, generated_at=datetime(2026, 11, 2, tzinfo=UTC))
    assert return_errors(document) == []
    contacts = document["contacts"]
    assert contacts["total"] == {"value": 9, "suppressed": False}
    assert contacts["by_rag"]["red"]["suppressed"] and contacts["by_rag"]["unrated"]["suppressed"]
    assert contacts["by_rag"]["green"] == {"value": 0, "suppressed": False}
    # The same figure in two places is hidden in both, and its percent with it.
    assert contacts["by_outcome"]["NFA"]["suppressed"]
    assert (
        document["conversion"]["s17"]["numerator"]["suppressed"]
        == (contacts["by_outcome"]["S17"]["suppressed"])
    )
    red = document["turnaround"]["to_screening"]["by_rag"]["red"]
    assert red["count"]["suppressed"] and red["mean_hours"] is None
    feedback = document["on_time"]["feedback"]
    assert feedback["numerator"]["suppressed"] and feedback["percent"] is None
    assert document["suppression"]["cells_suppressed"] > 0


def linearly_recoverable(
    values: Mapping[str, int], equations: Sequence[Equation], hidden: set[str]
) -> set[str]:
    """Hidden cells whose value follows from the equations alone: those whose unit vector lies
    in the row space of the equations restricted to the hidden cells (exact fractions)."""
    unknown = sorted(hidden)
    index = {cell: i for i, cell in enumerate(unknown)}
    rows: list[list[Fraction]] = []
    for eq in equations:
        row = [Fraction(0)] * len(unknown)
        for cell, sign in [(eq.total, 1), *((p, -1) for p in eq.parts)]:
            if cell in index:
                row[index[cell]] += sign
        if any(row):
            rows.append(row)
    base = _rank(rows)
    recovered = set()
    for cell, i in index.items():
        unit = [Fraction(int(j == i)) for j in range(len(unknown))]
        if _rank([*rows, unit]) == base:
            recovered.add(cell)
    return recovered


def _rank(rows: list[list[Fraction]]) -> int:
    matrix = [row[:] for row in rows]
    rank = 0
    columns = len(matrix[0]) if matrix else 0
    for col in range(columns):
        pivot = next((r for r in range(rank, len(matrix)) if matrix[r][col] != 0), None)
        if pivot is None:
            continue
        matrix[rank], matrix[pivot] = matrix[pivot], matrix[rank]
        for r in range(len(matrix)):
            if r != rank and matrix[r][col] != 0:
                factor = matrix[r][col] / matrix[rank][col]
                matrix[r] = [a - factor * b for a, b in zip(matrix[r], matrix[rank], strict=True)]
        rank += 1
    return rank


def interval_pinned(
    values: Mapping[str, int], equations: Sequence[Equation], hidden: set[str]
) -> set[str]:
    """Hidden cells an attacker pins by propagating bounds (each hidden cell is >= 1, at most
    the largest total it belongs to) through every equation until nothing changes."""
    low = dict.fromkeys(hidden, 1)
    high = {cell: sum(values[c] for c in values if c not in hidden) + 1000 for cell in hidden}
    bounds = {cell: (values[cell], values[cell]) for cell in values if cell not in hidden}

    def get(cell: str) -> tuple[int, int]:
        return bounds.get(cell, (low.get(cell, 0), high.get(cell, 0)))

    changed = True
    while changed:
        changed = False
        for eq in equations:
            parts = [get(p) for p in eq.parts]
            total = get(eq.total)
            # total in [sum lows, sum highs]; each part in [total.lo - others' highs, ...].
            if eq.total in hidden:
                lo, hi = (
                    max(total[0], sum(p[0] for p in parts)),
                    min(total[1], sum(p[1] for p in parts)),
                )
                if (lo, hi) != total:
                    low[eq.total], high[eq.total] = lo, hi
                    changed = True
            total = get(eq.total)
            for i, part in enumerate(eq.parts):
                if part not in hidden:
                    continue
                others = [get(p) for j, p in enumerate(eq.parts) if j != i]
                lo = max(low[part], total[0] - sum(o[1] for o in others))
                hi = min(high[part], total[1] - sum(o[0] for o in others))
                if (lo, hi) != (low[part], high[part]):
                    low[part], high[part] = lo, hi
                    changed = True
    return {cell for cell in hidden if low[cell] == high[cell]}


def test_no_cell_of_a_real_return_can_be_recovered() -> None:
    """The attacker again, on every equation a real return publishes: by linear algebra over
    the whole return, and by bound propagation."""
    for metrics in (
        _metrics(),
        _metrics(total=12, by_rag={"red": 1, "amber": 1, "green": 8, "unrated": 2}),
    ):
        values, equations, hidden = return_cells(metrics)
        assert hidden
        assert linearly_recoverable(values, equations, hidden) == set()
        assert interval_pinned(values, equations, hidden) == set()


def test_the_period_of_a_return_is_its_month() -> None:
    document = return_document(_metrics(period=Period(date(2026, 2, 1), date(2026, 2, 28))))
    assert document["period"] == {"month": "2026-02", "start": "2026-02-01", "end": "2026-02-28"}
