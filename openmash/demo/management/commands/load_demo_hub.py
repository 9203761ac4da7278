from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from openmash.demo.contacts import demo_contacts_generate
from openmash.demo.governance import demo_governance_load
from openmash.demo.history import DEFAULT_COUNT, demo_history_generate, fast_commits
from openmash.demo.hub_setup import DEMO_PASSWORD, USERS, demo_hub_ensure
from openmash.demo.indexes import demo_indexes_load
from openmash.demo.quality import demo_quality_load


class Command(BaseCommand):
    help = (
        "Load the demo hub (idempotent): agencies, one user per role, ~200 recent contacts, "
        "a history of closed contacts from 1 April 2024, governance and quality records."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--contacts", type=int, default=200)
        parser.add_argument(
            "--history",
            type=int,
            default=DEFAULT_COUNT,
            help="closed contacts from 1 April 2024 to ten weeks ago (0: none)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.OPENMASH_ALLOW_DEMO_DATA:
            raise CommandError("Demo data is refused in these settings (production).")
        hub = demo_hub_ensure()
        # Before the contacts: screenings record the thresholds version in force.
        governed = demo_governance_load(hub)
        now = timezone.now()
        with fast_commits():
            made = demo_contacts_generate(hub, count=options["contacts"], now=now)
            # After the recent contacts, so their references and people stay what they were.
            history = demo_history_generate(hub, count=options["history"], now=now)
        indexed = demo_indexes_load(hub, today=timezone.localdate())
        audited = demo_quality_load(hub)
        if made:
            self.stdout.write(f"Demo hub '{hub.name}' loaded with {made} contacts.")
        else:
            self.stdout.write(f"Demo hub '{hub.name}' already loaded.")
        if history:
            self.stdout.write(f"Demo history: {history} closed contacts since 1 April 2024.")
        if indexed:
            self.stdout.write(f"Agency indexes loaded: {indexed} records.")
        if governed:
            self.stdout.write("Governance: definition, leadership, documents, thresholds, funding.")
        if audited:
            self.stdout.write(f"Quality: {audited} case files audited, feedback and actions.")
        self.stdout.write(f"\nDemo sign-ins (password for all: {DEMO_PASSWORD}):")
        for spec in USERS:
            roles = ", ".join(r.label for r in spec.roles)
            self.stdout.write(f"  {spec.username:<22} {roles}")
