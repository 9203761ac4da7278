import io
import re

from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell

from openmash.core.spreadsheets import FORMULA_STARTS, csv_cell, csv_row, xlsx_text_cell


def test_formulas_are_neutralised_in_csv() -> None:
    assert csv_cell('=HYPERLINK("http://x","Click")').startswith("'=")
    assert csv_cell("+1+1") == "'+1+1"
    assert csv_cell("-2+3") == "'-2+3"
    assert csv_cell("@SUM(A1)") == "'@SUM(A1)"
    assert csv_cell("\t=1") == "'\t=1"


def test_plain_values_are_kept() -> None:
    assert csv_row(["Jo Smith", -12, "-3.5", 4.25, None, "q) 6: Police"]) == [
        "Jo Smith",
        "-12",
        "-3.5",
        "4.25",
        "",
        "q) 6: Police",
    ]


@given(st.text())
def test_no_csv_cell_starts_like_a_formula_unless_a_number(text: str) -> None:
    cell = csv_cell(text)
    assert not cell.startswith(FORMULA_STARTS) or re.fullmatch(r"-[0-9.]+", cell)


def test_xlsx_cells_hold_text_not_formulas() -> None:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("List")
    sheet.append([xlsx_text_cell(WriteOnlyCell(sheet, value="=1+1")), 5])
    out = io.BytesIO()
    workbook.save(out)
    loaded = load_workbook(io.BytesIO(out.getvalue()))
    cell = loaded["List"]["A1"]
    assert cell.value == "=1+1" and cell.data_type == "s"
    assert loaded["List"]["B1"].value == 5
