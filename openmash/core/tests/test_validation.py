import pytest

from openmash.core.errors import ValidationError
from openmash.core.validation import FieldProblems, raise_if_any


def test_nothing_to_raise_when_empty():
    problems = FieldProblems()
    problems.raise_if_any()
    raise_if_any({})
    assert not problems


def test_every_problem_raised_at_once_first_as_summary():
    problems = FieldProblems()
    problems.add("rationale", "Enter the rationale")
    problems.check_length("note", "x" * 11, 10, "The note")
    problems.check_length("other", "short", 10, "Other")
    problems.add("rationale", "A second message")
    with pytest.raises(ValidationError) as raised:
        problems.raise_if_any()
    assert raised.value.message == "Enter the rationale"
    assert raised.value.errors == {
        "rationale": ["Enter the rationale", "A second message"],
        "note": ["The note must be 10 characters or fewer"],
    }
    assert "note" in problems and "other" not in problems


def test_plain_mapping_raised():
    with pytest.raises(ValidationError) as raised:
        raise_if_any({"a": ["first"], "b": ["second"]})
    assert raised.value.message == "first"
    assert set(raised.value.errors) == {"a", "b"}
