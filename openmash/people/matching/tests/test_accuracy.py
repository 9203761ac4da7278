"""Accuracy on the shared synthetic population (openmash.testing.synthetic), against the truth,
and against plain Splink (library comparisons, the same training recipe) on the same records."""

from __future__ import annotations

import pytest

from openmash.people.matching.index import MatchIndex
from openmash.people.matching.normalise import clean_nhs_number, clean_text, parse_postcode
from openmash.people.matching.records import PersonRecord
from openmash.people.matching.tests.helpers import as_person_record
from openmash.people.matching.train import train_model

synthetic = pytest.importorskip("openmash.testing.synthetic")

Pair = tuple[str, str]


def f1(found: set[Pair], truth: set[Pair]) -> float:
    tp = len(found & truth)
    return tp / (tp + 0.5 * (len(found - truth) + len(truth - found)))


def plain_splink_pairs(records: list[PersonRecord], threshold: float) -> set[Pair]:
    import pyarrow as pa
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    rows = [
        {
            "unique_id": r.record_id,
            "first_name": clean_text(r.given_name) or None,
            "surname": clean_text(r.family_name) or None,
            "dob": r.date_of_birth.isoformat() if r.date_of_birth else None,
            "sex": r.sex or None,
            "postcode": parse_postcode(r.postcode).full,
            "nhs": clean_nhs_number(r.nhs_number),
            "addr": clean_text(r.address_line_1) or None,
        }
        for r in records
    ]
    db_api = DuckDBAPI()
    frame = db_api.register(pa.Table.from_pylist(rows))
    settings = SettingsCreator(
        link_type="dedupe_only",
        comparisons=[
            cl.NameComparison("first_name"),
            cl.NameComparison("surname"),
            cl.DateOfBirthComparison("dob", input_is_string=True),
            cl.PostcodeComparison("postcode"),
            cl.ExactMatch("nhs"),
            cl.ExactMatch("sex"),
            cl.ExactMatch("addr"),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("nhs"),
            block_on("dob", "first_name"),
            block_on("dob", "surname"),
            block_on("dob", "postcode"),
            block_on("first_name", "surname"),
            block_on("postcode"),
        ],
    )
    linker = Linker(frame, settings, log_level=None)
    training = linker.training
    training.estimate_probability_two_random_records_match(
        [block_on("nhs"), block_on("first_name", "surname", "dob")], recall=0.8
    )
    training.estimate_u_using_random_sampling(max_pairs=1e6, seed=1)
    training.estimate_parameters_using_expectation_maximisation(block_on("first_name", "surname"))
    training.estimate_parameters_using_expectation_maximisation(block_on("dob"))
    predictions = linker.inference.predict(threshold_match_probability=threshold)
    found = predictions.as_duckdbpyrelation().select("unique_id_l, unique_id_r").fetchall()
    return {(min(a, b), max(a, b)) for a, b in found}


@pytest.mark.slow
def test_f1_on_synthetic_population_beats_plain_splink():
    people = synthetic.population(1500, seed=4)
    source = synthetic.records_for(people, seed=4)
    records = [as_person_record(r) for r in source]
    truth = {(min(a, b), max(a, b)) for a, b in synthetic.true_pairs(source)}
    model = train_model(records, u_max_pairs=1e6)
    index = MatchIndex(model)
    index.build(records)
    found: set[Pair] = set()
    for record in records:
        for candidate in index.query(record, limit=50, min_probability=model.threshold):
            if candidate.record_id != record.record_id:
                found.add(
                    (
                        min(record.record_id, candidate.record_id),
                        max(record.record_id, candidate.record_id),
                    )
                )
    ours = f1(found, truth)
    plain = f1(plain_splink_pairs(records, model.threshold), truth)
    assert ours >= 0.985, (ours, plain)
    assert ours > plain, (ours, plain)
    # No twins matched.
    twin_of = {p.person_id: p.twin_of for p in people if p.twin_of}
    person_of = {r.record_id: r.person_id for r in source}
    assert not [p for p in found if twin_of.get(person_of[p[0]]) == person_of[p[1]]]
