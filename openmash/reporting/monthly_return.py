"""The monthly return: a hub's figures for one month in the national format
(`schemas/monthly-return-1.0.schema.json`), with small numbers suppressed."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from openmash.access.checks import require_same_hub
from openmash.access.permissions import Permission
from openmash.audit.models import AuditVerb
from openmash.audit.services import audit_record
from openmash.core.errors import PermissionDenied, ValidationError
from openmash.core.spreadsheets import csv_rows
from openmash.hubs.models import Hub

from .facts import facts_refresh
from .metrics import UNDECIDED, Metrics, Period, Rate, Stats, Turnaround, metrics_compute
from .suppression import THRESHOLD, Equation, suppress

if TYPE_CHECKING:
    from openmash.accounts.models import User

SCHEMA_VERSION = "1.0"
RETURN_TYPE = "openmash-monthly-return"


@dataclass
class _Cells:
    """Collects every published count with its path, and the equations that tie them."""

    values: dict[str, int] = field(default_factory=dict)
    equations: list[Equation] = field(default_factory=list)

    def cell(self, path: str, value: int) -> str:
        if path in self.values:
            raise ValueError(f"{path} registered twice")
        self.values[path] = value
        return path

    def sums(self, total: str, parts: list[str]) -> None:
        self.equations.append(Equation(total, tuple(parts)))

    def same(self, a: str, b: str) -> None:
        self.equations.append(Equation(a, (b,)))


class _Writer:
    """Builds the document with placeholders, then fills in values once suppression is known."""

    def __init__(self) -> None:
        self.cells = _Cells()
        self._stats: list[tuple[dict[str, Any], str, Stats]] = []
        self._rates: list[tuple[dict[str, Any], str, str]] = []

    def count(self, path: str, value: int) -> dict[str, Any]:
        return {"@": self.cells.cell(path, value)}

    def group(self, path: str, values: dict[str, int]) -> dict[str, Any]:
        return {key: self.count(f"{path}.{key}", n) for key, n in values.items()}

    def rate(self, path: str, rate: Rate) -> dict[str, Any]:
        node = {
            "numerator": self.count(f"{path}.numerator", rate.numerator),
            "denominator": self.count(f"{path}.denominator", rate.denominator),
            "percent": None,
            "@rate": rate,
        }
        return node

    def stats(self, path: str, stats: Stats) -> dict[str, Any]:
        return {"count": self.count(f"{path}.count", stats.count), "@stats": stats}

    def turnaround(self, path: str, turnaround: Turnaround, metrics: Metrics) -> dict[str, Any]:
        rags = ["red", "amber", "green"]
        levels = [key for key in metrics.by_level if key != "unrated"]
        by_rag = {
            k: self.stats(f"{path}.by_rag.{k}", turnaround.by_rag.get(k, Stats(0))) for k in rags
        }
        by_level = {
            k: self.stats(f"{path}.by_level.{k}", turnaround.by_level.get(k, Stats(0)))
            for k in levels
        }
        node = {
            "all": self.stats(f"{path}.all", turnaround.all),
            "by_rag": by_rag,
            "by_level": by_level,
        }
        self.cells.sums(f"{path}.all.count", [f"{path}.by_rag.{k}.count" for k in rags])
        if levels:
            self.cells.sums(f"{path}.all.count", [f"{path}.by_level.{k}.count" for k in levels])
        return node


def _render(node: Any, values: dict[str, int], hidden: set[str]) -> Any:
    """Replace placeholders: cells, rates (percent) and statistics, honouring suppression."""
    if isinstance(node, dict):
        if "@" in node:
            path = node["@"]
            if path in hidden:
                return {"value": None, "suppressed": True}
            return {"value": values[path], "suppressed": False}
        out = {
            key: _render(value, values, hidden)
            for key, value in node.items()
            if not key.startswith("@")
        }
        if "@rate" in node:
            rate: Rate = node["@rate"]
            visible = not (out["numerator"]["suppressed"] or out["denominator"]["suppressed"])
            out["percent"] = rate.percent if visible else None
        if "@stats" in node:
            stats: Stats = node["@stats"]
            visible = not out["count"]["suppressed"] and stats.count > 0
            for name in ("mean_hours", "median_hours", "p90_hours", "mean_days"):
                out[name] = getattr(stats, name) if visible else None
        return out
    if isinstance(node, list):
        return [_render(item, values, hidden) for item in node]
    return node


def return_document(metrics: Metrics, *, generated_at: datetime | None = None) -> dict[str, Any]:
    """The return for the metrics of one month, suppressed and ready to publish."""
    template, cells = _template(metrics, generated_at)
    hidden = suppress(cells.values, cells.equations)
    rendered: dict[str, Any] = _render(template, cells.values, hidden)
    rendered["suppression"]["cells_suppressed"] = len(hidden)
    return rendered


def return_cells(metrics: Metrics) -> tuple[dict[str, int], list[Equation], set[str]]:
    """Every count the return publishes, the equations between them and the hidden ones
    (for tests and for explaining a return's suppression)."""
    _template_doc, cells = _template(metrics, None)
    return cells.values, cells.equations, suppress(cells.values, cells.equations)


def _template(metrics: Metrics, generated_at: datetime | None) -> tuple[dict[str, Any], _Cells]:
    w = _Writer()
    c = w.cells
    contacts = {
        "total": w.count("contacts.total", metrics.total),
        "by_source": w.group("contacts.by_source", metrics.by_source),
        "by_concern": w.group("contacts.by_concern", metrics.by_concern),
        "by_rag": w.group("contacts.by_rag", metrics.by_rag),
        "by_level": w.group("contacts.by_level", metrics.by_level),
        "by_outcome": w.group("contacts.by_outcome", metrics.by_outcome),
    }
    for group in ("by_source", "by_rag", "by_level", "by_outcome"):
        c.sums("contacts.total", [f"contacts.{group}.{k}" for k in getattr(metrics, group)])
    agency_checks = []
    for figures in metrics.agency_checks:
        path = f"agency_checks.{figures.code}"
        agency_checks.append(
            {
                "agency": figures.code,
                "name": figures.name,
                "type": figures.agency_type,
                "requested": w.count(f"{path}.requested", figures.requested),
                "answered": w.count(f"{path}.answered", figures.answered),
                "on_time": w.rate(f"{path}.on_time", figures.on_time),
                "response": w.stats(f"{path}.response", figures.response),
            }
        )
        c.same(f"{path}.answered", f"{path}.response.count")
    document: dict[str, Any] = {
        "return_type": RETURN_TYPE,
        "schema_version": SCHEMA_VERSION,
        "hub": {"code": metrics.hub.la_code, "name": metrics.hub.name},
        "period": {
            "month": metrics.period.start.strftime("%Y-%m"),
            "start": metrics.period.start.isoformat(),
            "end": metrics.period.end.isoformat(),
        },
        "generated_at": (generated_at or timezone.now()).isoformat().replace("+00:00", "Z"),
        "suppression": {"threshold": THRESHOLD, "cells_suppressed": 0},
        "contacts": contacts,
        "turnaround": {
            "to_screening": w.turnaround("turnaround.to_screening", metrics.to_screening, metrics),
            "to_decision": w.turnaround("turnaround.to_decision", metrics.to_decision, metrics),
        },
        "on_time": {key: w.rate(f"on_time.{key}", rate) for key, rate in metrics.on_time.items()},
        "agency_checks": agency_checks,
        "conversion": {
            key: w.rate(f"conversion.{key}", rate) for key, rate in metrics.conversion.items()
        },
        "repeat": {key: w.rate(f"repeat.{key}", rate) for key, rate in metrics.repeat.items()},
        "decisions": {
            "rationale_recorded": w.rate("decisions.rationale_recorded", metrics.rationale_recorded)
        },
        "feedback": {
            "sent": w.rate("feedback.sent", metrics.feedback_sent),
            "sent_on_time": w.rate("feedback.sent_on_time", metrics.feedback_on_time),
        },
    }
    # The same quantities published in more than one place must be hidden together.
    outcomes = [f"contacts.by_outcome.{k}" for k in metrics.by_outcome if k != UNDECIDED]
    decided = "conversion.early_help.denominator"
    c.sums(decided, outcomes)
    c.sums("contacts.total", [decided, f"contacts.by_outcome.{UNDECIDED}"])
    for other in (
        "conversion.s17.denominator",
        "conversion.s47.denominator",
        "decisions.rationale_recorded.denominator",
        "feedback.sent.denominator",
    ):
        c.same(decided, other)
    for key, code in (("early_help", "EARLY_HELP"), ("s17", "S17"), ("s47", "S47")):
        c.same(f"conversion.{key}.numerator", f"contacts.by_outcome.{code}")
    c.same("repeat.recontacts_12m.denominator", "contacts.total")
    c.sums(
        "repeat.rereferrals_12m.denominator", ["contacts.by_outcome.S17", "contacts.by_outcome.S47"]
    )
    c.same("repeat.rereferrals_12m.denominator", "repeat.referrals_after_nfa_12m.denominator")
    for part in ("numerator", "denominator"):
        c.same(f"on_time.feedback.{part}", f"feedback.sent_on_time.{part}")
        if metrics.agency_checks:
            c.sums(
                f"on_time.agency_checks.{part}",
                [f"agency_checks.{f.code}.on_time.{part}" for f in metrics.agency_checks],
            )
    return document, c


def return_rows(document: dict[str, Any]) -> Iterator[tuple[str, str, str]]:
    """(measure, value, note) rows: the CSV form of a return, one figure per line."""

    def walk(node: Any, path: str) -> Iterator[tuple[str, str, str]]:
        if isinstance(node, dict) and "suppressed" in node and "value" in node:
            yield (
                path,
                "" if node["value"] is None else str(node["value"]),
                ("suppressed" if node["suppressed"] else ""),
            )
        elif isinstance(node, dict):
            for key, value in node.items():
                yield from walk(value, f"{path}.{key}" if path else key)
        elif isinstance(node, list):
            for item in node:
                name = item.get("agency", "") if isinstance(item, dict) else ""
                yield from walk(item, f"{path}.{name}")
        else:
            yield path, "" if node is None else str(node), ""

    yield from walk(document, "")


def return_csv(document: dict[str, Any]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["measure", "value", "note"])
    writer.writerows(csv_rows(return_rows(document)))
    return out.getvalue()


def monthly_return_build(
    *, actor: User | None, hub: Hub, year: int, month: int, as_of: datetime | None = None
) -> dict[str, Any]:
    """Build (and record that we built) the hub's return for a month that has begun.
    `actor` None is the command line run by the operator, recorded as such."""
    if actor is not None:
        require_same_hub(actor, hub.pk, "Hub not found")  # another hub does not exist for them
        if not actor.can(Permission.RETURN_SUBMIT):
            raise PermissionDenied("You do not have permission to build this hub's return.")
    if not 1 <= month <= 12 or not 2000 <= year <= 2100:
        raise ValidationError.for_field("month", "Give a month as YYYY-MM, for example 2026-10.")
    period = Period.month(year, month)
    today = timezone.localdate()
    if period.start > today:
        raise ValidationError.for_field("month", "That month has not started yet.")
    facts_refresh(hub=hub)
    metrics = metrics_compute(hub=hub, period=period, as_of=as_of)
    document = return_document(metrics)
    with transaction.atomic():
        audit_record(
            actor=actor,
            verb=AuditVerb.RETURN_BUILT,
            target=hub,
            hub_id=hub.pk,
            reason=f"Monthly return for {period.start:%Y-%m}",
            changes={"month": period.start.strftime("%Y-%m"), "contacts": metrics.total},
        )
    return document
