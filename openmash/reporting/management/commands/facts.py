from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from openmash.reporting.cli import hub_from_option
from openmash.reporting.facts import facts_refresh


class Command(BaseCommand):
    help = (
        "Reporting facts. `openmash facts refresh` brings them up to date (only what changed); "
        "`--full` rebuilds every contact's facts, e.g. after a bulk load."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["refresh"])
        parser.add_argument("--full", action="store_true", help="recompute every contact")
        parser.add_argument("--hub", default="", help="the hub's LA code (when there are several)")

    def handle(self, *args: Any, **options: Any) -> None:
        hub = hub_from_option(options["hub"])
        report = facts_refresh(hub=hub, full=options["full"])
        kind = "rebuilt" if report.full else "brought up to date"
        self.stdout.write(
            f"{hub.name}: facts {kind} for {report.contacts} contacts and {report.checks} "
            "agency checks."
        )
