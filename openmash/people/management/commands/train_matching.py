from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from openmash.core.errors import OpenMashError
from openmash.hubs.models import Hub
from openmash.people.services import match_model_train


class Command(BaseCommand):
    help = (
        "Train the hub's matching model without labels (Splink on DuckDB) on its persons and "
        "agency index records, store it as a new version and use it from now on."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--hub", default="", help="the hub's LA code (when there are several)")

    def handle(self, *args: Any, **options: Any) -> None:
        hubs = Hub.objects.all()
        if options["hub"]:
            hubs = hubs.filter(la_code=options["hub"])
        found = list(hubs[:2])
        if len(found) != 1:
            raise CommandError("Give --hub LA_CODE: there is not exactly one such hub")
        try:
            row = match_model_train(actor=None, hub=found[0])
        except OpenMashError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(f"Model {row.version} trained on {row.trained_on} records; now active.")
