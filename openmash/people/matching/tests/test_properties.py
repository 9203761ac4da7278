"""Property tests: normalisation never fails and keeps its promises, whatever the input."""

from __future__ import annotations

import math
import re
from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from openmash.people.matching import normalise as n
from openmash.people.matching.comparisons import COMPARISONS, compile_weight_function, levels_for
from openmash.people.matching.features import blocking_values, featurise
from openmash.people.matching.index import query_keys, record_keys
from openmash.people.matching.model import default_model
from openmash.people.matching.records import PersonRecord

CLEAN = re.compile(r"^(?:[^\W_]+(?: [^\W_]+)*)?$")
SCORE = compile_weight_function(default_model().weights(), default_model().prior_weight)
postcodeish = st.from_regex(r"[A-Za-z]{1,2}[0-9][A-Za-z0-9]? ?[0-9]?[A-Za-z]{0,2}", fullmatch=True)


@given(st.text())
def test_clean_text_is_upper_alphanumeric_and_idempotent(text):
    cleaned = n.clean_text(text)
    assert CLEAN.match(cleaned), cleaned
    assert n.clean_text(cleaned) == cleaned
    assert not any("a" <= ch <= "z" for ch in cleaned)


@given(st.one_of(st.text(), postcodeish))
def test_postcode_parts_nest(text):
    parsed = n.parse_postcode(text)
    parts = [parsed.full, parsed.sector, parsed.district, parsed.area]
    present = [p for p in parts if p is not None]
    # Once a part is missing, every coarser one may still be there, but no finer one.
    assert parts[len(parts) - len(present) :] == present
    for finer, coarser in zip(present, present[1:], strict=False):
        assert finer.startswith(coarser)


records = st.builds(
    PersonRecord,
    record_id=st.just("X"),
    given_name=st.text(max_size=20),
    family_name=st.text(max_size=20),
    aliases=st.lists(st.text(max_size=20), max_size=2).map(tuple),
    date_of_birth=st.one_of(st.none(), st.dates(date(1900, 1, 1), date(2030, 12, 31))),
    sex=st.sampled_from(["M", "F", "U", ""]),
    address_line_1=st.text(max_size=30),
    town=st.text(max_size=10),
    postcode=st.one_of(st.text(max_size=8), postcodeish),
    nhs_number=st.one_of(st.text(max_size=12), st.from_regex(r"[0-9]{10}", fullmatch=True)),
    other_id=st.text(max_size=8),
)


@settings(max_examples=200)
@given(records, records)
def test_any_two_records_can_be_featurised_and_scored(left, right):
    lf, rf = featurise(left), featurise(right)
    levels = levels_for(lf, rf)
    assert set(levels) == {c.name for c in COMPARISONS}
    assert levels == levels_for(rf, lf)  # symmetric
    assert math.isfinite(SCORE(lf, rf))
    record_keys(lf), query_keys(lf), blocking_values(lf)  # never raise
    assert SCORE(lf, rf) == SCORE(rf, lf)
