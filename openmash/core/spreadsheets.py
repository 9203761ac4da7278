"""The one neutraliser for every CSV and XLSX cell the product writes (CWE-1236).

A spreadsheet runs a cell that starts with "=", "+", "-", "@" (or a tab / carriage return
before one of them) as a formula: a worker's name written as ``=HYPERLINK(...)`` would become a
live link in the reader's copy of an export. CSV cells that could be read that way get a
leading apostrophe (OWASP's advice); XLSX cells are always written as text, so their content is
kept exactly as recorded. Plain negative numbers (-12, -3.5) stay numbers."""

import re
from collections.abc import Iterable, Sequence
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")
_NEGATIVE_NUMBER = re.compile(r"-[0-9.]+")


def csv_cell(value: object) -> str:
    """The text of one CSV cell, made safe to open in a spreadsheet."""
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_STARTS) and not _NEGATIVE_NUMBER.fullmatch(text):
        return "'" + text
    return text


def csv_row(values: Iterable[object]) -> list[str]:
    return [csv_cell(v) for v in values]


def csv_rows(rows: Iterable[Sequence[object]]) -> Iterable[list[str]]:
    return (csv_row(row) for row in rows)


def xlsx_text_cell(cell: Any) -> Any:
    """Make an openpyxl cell holding a string a text cell whatever it starts with (openpyxl
    stores a string starting with "=" as a formula otherwise)."""
    if isinstance(cell.value, str):
        cell.data_type = "s"
    return cell
