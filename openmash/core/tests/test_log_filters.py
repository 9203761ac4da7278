"""The one secret a path carries (a referrer's rating token) never reaches a log."""

from __future__ import annotations

import logging

import pytest
from django.test import Client

from openmash.core.log_filters import RedactSecretPaths, redact

TOKEN = "Zx9-secret_token_value"


def test_redact_replaces_the_token_and_leaves_other_paths_alone():
    assert (
        redact(f"GET /rate-feedback/{TOKEN} HTTP/1.1") == "GET /rate-feedback/[redacted] HTTP/1.1"
    )
    assert redact(f"/rate-feedback/{TOKEN}?x=1") == "/rate-feedback/[redacted]?x=1"
    path = "/contacts/7f0c1c9e-2d2b-4a53-9d55-2c1b0d3d6b0a"
    assert redact(path) == path


def test_the_filter_rewrites_arguments_and_keeps_the_record():
    record = logging.LogRecord(
        "django.request",
        logging.WARNING,
        __file__,
        1,
        "%s: %s",
        ("Gone", f"/rate-feedback/{TOKEN}"),
        None,
    )
    assert RedactSecretPaths().filter(record) is True
    assert TOKEN not in record.getMessage()
    assert "/rate-feedback/[redacted]" in record.getMessage()


@pytest.mark.django_db
def test_a_refused_rating_link_is_logged_without_its_token(caplog: pytest.LogCaptureFixture):
    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = Client().get(f"/rate-feedback/{TOKEN}")
    assert response.status_code >= 400
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "/rate-feedback/[redacted]" in logged
    assert TOKEN not in logged
