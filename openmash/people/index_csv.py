"""Parsing an agency's pointer-index file. Every bad line is reported with its reason; the
caller applies the rows only when there are none (nothing is ever half-loaded)."""

import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from openmash.core.identifiers import nhs_number_is_valid, normalise_nhs_number, upn_is_valid

COLUMNS = [
    "action",
    "record_ref",
    "given_name",
    "family_name",
    "aliases",
    "date_of_birth",
    "sex",
    "address_line_1",
    "address_line_2",
    "town",
    "postcode",
    "address_from",
    "previous_postcodes",
    "nhs_number",
    "upn",
    "other_id",
]
REQUIRED = {"record_ref"}
ACTIONS = {"upsert", "insert", "update", "delete"}
LIMITS = {
    "record_ref": 64,
    "given_name": 100,
    "family_name": 100,
    "aliases": 300,
    "address_line_1": 200,
    "address_line_2": 200,
    "town": 100,
    "postcode": 10,
    "previous_postcodes": 200,
    "other_id": 64,
}
POSTCODE = re.compile(r"^[A-Z]{1,2}[0-9][0-9A-Z]?( ?[0-9][A-Z]{2})?$")
MAX_ROWS = 2_000_000


@dataclass(frozen=True)
class RowProblem:
    line: int
    reason: str

    def __str__(self) -> str:
        return f"Line {self.line}: {self.reason}"


@dataclass
class ParsedIndex:
    rows: list[dict[str, object]] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)


def _date(value: str) -> date:
    return date.fromisoformat(value)


def parse_index_rows(lines: Iterable[str]) -> ParsedIndex:
    """Rows as dicts ready for the model (with "action" and "line"), or the problems.

    A file the csv module itself cannot read (a field over its size limit, a stray quote in
    strict mode...) is one problem on the line where reading stopped, never an exception."""
    reader = csv.DictReader(lines)
    result = ParsedIndex()
    read = [0]  # the last line (row) read whole: the header is line 1
    try:
        return _parse(reader, result, read)
    except csv.Error as exc:
        reason = f"the file cannot be read as CSV ({exc})"
        result.problems.append(RowProblem(read[0] + 1, reason))
        result.rows.clear()  # an unreadable file gives no rows at all
        return result


def _parse(reader: "csv.DictReader[str]", result: ParsedIndex, read: list[int]) -> ParsedIndex:
    header = [h.strip() for h in (reader.fieldnames or [])]
    read[0] = 1
    unknown = [h for h in header if h not in COLUMNS]
    if not header or "record_ref" not in header or unknown:
        reason = (
            f"unknown columns: {', '.join(unknown)}"
            if unknown
            else "the header must include record_ref"
        )
        result.problems.append(RowProblem(1, f"{reason} (allowed: {', '.join(COLUMNS)})"))
        return result
    seen: dict[str, int] = {}
    for number, raw in enumerate(reader, start=2):
        read[0] = number
        if number - 1 > MAX_ROWS:
            result.problems.append(RowProblem(number, f"more than {MAX_ROWS:,} rows"))
            break
        if None in raw:
            result.problems.append(RowProblem(number, "more values than columns"))
            continue
        row = {k.strip(): (v or "").strip() for k, v in raw.items()}
        problems = _check(row)
        ref = row.get("record_ref", "")
        if ref and ref in seen:
            problems.append(f"record_ref {ref!r} also on line {seen[ref]}")
        seen.setdefault(ref, number)
        if problems:
            result.problems.extend(RowProblem(number, p) for p in problems)
            continue
        result.rows.append(_clean(row, number))
    return result


def _check(row: dict[str, str]) -> list[str]:
    problems = []
    action = row.get("action", "") or "upsert"
    if action not in ACTIONS:
        problems.append(f"action must be one of {', '.join(sorted(ACTIONS))}")
    if not row.get("record_ref"):
        problems.append("record_ref is empty")
    for name, limit in LIMITS.items():
        if len(row.get(name, "")) > limit:
            problems.append(f"{name} is longer than {limit} characters")
    problems.extend(_date_problems(row))
    if row.get("sex", "") not in ("", "M", "F", "U"):
        problems.append("sex must be M, F, U or empty")
    if row.get("nhs_number") and not nhs_number_is_valid(row["nhs_number"]):
        problems.append("nhs_number is not a valid NHS number (modulus 11)")
    if row.get("upn") and not upn_is_valid(row["upn"]):
        problems.append("upn is not a valid unique pupil number")
    postcode = row.get("postcode", "").upper()
    if postcode and not POSTCODE.match(postcode):
        problems.append(f"postcode {row['postcode']!r} is not a UK postcode or outward code")
    if any("\x00" in v for v in row.values()):
        problems.append("contains a NUL character")
    return problems


def _date_problems(row: dict[str, str]) -> list[str]:
    """A date of birth or address-from date, when given, is a real YYYY-MM-DD day in the
    possible past."""
    problems = []
    for name in ("date_of_birth", "address_from"):
        if not row.get(name):
            continue
        try:
            when = _date(row[name])
        except ValueError:
            problems.append(f"{name} {row[name]!r} is not a date as YYYY-MM-DD")
            continue
        if when > date.today() or when.year < 1880:
            problems.append(f"{name} {row[name]} is not a possible date")
    return problems


def _clean(row: dict[str, str], line: int) -> dict[str, object]:
    clean: dict[str, object] = {name: row.get(name, "") for name in COLUMNS}
    clean["action"] = row.get("action", "") or "upsert"
    clean["line"] = line
    clean["postcode"] = str(clean["postcode"]).upper()
    clean["nhs_number"] = normalise_nhs_number(str(clean["nhs_number"]))
    clean["upn"] = str(clean["upn"]).upper()
    for name in ("date_of_birth", "address_from"):
        clean[name] = _date(row[name]) if row.get(name) else None
    return clean


def parse_index_text(text: str) -> ParsedIndex:
    return parse_index_rows(io.StringIO(text, newline=""))
