"""The person record every matching function takes, and a strict CSV reader for it."""

from __future__ import annotations

import csv
import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Final

#: Columns a people CSV must have (in any order); ``aliases`` may also be present.
CSV_COLUMNS: Final = (
    "record_id",
    "given_name",
    "family_name",
    "date_of_birth",
    "sex",
    "address_line_1",
    "address_line_2",
    "town",
    "postcode",
    "nhs_number",
    "other_id",
)
OPTIONAL_CSV_COLUMNS: Final = ("aliases",)
SEX_CODES: Final = frozenset({"M", "F", "U", ""})


@dataclass(frozen=True, slots=True)
class PersonRecord:
    """One agency's record of a person. Empty strings / None mean "not recorded"."""

    record_id: str
    given_name: str = ""
    family_name: str = ""
    aliases: tuple[str, ...] = ()  # other names, "Given Family" (or "Family, Given") strings
    date_of_birth: date | None = None
    sex: str = ""  # "M" | "F" | "U" | ""
    address_line_1: str = ""
    address_line_2: str = ""
    town: str = ""
    postcode: str = ""
    nhs_number: str = ""
    other_id: str = ""  # e.g. a UPN or an agency's own id


@dataclass(frozen=True, slots=True)
class CsvError:
    """One bad line: ``line`` is the physical line number in the file (the header is line 1)."""

    line: int
    reason: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.reason}"


class CsvProblems(ValueError):
    """Every bad line of a people CSV. Raised before any record is yielded."""

    def __init__(self, errors: list[CsvError]) -> None:
        self.errors = errors
        shown = "; ".join(str(e) for e in errors[:10])
        more = f" (and {len(errors) - 10} more)" if len(errors) > 10 else ""
        super().__init__(f"{len(errors)} bad line(s) in people CSV: {shown}{more}")


def _parse_date(text: str) -> date:
    if len(text) != 10 or text[4] != "-" or text[7] != "-":
        raise ValueError("not YYYY-MM-DD")
    return date.fromisoformat(text)


def _check_header(header: list[str] | None) -> str | None:
    if header is None:
        return "the file is empty (expected a header row)"
    names = [h.strip() for h in header]
    if names and names[0].startswith("\ufeff"):
        names[0] = names[0][1:]
    missing = [c for c in CSV_COLUMNS if c not in names]
    unknown = [c for c in names if c not in CSV_COLUMNS and c not in OPTIONAL_CSV_COLUMNS]
    duplicated = sorted({c for c in names if names.count(c) > 1})
    problems = []
    if missing:
        problems.append("missing column(s) " + ", ".join(missing))
    if unknown:
        problems.append("unknown column(s) " + ", ".join(unknown))
    if duplicated:
        problems.append("repeated column(s) " + ", ".join(duplicated))
    if problems:
        return "wrong header: " + "; ".join(problems)
    return None


def _row_to_record(row: dict[str, str]) -> PersonRecord:
    dob_text = row["date_of_birth"]
    aliases_text = row.get("aliases") or ""
    return PersonRecord(
        record_id=row["record_id"],
        given_name=row["given_name"],
        family_name=row["family_name"],
        aliases=tuple(a.strip() for a in aliases_text.split("|") if a.strip()),
        date_of_birth=_parse_date(dob_text) if dob_text else None,
        sex=row["sex"].upper(),
        address_line_1=row["address_line_1"],
        address_line_2=row["address_line_2"],
        town=row["town"],
        postcode=row["postcode"],
        nhs_number=row["nhs_number"],
        other_id=row["other_id"],
    )


def _rows(path: str | os.PathLike[str]) -> Iterator[tuple[int, dict[str, str] | CsvError]]:
    """(line, row) for each data row, or (line, CsvError) for a row that cannot be parsed."""
    with open(path, newline="", encoding="utf-8-sig") as handle:
        reader = csv.reader(handle)
        try:
            header = next(reader, None)
        except csv.Error as exc:
            yield 1, CsvError(1, f"unreadable header: {exc}")
            return
        problem = _check_header(header)
        if problem is not None or header is None:
            yield 1, CsvError(1, problem or "no header")
            return
        names = [h.strip() for h in header]
        while True:
            try:
                values = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                yield reader.line_num, CsvError(reader.line_num, f"unreadable row: {exc}")
                continue
            line = reader.line_num
            if not values or all(not v.strip() for v in values):
                continue  # blank line
            if len(values) != len(names):
                yield line, CsvError(line, f"expected {len(names)} fields, found {len(values)}")
                continue
            yield line, {n: v.strip() for n, v in zip(names, values, strict=True)}


def _validate(row: dict[str, str], line: int, seen: dict[str, int]) -> list[CsvError]:
    errors = []
    record_id = row["record_id"]
    if not record_id:
        errors.append(CsvError(line, "record_id is missing"))
    elif record_id in seen:
        errors.append(
            CsvError(line, f"duplicate record_id {record_id!r} (first on line {seen[record_id]})")
        )
    else:
        seen[record_id] = line
    dob = row["date_of_birth"]
    if dob:
        try:
            _parse_date(dob)
        except ValueError:
            errors.append(CsvError(line, f"bad date_of_birth {dob!r} (expected YYYY-MM-DD)"))
    if row["sex"].upper() not in SEX_CODES:
        errors.append(CsvError(line, f"bad sex code {row['sex']!r} (expected M, F, U or empty)"))
    return errors


def validate_people_csv(path: str | os.PathLike[str]) -> list[CsvError]:
    """Every problem in the file, in line order (empty when the file is good)."""
    errors: list[CsvError] = []
    seen: dict[str, int] = {}
    for line, row in _rows(path):
        if isinstance(row, CsvError):
            errors.append(row)
        else:
            errors.extend(_validate(row, line, seen))
    return errors


def read_people_csv(path: str | os.PathLike[str]) -> Iterator[PersonRecord]:
    """Records from a people CSV (UTF-8, header row; columns ``CSV_COLUMNS``, optional ``aliases``
    separated by "|").

    The whole file is checked first, so a bad file raises ``CsvProblems`` listing every bad line
    before a single record is yielded: a caller never acts on part of a bad file. The file is
    then read a second time to yield records, so memory stays flat for large files.
    """
    errors = validate_people_csv(path)
    if errors:
        raise CsvProblems(errors)
    for _line, row in _rows(path):
        if isinstance(row, CsvError):  # pragma: no cover - the file changed under us
            raise CsvProblems([row])
        yield _row_to_record(row)
