"""Tests: SQLite by default, PostgreSQL when DATABASE_URL is set (make test does both)."""

import os

import dj_database_url

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-not-secret"
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
_url = os.environ.get("DATABASE_URL")
DATABASES = {
    "default": dj_database_url.parse(_url)
    if _url
    else {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}
}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
OPENMASH_ALLOW_DEMO_DATA = True
OPENMASH_DEMO_BANNER = True
# The demo hub (999) collects the synthetic hubs' returns (codes 100, 105 ... 995) for the
# national view; any other hub's return is refused.
OPENMASH_NATIONAL_RETURN_SOURCES = {"999": [f"{100 + n * 5:03d}" for n in range(180)]}
