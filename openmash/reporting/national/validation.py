"""Is a monthly return well formed? The JSON Schema (`monthly-return-1.0.schema.json`) checks the
shape; the semantic checks below check what a schema cannot say: that the period is the month it
names, that groups which must add up to the total do, and that rates are internally consistent.

Every problem is reported at once, each with a JSON path ("$.contacts.by_source") and a message
a national analyst can act on without reading the schema."""

import calendar
import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema_rs

SCHEMA_VERSION = "1.0"
SCHEMA_FILE = f"monthly-return-{SCHEMA_VERSION}.schema.json"
# Groups of contacts that partition the month's contacts (the schema says each sums to total).
ADDITIVE_GROUPS = ("by_source", "by_rag", "by_level", "by_outcome")
# Percent is published to one decimal place at most; allow for rounding either way.
PERCENT_TOLERANCE = 0.051
MAX_ERRORS = 200


@dataclass(frozen=True)
class ReturnError:
    path: str  # JSONPath-style: "$" is the whole return, "$.agency_checks[2].answered"
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


def schema_path(version: str = SCHEMA_VERSION) -> Path:
    return (
        Path(__file__).resolve().parent.parent / "schemas" / f"monthly-return-{version}.schema.json"
    )


@cache
def load_schema(version: str = SCHEMA_VERSION) -> dict[str, Any]:
    with open(schema_path(version), encoding="utf-8") as handle:
        schema: dict[str, Any] = json.load(handle)
    return schema


@cache
def _validator() -> Any:
    # Formats (date, date-time) are only annotations in draft 2020-12 unless asked for.
    return jsonschema_rs.validator_for(load_schema(), validate_formats=True)


def _json_path(parts: Any) -> str:
    out = "$"
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        elif re.fullmatch(r"[A-Za-z0-9_]+", str(part)):
            out += f".{part}"
        else:
            out += f"[{json.dumps(str(part))}]"
    return out


def _schema_message(error: Any) -> str:
    kind = error.kind
    if isinstance(kind, jsonschema_rs.ValidationErrorKind.Required):
        # '"hub" is a required property' -> 'hub is missing'
        match = re.match(r'^"(.+)" is a required property$', error.message)
        if match:
            return f"{match.group(1)} is missing"
    if isinstance(kind, jsonschema_rs.ValidationErrorKind.AdditionalProperties):
        names = ", ".join(str(n) for n in kind.unexpected)
        return f"{names} is not part of the monthly return format {SCHEMA_VERSION}"
    if isinstance(kind, jsonschema_rs.ValidationErrorKind.Format):
        return f"{json.dumps(error.instance)} is not a valid {kind.format}"
    return str(error.message)


def schema_errors(document: Any) -> list[ReturnError]:
    errors = [
        ReturnError(_json_path(e.instance_path), _schema_message(e))
        for e in _validator().iter_errors(document)
    ]
    return sorted(errors, key=lambda e: e.path)


# -- Semantic checks (run only on a document that matches the schema) -----------------------


def _cell_value(cell: Mapping[str, Any]) -> int | None:
    return None if cell["suppressed"] else int(cell["value"])


def _check_period(doc: Mapping[str, Any]) -> Iterator[ReturnError]:
    period = doc["period"]
    year, month = (int(p) for p in period["month"].split("-"))
    first = date(year, month, 1)
    last = date(year, month, calendar.monthrange(year, month)[1])
    if period["start"] != first.isoformat():
        yield ReturnError(
            "$.period.start",
            f"The period starts on {period['start']} but the return is for "
            f"{period['month']}, which starts on {first.isoformat()}",
        )
    if period["end"] != last.isoformat():
        yield ReturnError(
            "$.period.end",
            f"The period ends on {period['end']} but the return is for "
            f"{period['month']}, which ends on {last.isoformat()}",
        )


def _check_groups(doc: Mapping[str, Any]) -> Iterator[ReturnError]:
    contacts = doc["contacts"]
    total = _cell_value(contacts["total"])
    if total is None:
        return
    for group in ADDITIVE_GROUPS:
        cells = contacts[group]
        published = [v for v in (_cell_value(c) for c in cells.values()) if v is not None]
        any_suppressed = any(c["suppressed"] for c in cells.values())
        added = sum(published)
        path = f"$.contacts.{group}"
        if added > total:
            yield ReturnError(
                path, f"The published figures add up to {added}, more than the {total} contacts"
            )
        elif not any_suppressed and cells and added != total:
            yield ReturnError(
                path,
                f"The figures add up to {added} but there were {total} contacts "
                "(with nothing suppressed they must add up to the total)",
            )


def _rates(doc: Mapping[str, Any]) -> Iterator[tuple[str, Mapping[str, Any]]]:
    for section in ("on_time", "conversion", "repeat", "decisions", "feedback"):
        for name, rate in doc[section].items():
            yield f"$.{section}.{name}", rate
    for n, check in enumerate(doc["agency_checks"]):
        yield f"$.agency_checks[{n}].on_time", check["on_time"]


def _check_rate(path: str, rate: Mapping[str, Any]) -> Iterator[ReturnError]:
    numerator = _cell_value(rate["numerator"])
    denominator = _cell_value(rate["denominator"])
    percent = rate["percent"]
    if numerator is None or denominator is None or denominator == 0:
        if percent is not None:
            why = "the denominator is 0" if denominator == 0 else "a count is suppressed"
            yield ReturnError(f"{path}.percent", f"The percent must be null when {why}")
        if numerator is not None and denominator == 0 and numerator > 0:
            yield ReturnError(path, f"The numerator ({numerator}) is more than the denominator (0)")
        return
    if numerator > denominator:
        yield ReturnError(
            path, f"The numerator ({numerator}) is more than the denominator ({denominator})"
        )
        return
    expected = 100 * numerator / denominator
    if percent is None:
        yield ReturnError(
            f"{path}.percent", f"The percent is missing (it should be {expected:.1f})"
        )
    elif abs(percent - expected) > PERCENT_TOLERANCE:
        yield ReturnError(
            f"{path}.percent",
            f"The percent is {percent} but {numerator} of {denominator} is {expected:.1f}",
        )


def _stats(doc: Mapping[str, Any]) -> Iterator[tuple[str, Mapping[str, Any]]]:
    for stage, turnaround in doc["turnaround"].items():
        yield f"$.turnaround.{stage}.all", turnaround["all"]
        for group in ("by_rag", "by_level"):
            for key, stats in turnaround[group].items():
                yield _json_path(["turnaround", stage, group, key]), stats
    for n, check in enumerate(doc["agency_checks"]):
        yield f"$.agency_checks[{n}].response", check["response"]


def _check_stats(path: str, stats: Mapping[str, Any]) -> Iterator[ReturnError]:
    count = _cell_value(stats["count"])
    figures = ("mean_hours", "median_hours", "p90_hours", "mean_days")
    if not count:
        present = [f for f in figures if stats[f] is not None]
        if present:
            why = "suppressed" if count is None else "0"
            yield ReturnError(path, f"{', '.join(present)} must be null when the count is {why}")
        return
    median, p90 = stats["median_hours"], stats["p90_hours"]
    if median is not None and p90 is not None and median > p90:
        yield ReturnError(path, f"The median ({median}) is more than the 90th percentile ({p90})")


def _check_agency_checks(doc: Mapping[str, Any]) -> Iterator[ReturnError]:
    seen: set[str] = set()
    for n, check in enumerate(doc["agency_checks"]):
        path = f"$.agency_checks[{n}]"
        if check["agency"] in seen:
            yield ReturnError(f"{path}.agency", f"Agency {check['agency']!r} appears twice")
        seen.add(check["agency"])
        requested, answered = _cell_value(check["requested"]), _cell_value(check["answered"])
        if requested is not None and answered is not None and answered > requested:
            yield ReturnError(
                f"{path}.answered",
                f"{answered} checks answered but only {requested} requested",
            )


def semantic_errors(doc: Mapping[str, Any]) -> list[ReturnError]:
    errors = [*_check_period(doc), *_check_groups(doc), *_check_agency_checks(doc)]
    for path, rate in _rates(doc):
        errors.extend(_check_rate(path, rate))
    for path, stats in _stats(doc):
        errors.extend(_check_stats(path, stats))
    return errors


def return_errors(document: Any) -> list[ReturnError]:
    """Every problem with a parsed return: the schema's first (a document of the wrong shape
    cannot be checked for sense), then the semantic checks. [] means the return is valid."""
    errors = schema_errors(document)
    if not errors:
        errors = semantic_errors(document)
    return errors[:MAX_ERRORS]
