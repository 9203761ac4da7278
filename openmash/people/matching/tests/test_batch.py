from __future__ import annotations

import csv
import importlib.util
import tempfile
from dataclasses import replace

import pytest

from openmash.people.matching.batch import (
    EngineUnavailable,
    dedupe,
    link,
    write_clusters_csv,
    write_links_csv,
)
from openmash.people.matching.index import MatchIndex
from openmash.people.matching.model import default_model
from openmash.people.matching.tests.population import make_population


@pytest.fixture(scope="module")
def small():
    return make_population(250, seed=31)


def f1(found: set[tuple[str, str]], truth: set[tuple[str, str]]) -> float:
    tp = len(found & truth)
    return tp / (tp + 0.5 * (len(found - truth) + len(truth - found)))


def test_link_finds_the_same_people_with_the_index_probabilities(model, small):
    by_person: dict[str, list] = {}
    for record in small.records:
        by_person.setdefault(small.truth[record.record_id], []).append(record)
    left = [records[0] for records in by_person.values()]
    right = [
        replace(r, record_id="R-" + r.record_id)
        for records in by_person.values()
        for r in records[1:]
    ]
    truth = {
        (records[0].record_id, "R-" + r.record_id)
        for records in by_person.values()
        for r in records[1:]
    }
    links = list(link(left, right, model=model))
    found = {(a, b) for a, b, _p in links}
    assert f1(found, truth) > 0.95
    assert all(p >= model.threshold for _a, _b, p in links)
    # Batch (Splink) and real-time (in-process) give the same probability for a pair.
    index = MatchIndex(model)
    lefts = {r.record_id: r for r in left}
    rights = {r.record_id: r for r in right}
    for a, b, probability in links[:50]:
        assert index.score_pair(lefts[a], rights[b]).probability == pytest.approx(
            probability, abs=1e-9
        )
    # A threshold of its own.
    assert len(list(link(left, right, model=model, threshold=0.999))) <= len(links)


def test_dedupe_clusters_every_record_and_keeps_twins_apart(model, small):
    clusters = dict(dedupe(small.records, model=model))
    assert set(clusters) == {r.record_id for r in small.records}
    pairs = set()
    members: dict[str, list[str]] = {}
    for record_id, cluster in clusters.items():
        members.setdefault(cluster, []).append(record_id)
    for ids in members.values():
        ids.sort()
        pairs |= {(a, b) for i, a in enumerate(ids) for b in ids[i + 1 :]}
    assert f1(pairs, small.true_pairs()) > 0.95
    for a, b in small.twins:
        assert clusters[a] != clusters[b]


def test_link_trains_a_model_when_none_is_given(small):
    half = len(small.records) // 2
    links = list(link(small.records[:half], small.records[half:]))
    truth = {
        (a.record_id, b.record_id)
        for a in small.records[:half]
        for b in small.records[half:]
        if small.truth[a.record_id] == small.truth[b.record_id]
    }
    assert f1({(a, b) for a, b, _ in links}, truth) > 0.9


def test_engines():
    with pytest.raises(ValueError, match="unknown engine"):
        list(link([], [], model=default_model(), engine="oracle"))
    if importlib.util.find_spec("pyspark") is None:
        with pytest.raises(EngineUnavailable, match="pyspark"):
            list(dedupe([], model=default_model(), engine="spark"))


def test_csv_writers(tmp_path):
    links_path = tmp_path / "links.csv"
    clusters_path = tmp_path / "clusters.csv"
    assert write_links_csv([("a", "b", 0.95)], links_path) == 1
    assert write_clusters_csv([("a", "a"), ("b", "a")], clusters_path) == 2
    with open(links_path, newline="") as handle:
        assert list(csv.reader(handle)) == [
            ["left_id", "right_id", "match_probability"],
            ["a", "b", "0.95"],
        ]
    with open(clusters_path, newline="") as handle:
        assert list(csv.reader(handle)) == [["record_id", "cluster_id"], ["a", "a"], ["b", "a"]]


def test_a_memory_limit_spills_outside_the_working_directory(small, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    model = default_model()
    capped = dict(dedupe(small.records, model=model, memory_limit="256MB"))
    assert capped == dict(dedupe(small.records, model=model))
    assert list(tmp_path.iterdir()) == []


def test_spill_directories_are_removed_when_done(small, tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    model = default_model()
    assert dict(dedupe(small.records, memory_limit="256MB"))  # trains, too: two directories
    half = len(small.records) // 2
    left, right = small.records[:half], small.records[half:]
    list(link(left, right, model=model, memory_limit="256MB"))
    assert list(tmp_path.iterdir()) == []


def test_spark_sql_quotes_columns_with_backticks():
    """To Spark SQL a double-quoted name is a string literal: every comparison's Spark SQL must
    name its columns with backticks (and DuckDB's with double quotes)."""
    from openmash.people.matching.comparisons import COMPARISONS

    for comparison in COMPARISONS:
        for level in comparison.levels:
            if level.condition is None:
                continue
            spark_sql = level.condition.sql("spark")
            assert '"' not in spark_sql, (comparison.name, level.label, spark_sql)
            assert "`" in spark_sql
            assert "`" not in level.condition.sql("duckdb")


@pytest.mark.slow
def test_spark_gives_the_duckdb_answers_when_pyspark_is_installed(small):
    """Runs where pyspark (and Java) are installed; CI has neither (checked by hand:
    docs/people.md)."""
    pytest.importorskip("pyspark")
    model = default_model()
    half = len(small.records) // 2
    left, right = small.records[:half], small.records[half:]
    for one_to_one in (False, True):
        on_duckdb = {
            (a, b): round(p, 9) for a, b, p in link(left, right, model=model, one_to_one=one_to_one)
        }
        on_spark = {
            (a, b): round(p, 9)
            for a, b, p in link(left, right, model=model, engine="spark", one_to_one=one_to_one)
        }
        assert on_spark == on_duckdb
