"""What feedback to the referrer must never disclose: the rules alone, without a database."""

import pytest

from openmash.decisions.disclosure import (
    MIN_CLAUSE,
    AgencyAnswer,
    ConfidentialAddress,
    disclosure_problems,
    fragments,
    normalise,
    postcode_pattern,
)

REFUGE = ConfidentialAddress(
    lines=("Refuge 7 Harbour Road", "Flat 3 Anchor House", "Seaport"), postcode="NT9 9ZZ"
)
POLICE = AgencyAnswer(
    agency_name="Police",
    texts=("Lee Hartley was arrested for assault in 2023. Two domestic incidents logged.", ""),
)


def problems(message: str) -> list[str]:
    return disclosure_problems(message, addresses=[REFUGE], answers=[POLICE])


def test_case_spacing_and_punctuation_never_matter():
    assert normalise("  REFUGE 7,  Harbour-Road! ") == "refuge 7 harbour road"


@pytest.mark.parametrize(
    "message",
    [
        "She is safe at REFUGE 7 HARBOUR ROAD now.",
        "Write to flat 3 anchor house.",
        "She has moved to Seaport.",
        "Postcode NT99ZZ.",
        "post code: NT9-9ZZ",
    ],
)
def test_any_part_of_a_confidential_address_is_a_disclosure(message: str):
    assert problems(message) == ["a confidential address"]


@pytest.mark.parametrize(
    "message",
    [
        "Police say: LEE  HARTLEY WAS ARRESTED - for assault in 2023!",
        "There were two domestic incidents logged, sadly.",
    ],
)
def test_a_sentence_or_clause_of_an_answer_is_a_disclosure(message: str):
    assert problems(message) == ["information supplied by Police"]


def test_ordinary_words_and_short_fragments_pass():
    assert (
        problems("The MASH has decided on an assessment. Thank you; the police were involved.")
        == []
    )
    # A sentence counts, and so does each of its clauses, when long enough.
    assert fragments("Yes. No, maybe; assault.") == {"no maybe assault"}
    assert all(len(piece) >= MIN_CLAUSE for piece in fragments("Yes. No, maybe; assault."))


def test_a_word_inside_another_is_not_a_match():
    town_only = ConfidentialAddress(lines=("", "", "Sea"))
    assert disclosure_problems("Seaport is lovely", addresses=[town_only], answers=[]) == []


def test_postcode_patterns():
    pattern = postcode_pattern("NT9 9ZZ")
    assert pattern is not None and pattern.search("nt9 9zz") and pattern.search("nt99zz")
    assert postcode_pattern("") is None
    short = postcode_pattern("NT9")
    assert short is not None and short.search("nt9") and not short.search("nt99")


def test_each_address_and_answer_found_is_named():
    other = ConfidentialAddress(lines=("14 Quarry Close",), postcode="NT5 2PQ")
    found = disclosure_problems(
        "14 quarry close, refuge 7 harbour road, two domestic incidents logged",
        addresses=[REFUGE, other],
        answers=[POLICE],
    )
    assert found == [
        "a confidential address",
        "a confidential address",
        "information supplied by Police",
    ]
