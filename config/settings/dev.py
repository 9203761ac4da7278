"""Local development and the demo hub: embedded SQLite, console e-mail."""

import os

import dj_database_url

from .base import *  # noqa: F403
from .base import BASE_DIR

DEBUG = os.environ.get("OPENMASH_DEBUG", "1") == "1"
SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-not-secret-openmash-4b1f0c0e9d")
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'var' / 'openmash.sqlite3'}", conn_max_age=0
    )
}
DATABASES["default"].setdefault("OPTIONS", {})
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"]["OPTIONS"].update({"timeout": 20, "transaction_mode": "IMMEDIATE"})
OPENMASH_ALLOW_DEMO_DATA = True
OPENMASH_DEMO_BANNER = True
# The demo hub (999) collects the synthetic hubs' returns (codes 100, 105 ... 995) for the
# national view; any other hub's return is refused.
OPENMASH_NATIONAL_RETURN_SOURCES = {"999": [f"{100 + n * 5:03d}" for n in range(180)]}
