"""Each UK reality the matcher must handle, against the in-process index, with the hand-set
default model and with a model trained without labels on a synthetic population."""

from __future__ import annotations

from datetime import date

import pytest

from openmash.people.matching.index import Candidate, MatchIndex
from openmash.people.matching.model import MatchModel
from openmash.people.matching.records import PersonRecord
from openmash.people.matching.tests.helpers import index_of, person

NHS_A = "9434765919"  # valid check digits
NHS_B = "4010232137"
NHS_C = "9434765870"


def explained(candidate: Candidate) -> dict[str, tuple[str, float]]:
    return {e.comparison: (e.level, e.weight) for e in candidate.explanation}


def top_match(
    model: MatchModel, background: list[PersonRecord], target: PersonRecord, query: PersonRecord
) -> Candidate:
    """Index ``target`` among the background people, query ``query``: the target must come
    first, at or above the model's threshold."""
    index = index_of(model, [*background, target])
    found = index.query(query, min_probability=0.0)
    assert found, "the target was not even a candidate"
    best = found[0]
    assert best.record_id == target.record_id, explained(best)
    assert best.probability >= model.threshold, explained(best)
    return best


def not_matched(model: MatchModel, target: PersonRecord, query: PersonRecord) -> Candidate:
    """Score the pair directly: it must fall below the threshold."""
    scored = MatchIndex(model).score_pair(query, target)
    assert scored.probability < model.threshold, explained(scored)
    return scored


@pytest.mark.parametrize(
    ("formal", "nickname", "sex"),
    [
        ("Robert", "Bob", "M"),
        ("Catherine", "Kate", "F"),
        ("James", "Jim", "M"),
        ("William", "Bill", "M"),
        ("Margaret", "Peggy", "F"),
        ("Alfred", "Alf", "M"),
        ("Alexandra", "Sasha", "F"),
    ],
)
def test_nickname_matches(model, background, formal, nickname, sex):
    target = person(given_name=formal, sex=sex)
    best = top_match(model, background, target, person("Q", given_name=nickname, sex=sex))
    assert explained(best)["given_name"][0] == "nickname"


def test_transposed_day_and_month_of_birth_matches(model, background):
    target = person(date_of_birth=date(2012, 3, 4))
    best = top_match(model, background, target, person("Q", date_of_birth=date(2012, 4, 3)))
    assert explained(best)["date_of_birth"][0] == "transposed"


def test_typos_in_names_and_date_match(model, background):
    target = person(given_name="Jonathan", family_name="Thompson", date_of_birth=date(2010, 5, 17))
    query = person(
        "Q", given_name="Jonathon", family_name="Thomson", date_of_birth=date(2010, 5, 17)
    )
    best = top_match(model, background, target, query)
    assert explained(best)["given_name"][0] == "typo"
    assert explained(best)["family_name"][0] == "typo"
    # one digit of the date of birth mistyped, names right
    query = person(
        "Q", given_name="Jonathan", family_name="Thompson", date_of_birth=date(2010, 5, 14)
    )
    best = top_match(model, background, target, query)
    assert explained(best)["date_of_birth"][0] == "one_digit"


def test_hyphenated_surname_matches_one_part(model, background):
    target = person(given_name="Chloe", sex="F", family_name="Smith-Jones")
    for surname in ("Jones", "Smith", "Smith Jones"):
        best = top_match(
            model, background, target, person("Q", given_name="Chloe", sex="F", family_name=surname)
        )
        assert explained(best)["family_name"][0] in {"part", "exact"}


def test_changed_surname_matches_on_date_of_birth_and_nhs_number(model, background):
    target = person(given_name="Amy", sex="F", family_name="Clarke", nhs_number=NHS_A)
    query = person(
        "Q",
        given_name="Amy",
        sex="F",
        family_name="Okafor",  # took a step-parent's name, and moved
        nhs_number=NHS_A,
        address_line_1="3 Mill Lane",
        postcode="RH1 2BB",
    )
    best = top_match(model, background, target, query)
    assert explained(best)["family_name"][0] == "different"
    assert explained(best)["nhs_number"][0] == "exact"


def test_changed_surname_recorded_as_an_alias_matches(model, background):
    target = person(given_name="Amy", sex="F", family_name="Okafor", aliases=("Amy Clarke",))
    best = top_match(
        model, background, target, person("Q", given_name="Amy", sex="F", family_name="Clarke")
    )
    assert explained(best)["family_name"][0] == "alias"


def test_given_and_family_names_swapped_match(model, background):
    target = person(given_name="Owen", family_name="Thomas")
    best = top_match(
        model, background, target, person("Q", given_name="Thomas", family_name="Owen")
    )
    assert explained(best)["given_name"][0] == "swapped"
    assert explained(best)["family_name"][0] == "swapped"


def test_names_swapped_on_one_record_and_a_new_surname_on_the_other_match(model, background):
    """Sophie Parkinson recorded as "Parkinson Sophie" by one agency and, after marrying, as
    Sophie Booth by another: only her given name agrees, across the two fields."""
    target = person(given_name="Sophie", family_name="Booth", sex="F")
    query = person("Q", given_name="Parkinson", family_name="Sophie", sex="F")
    best = top_match(model, background, target, query)
    assert explained(best)["given_name"][0] == "swapped_renamed"
    # Without the home and date of birth in common, the one name is not enough.
    moved = person(
        "Q",
        given_name="Parkinson",
        family_name="Sophie",
        sex="F",
        postcode="M1 1AE",
        address_line_1="3 Mill Lane",
        town="Manchester",
        date_of_birth=None,
    )
    not_matched(model, target, moved)


@pytest.mark.parametrize(
    ("twin", "other", "surname", "sex"),
    [
        ("Philip", "Paul", "Miah", "M"),  # the surname is no given name
        ("Owen", "Rhys", "Thomas", "M"),  # the surname is a given name too
        ("Lucy", "Kasia", "Nowak", "F"),
    ],
)
def test_twins_stay_apart_when_one_record_is_swapped(model, twin, other, surname, sex):
    """One twin's record has the names the wrong way round ("Miah Philip"), so the other
    twin's surname agrees with it across the fields: still twins, not one person."""
    swapped = person("TA", given_name=surname, family_name=twin, sex=sex)
    other_twin = person("TB", given_name=other, family_name=surname, sex=sex)
    for left, right in ((swapped, other_twin), (other_twin, swapped)):
        scored = not_matched(model, right, left)
        assert explained(scored)["given_name"][0] != "swapped_renamed"


@pytest.mark.parametrize(
    ("postcode", "level"),
    [("GU1 1AA", "postcode"), ("gu11aa", "postcode"), ("GU1 1", "sector"), ("GU1", "district")],
)
def test_partial_postcode_matches_at_its_own_level(model, background, postcode, level):
    target = person()
    best = top_match(model, background, target, person("Q", address_line_1="", postcode=postcode))
    assert explained(best)["location"][0] == level


def test_house_move_counts_less_than_name_and_date_of_birth(model, background):
    target = person()
    moved = person("Q", address_line_1="77 Station Road", town="Woking", postcode="KT22 9ZZ")
    best = top_match(model, background, target, moved)
    location_level, location_weight = explained(best)["location"]
    assert location_level == "different"
    assert location_weight < 0
    # A disagreeing address costs less than a disagreeing name or date of birth.
    assert abs(model.weight("location", "different")) < abs(model.weight("given_name", "different"))
    assert abs(model.weight("location", "different")) < abs(
        model.weight("date_of_birth", "different")
    )


def test_missing_fields_are_no_evidence_either_way(model, background):
    target = person(nhs_number=NHS_A)
    sparse = PersonRecord(
        record_id="Q", given_name="Robert", family_name="Smith", date_of_birth=date(2012, 3, 4)
    )
    best = top_match(model, background, target, sparse)
    for comparison in ("sex", "nhs_number", "location", "other_id"):
        assert explained(best)[comparison] == ("null", 0.0)


def test_agreeing_nhs_number_weighs_heavily(model, background):
    target = person(nhs_number=NHS_A)
    # Nickname, new surname, moved, a digit of the date of birth wrong: too little to go on...
    weak: dict[str, object] = {
        "given_name": "Rob",
        "family_name": "Okafor",
        "date_of_birth": date(2012, 3, 14),
        "address_line_1": "1 New Road",
        "postcode": "TW1 1AA",
    }
    assert MatchIndex(model).score_pair(person("Q", **weak), target).probability < model.threshold
    # ... until the NHS numbers agree.
    best = top_match(model, background, target, person("Q", nhs_number=NHS_A, **weak))
    assert explained(best)["nhs_number"][0] == "exact"
    assert model.weight("nhs_number", "exact") > model.weight("given_name", "exact")
    assert model.weight("nhs_number", "exact") > 10


def test_disagreeing_nhs_number_counts_against(model):
    index = MatchIndex(model)
    target = person(nhs_number=NHS_A)
    without = index.score_pair(person("Q"), target)
    disagreeing = index.score_pair(person("Q", nhs_number=NHS_B), target)
    assert explained(disagreeing)["nhs_number"][0] == "different"
    assert explained(disagreeing)["nhs_number"][1] < 0
    assert disagreeing.match_weight < without.match_weight


def test_an_invalid_nhs_number_is_treated_as_missing(model):
    index = MatchIndex(model)
    target = person(nhs_number=NHS_A)
    mistyped = index.score_pair(person("Q", nhs_number="9434765918"), target)  # bad check digit
    assert explained(mistyped)["nhs_number"] == ("null", 0.0)


@pytest.mark.parametrize(
    ("first", "second", "second_sex"),
    [
        ("Oliver", "Harry", "M"),
        ("Oliver", "Olivia", "F"),
        ("Jack", "Jake", "M"),
        ("Lily", "Isabella", "F"),
    ],
)
def test_twins_are_never_matched(model, background, first, second, second_sex):
    """Same date of birth, address and surname; different given names: two children."""
    nhs = (NHS_A, NHS_B)
    twin_a = person("TA", given_name=first, sex="F" if first == "Lily" else "M")
    twin_b = person("TB", given_name=second, sex=second_sex)
    scored = not_matched(model, twin_a, twin_b)
    assert explained(scored)["given_name"][0] == "twin_pattern"
    assert explained(scored)["given_name"][1] < -20
    # Even if both records carry the same (wrong) NHS number, they stay apart.
    not_matched(
        model,
        person("TA", given_name=first, nhs_number=nhs[0]),
        person("TB", given_name=second, sex=second_sex, nhs_number=nhs[0]),
    )
    # Nor if one twin's record has day and month transposed, or a digit wrong.
    for wrong in (date(2012, 4, 3), date(2012, 3, 14)):
        twin_b_typo = person("TB", given_name=second, sex=second_sex, date_of_birth=wrong)
        assert explained(not_matched(model, twin_a, twin_b_typo))["given_name"][0] == "twin_pattern"
    # Nor if one twin's record has given and family names swapped.
    swapped_a = person("TA", given_name="Smith", family_name=first)
    assert explained(not_matched(model, swapped_a, twin_b))["given_name"][0] == "twin_pattern"
    # And querying the index for one twin never offers the other above the threshold.
    index = index_of(model, [*background, twin_a])
    assert all(c.record_id != "TA" for c in index.query(twin_b, min_probability=model.threshold))


@pytest.mark.parametrize(
    ("given", "level"),
    [("Tonny", "nickname_typo"), ("Daqvid", "nickname_typo"), ("Christphoer", "fuzzy")],
)
def test_a_nickname_with_a_typo_or_two_typos_is_not_taken_for_a_twin(model, given, level):
    """Names too far apart for the nickname and typo levels, but close: not the twin pattern."""
    target = person(given_name={"Tonny": "Anthony", "Daqvid": "Davy"}.get(given, "Christopher"))
    scored = MatchIndex(model).score_pair(person("Q", given_name=given), target)
    assert explained(scored)["given_name"][0] == level


def test_sibling_without_a_date_of_birth_is_not_matched(model):
    """Same surname, address and sex, one date of birth missing, given names clearly differ."""
    sibling = person("S1", given_name="George", date_of_birth=None)
    scored = not_matched(model, person(), sibling)
    assert explained(scored)["given_name"][0] == "household_pattern"
    assert explained(scored)["given_name"][1] < model.weight("given_name", "different")
    # An agreeing NHS number is still evidence.
    nhs = NHS_A
    both = MatchIndex(model).score_pair(
        person("S1", given_name="George", date_of_birth=None, nhs_number=nhs),
        person(nhs_number=nhs),
    )
    assert both.match_weight > scored.match_weight


def test_parent_and_child_with_the_same_name_are_not_matched(model):
    father = person("F1", date_of_birth=date(1979, 12, 26))
    son = person("S1", date_of_birth=date(2012, 3, 16))
    scored = not_matched(model, father, son)
    assert explained(scored)["date_of_birth"][0] == "generation_pattern"


def test_a_relatives_nhs_number_on_a_record_is_no_evidence(model):
    """A parent's NHS number on a child's record (a common mix-up) must not merge them."""
    mother = person(
        "M1", given_name="Sarah", sex="F", date_of_birth=date(1985, 6, 1), nhs_number=NHS_C
    )
    child = person("C1", given_name="Robert", date_of_birth=date(2012, 3, 4), nhs_number=NHS_C)
    scored = not_matched(model, mother, child)
    assert explained(scored)["nhs_number"] == ("exact_dob_conflict", 0.0)
