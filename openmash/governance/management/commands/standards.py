"""`openmash standards check [--hub LA]`: the standards self-assessment, as on the page. Exits
with status 1 when a standard is not met, so that it can be scripted."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from openmash.governance.standards import Result, StandardsReport, standards_check
from openmash.hubs.models import Hub

MARKS = {Result.PASS: "MET    ", Result.WARNING: "WARNING", Result.FAIL: "NOT MET"}


class Command(BaseCommand):
    help = "Standards self-assessment: `check` the national core standards for a hub."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        check = sub.add_parser("check", help="check the hub against the national core standards")
        check.add_argument("--hub", metavar="LA", help="the hub's local authority code")

    def handle(self, *args: Any, **options: Any) -> None:
        hubs = Hub.objects.order_by("la_code")
        if options.get("hub"):
            hubs = hubs.filter(la_code=options["hub"])
            if not hubs.exists():
                raise CommandError(f"No hub has the local authority code {options['hub']}.")
        elif hubs.count() > 1:
            raise CommandError("More than one hub: name one with --hub LA.")
        hub = hubs.first()
        if hub is None:
            raise CommandError("There is no hub.")
        report = standards_check(actor=None, hub=hub)
        self._print(report)
        if report.failed:
            raise SystemExit(1)

    def _print(self, report: StandardsReport) -> None:
        out = self.stdout
        out.write(f"Standards self-assessment: {report.hub.name} ({report.hub.la_code})")
        out.write(f"As of {report.today:%d %B %Y}\n")
        for r in report.results:
            out.write(f"[{MARKS[r.result]}] {r.title}")
            out.write(f"          Standard: {r.standard_label}")
            for line in r.evidence:
                out.write(f"          Evidence: {line}")
            if r.action:
                out.write(f"          To meet it: {r.action}")
        out.write(
            f"\n{report.passed} met, {report.warnings} with a warning, {report.failed} not met."
        )
