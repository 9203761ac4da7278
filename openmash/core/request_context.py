"""The current request's id, so audit events written deep in services can carry it."""

from contextvars import ContextVar

current_request_id: ContextVar[str] = ContextVar("current_request_id", default="")
