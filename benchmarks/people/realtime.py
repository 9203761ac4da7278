"""Real-time matching: ``MatchIndex`` over N people against Splink 5's real-time API.

The index holds one record for each of ``--people`` people (``records_for``, the usual 30%
corruption). Queries are records of indexed people, corrupted again (every query corrupted,
``--query-corruption``), and of people who are not in the index (``--absent`` share). A query
is ``MatchIndex.query(record, limit=10, min_probability=0.5)``.

Measured: index build (reading the CSV included), per-query latency (median / p95 / p99 over
``--repeats`` passes), peak resident memory of the process (VmHWM) after build and queries,
and top-1 accuracy. Then, in the same process (after our memory peak is recorded), Splink's
``linker.inference.predict_between`` of a one-record table against the N-record table in
DuckDB, with the same model and blocking rules, on ``--splink-queries`` of the same queries.

    python benchmarks/people/realtime.py --people 1000000 --seed 1
"""

from __future__ import annotations

import argparse
import gc
import random
import tempfile
import time
from pathlib import Path
from typing import Any

import common

from openmash.people.matching import MatchIndex, default_model
from openmash.people.matching.features import to_arrow
from openmash.people.matching.records import PersonRecord
from openmash.people.matching.train import splink_settings
from openmash.testing import synthetic

LIMIT = 10
MIN_PROBABILITY = 0.5
MATCH = 0.9  # the default threshold: a candidate at or above it counts as "matched"


def generate(
    people: int, queries: int, absent: float, corruption: float, seed: int, out: str
) -> None:
    """Runs in a child process: the index file, the query file and both truths."""
    folder = Path(out)
    n_absent = round(queries * absent)
    population = synthetic.population(people + n_absent * 4, seed=seed)
    indexed, outside = population[:people], population[people:]
    index_records = synthetic.records_for(
        indexed, records_per_person=(1, 1), seed=seed, id_prefix="IDX"
    )
    rng = random.Random(f"bench-realtime/{seed}")
    chosen = rng.sample(indexed, queries - n_absent) + rng.sample(outside, n_absent)
    rng.shuffle(chosen)
    query_records = synthetic.records_for(
        chosen,
        records_per_person=(1, 1),
        corruption_rate=corruption,
        seed=seed,
        id_prefix="Q",
    )
    synthetic.write_csv(index_records, folder / "index.csv")
    synthetic.write_truth_csv(index_records, folder / "index_truth.csv")
    synthetic.write_csv(query_records, folder / "queries.csv")
    synthetic.write_truth_csv(query_records, folder / "queries_truth.csv")


def _summary(latencies_ms: list[float]) -> dict[str, float]:
    return {
        "median_ms": round(common.percentile(latencies_ms, 50), 3),
        "p95_ms": round(common.percentile(latencies_ms, 95), 3),
        "p99_ms": round(common.percentile(latencies_ms, 99), 3),
        "max_ms": round(max(latencies_ms), 3),
        "mean_ms": round(sum(latencies_ms) / len(latencies_ms), 3),
    }


def _accuracy(
    answers: dict[str, list[tuple[str, float]]],
    query_truth: dict[str, str],
    index_truth: dict[str, str],
) -> dict[str, Any]:
    """Top-1 correct (present) / nothing at or above 0.9 (absent)."""
    indexed_people = set(index_truth.values())
    present = absent = top1 = in_top = false_match = missed = 0
    for query_id, candidates in answers.items():
        person = query_truth[query_id]
        if person in indexed_people:
            present += 1
            people = [index_truth[c] for c, _ in candidates]
            if people and people[0] == person and candidates[0][1] >= MATCH:
                top1 += 1
            elif not candidates or candidates[0][1] < MATCH:
                missed += 1
            if person in people:
                in_top += 1
        else:
            absent += 1
            if candidates and candidates[0][1] >= MATCH:
                false_match += 1
    return {
        "present_queries": present,
        "absent_queries": absent,
        "present_top1_matched": round(top1 / present, 5) if present else None,
        "present_no_match": round(missed / present, 5) if present else None,
        "present_in_top10": round(in_top / present, 5) if present else None,
        "absent_false_match": round(false_match / absent, 5) if absent else None,
    }


def run_ours(folder: Path, repeats: int, freeze: bool) -> tuple[dict[str, Any], list[Any]]:
    index = MatchIndex(default_model())
    rss_before = common.current_rss_mb()
    started = time.perf_counter()
    index.build(common.read_records(folder / "index.csv"))
    build_s = time.perf_counter() - started
    common.log(f"built {len(index)} in {build_s:.1f}s, rss {common.current_rss_mb():.0f} MB")
    keys, largest, mean = index.block_sizes()
    if freeze:
        gc.collect()
        gc.freeze()  # what a long-running process would do after loading the index
    queries: list[PersonRecord] = list(common.read_records(folder / "queries.csv"))
    for record in queries[: min(200, len(queries))]:  # warm-up
        index.query(record, limit=LIMIT, min_probability=MIN_PROBABILITY)
    passes = []
    all_ms: list[float] = []
    answers: dict[str, list[tuple[str, float]]] = {}
    for _ in range(repeats):
        latencies: list[float] = []
        clock = time.perf_counter
        for record in queries:
            t0 = clock()
            found = index.query(record, limit=LIMIT, min_probability=MIN_PROBABILITY)
            latencies.append((clock() - t0) * 1000)
            answers[record.record_id] = [(c.record_id, c.probability) for c in found]
        passes.append(_summary(latencies) | {"load_1min": round(common.load_average()[0], 2)})
        all_ms.extend(latencies)
        common.log(f"pass: {passes[-1]}")
    result = {
        "records": len(index),
        "prior": index.model.prior,  # the default model's prior, scaled to the index by build
        "build_seconds": round(build_s, 1),
        "blocking_keys": keys,
        "largest_block": largest,
        "mean_block": round(mean, 2),
        "queries": len(queries),
        "gc_frozen": freeze,
        "latency": _summary(all_ms),
        "passes": passes,
        "rss_after_mb": round(common.current_rss_mb()),
        "index_rss_mb_approx": round(common.current_rss_mb() - rss_before),
        "peak_rss_mb": round(common.peak_rss_mb()),
        "accuracy": _accuracy(
            answers,
            common.read_truth(folder / "queries_truth.csv"),
            common.read_truth(folder / "index_truth.csv"),
        ),
    }
    if freeze:
        gc.unfreeze()
    return result, queries


def run_splink(folder: Path, queries: list[PersonRecord], count: int) -> dict[str, Any]:
    """Splink 5 real time: ``predict_between`` one registered record and the N-record table."""
    from splink import DuckDBAPI, Linker

    started = time.perf_counter()
    db_api = DuckDBAPI()
    table = to_arrow(common.read_records(folder / "index.csv"))
    model = default_model(int(table.num_rows))  # the prior the index uses (MatchIndex.build)
    people = db_api.register(table, dataset_display_name="records")
    del table
    settings = splink_settings(model, link_type="dedupe_only")
    linker = Linker(people, settings, log_level=None)
    load_s = time.perf_counter() - started
    common.log(f"splink: loaded in {load_s:.1f}s")
    floor = MIN_PROBABILITY
    latencies: list[float] = []
    answers: dict[str, list[tuple[str, float]]] = {}
    sample = queries[: count + 5]
    for i, record in enumerate(sample):
        t0 = time.perf_counter()
        frame = db_api.register(to_arrow([record]), table_name=f"q_{i}")
        predictions = linker.inference.predict_between(
            people, frame, threshold_match_probability=floor, warning_mode="never"
        )
        rows = (
            predictions.as_duckdbpyrelation()
            .order("match_weight DESC")
            .limit(LIMIT)
            .select("unique_id_l, match_probability")
            .fetchall()
        )
        elapsed = (time.perf_counter() - t0) * 1000
        predictions.drop_table_from_database_and_remove_from_cache()
        frame.drop_table_from_database_and_remove_from_cache(force_non_splink_table=True)
        if i >= 5:  # the first few warm DuckDB up
            latencies.append(elapsed)
            answers[record.record_id] = [(str(a), float(p)) for a, p in rows]
        if i % 50 == 0:
            common.log(f"splink query {i}: {elapsed:.0f} ms")
    truth_q = common.read_truth(folder / "queries_truth.csv")
    return {
        "load_seconds": round(load_s, 1),
        "queries": len(latencies),
        "latency": _summary(latencies),
        "accuracy": _accuracy(answers, truth_q, common.read_truth(folder / "index_truth.csv")),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=1_000_000, help="people in the index")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--queries", type=int, default=2_000)
    parser.add_argument("--absent", type=float, default=0.2, help="share of absent people")
    parser.add_argument("--query-corruption", type=float, default=1.0)
    parser.add_argument("--repeats", type=int, default=3, help="passes over the queries")
    parser.add_argument(
        "--gc-freeze", action="store_true", help="gc.freeze() after the build (not the default)"
    )
    parser.add_argument("--splink-queries", type=int, default=200, help="0 to skip Splink")
    args = parser.parse_args()

    result: dict[str, Any] = {
        "people": args.people,
        "seed": args.seed,
        "limit": LIMIT,
        "min_probability": MIN_PROBABILITY,
        "absent_share": args.absent,
        "query_corruption": args.query_corruption,
        "load_average_at_start": [round(x, 2) for x in common.load_average()],
    }
    with tempfile.TemporaryDirectory(prefix="openmash-bench-") as tmp:
        folder = Path(tmp)
        started = time.perf_counter()
        common.generate_in_child(
            generate,
            args.people,
            args.queries,
            args.absent,
            args.query_corruption,
            args.seed,
            tmp,
        )
        common.log(f"generated in {time.perf_counter() - started:.1f}s")
        result["openmash"], queries = run_ours(folder, args.repeats, args.gc_freeze)
        if args.splink_queries > 0:
            gc.collect()
            result["splink"] = run_splink(folder, queries, args.splink_queries)
            result["splink"]["peak_rss_mb_process"] = round(common.peak_rss_mb())
    common.emit("realtime", result)


if __name__ == "__main__":
    main()
