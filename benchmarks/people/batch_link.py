"""Batch linking: ``batch.link`` of two extracts on DuckDB, timed, with pairwise F1.

``synthetic.two_extracts(people)`` makes a "police" and a "health" extract (half the people in
both, the rest in one; 0.75 x people records each: 1,333,334 people give 1,000,001 and
1,000,000 records). Two runs:

* ``with_training``: ``batch.link(left, right)`` end to end - featurising both files, training
  the model on them (Splink EM), predicting and streaming the links - CSV reading included;
* ``pretrained``: training timed on its own (``train.train_on_tables``, what ``link`` calls),
  then ``batch.link(..., model=model)``;
* ``default_model``: ``batch.link(..., model=default_model())``, the hand-set weights;
* ``splink``: the plain Splink baseline (``splink_plain.py``) trained and predicted on the same
  two tables, for the F1 comparison at full size.

``--runs`` picks them (default ``end_to_end,pretrained``). ``--one-to-one`` runs OpenMASH's
links with ``one_to_one=True`` (each extract holds a person at most once, as here).

    python benchmarks/people/batch_link.py --people 1333334 --seed 1
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path
from typing import Any

import common
import splink_plain

from openmash.people.matching import batch, default_model
from openmash.people.matching.features import to_arrow
from openmash.people.matching.train import train_on_tables
from openmash.testing import synthetic


def generate(people: int, seed: int, out: str) -> None:
    """Runs in a child process: both extracts and their truth as CSV."""
    folder = Path(out)
    police, health = synthetic.two_extracts(people, seed=seed)
    for name, extract in (("police", police), ("health", health)):
        synthetic.write_csv(extract, folder / f"{name}.csv")
        synthetic.write_truth_csv(extract, folder / f"{name}_truth.csv")


def _link(folder: Path, truth: set[tuple[str, str]], **kwargs: Any) -> dict[str, Any]:
    started = time.perf_counter()
    links = {
        (left_id, right_id)
        for left_id, right_id, _ in batch.link(
            common.read_records(folder / "police.csv"),
            common.read_records(folder / "health.csv"),
            **kwargs,
        )
    }
    seconds = time.perf_counter() - started
    return {
        "seconds": round(seconds, 1),
        "links": len(links),
        "pairwise": common.prf(links, truth),
        "load_1min": round(common.load_average()[0], 2),
    }


RUNS = ("end_to_end", "pretrained", "default_model", "splink")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=1_333_334, help="people in the population")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--memory-limit", default=None, help='DuckDB memory limit, e.g. "8GB"')
    parser.add_argument(
        "--one-to-one",
        action="store_true",
        help="OpenMASH links with one_to_one=True (each extract holds a person at most once)",
    )
    parser.add_argument(
        "--runs",
        default="end_to_end,pretrained",
        help="comma-separated, any of: end_to_end, pretrained, default_model, splink",
    )
    args = parser.parse_args()
    runs = {r.strip() for r in args.runs.split(",") if r.strip()}
    unknown = runs - set(RUNS)
    if unknown:
        parser.error(f"unknown run(s) {', '.join(sorted(unknown))}; choose from {', '.join(RUNS)}")

    result: dict[str, Any] = {
        "people": args.people,
        "seed": args.seed,
        "engine": "duckdb",
        "memory_limit": args.memory_limit,
        "one_to_one": args.one_to_one,
        "runs": sorted(runs),
        "load_average_at_start": [round(x, 2) for x in common.load_average()],
    }
    with tempfile.TemporaryDirectory(prefix="openmash-bench-") as tmp:
        folder = Path(tmp)
        started = time.perf_counter()
        common.generate_in_child(generate, args.people, args.seed, tmp)
        common.log(f"generated in {time.perf_counter() - started:.1f}s")
        left_truth = common.read_truth(folder / "police_truth.csv")
        right_truth = common.read_truth(folder / "health_truth.csv")
        truth = common.truth_pairs_between(left_truth, right_truth)
        result |= {"left": len(left_truth), "right": len(right_truth), "true_pairs": len(truth)}
        del left_truth, right_truth

        if "end_to_end" in runs:
            result["with_training"] = _link(
                folder, truth, memory_limit=args.memory_limit, one_to_one=args.one_to_one
            )
            common.log(f"end to end: {result['with_training']}")

        if "default_model" in runs:
            result["default_model"] = _link(
                folder,
                truth,
                model=default_model(),
                memory_limit=args.memory_limit,
                one_to_one=args.one_to_one,
            )
            common.log(f"default model: {result['default_model']}")
        if not runs & {"pretrained", "splink"}:
            result["peak_rss_mb"] = round(common.peak_rss_mb())
            common.emit("batch_link", result)
            return

        started = time.perf_counter()
        tables = [
            to_arrow(common.read_records(folder / "police.csv")),
            to_arrow(common.read_records(folder / "health.csv")),
        ]
        featurise_s = time.perf_counter() - started
        if "splink" in runs:
            started = time.perf_counter()
            linker = splink_plain.trained_linker(tables, link_type="link_only", seed=42)
            trained_s = time.perf_counter() - started
            pairs, _ = splink_plain.predicted_pairs(linker, 0.9, cross=True)
            result["splink_plain"] = {
                "seconds": round(time.perf_counter() - started, 1),
                "training_seconds": round(trained_s, 1),
                "links": len(pairs),
                "pairwise": common.prf(pairs, truth),
                "load_1min": round(common.load_average()[0], 2),
            }
            common.log(f"plain splink: {result['splink_plain']}")
            del linker, pairs
        if "pretrained" in runs:
            started = time.perf_counter()
            model = train_on_tables(tables, link_type="link_only", seed=42)
            train_s = time.perf_counter() - started
            del tables
            common.log(f"featurised in {featurise_s:.1f}s, trained in {train_s:.1f}s")
            pretrained = _link(
                folder,
                truth,
                model=model,
                memory_limit=args.memory_limit,
                one_to_one=args.one_to_one,
            )
            pretrained["featurise_for_training_seconds"] = round(featurise_s, 1)
            pretrained["training_seconds"] = round(train_s, 1)
            result["pretrained"] = pretrained
            common.log(f"pre-trained: {pretrained}")
    result["peak_rss_mb"] = round(common.peak_rss_mb())
    common.emit("batch_link", result)


if __name__ == "__main__":
    main()
