from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from openmash.accounts.dormant import accounts_disable_dormant
from openmash.accounts.tasks import accounts_disable_dormant_schedule


class Command(BaseCommand):
    help = (
        "Switch off accounts with no sign-in for OPENMASH_DORMANT_AFTER_DAYS days, or "
        "(--schedule) enqueue the daily background run."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--schedule", action="store_true", help="enqueue the run to repeat every day"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["schedule"]:
            if accounts_disable_dormant_schedule():
                self.stdout.write("Dormant accounts check scheduled daily (`openmash db_worker`).")
            else:
                self.stdout.write("Dormant accounts check already scheduled.")
            return
        count = accounts_disable_dormant()
        days = settings.OPENMASH_DORMANT_AFTER_DAYS
        self.stdout.write(
            f"Switched off {count} account{'s' if count != 1 else ''} "
            f"with no sign-in for {days} days."
        )
