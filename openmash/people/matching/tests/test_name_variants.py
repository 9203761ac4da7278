"""Given-name variants added for issue 3 (link F1): more pet forms, clerks' abbreviations, swaps
with typos in both names - and the household patterns they must not break (twins, a boy and a
girl twin with similar names, a parent and child whose names differ by a typo)."""

from __future__ import annotations

from datetime import date

import pytest

from openmash.people.matching.comparisons import AbbreviationOf, _abbrev
from openmash.people.matching.index import MatchIndex
from openmash.people.matching.nicknames import are_nicknames
from openmash.people.matching.tests.helpers import person
from openmash.people.matching.tests.test_uk_realities import explained, not_matched, top_match


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("AMY", "AIMEE"),
        ("GAIL", "ABIGAIL"),
        ("DAZ", "DARREN"),
        ("SHAZ", "SHARON"),
        ("CAZ", "CAROLINE"),
        ("LIAM", "WILLIAM"),
        ("SADIE", "SARAH"),
        ("MO", "MAURICE"),
        ("BEV", "BEVERLEY"),
        ("KAYLEE", "KAYLEIGH"),
        ("THOS", "THOMAS"),
        ("KASIA", "KATARZYNA"),
    ],
)
def test_more_pet_forms_and_spellings(a, b):
    assert are_nicknames(a, b)
    assert are_nicknames(b, a)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("MAURICE", "MAUREEN"),  # share MO, but a boy's and a girl's name
        ("ANDREW", "ANDREA"),
        ("LAURA", "LAUREN"),  # share LOZ
        ("CAROLINE", "KAREN"),
        ("LESLEY", "LESLIE"),
        ("GEORGE", "GEOFFREY"),
    ],
)
def test_names_that_share_a_pet_form_stay_different_names(a, b):
    assert not are_nicknames(a, b)


@pytest.mark.parametrize(
    ("short", "full", "expected"),
    [
        ("PP", "PHILIP", True),
        ("PHL", "PHILIP", True),
        ("BV", "BEVERLEY", True),
        ("RCH", "RICHARD", True),
        ("LP", "PHILIP", False),  # the first letter is kept
        ("PHP", "PHIL", False),  # letters in order, each used once
        ("PHIL", "PHILIP", False),  # four letters: a prefix or nickname, not an abbreviation
        ("PP", "PIP", False),  # too short to be abbreviated
        (None, "PHILIP", False),
    ],
)
def test_abbreviations_of_a_given_name(short, full, expected):
    assert _abbrev(short, full) is expected


def test_abbreviation_sql_agrees_with_python():
    import duckdb

    names = ["PP", "PHL", "PHILIP", "BV", "BEVERLEY", "AB", "ABA", "ABBA", "BAAB", "AAAA", "P"]
    sql = AbbreviationOf("given_first").sql().replace('"given_first_l"', "l")
    sql = sql.replace('"given_first_r"', "r")
    rows = (
        duckdb.connect()
        .execute(
            f"SELECT l, r, coalesce({sql}, false) FROM (SELECT unnest($1) AS l) "
            "CROSS JOIN (SELECT unnest($1) AS r)",
            [names],
        )
        .fetchall()
    )
    assert len(rows) == len(names) ** 2
    for left, right, in_sql in rows:
        assert in_sql == (_abbrev(left, right) or _abbrev(right, left)), (left, right)


@pytest.mark.parametrize(
    ("short", "full"), [("PP", "Philip"), ("Bv", "Beverley"), ("Rch", "Richard")]
)
def test_a_clerks_abbreviation_is_not_taken_for_a_twin(model, background, short, full):
    """Same date of birth and address: without the abbreviation level, PP / Philip would be
    scored as twins (different given names) and vetoed."""
    sex = "F" if full == "Beverley" else "M"
    target = person("T1", given_name=full, sex=sex)
    best = top_match(model, background, target, person("Q", given_name=short, sex=sex))
    assert explained(best)["given_name"][0] == "abbreviation"


def test_names_swapped_with_a_typo_in_each(model, background):
    target = person("T1", given_name="Norman", family_name="Sullivan")
    query = person("Q", given_name="Sullivan", family_name="Orman", address_line_1="1 Other Road")
    best = top_match(model, background, target, query)
    assert explained(best)["given_name"][0] == "swapped_fuzzy"


@pytest.mark.parametrize(("boy", "girl"), [("Martin", "Mary"), ("Carl", "Caroline")])
def test_a_boy_and_a_girl_twin_with_similar_names_are_not_matched(model, boy, girl):
    """MARY is one letter from MARTY (Martin), CARL one from CAROL (Caroline): weak name
    evidence, and the recorded sexes disagree, so they are twins, not one person."""
    twin_a = person("TA", given_name=boy, sex="M")
    twin_b = person("TB", given_name=girl, sex="F")
    scored = not_matched(model, twin_a, twin_b)
    assert explained(scored)["given_name"][0] == "twin_pattern"
    # The same near-names with the same recorded sex are still one person's.
    same = MatchIndex(model).score_pair(person("Q", given_name="Tonny"), person(given_name="Tony"))
    assert explained(same)["given_name"][0] in {"typo", "nickname_typo"}


def test_a_clerks_abbreviation_with_a_conflicting_sex_is_not_a_match(model):
    scored = not_matched(
        model, person("T1", given_name="Philip"), person("Q", given_name="Pp", sex="F")
    )
    assert explained(scored)["given_name"][0] == "twin_pattern"


@pytest.mark.parametrize(("parent", "child"), [("Bradely", "Bradley"), ("Gemma", "Emma")])
def test_a_parent_and_child_whose_names_differ_by_a_typo_are_not_matched(model, parent, child):
    mother_or_father = person("P1", given_name=parent, date_of_birth=date(1979, 8, 27))
    scored = not_matched(model, mother_or_father, person("C1", given_name=child))
    assert explained(scored)["date_of_birth"][0] == "generation_pattern"


def test_a_parent_and_child_born_on_the_same_day_of_the_year_are_not_matched(model):
    """Same household and birthday, 28 years apart: not "two of three" date parts agreeing."""
    parent = person("P1", given_name="Paul", date_of_birth=date(1984, 3, 4))
    scored = not_matched(model, parent, person("C1"))
    assert explained(scored)["date_of_birth"][0] in {"different", "sibling_pattern"}
    # Within a generation a shared birthday still counts as two of three.
    close = MatchIndex(model).score_pair(person("Q", date_of_birth=date(2008, 3, 4)), person())
    assert explained(close)["date_of_birth"][0] == "two_of_three"


@pytest.mark.parametrize(("first", "second"), [("Lisa", "Eliza"), ("Jennifer", "Jenna")])
def test_siblings_with_variants_of_one_name_are_not_matched(model, first, second):
    """Two sisters at one address, born years apart, named after one name's variants."""
    older = person("S1", given_name=first, sex="F", date_of_birth=date(2013, 1, 11))
    younger = person("S2", given_name=second, sex="F", date_of_birth=date(2016, 8, 4))
    scored = not_matched(model, older, younger)
    assert explained(scored)["date_of_birth"][0] == "sibling_pattern"
    # The same given name with a wrong date of birth is not explained away as a sibling.
    same = MatchIndex(model).score_pair(person("Q", date_of_birth=date(2016, 8, 25)), person())
    assert explained(same)["date_of_birth"][0] == "different"


@pytest.mark.parametrize(("first", "second"), [("Shaun", "Dean"), ("Jerzy", "Jeremi")])
def test_same_sex_twins_with_near_names_are_not_matched(model, first, second):
    """DEAN is one letter from SEAN (Shaun's name) but starts differently; JERZY and JEREMI are
    each one letter from a table name (JERRY, JEREMY) but three edits apart: twins."""
    scored = not_matched(model, person("TA", given_name=first), person("TB", given_name=second))
    assert explained(scored)["given_name"][0] == "twin_pattern"
