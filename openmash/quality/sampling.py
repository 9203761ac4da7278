"""How a case-file audit sample is drawn: pure rules, no database. Given the population (any
hashable items, oldest first), each item's strata and a seed, the same inputs always give the
same case files in the same order, so a recorded draw can be repeated and checked.

- A simple random sample takes ``size`` items at random.
- A stratified sample takes one item from every stratum, then shares the rest out in
  proportion to the strata's sizes (largest remainder first); an item in two strata (a
  contact asked of two agencies) is drawn at most once."""

import random
from collections.abc import Hashable, Mapping, Sequence
from typing import TypeVar

T = TypeVar("T", bound=Hashable)


def strata_group(items: Sequence[T], keys_of: Mapping[T, Sequence[str]]) -> dict[str, list[T]]:
    """Each stratum's items, strata in key order (an item with two keys is in both)."""
    strata: dict[str, list[T]] = {}
    for item in items:
        for key in keys_of[item]:
            strata.setdefault(key, []).append(item)
    return dict(sorted(strata.items()))


def strata_allocate(sizes: Mapping[str, int], n: int) -> dict[str, int]:
    """One item from every stratum, the rest in proportion to the strata's sizes."""
    alloc = dict.fromkeys(sizes, 1)
    total = sum(sizes.values())
    for _ in range(n - len(sizes)):
        open_keys = [k for k in sizes if alloc[k] < sizes[k]]
        if not open_keys:
            break
        key = max(open_keys, key=lambda k: (sizes[k] * n / total - alloc[k], sizes[k], k))
        alloc[key] += 1
    return alloc


def random_draw(items: Sequence[T], size: int, seed: int) -> list[tuple[T, str]]:
    """A simple random sample (no stratum), at most the whole population."""
    rng = random.Random(seed)
    return [(item, "") for item in rng.sample(list(items), min(size, len(items)))]


def stratified_draw(strata: Mapping[str, Sequence[T]], size: int, seed: int) -> list[tuple[T, str]]:
    """Each stratum's share drawn at random, in stratum order; an item already drawn for an
    earlier stratum is not drawn again."""
    rng = random.Random(seed)
    alloc = strata_allocate({k: len(v) for k, v in strata.items()}, size)
    chosen: list[tuple[T, str]] = []
    taken: set[T] = set()
    for key, members in strata.items():
        pool = [item for item in members if item not in taken]
        for item in rng.sample(pool, min(alloc[key], len(pool))):
            chosen.append((item, key))
            taken.add(item)
    return chosen


def sample_size_problem(*, size: int, population: int, strata: int | None) -> str:
    """Why a sample of ``size`` cannot be drawn from ``population`` case files (at least one)
    in ``strata`` groups (None: a simple random sample), or "" when it can."""
    if size > population:
        return f"Only {population} case files can be sampled in this period"
    if strata is not None and size < strata:
        return f"The sample must have at least {strata} case files: one from each group"
    return ""
