from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from openmash.access.permissions import Permission
from openmash.accounts.models import User
from openmash.core.errors import OpenMashError
from openmash.hubs.models import Agency
from openmash.people.index_csv import parse_index_rows
from openmash.people.services import index_load, index_load_allowed


class Command(BaseCommand):
    help = (
        "Agency pointer indexes. `openmash index load --agency CODE FILE.csv` applies a file "
        "(insert, update, delete) in one transaction, or nothing if any line is wrong."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["load"])
        parser.add_argument("file", type=Path)
        parser.add_argument("--agency", required=True, help="the agency's code, e.g. police")
        parser.add_argument("--hub", default="", help="the hub's LA code (when there are several)")
        parser.add_argument(
            "--as-user",
            default="",
            help="the account the load is recorded against (default: the hub administrator)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        agencies = Agency.objects.filter(code=options["agency"]).select_related("hub")
        if options["hub"]:
            agencies = agencies.filter(hub__la_code=options["hub"])
        found = list(agencies[:2])
        if not found:
            raise CommandError(f"No agency with the code {options['agency']!r}")
        if len(found) > 1:
            raise CommandError("Several hubs have that agency: give --hub LA_CODE")
        agency = found[0]
        users = User.objects.filter(agency__hub=agency.hub, is_active=True).order_by("username")
        if options["as_user"]:
            users = users.filter(username=options["as_user"])
        allowed = [u for u in users if index_load_allowed(u, agency)]
        # Without --as-user, the load is recorded against the hub administrator.
        admins = [u for u in allowed if u.can(Permission.HUB_CONFIGURE)]
        chosen = allowed if options["as_user"] else admins
        actor = chosen[0] if chosen else None
        if actor is None:
            raise CommandError("No active user of this hub may load this agency's index")
        if not options["file"].is_file():
            raise CommandError(f"No such file {options['file']}")
        try:
            with options["file"].open(encoding="utf-8-sig", newline="") as handle:
                parsed = parse_index_rows(handle)
        except UnicodeDecodeError as exc:
            raise CommandError("The file must be a CSV saved as UTF-8") from exc
        try:
            result = index_load(
                actor=actor,
                agency=agency,
                parsed=parsed,
                source="cli",
                filename=options["file"].name,
            )
        except OpenMashError as exc:
            details = "\n".join(sum(exc.errors.values(), []))
            raise CommandError(f"{exc.message}\n{details}") from exc
        self.stdout.write(
            f"{agency.name}: {result.inserted} added, {result.updated} updated, "
            f"{result.deleted} removed."
        )
