from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from openmash.demo.contacts import demo_contacts_generate
from openmash.demo.hub_setup import DEMO_PASSWORD, USERS, demo_hub_ensure
from openmash.demo.indexes import demo_indexes_load


class Command(BaseCommand):
    help = "Load the demo hub (idempotent): agencies, one user per role, ~200 contacts."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--contacts", type=int, default=200)

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.OPENMASH_ALLOW_DEMO_DATA:
            raise CommandError("Demo data is refused in these settings (production).")
        hub = demo_hub_ensure()
        made = demo_contacts_generate(hub, count=options["contacts"])
        indexed = demo_indexes_load(hub, today=timezone.localdate())
        if made:
            self.stdout.write(f"Demo hub '{hub.name}' loaded with {made} contacts.")
        else:
            self.stdout.write(f"Demo hub '{hub.name}' already loaded.")
        if indexed:
            self.stdout.write(f"Agency indexes loaded: {indexed} records.")
        self.stdout.write(f"\nDemo sign-ins (password for all: {DEMO_PASSWORD}):")
        for spec in USERS:
            roles = ", ".join(r.label for r in spec.roles)
            self.stdout.write(f"  {spec.username:<20} {roles}")
