from __future__ import annotations

import statistics
import time
from dataclasses import replace
from datetime import date

from openmash.people.matching.index import MatchIndex
from openmash.people.matching.model import default_model
from openmash.people.matching.tests.helpers import index_of, person
from openmash.people.matching.tests.population import make_population


def test_add_replace_remove_and_len():
    index = MatchIndex(default_model())
    index.add(person("A"))
    index.add(person("B", given_name="Alice", sex="F", date_of_birth=date(1990, 1, 1)))
    assert len(index) == 2 and "A" in index
    assert [c.record_id for c in index.query(person("Q"))] == ["A"]
    # Replacing A with someone else: the old values are no longer found.
    index.add(
        person("A", given_name="Zara", family_name="Khan", sex="F", date_of_birth=date(1970, 5, 5))
    )
    assert len(index) == 2
    assert index.query(person("Q")) == []
    assert [
        c.record_id
        for c in index.query(
            person(
                "Q", given_name="Zara", family_name="Khan", sex="F", date_of_birth=date(1970, 5, 5)
            )
        )
    ] == ["A"]
    index.remove("A")
    index.remove("not there")
    assert len(index) == 1 and "A" not in index
    assert (
        index.query(
            person(
                "Q", given_name="Zara", family_name="Khan", sex="F", date_of_birth=date(1970, 5, 5)
            )
        )
        == []
    )
    index.add(person("C"))  # reuses the freed slot
    assert [c.record_id for c in index.query(person("Q"))] == ["C"]


def test_build_replaces_the_contents_and_a_later_duplicate_wins():
    index = index_of(default_model(), [person("A")])
    index.build([person("B"), person("C", given_name="Alice"), person("B", given_name="Bob")])
    assert sorted(index.record_ids()) == ["B", "C"]
    (best,) = index.query(person("Q", given_name="Bob"), min_probability=0.99)
    assert best.record_id == "B"
    assert best.explanation[0].level == "exact"


def test_results_are_ranked_limited_and_filtered():
    records = [
        person("exact"),
        person("nickname", given_name="Bob"),
        person("moved", given_name="Bob", postcode="KT1 1AA", address_line_1="1 Mill Lane"),
        person("other", given_name="Alice", sex="F", date_of_birth=date(1960, 1, 1)),
    ]
    index = index_of(default_model(), records)
    found = index.query(person("Q"), min_probability=0.0)
    assert [c.record_id for c in found] == ["exact", "nickname", "moved", "other"]
    assert found[-1].probability < 0.01
    weights = [c.match_weight for c in found]
    assert weights == sorted(weights, reverse=True)
    assert [c.record_id for c in index.query(person("Q"), limit=1)] == ["exact"]
    assert index.query(person("Q"), limit=0) == []
    assert all(c.probability >= 0.999 for c in index.query(person("Q"), min_probability=0.999))
    best = found[0]
    assert len(best.explanation) == 7
    assert (
        best.match_weight == sum(e.weight for e in best.explanation) + default_model().prior_weight
    )


def test_a_query_touches_only_a_few_candidates_and_is_fast():
    population = make_population(4000, seed=21)
    index = index_of(default_model(), population.records)
    keys, largest, mean = index.block_sizes()
    assert keys > len(index) and largest < 200 and mean < 5
    queries = population.records[:300]
    sizes, times = [], []
    for record in queries:
        sizes.append(len(index._candidates(index_features(record))))
        start = time.perf_counter()
        index.query(record)
        times.append(time.perf_counter() - start)
    assert statistics.median(sizes) < 50
    assert statistics.median(times) < 0.010  # far below in practice (~0.1 ms)


def index_features(record):
    from openmash.people.matching.features import featurise

    return featurise(record)


def test_every_record_finds_itself(population):
    index = index_of(default_model(), population.records[:2000])
    for record in population.records[:2000:7]:
        found = index.query(replace(record, record_id="query"), limit=1, min_probability=0.0)
        assert (
            found and found[0].match_weight >= index.score_pair(record, record).match_weight - 1e-9
        )
