from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from openmash.people.matching.batch import EngineUnavailable, link, write_links_csv
from openmash.people.matching.records import (
    CsvProblems,
    read_people_csv,
    validate_people_csv,
)


class Command(BaseCommand):
    help = (
        "Link two people extracts: writes left_id,right_id,match_probability for every pair at "
        "or above the threshold. Trains the matching model on the two files (Splink)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--left", required=True, type=Path)
        parser.add_argument("--right", required=True, type=Path)
        parser.add_argument("--out", required=True, type=Path)
        parser.add_argument(
            "--threshold",
            type=float,
            default=None,
            help="match probability to keep (default: the model's)",
        )
        parser.add_argument("--engine", choices=["duckdb", "spark"], default="duckdb")
        parser.add_argument(
            "--one-to-one",
            action="store_true",
            help="each file holds every person at most once (e.g. deduplicated agency indexes): "
            "a pair's probability then also weighs its records' other candidates",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        threshold = options["threshold"]
        if threshold is not None and not 0 < threshold < 1:
            raise CommandError("--threshold must be between 0 and 1")
        for side in ("left", "right"):
            if not options[side].is_file():
                raise CommandError(f"--{side}: no such file {options[side]}")
        for side in ("left", "right"):  # every problem reported before anything is written
            found = validate_people_csv(options[side])
            if found:
                raise CommandError(f"--{side}: " + _describe(CsvProblems(found)))
        try:
            pairs = link(
                read_people_csv(options["left"]),
                read_people_csv(options["right"]),
                engine=options["engine"],
                threshold=threshold,
                one_to_one=options["one_to_one"],
            )
            written = write_links_csv(pairs, options["out"])
        except CsvProblems as problems:
            raise CommandError(_describe(problems)) from problems
        except EngineUnavailable as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"{written} links written to {options['out']}")


def _describe(problems: CsvProblems) -> str:
    lines = [str(e) for e in problems.errors[:50]]
    more = len(problems.errors) - len(lines)
    if more > 0:
        lines.append(f"... and {more} more")
    return "The file has problems; nothing was linked:\n" + "\n".join(lines)
