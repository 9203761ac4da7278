from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from openmash.deadlines.services import breaches_flag
from openmash.deadlines.tasks import breaches_check_schedule


class Command(BaseCommand):
    help = "Flag missed deadlines now, or (--schedule) enqueue the repeating background check."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--schedule",
            action="store_true",
            help="enqueue the check to repeat every five minutes in the worker",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["schedule"]:
            if breaches_check_schedule():
                self.stdout.write(
                    "Deadline check scheduled every 5 minutes (`openmash db_worker`)."
                )
            else:
                self.stdout.write("Deadline check already scheduled.")
            return
        report = breaches_flag()
        self.stdout.write(
            f"Flagged {report.contacts} overdue contacts and {report.requests} overdue requests."
        )
