from __future__ import annotations

from datetime import date

import pytest

from openmash.people.matching import normalise as n
from openmash.people.matching.nicknames import NICKNAME_KEYS, are_nicknames, pair_count


def test_clean_text_strips_accents_punctuation_and_case():
    assert n.clean_text("  Zoë O'Brien-Smyth ") == "ZOE OBRIEN SMYTH"
    assert n.clean_text("Łukasz Müßig") == "LUKASZ MUSSIG"
    assert n.clean_text("") == ""
    assert n.clean_text(None) == ""


def test_name_tokens_split_hyphens_and_drop_titles():
    assert n.name_tokens("Mrs Smith-Jones") == ("SMITH", "JONES")
    assert n.name_tokens("Mary-Anne") == ("MARY", "ANNE")
    assert n.name_tokens("Dr") == ("DR",)  # a title alone is kept rather than lost
    assert n.surname_parts(n.name_tokens("van der Berg")) == ("BERG",)


def test_split_alias():
    assert n.split_alias("Mary Ann Smith-Jones") == (("MARY", "ANN"), ("SMITH", "JONES"))
    assert n.split_alias("Smith, Mary") == (("MARY",), ("SMITH",))
    assert n.split_alias("Smith") == ((), ("SMITH",))


@pytest.mark.parametrize(
    ("text", "full", "sector", "district", "area"),
    [
        ("SW1A 1AA", "SW1A 1AA", "SW1A 1", "SW1A", "SW"),
        ("sw1a1aa", "SW1A 1AA", "SW1A 1", "SW1A", "SW"),
        ("M1 1AE", "M1 1AE", "M1 1", "M1", "M"),
        ("GU1 1", None, "GU1 1", "GU1", "GU"),
        ("GU11", None, None, "GU11", "GU"),
        ("GU", None, None, None, "GU"),
        ("not a postcode", None, None, None, None),
        ("", None, None, None, None),
    ],
)
def test_parse_postcode(text, full, sector, district, area):
    assert n.parse_postcode(text) == n.Postcode(full, sector, district, area)


def test_nhs_number_cleaning_checks_the_modulus_11_digit():
    assert n.clean_nhs_number("943 476 5919") == "9434765919"
    assert n.clean_nhs_number("943-476-5919") == "9434765919"
    assert n.clean_nhs_number("9434765918") is None  # wrong check digit
    assert n.clean_nhs_number("12345") is None
    assert n.clean_nhs_number("") is None


def test_addresses_dates_and_sex():
    assert n.normalise_address_line("12, High Street") == "12 HIGH ST"
    assert n.normalise_address_line("  ") is None
    assert n.swapped_day_month(date(2012, 3, 4)) == date(2012, 4, 3)
    assert n.swapped_day_month(date(2012, 3, 13)) is None
    assert n.swapped_day_month(date(2012, 3, 3)) is None
    assert [n.clean_sex(s) for s in ("M", "f", "U", "", "X")] == ["M", "F", None, None, None]


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("BOB", "ROBERT"),
        ("KATE", "CATHERINE"),
        ("JIM", "JAMES"),
        ("BILL", "WILLIAM"),
        ("PEGGY", "MARGARET"),
        ("ALF", "ALFRED"),
        ("SASHA", "ALEXANDRA"),
        ("BOB", "ROB"),
        ("MOHAMMED", "MUHAMMAD"),
        ("KATHRYN", "CATHERINE"),
    ],
)
def test_nicknames(a, b):
    assert are_nicknames(a, b)
    assert are_nicknames(b, a)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("ALEXANDER", "ALEXANDRA"),  # a boy and a girl twin
        ("OLIVER", "OLIVIA"),
        ("LILY", "ISABELLA"),
        ("JACK", "JAKE"),
        ("EMMA", "EMILY"),
        ("ELLA", "ELLIE"),
        ("MEGAN", "MARGARET"),
    ],
)
def test_independent_names_are_not_nicknames(a, b):
    assert not are_nicknames(a, b)


def test_the_nickname_table_is_a_few_hundred_pairs_of_normalised_names():
    assert pair_count() >= 300
    assert all(name == n.clean_text(name) and " " not in name for name in NICKNAME_KEYS)
