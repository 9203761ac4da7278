from __future__ import annotations

import json
import math
import re

import pytest

from openmash.people.matching.comparisons import COMPARISONS, DERIVED_LEVELS
from openmash.people.matching.model import (
    MatchModel,
    default_model,
    make_model,
    weight_to_probability,
)

VERSION = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ-[0-9a-f]{8}$")


def test_json_round_trip(model):
    text = model.to_json()
    again = MatchModel.from_json(text)
    assert again == model
    assert again.to_json() == text
    assert VERSION.match(model.version)


def test_every_level_has_parameters_and_null_weighs_nothing(model):
    for comparison in COMPARISONS:
        assert set(model.comparisons[comparison.name]) == set(comparison.labels)
        assert model.weight(comparison.name, "null") == 0.0
    m, u = model.comparisons["date_of_birth"]["exact"]
    assert model.weight("date_of_birth", "exact") == pytest.approx(math.log2(m / u))


def test_the_default_model_is_stable_and_says_so():
    assert default_model() == default_model()
    assert "untrained" in default_model().metadata["source"]
    assert default_model().threshold == 0.9


def test_the_version_changes_with_the_parameters():
    base = default_model()
    changed = dict(base.comparisons)
    changed["sex"] = {"exact": (0.9, 0.5), "different": (0.1, 0.5)}
    assert make_model(base.prior, changed).version[-8:] != base.version[-8:]


def test_derived_levels_explain_away_household_evidence(model):
    assert ("given_name", "twin_pattern") in DERIVED_LEVELS
    twin = model.weight("given_name", "twin_pattern")
    assert twin < model.weight("given_name", "different") - model.weight("date_of_birth", "exact")
    generation = model.weight("date_of_birth", "generation_pattern")
    assert generation < model.weight("date_of_birth", "different") - model.weight(
        "given_name", "exact"
    )
    assert model.weight("nhs_number", "exact_dob_conflict") == 0.0


def test_bad_models_are_refused():
    data = json.loads(default_model().to_json())
    with pytest.raises(ValueError, match="format"):
        MatchModel.from_dict({**data, "format": "something-else"})
    with pytest.raises(ValueError, match="different comparison definitions"):
        MatchModel.from_dict({**data, "metadata": {"definitions": "000000000000"}})
    del data["comparisons"]["sex"]["different"]
    with pytest.raises(ValueError, match="lacks sex level"):
        MatchModel.from_dict(data)
    with pytest.raises(ValueError, match="prior"):
        MatchModel(version="v", prior=0.0, comparisons=default_model().comparisons)


def test_probabilities_from_weights():
    assert weight_to_probability(0.0) == 0.5
    assert weight_to_probability(math.log2(9)) == pytest.approx(0.9)
    assert weight_to_probability(5000) == 1.0
    assert weight_to_probability(-5000) == 0.0
