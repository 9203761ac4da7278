"""Project-wide pytest set-up. Markers are registered in pyproject.toml.

- ``@pytest.mark.postgres_only``: skipped unless the test database is PostgreSQL.
- ``@pytest.mark.browser``: Playwright tests (fixtures in tests/browser/conftest.py).
"""

import pytest

pytest_plugins = ["openmash.testing.fixtures"]


def pytest_runtest_setup(item: pytest.Item) -> None:
    if item.get_closest_marker("postgres_only") is None:
        return
    from django.conf import settings

    engine = settings.DATABASES["default"]["ENGINE"]
    if "postgresql" not in engine:
        pytest.skip("needs PostgreSQL (make test-postgres)")
