"""The standards self-assessment's machinery: the context a check reads, the registry of
checks (they run in the order they are registered), the report, and the recorded run."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from openmash.access.checks import require, require_same_hub
from openmash.access.permissions import Permission
from openmash.audit.models import AuditVerb
from openmash.audit.services import audit_record
from openmash.governance.standard_results import (
    CheckResult,
    Result,
)
from openmash.hubs.models import Hub
from openmash.reporting.facts import facts_refresh
from openmash.reporting.metrics import Metrics, Period, metrics_compute

if TYPE_CHECKING:
    from openmash.accounts.models import User


MONITORING_DAYS = 365  # figures cover the last twelve months


@dataclass
class Context:
    hub: Hub
    today: date
    _metrics: Metrics | None = None

    @property
    def metrics(self) -> Metrics:
        """The last twelve months' figures, computed once per run."""
        if self._metrics is None:
            facts_refresh(hub=self.hub)
            period = Period(self.today - timedelta(days=MONITORING_DAYS - 1), self.today)
            self._metrics = metrics_compute(hub=self.hub, period=period)
        return self._metrics


Check = Callable[[Context], CheckResult]
CHECKS: list[Check] = []


def check(func: Check) -> Check:
    """Register a check; they run in the order they are defined."""
    CHECKS.append(func)
    return func


@dataclass
class StandardsReport:
    hub: Hub
    today: date
    results: list[CheckResult] = field(default_factory=list)

    def count(self, result: Result) -> int:
        return sum(1 for r in self.results if r.result == result)

    @property
    def passed(self) -> int:
        return self.count(Result.PASS)

    @property
    def warnings(self) -> int:
        return self.count(Result.WARNING)

    @property
    def failed(self) -> int:
        return self.count(Result.FAIL)


def standards_evaluate(hub: Hub, *, today: date | None = None) -> StandardsReport:
    """Run every check (a read: `standards_check` records that it was run)."""
    context = Context(hub=hub, today=today or timezone.localdate())
    return StandardsReport(hub=hub, today=context.today, results=[run(context) for run in CHECKS])


def standards_check(
    *, actor: "User | None", hub: Hub, today: date | None = None
) -> StandardsReport:
    """The self-assessment, recorded in the audit trail (actor None: the command line)."""
    if actor is not None:
        require_same_hub(actor, hub.pk, "Hub not found")
        require(actor, Permission.GOVERNANCE_VIEW)
    report = standards_evaluate(hub, today=today)
    with transaction.atomic():
        audit_record(
            actor=actor,
            verb=AuditVerb.STANDARDS_CHECKED,
            target=hub,
            hub_id=hub.pk,
            changes={
                "met": report.passed,
                "warnings": [r.code for r in report.results if r.result == Result.WARNING],
                "not_met": [r.code for r in report.results if r.result == Result.FAIL],
            },
        )
    return report


def day_text(value: date) -> str:
    return f"{value.day} {value:%B %Y}"


def names_text(items: list[object]) -> str:
    return ", ".join(str(i) for i in items)
