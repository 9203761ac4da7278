from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from openmash.audit.services import audit_chain_verify


class Command(BaseCommand):
    help = "Audit trail tools. `openmash audit verify` checks the hash chain end to end."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["verify"])

    def handle(self, *args: Any, **options: Any) -> None:
        report = audit_chain_verify()
        if report.ok:
            self.stdout.write(f"Audit chain intact: {report.checked} events verified.")
            return
        raise CommandError(
            f"Audit chain broken at event {report.first_broken_id}: {report.problem} "
            f"({report.checked} events before it verified)."
        )
