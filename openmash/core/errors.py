"""One error family. Services raise these; pages show them as GOV.UK error summaries and the
API answers them with one JSON shape: {"detail": str, "errors": {field: [messages]}}."""

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager

from django.db import IntegrityError


class OpenMashError(Exception):
    """Base of every error the application raises on purpose."""

    status_code = 400

    def __init__(self, message: str, *, errors: Mapping[str, Sequence[str]] | None = None):
        super().__init__(message)
        self.message = message
        self.errors: dict[str, list[str]] = {k: list(v) for k, v in (errors or {}).items()}


class ValidationError(OpenMashError):
    """Input broke a rule; `errors` maps field names to messages."""

    status_code = 422

    @classmethod
    def for_field(cls, field: str, message: str) -> "ValidationError":
        return cls(message, errors={field: [message]})


class NotFound(OpenMashError):
    """Missing, or not visible to this user: the two are never told apart."""

    status_code = 404

    def __init__(self, message: str = "Not found") -> None:
        super().__init__(message)


class PermissionDenied(OpenMashError):
    """The user may see the object but not do this to it."""

    status_code = 403


class Conflict(OpenMashError):
    """The object is in a state that does not allow this (e.g. a signed decision)."""

    status_code = 409


@contextmanager
def refused_if_not_unique(error: OpenMashError) -> Iterator[None]:
    """Turn a unique-constraint violation inside the block into ``error``.

    Services check for duplicates before writing, but two identical requests at the same
    moment can both pass the check; the database's constraint then decides, and the loser gets
    the same clear error as a plain duplicate instead of a 500. Put it outside the
    ``transaction.atomic()`` block, so the block has rolled back before the error is raised."""
    try:
        yield
    except IntegrityError as exc:
        raise error from exc
