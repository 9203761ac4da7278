from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from openmash.people.management.commands.link import _describe
from openmash.people.matching.batch import EngineUnavailable, dedupe, write_clusters_csv
from openmash.people.matching.records import (
    CsvProblems,
    read_people_csv,
    validate_people_csv,
)


class Command(BaseCommand):
    help = "Find the records of one file that are the same person: writes record_id,cluster_id."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--out", required=True, type=Path)
        parser.add_argument("--threshold", type=float, default=None)
        parser.add_argument("--engine", choices=["duckdb", "spark"], default="duckdb")

    def handle(self, *args: Any, **options: Any) -> None:
        threshold = options["threshold"]
        if threshold is not None and not 0 < threshold < 1:
            raise CommandError("--threshold must be between 0 and 1")
        if not options["file"].is_file():
            raise CommandError(f"No such file {options['file']}")
        found = validate_people_csv(options["file"])
        if found:  # every problem reported before anything is written
            raise CommandError(_describe(CsvProblems(found)))
        try:
            clusters = dedupe(
                read_people_csv(options["file"]), engine=options["engine"], threshold=threshold
            )
            written = write_clusters_csv(clusters, options["out"])
        except CsvProblems as problems:
            raise CommandError(_describe(problems)) from problems
        except EngineUnavailable as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"{written} records written to {options['out']}")
