"""The hand-set model's prior (lambda) follows the size of the data it scores; a trained
model keeps the lambda it estimated. And a name swap is weighed once, not twice."""

from __future__ import annotations

import pytest

from openmash.people.matching.index import MatchIndex
from openmash.people.matching.model import (
    DEFAULT_PRIOR,
    MatchModel,
    default_model,
    default_prior,
)
from openmash.people.matching.tests.helpers import index_of, person


def test_default_prior_is_one_match_per_record_capped_for_small_data():
    assert default_prior() == DEFAULT_PRIOR
    assert default_prior(0) == DEFAULT_PRIOR
    assert default_prior(10_000) == DEFAULT_PRIOR  # small data: the cap
    assert default_prior(1_000_000) == pytest.approx(1e-6)
    assert default_prior(2_000_000) < default_prior(1_000_000)


def test_default_model_scales_and_round_trips():
    small, large = default_model(), default_model(1_000_000)
    assert small.prior == DEFAULT_PRIOR
    assert large.prior == pytest.approx(1e-6)
    assert large.prior_weight < small.prior_weight - 3  # ~3.3 bits less at a million
    assert small.scaled_to(1_000_000).prior == pytest.approx(1e-6)
    assert small.scaled_to(1_000_000).comparisons == small.comparisons
    assert MatchModel.from_json(small.to_json()).scaled_to(500_000).prior == pytest.approx(2e-6)


def test_a_trained_model_keeps_its_prior(trained_model):
    assert trained_model.scaled_to(1_000_000) is trained_model


def test_the_index_scales_a_default_models_prior_to_what_it_holds():
    index = index_of(default_model(1_000_000), [person("A"), person("B", given_name="Jane")])
    assert index.model.prior == DEFAULT_PRIOR  # two records: back to the small-data cap
    trained_like = default_model()
    assert index_of(trained_like, [person("A")]).model.prior == DEFAULT_PRIOR


def test_a_swap_is_weighed_once(model):
    """Given and family names swapped is one event: the family-name comparison adds nothing,
    so a swap never outweighs both names agreeing plainly."""
    assert model.weight("family_name", "swapped") == 0.0
    assert model.weight("family_name", "swapped_fuzzy") == 0.0
    index = MatchIndex(model)
    swapped = index.score_pair(person("Q", given_name="Smith", family_name="Robert"), person())
    plain = index.score_pair(person("Q"), person())
    assert swapped.match_weight < plain.match_weight
