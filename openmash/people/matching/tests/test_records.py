from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from openmash.people.matching.records import (
    CSV_COLUMNS,
    CsvError,
    CsvProblems,
    PersonRecord,
    read_people_csv,
)

HEADER = ",".join(CSV_COLUMNS)


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "people.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_reads_records_with_optional_aliases(tmp_path):
    path = write(
        tmp_path,
        HEADER + ",aliases\n"
        "P1,Robert,Smith,2012-03-04,M,12 High St,,Guildford,GU1 1AA,9434765919,U123,"
        '"Bob Smith|Smith, Rob"\n'
        "P2,,,,,,,,,,,\n",
    )
    records = list(read_people_csv(path))
    assert records[0] == PersonRecord(
        record_id="P1",
        given_name="Robert",
        family_name="Smith",
        aliases=("Bob Smith", "Smith, Rob"),
        date_of_birth=date(2012, 3, 4),
        sex="M",
        address_line_1="12 High St",
        town="Guildford",
        postcode="GU1 1AA",
        nhs_number="9434765919",
        other_id="U123",
    )
    assert records[1] == PersonRecord(record_id="P2")


def test_columns_may_come_in_any_order_and_a_bom_is_ignored(tmp_path):
    columns = list(reversed(CSV_COLUMNS))
    values = dict.fromkeys(columns, "") | {"record_id": "P1", "given_name": "Amy", "sex": "f"}
    path = tmp_path / "people.csv"
    path.write_text(
        "\ufeff" + ",".join(columns) + "\n" + ",".join(values[c] for c in columns) + "\n",
        encoding="utf-8",
    )
    (record,) = read_people_csv(path)
    assert (record.record_id, record.given_name, record.sex) == ("P1", "Amy", "F")


def test_reports_every_bad_line_and_yields_nothing(tmp_path):
    path = write(
        tmp_path,
        HEADER + "\n"
        "P1,Robert,Smith,2012-03-04,M,,,,,,\n"  # line 2: fine
        ",Amy,Jones,2012-03-04,F,,,,,,\n"  # line 3: no record_id
        "P1,Rob,Smith,,M,,,,,,\n"  # line 4: duplicate id
        "P3,Ann,Lee,04/03/2012,F,,,,,,\n"  # line 5: bad date
        "P4,Ann,Lee,2012-02-30,X,,,,,,\n"  # line 6: impossible date and bad sex
        "P5,Ann,Lee\n"  # line 7: too few fields
        "\n"  # blank lines are skipped
        "P6,Ann,Lee,2012-02-03,U,,,,,,\n",
    )
    reader = read_people_csv(path)
    with pytest.raises(CsvProblems) as caught:
        next(reader)
    errors = caught.value.errors
    assert [e.line for e in errors] == [3, 4, 5, 6, 6, 7]
    assert "record_id is missing" in errors[0].reason
    assert "duplicate record_id 'P1' (first on line 2)" in errors[1].reason
    assert "bad date_of_birth" in errors[2].reason
    assert "bad date_of_birth" in errors[3].reason and "bad sex code" in errors[4].reason
    assert "expected 11 fields" in errors[5].reason
    assert all(isinstance(e, CsvError) for e in errors)
    assert "6 bad line(s)" in str(caught.value)


@pytest.mark.parametrize(
    ("header", "reason"),
    [
        ("record_id,given_name", "missing column(s)"),
        (HEADER + ",favourite_colour", "unknown column(s) favourite_colour"),
        (HEADER + ",town", "repeated column(s) town"),
        ("", "empty"),
    ],
)
def test_a_wrong_header_is_reported_on_line_1(tmp_path, header, reason):
    path = write(tmp_path, header + ("\n" if header else ""))
    with pytest.raises(CsvProblems) as caught:
        list(read_people_csv(path))
    (error,) = caught.value.errors
    assert error.line == 1
    assert reason in error.reason
