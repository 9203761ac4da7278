"""An index file the csv module cannot read is a problem with its line, never an exception
(no database needed)."""

from openmash.people.index_csv import parse_index_text

HEADER = "action,record_ref,given_name,family_name\n"


def test_a_field_over_the_csv_limit_is_a_problem_on_its_line() -> None:
    parsed = parse_index_text(HEADER + "upsert,P1,A,B\n" + "upsert,P2," + "x" * 140_000 + ",B\n")
    assert not parsed.rows
    (problem,) = parsed.problems
    assert problem.line == 3
    assert "cannot be read as CSV" in str(problem)


def test_a_header_over_the_csv_limit_is_a_problem_on_line_one() -> None:
    parsed = parse_index_text("record_ref," + "x" * 140_000 + "\nP1,A\n")
    assert [p.line for p in parsed.problems] == [1]
