"""One-to-one linkage: match probabilities for two files that each hold a person at most once.

Fellegi-Sunter scores every pair on its own: a pair's probability ignores that one of its records
has a far better candidate elsewhere, or that neither record has any other candidate at all.
When each file holds every person at most once (an agency's deduplicated index, a census
extract), those facts are evidence, and the model below uses them.

Left to right: record ``a`` of the left file has a partner in the right file with probability
``rho_left`` (the share of left records that have one), and if it has one, each of the
``n_right`` right records is equally likely a priori. With ``LR(a, b) = 2 ** (w(a, b) - prior
weight)`` (the pair's Bayes factor, its match weight without the Fellegi-Sunter prior)::

    P(a ~ b) = c * LR(a, b) / (1 + c * S(a)),   c = rho_left / ((1 - rho_left) * n_right)

where ``S(a)`` sums ``LR(a, x)`` over ``a``'s candidates (pairs outside blocking have a Bayes
factor of practically zero). Right to left is the same with the roles exchanged; a pair's
probability is the smaller of the two, so a link must be the best explanation from both sides.

``rho_left`` and ``rho_right`` are estimated from the data, not assumed: starting at one half,
each is replaced by the expected share of records with a partner (the sum of the posteriors)
until it settles (a one-parameter EM; a few iterations). With many candidates per record the
sums are computed once: each iteration only rescales ``S``.

Where a file does hold someone twice, the two records compete for the same partner and the
probability is split between them: use this only when the assumption holds (ADR 0008).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Final

#: Pairs whose ``c * LR`` is below 2 ** -NEGLIGIBLE_BITS change no posterior that matters.
NEGLIGIBLE_BITS: Final = 12.0
#: The overlap estimate is kept inside (RHO_MIN, RHO_MAX): log-odds stay finite.
RHO_MIN: Final = 1e-9
RHO_MAX: Final = 0.99
_ITERATIONS: Final = 50
_TOLERANCE: Final = 1e-6
_MAX_EXPONENT: Final = 1000.0  # 2 ** 1000 is still a finite double


@dataclass(frozen=True)
class OneToOneFit:
    """The estimated overlap: the share of each file's records with a partner in the other."""

    rho_left: float
    rho_right: float
    iterations: int


def candidate_floor(prior_weight: float, n_left: int, n_right: int) -> float:
    """The lowest pairwise match weight (Fellegi-Sunter, prior included) worth fetching: below
    it a pair is negligible for every overlap up to ``RHO_MAX``."""
    smallest = max(1, min(n_left, n_right))
    c_max = RHO_MAX / ((1.0 - RHO_MAX) * smallest)
    return prior_weight - NEGLIGIBLE_BITS - math.log2(c_max)


def _bayes_factor(weight: float, prior_weight: float) -> float:
    return 2.0 ** min(_MAX_EXPONENT, weight - prior_weight)


def _expected_share(sums: Sequence[float], c: float, records: int) -> float:
    """The expected share of a file's records with a partner, given the candidates' sums."""
    return math.fsum(c * s / (1.0 + c * s) for s in sums) / records


def _odds_factor(rho: float, other_records: int) -> float:
    return rho / ((1.0 - rho) * other_records)


def fit_overlap(
    left_sums: Sequence[float], right_sums: Sequence[float], n_left: int, n_right: int
) -> OneToOneFit:
    """Estimate ``rho_left`` and ``rho_right`` from each record's summed Bayes factors."""
    rho_left = rho_right = 0.5
    iterations = 0
    while iterations < _ITERATIONS:
        iterations += 1
        new_left = _expected_share(left_sums, _odds_factor(rho_left, n_right), n_left)
        new_right = _expected_share(right_sums, _odds_factor(rho_right, n_left), n_right)
        new_left = min(RHO_MAX, max(RHO_MIN, new_left))
        new_right = min(RHO_MAX, max(RHO_MIN, new_right))
        settled = abs(new_left - rho_left) < _TOLERANCE and abs(new_right - rho_right) < _TOLERANCE
        rho_left, rho_right = new_left, new_right
        if settled:
            break
    return OneToOneFit(rho_left, rho_right, iterations)


def one_to_one_probabilities(
    pairs: Iterable[tuple[str, str, float]],
    *,
    prior_weight: float,
    n_left: int,
    n_right: int,
) -> tuple[list[tuple[str, str, float]], OneToOneFit]:
    """(left_id, right_id, one-to-one probability) for candidate pairs given as (left_id,
    right_id, pairwise match weight), and the fitted overlap. Every candidate above
    ``candidate_floor`` should be given: a missing competitor makes a pair look surer."""
    if n_left <= 0 or n_right <= 0:
        raise ValueError("both files need at least one record")
    lefts: dict[str, int] = {}
    rights: dict[str, int] = {}
    rows: list[tuple[int, int, float]] = []
    left_sums: list[float] = []
    right_sums: list[float] = []
    for left_id, right_id, weight in pairs:
        i = lefts.get(left_id)
        if i is None:
            i = lefts[left_id] = len(left_sums)
            left_sums.append(0.0)
        j = rights.get(right_id)
        if j is None:
            j = rights[right_id] = len(right_sums)
            right_sums.append(0.0)
        factor = _bayes_factor(weight, prior_weight)
        left_sums[i] += factor
        right_sums[j] += factor
        rows.append((i, j, factor))
    if len(lefts) > n_left or len(rights) > n_right:
        raise ValueError("more distinct records among the pairs than in the files")
    fit = fit_overlap(left_sums, right_sums, n_left, n_right)
    c_left = _odds_factor(fit.rho_left, n_right)
    c_right = _odds_factor(fit.rho_right, n_left)
    left_ids = list(lefts)
    right_ids = list(rights)
    out = []
    for i, j, factor in rows:
        from_left = c_left * factor / (1.0 + c_left * left_sums[i])
        from_right = c_right * factor / (1.0 + c_right * right_sums[j])
        out.append((left_ids[i], right_ids[j], min(from_left, from_right)))
    return out, fit


def links_at(
    probabilities: Iterable[tuple[str, str, float]], threshold: float
) -> Iterator[tuple[str, str, float]]:
    """The pairs whose one-to-one probability is at or above ``threshold``."""
    for left_id, right_id, probability in probabilities:
        if probability >= threshold:
            yield left_id, right_id, probability
