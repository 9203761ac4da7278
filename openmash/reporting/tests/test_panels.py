"""The dashboard's panel registry (reporting.panels): apps above reporting add panels;
reporting imports none of them. No database."""

from datetime import date
from typing import Any

import pytest

from openmash.reporting import panels
from openmash.reporting.metrics import Period


def test_registered_panels_are_given_the_hub_and_period_in_order(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(panels, "_PANELS", {})
    seen: list[Any] = []

    def context(hub: Any, period: Period) -> dict[str, Any]:
        seen.append((hub, period))
        return {"start": period.start}

    panels.dashboard_panel_register(panels.DashboardPanel("a", "a.html", context))
    panels.dashboard_panel_register(panels.DashboardPanel("b", "b.html", lambda h, p: None))
    panels.dashboard_panel_register(panels.DashboardPanel("a", "a2.html", context))  # replaced
    period = Period(date(2026, 1, 1), date(2026, 1, 31))
    shown = panels.dashboard_panels("hub", period)  # type: ignore[arg-type]
    assert [(p.template, p.panel) for p in shown] == [
        ("a2.html", {"start": date(2026, 1, 1)}),
        ("b.html", None),
    ]
    assert seen == [("hub", period)]


def test_the_quality_app_adds_its_feedback_panel() -> None:
    assert "quality.service_feedback" in panels._PANELS
