"""`openmash export KIND ...`: the statutory exports, written all or nothing.

    openmash export cin-census --year 2025 --out FILE.xml [--hub LA] [--as-user NAME]
    openmash export annex-a --out FILE.xlsx [--from YYYY-MM-DD --to YYYY-MM-DD]
    openmash export dataset --out FILE.zip [--format csv|parquet|jsonl] [--from ... --to ...]

Each kind is one entry of KINDS: its arguments and a function that returns the file's bytes,
so another export is one more entry."""

import argparse
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from openmash.access.permissions import Permission
from openmash.accounts.models import User
from openmash.core.errors import OpenMashError
from openmash.hubs.models import Hub
from openmash.reporting.cli import actor_for, hub_from_option
from openmash.reporting.dataset import FORMATS, dataset_export_zip
from openmash.reporting.metrics import Period
from openmash.reporting.statutory.annex_a import default_period
from openmash.reporting.statutory.services import annex_a_export, cin_census_export


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date like 2026-04-01") from exc


def _add_cin_census(parser: CommandParser) -> None:
    parser.add_argument(
        "--year", type=int, required=True, help="the collection year's end: 2025 is 2024-25"
    )


def _cin_census(actor: User, hub: Hub, options: dict[str, Any]) -> bytes:
    return cin_census_export(actor=actor, hub=hub, year=options["year"])


def _add_annex_a(parser: CommandParser) -> None:
    parser.add_argument("--from", dest="start", type=_day, help="default: six months ago")
    parser.add_argument("--to", dest="end", type=_day, help="default: today")


def _annex_a(actor: User, hub: Hub, options: dict[str, Any]) -> bytes:
    start, end = default_period(timezone.localdate())
    return annex_a_export(
        actor=actor, hub=hub, start=options["start"] or start, end=options["end"] or end
    )


def _add_dataset(parser: CommandParser) -> None:
    parser.add_argument("--format", dest="fmt", choices=FORMATS, default="csv")
    parser.add_argument("--from", dest="start", type=_day, help="default: every contact")
    parser.add_argument("--to", dest="end", type=_day, help="default: every contact")


def _dataset(actor: User, hub: Hub, options: dict[str, Any]) -> bytes:
    start, end = options["start"], options["end"]
    if (start is None) != (end is None):
        raise CommandError("Give both --from and --to, or neither (every contact).")
    try:
        period = Period(start, end) if start and end else None
    except ValueError as exc:
        raise CommandError(str(exc)) from exc
    content, _records = dataset_export_zip(actor=actor, hub=hub, fmt=options["fmt"], period=period)
    return content


@dataclass(frozen=True)
class Kind:
    help: str
    permission: Permission
    add_arguments: Callable[[CommandParser], None]
    build: Callable[[User, Hub, dict[str, Any]], bytes]


KINDS: dict[str, Kind] = {
    "cin-census": Kind(
        "DfE children in need census (XML)",
        Permission.STATUTORY_EXPORT,
        _add_cin_census,
        _cin_census,
    ),
    "annex-a": Kind(
        "Ofsted Annex A lists 1 and 3 (xlsx)", Permission.STATUTORY_EXPORT, _add_annex_a, _annex_a
    ),
    "dataset": Kind(
        "the pseudonymised national dataset (a ZIP of CSV, Parquet or JSON Lines tables)",
        Permission.DATASET_EXPORT,
        _add_dataset,
        _dataset,
    ),
}


def write_atomically(path: Path, content: bytes) -> None:
    """Write to a temporary file beside `path`, then rename: never a partial file."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(content)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


class Command(BaseCommand):
    help = "Statutory exports and the national dataset, audited: " + ", ".join(KINDS)

    def add_arguments(self, parser: CommandParser) -> None:
        kinds = parser.add_subparsers(dest="kind", required=True, metavar="KIND")
        for name, kind in KINDS.items():
            sub = kinds.add_parser(name, help=kind.help)
            sub.add_argument("--out", type=Path, required=True, help="the file to write")
            sub.add_argument("--hub", default="", help="the hub's LA code (when there are several)")
            sub.add_argument(
                "--as-user",
                default="",
                help="the account the export is recorded against (default: the first allowed to)",
            )
            kind.add_arguments(sub)

    def handle(self, *args: Any, **options: Any) -> None:
        kind = KINDS[options["kind"]]
        out: Path = options["out"]
        if not out.parent.is_dir():
            raise CommandError(f"No such directory {out.parent}")
        if out.is_dir():
            raise CommandError(f"{out} is a directory: give a file name")
        hub = hub_from_option(options["hub"])
        actor = actor_for(hub, kind.permission, options["as_user"])
        try:
            content = kind.build(actor, hub, options)
        except OpenMashError as exc:
            details = "\n".join(m for messages in exc.errors.values() for m in messages)
            message = exc.message if not details or details == exc.message else details
            raise CommandError(message) from exc
        try:
            write_atomically(out, content)
        except OSError as exc:
            raise CommandError(f"Could not write {out}: {exc.strerror}") from exc
        self.stdout.write(f"{options['kind']}: wrote {out} ({len(content):,} bytes).")
