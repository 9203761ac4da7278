"""Fixtures shared by every test (loaded from the root conftest)."""

import pytest

from openmash.testing.world import World, world_build


@pytest.fixture
def world(db: None) -> World:
    return world_build()
