from hypothesis import given
from hypothesis import strategies as st

from openmash.core.identifiers import nhs_number_is_valid, upn_check_letter, upn_is_valid


def test_nhs_numbers() -> None:
    assert nhs_number_is_valid("9434765919")
    assert nhs_number_is_valid("943 476 5919")
    assert not nhs_number_is_valid("9434765918")  # wrong check digit
    assert not nhs_number_is_valid("123456789")  # too short
    assert not nhs_number_is_valid("94347659AB")


@given(st.lists(st.integers(0, 9), min_size=9, max_size=9))
def test_exactly_one_check_digit_fits_each_nhs_number(digits: list[int]) -> None:
    body = "".join(map(str, digits))
    valid = [d for d in range(10) if nhs_number_is_valid(body + str(d))]
    assert len(valid) <= 1  # none when the remainder gives 10


def test_upns() -> None:
    body = "801200001001"
    upn = upn_check_letter(body) + body
    assert upn_is_valid(upn)
    assert upn_is_valid(upn.lower())
    wrong = ("A" if upn[0] != "A" else "B") + body
    assert not upn_is_valid(wrong)
    assert not upn_is_valid("I12345678901A")  # I is never used
    assert not upn_is_valid("A1234")


@given(st.text(alphabet="0123456789", min_size=12, max_size=12))
def test_every_upn_body_has_one_check_letter(body: str) -> None:
    assert upn_is_valid(upn_check_letter(body) + body)
