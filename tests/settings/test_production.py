"""Production settings refuse to start without their secrets, and never allow demo data."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
REQUIRED = {
    "SECRET_KEY": "x" * 60,
    "ALLOWED_HOSTS": "mash.example.org",
    "DATABASE_URL": "postgres://openmash@db.invalid:5432/openmash",
    "OPENMASH_SITE_URL": "https://mash.example.org",
}


def load_production_settings(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in REQUIRED}
    code = (
        "import os, django; os.environ['DJANGO_SETTINGS_MODULE']='config.settings.production';"
        "from django.conf import settings; settings.DEBUG;"
        "print(settings.OPENMASH_ALLOW_DEMO_DATA, settings.SESSION_COOKIE_SECURE,"
        " settings.DATABASES['default']['ENGINE'])"
    )
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize("missing", sorted(REQUIRED))
def test_production_refuses_to_start_without(missing: str) -> None:
    env = {k: v for k, v in REQUIRED.items() if k != missing}
    result = load_production_settings(env)
    assert result.returncode != 0
    assert f"Set the {missing} environment variable" in result.stderr


def test_production_starts_with_its_settings_and_secure_defaults() -> None:
    result = load_production_settings(REQUIRED)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "True", "django.db.backends.postgresql"]
