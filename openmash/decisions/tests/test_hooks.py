"""How apps above decisions plug into it (decisions/hooks.py), without a database."""

from typing import Any

import pytest

from openmash.decisions import hooks


@pytest.fixture
def empty(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("_referrer_email_extras", "_thresholds_lookups", "_feedback_email_queues"):
        monkeypatch.setattr(hooks, name, [])


def test_the_installed_apps_are_plugged_in():
    def apps(registry: list[Any]) -> set[str]:
        return {".".join(fn.__module__.split(".")[:2]) for fn in registry}

    assert apps(hooks._referrer_email_extras) == {"openmash.quality"}
    assert apps(hooks._thresholds_lookups) == {"openmash.governance"}
    assert apps(hooks._feedback_email_queues) == {"openmash.decisions"}


def test_extras_come_in_order_and_empty_ones_are_left_out(empty: None):
    def first(feedback: Any) -> str:
        return "One"

    def nothing(feedback: Any) -> str:
        return ""

    for fn in (first, nothing, first):  # registering twice (ready() again) adds nothing
        hooks.referrer_email_extra_register(fn)
    assert hooks.referrer_email_extras(object()) == ["One"]  # type: ignore[arg-type]


def test_the_first_lookup_that_knows_the_thresholds_wins(empty: None):
    hooks.screening_thresholds_register(lambda hub_id: None)
    hooks.screening_thresholds_register(lambda hub_id: f"v1 of {hub_id}")
    assert hooks.screening_thresholds("hub") == "v1 of hub"  # type: ignore[arg-type]


def test_no_thresholds_lookup_means_none(empty: None):
    assert hooks.screening_thresholds("hub") is None  # type: ignore[arg-type]


def test_without_a_queue_the_email_cannot_be_queued(empty: None):
    with pytest.raises(RuntimeError):
        hooks.feedback_email_queue("id")
    queued: list[str] = []
    hooks.feedback_email_queue_register(queued.append)
    hooks.feedback_email_queue("id")
    assert queued == ["id"]
