"""Where apps above decisions plug into it, so decisions imports none of them (the layers
contract in pyproject.toml): each registers its callable in its AppConfig.ready().

- quality: `referrer_email_extra_register(fn)`: fn(feedback) returns a paragraph to add to the
  referrer's feedback e-mail ("" for none): the link to rate the feedback.
- governance: `screening_thresholds_register(fn)`: fn(hub_id) returns the thresholds version in
  force, which each screening records (or None).
- decisions itself (apps.py): `feedback_email_queue_register(fn)`: fn(feedback_id) queues the
  background e-mail (tasks.py), so services never import tasks.
"""

from collections.abc import Callable
from typing import TYPE_CHECKING, Any
from uuid import UUID

if TYPE_CHECKING:
    from .models import Feedback

ReferrerEmailExtra = Callable[["Feedback"], str]
ThresholdsLookup = Callable[[UUID], Any]
FeedbackEmailQueue = Callable[[str], None]

_referrer_email_extras: list[ReferrerEmailExtra] = []
_thresholds_lookups: list[ThresholdsLookup] = []
_feedback_email_queues: list[FeedbackEmailQueue] = []


def _register(registry: list[Any], fn: Any) -> None:
    if fn not in registry:  # ready() may run more than once (tests, reloads)
        registry.append(fn)


def referrer_email_extra_register(fn: ReferrerEmailExtra) -> None:
    _register(_referrer_email_extras, fn)


def referrer_email_extras(feedback: "Feedback") -> list[str]:
    """The extra paragraphs of the referrer's e-mail, in the order they were registered."""
    return [text for fn in _referrer_email_extras if (text := fn(feedback))]


def screening_thresholds_register(fn: ThresholdsLookup) -> None:
    _register(_thresholds_lookups, fn)


def screening_thresholds(hub_id: UUID) -> Any:
    """The thresholds version in force for the hub (the first lookup that knows), or None."""
    for fn in _thresholds_lookups:
        version = fn(hub_id)
        if version is not None:
            return version
    return None


def feedback_email_queue_register(fn: FeedbackEmailQueue) -> None:
    _register(_feedback_email_queues, fn)


def feedback_email_queue(feedback_id: str) -> None:
    """Queue the feedback e-mail. Raises when no queue is connected (the caller records the
    e-mail as failed, so it can be sent again)."""
    if not _feedback_email_queues:
        raise RuntimeError("No feedback e-mail queue is registered")
    for fn in _feedback_email_queues:
        fn(feedback_id)
