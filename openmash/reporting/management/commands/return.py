import json
import os
import re
import tempfile
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from openmash.access.permissions import Permission
from openmash.core.errors import OpenMashError
from openmash.reporting.cli import actor_for, hub_from_option
from openmash.reporting.monthly_return import monthly_return_build, return_csv

MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def write_atomically(path: Path, text: str) -> None:
    """Write the whole file or nothing: a half-written return must never be sent on."""
    if not path.parent.is_dir():
        raise CommandError(f"No such folder {path.parent}")
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            out.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


class Command(BaseCommand):
    help = (
        "Returns. `openmash return monthly --month YYYY-MM --out FILE.json` builds the hub's "
        "monthly return (small numbers suppressed); a FILE ending .csv gets the CSV form."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=["monthly"])
        parser.add_argument("--month", required=True, help="the month, e.g. 2026-10")
        parser.add_argument("--out", required=True, type=Path, help="FILE.json or FILE.csv")
        parser.add_argument("--hub", default="", help="the hub's LA code (when there are several)")
        parser.add_argument(
            "--as-user", default="", help="the account the return is recorded against"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        match = MONTH.match(options["month"])
        if not match:
            raise CommandError("Give the month as YYYY-MM, for example 2026-10")
        out: Path = options["out"]
        if out.suffix.lower() not in (".json", ".csv"):
            raise CommandError("The output file must end .json or .csv")
        if not out.parent.is_dir():
            raise CommandError(f"No such folder {out.parent}")
        hub = hub_from_option(options["hub"])
        actor = actor_for(hub, Permission.RETURN_SUBMIT, options["as_user"])
        try:
            document = monthly_return_build(
                actor=actor, hub=hub, year=int(match[1]), month=int(match[2])
            )
        except OpenMashError as exc:
            details = "\n".join(sum(exc.errors.values(), []))
            raise CommandError(details or exc.message) from exc
        if out.suffix.lower() == ".csv":
            text = return_csv(document)
        else:
            text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
        write_atomically(out, text)
        total = document["contacts"]["total"]
        shown = "fewer than 5" if total["suppressed"] else total["value"]
        self.stdout.write(
            f"{hub.name}: return for {options['month']} written to {out} ({shown} contacts, "
            f"{document['suppression']['cells_suppressed']} cells suppressed)."
        )
