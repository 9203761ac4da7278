"""Panels that apps above reporting add to the hub dashboard, beside the monitoring figures
(e.g. quality's feedback about the service). Reporting sits below them in the layers, so it
imports none of them: each registers its panel from its AppConfig.ready().

A panel is a template and a function giving its context for the hub and the period shown;
the dashboard includes each template with that context as ``panel``."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from openmash.hubs.models import Hub

from .metrics import Period


@dataclass(frozen=True)
class DashboardPanel:
    key: str
    template: str
    context: Callable[[Hub, Period], Any]


@dataclass(frozen=True)
class RenderedPanel:
    template: str
    panel: Any


_PANELS: dict[str, DashboardPanel] = {}


def dashboard_panel_register(panel: DashboardPanel) -> None:
    """Add (or, under the same key, replace: ready() may run twice in tests) a panel."""
    _PANELS[panel.key] = panel


def dashboard_panels(hub: Hub, period: Period) -> list[RenderedPanel]:
    """Every registered panel's template and context, in the order they were registered."""
    return [RenderedPanel(p.template, p.context(hub, period)) for p in _PANELS.values()]
