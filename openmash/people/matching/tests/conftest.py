"""Fixtures for the matcher's tests: the default model, one model trained (without labels) on a
small synthetic population, and helpers to build indexes around hand-written records."""

from __future__ import annotations

from dataclasses import replace

import pytest

from openmash.people.matching.model import MatchModel, default_model
from openmash.people.matching.records import PersonRecord
from openmash.people.matching.tests.population import Population, make_population
from openmash.people.matching.train import train_model


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "slow: takes more than a few seconds")


@pytest.fixture(scope="session")
def population() -> Population:
    return make_population(1500, seed=11)


@pytest.fixture(scope="session")
def trained_model(population: Population) -> MatchModel:
    return train_model(population.records, seed=1, u_max_pairs=5e5, em_max_pairs=None)


@pytest.fixture(scope="session", params=["default", "trained"])
def model(request: pytest.FixtureRequest, trained_model: MatchModel) -> MatchModel:
    return default_model() if request.param == "default" else trained_model


@pytest.fixture(scope="session")
def background() -> list[PersonRecord]:
    """A few hundred unrelated people (ids B...) to hide the records under test among."""
    return [
        replace(r, record_id=f"B{i}")
        for i, r in enumerate(make_population(300, seed=99, twin_rate=0.0).records)
    ]
