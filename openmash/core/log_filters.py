"""Logging filters: secrets that travel in a URL never reach a log.

Request logs (Django's ``django.request`` warnings for 4xx and 5xx responses, the development
server's access lines) carry the path. Paths hold UUIDs only, with one exception: a referrer's
single-use rating link (``/rate-feedback/<token>``), whose token would let anyone who reads
the logs rate on the referrer's behalf while it is valid.
"""

from __future__ import annotations

import logging
import re
from typing import Final

#: Path segments that are secrets: the part after the prefix is replaced.
#: (A password reset link's token follows the account's encoded id: /password-reset/<uid>/.)
_SECRET_PATHS: Final = re.compile(r"(/rate-feedback/|/password-reset/[^/\s?#\"']+/)[^/\s?#\"']+")
_REDACTED: Final = r"\1[redacted]"


def redact(text: str) -> str:
    return _SECRET_PATHS.sub(_REDACTED, text)


class RedactSecretPaths(logging.Filter):
    """Rewrite secret path segments in a record's message and arguments (never drops it)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(redact(a) if isinstance(a, str) else a for a in record.args)
        elif isinstance(record.args, dict):
            record.args = {
                k: redact(v) if isinstance(v, str) else v for k, v in record.args.items()
            }
        return True
