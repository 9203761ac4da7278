"""One-to-one linkage: the posterior's arithmetic, the overlap estimate, and batch.link's use."""

from __future__ import annotations

import math
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from openmash.people.matching.batch import link
from openmash.people.matching.model import MatchModel
from openmash.people.matching.one_to_one import (
    RHO_MAX,
    candidate_floor,
    fit_overlap,
    links_at,
    one_to_one_probabilities,
)
from openmash.people.matching.tests.helpers import as_person_record
from openmash.testing import synthetic

PRIOR_WEIGHT = -20.0


def weight_for(bayes_factor_bits: float) -> float:
    """A pairwise match weight (prior included) whose Bayes factor is 2 ** bits."""
    return PRIOR_WEIGHT + bayes_factor_bits


def test_a_lone_candidate_gets_the_posterior_of_its_bayes_factor_and_the_overlap():
    # One pair in files of 4 and 4; the overlap is fitted, then the formula applies.
    pairs = [("a", "b", weight_for(10.0))]
    (row,), fit = one_to_one_probabilities(pairs, prior_weight=PRIOR_WEIGHT, n_left=4, n_right=4)
    c_left = fit.rho_left / ((1 - fit.rho_left) * 4)
    c_right = fit.rho_right / ((1 - fit.rho_right) * 4)
    from_left = c_left * 1024 / (1 + c_left * 1024)
    from_right = c_right * 1024 / (1 + c_right * 1024)
    assert row[:2] == ("a", "b")
    assert row[2] == pytest.approx(min(from_left, from_right))
    # The fit is self-consistent: the expected share of left records with a partner is rho.
    assert fit.rho_left == pytest.approx(from_left / 4, rel=1e-4)
    assert fit.rho_right == pytest.approx(from_right / 4, rel=1e-4)


def test_a_competitor_lowers_a_pairs_probability_and_a_clear_winner_takes_it():
    alone, _ = one_to_one_probabilities(
        [("a", "b1", weight_for(30.0))], prior_weight=PRIOR_WEIGHT, n_left=10, n_right=10
    )
    contested, _ = one_to_one_probabilities(
        [("a", "b1", weight_for(30.0)), ("a", "b2", weight_for(30.0))],
        prior_weight=PRIOR_WEIGHT,
        n_left=10,
        n_right=10,
    )
    assert alone[0][2] > 0.99
    # Two equally good partners for one record: neither can be more than an even chance.
    assert all(p <= 0.5 + 1e-9 for _a, _b, p in contested)
    clear, _ = one_to_one_probabilities(
        [("a", "b1", weight_for(30.0)), ("a", "b2", weight_for(12.0))],
        prior_weight=PRIOR_WEIGHT,
        n_left=10,
        n_right=10,
    )
    by_pair = {(a, b): p for a, b, p in clear}
    assert by_pair[("a", "b1")] > 0.99
    assert by_pair[("a", "b2")] < 1e-4


def test_the_smaller_of_the_two_directions_is_taken():
    # b is claimed by a1 (strongly) and a2 (weakly): a2's only candidate is b, but from b's
    # side a1 explains it, so a2 ~ b is not linked.
    probabilities, _ = one_to_one_probabilities(
        [("a1", "b", weight_for(40.0)), ("a2", "b", weight_for(25.0))],
        prior_weight=PRIOR_WEIGHT,
        n_left=5,
        n_right=5,
    )
    by_pair = {(a, b): p for a, b, p in probabilities}
    assert by_pair[("a1", "b")] > 0.99
    assert by_pair[("a2", "b")] < 0.01


def test_the_overlap_is_estimated_from_the_data():
    # 600 of 1,000 left records have one clear partner among 1,000 right records.
    sums = [2.0**40] * 600 + [0.0] * 400
    fit = fit_overlap(sums, sums, 1000, 1000)
    assert fit.rho_left == pytest.approx(0.6, abs=1e-3)
    assert fit.rho_right == pytest.approx(0.6, abs=1e-3)
    nothing = fit_overlap([0.0] * 10, [0.0] * 10, 10, 10)
    assert nothing.rho_left < 1e-6  # no candidates: no overlap


def test_pairs_below_the_floor_are_negligible_whatever_the_overlap():
    floor = candidate_floor(PRIOR_WEIGHT, 1000, 2000)
    c_max = RHO_MAX / ((1 - RHO_MAX) * 1000)
    assert math.log2(c_max) + (floor - PRIOR_WEIGHT) == pytest.approx(-12.0)


def test_bad_sizes_are_refused():
    with pytest.raises(ValueError, match="at least one record"):
        one_to_one_probabilities([], prior_weight=PRIOR_WEIGHT, n_left=0, n_right=3)
    with pytest.raises(ValueError, match="more distinct records"):
        one_to_one_probabilities(
            [("a", "b", 0.0), ("a2", "b", 0.0)], prior_weight=PRIOR_WEIGHT, n_left=1, n_right=1
        )


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 5), st.integers(0, 5), st.floats(-30.0, 80.0, allow_nan=False)),
        min_size=1,
        max_size=30,
        unique_by=lambda t: (t[0], t[1]),
    )
)
def test_probabilities_are_probabilities_and_each_record_sums_to_at_most_one(rows):
    pairs = [(f"l{i}", f"r{j}", weight) for i, j, weight in rows]
    probabilities, fit = one_to_one_probabilities(
        pairs, prior_weight=PRIOR_WEIGHT, n_left=6, n_right=6
    )
    assert 0 < fit.rho_left <= RHO_MAX and 0 < fit.rho_right <= RHO_MAX
    per_left: dict[str, float] = {}
    per_right: dict[str, float] = {}
    for a, b, p in probabilities:
        assert 0.0 <= p <= 1.0
        per_left[a] = per_left.get(a, 0.0) + p
        per_right[b] = per_right.get(b, 0.0) + p
    # A record has at most one partner, so its pairs' probabilities cannot sum beyond one.
    assert all(total <= 1.0 + 1e-9 for total in per_left.values())
    assert all(total <= 1.0 + 1e-9 for total in per_right.values())
    assert list(links_at(probabilities, 0.9)) == [row for row in probabilities if row[2] >= 0.9]


@pytest.fixture(scope="module")
def extracts():
    police, health = synthetic.two_extracts(4000, seed=5)
    left = [as_person_record(r, "P") for r in police]
    right = [as_person_record(r, "H") for r in health]
    person = {"P" + r.record_id: r.person_id for r in police}
    person |= {"H" + r.record_id: r.person_id for r in health}
    # two_extracts holds each person at most once per extract: one true partner at most.
    by_person: dict[str, str] = {person[b.record_id]: b.record_id for b in right}
    truth = {
        (a.record_id, by_person[person[a.record_id]])
        for a in left
        if person[a.record_id] in by_person
    }
    return left, right, truth


def _errors(found: set[tuple[str, str]], truth: set[tuple[str, str]]) -> int:
    return len(found - truth) + len(truth - found)


def test_link_one_to_one_makes_fewer_errors_on_extracts_that_hold_each_person_once(
    model: MatchModel, extracts
):
    left, right, truth = extracts
    pairwise = {(a, b) for a, b, _ in link(left, right, model=model)}
    one_to_one = list(link(left, right, model=model, one_to_one=True))
    found = {(a, b) for a, b, _ in one_to_one}
    assert all(p >= model.threshold for _a, _b, p in one_to_one)
    assert _errors(found, truth) < _errors(pairwise, truth)
    # Each record is linked at most once.
    assert len({a for a, _ in found}) == len(found) == len({b for _, b in found})


def test_link_one_to_one_handles_empty_and_unmatched_files(model: MatchModel, extracts):
    left, right, _ = extracts
    assert list(link(left[:10], [], model=model, one_to_one=True)) == []
    stranger = replace(
        right[0],
        record_id="H-stranger",
        given_name="Zebedee",
        family_name="Quartermaine",
        date_of_birth=None,
        postcode="",
        address_line_1="",
        nhs_number="",
        other_id="",
    )
    assert list(link(left[:50], [stranger], model=model, one_to_one=True)) == []
