from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from openmash.governance.services import review_reminders_send
from openmash.governance.tasks import review_reminders_schedule


class Command(BaseCommand):
    help = (
        "E-mail the review reminders of core documents that are due now, or (--schedule) "
        "enqueue the daily background run."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--schedule", action="store_true", help="enqueue the run to repeat every day"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["schedule"]:
            if review_reminders_schedule():
                self.stdout.write("Review reminders scheduled daily (`openmash db_worker`).")
            else:
                self.stdout.write("Review reminders already scheduled.")
            return
        sent = review_reminders_send()
        self.stdout.write(f"Sent {sent} review reminder{'s' if sent != 1 else ''}.")
