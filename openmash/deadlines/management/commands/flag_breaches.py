from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from openmash.deadlines.services import breaches_flag
from openmash.deadlines.tasks import breaches_flag_task


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
            breaches_flag_task.enqueue(repeat=True)
            self.stdout.write("Deadline check enqueued; `openmash db_worker` runs it.")
            return
        report = breaches_flag()
        self.stdout.write(
            f"Flagged {report.contacts} overdue contacts and {report.requests} overdue requests."
        )
