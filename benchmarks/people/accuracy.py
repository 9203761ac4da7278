"""Accuracy on the synthetic benchmark: OpenMASH's model against plain Splink, same data.

Two tasks, each scored pairwise against the known truth at the default threshold (0.9):

* dedupe: ``synthetic.population`` + ``records_for`` (about 2.2 records per person);
  OpenMASH trained (``train_model``'s pipeline) and hand-set (``default_model``), pairwise
  predictions and the pairs implied by ``batch.dedupe``'s clusters; plain Splink the same.
* link: ``synthetic.two_extracts`` (police / health, half the people in both); OpenMASH via
  ``batch.link`` (trained on the two files, and with ``default_model``; each pairwise and
  ``one_to_one``, since each extract holds a person at most once); plain Splink.

    python benchmarks/people/accuracy.py --people 100000 --seed 1
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
from openmash.people.matching.model import MatchModel
from openmash.people.matching.records import PersonRecord
from openmash.people.matching.train import splink_settings, train_on_tables
from openmash.testing import synthetic

THRESHOLD = 0.9


def generate(people: int, seed: int, out: str) -> None:
    """Runs in a child process: write the dedupe file and the two extracts, with truth."""
    folder = Path(out)
    records = synthetic.records_for(synthetic.population(people, seed=seed), seed=seed)
    synthetic.write_csv(records, folder / "records.csv")
    synthetic.write_truth_csv(records, folder / "truth.csv")
    police, health = synthetic.two_extracts(people, seed=seed)
    for name, extract in (("police", police), ("health", health)):
        synthetic.write_csv(extract, folder / f"{name}.csv")
        synthetic.write_truth_csv(extract, folder / f"{name}_truth.csv")


def _ours_pairwise(table: Any, model: MatchModel) -> set[tuple[str, str]]:
    """Pairwise predictions of OpenMASH's model (what ``batch.dedupe`` clusters)."""
    from splink import DuckDBAPI, Linker

    frame = DuckDBAPI().register(table, dataset_display_name="records")
    linker = Linker(frame, splink_settings(model, link_type="dedupe_only"), log_level=None)
    pairs, _ = splink_plain.predicted_pairs(linker, model.threshold, cross=False)
    return pairs


def dedupe_task(folder: Path, seed: int) -> dict[str, Any]:
    records: list[PersonRecord] = list(common.read_records(folder / "records.csv"))
    truth = common.truth_pairs_within(common.read_truth(folder / "truth.csv"))
    table = to_arrow(records)
    result: dict[str, Any] = {"records": len(records), "true_pairs": len(truth)}

    started = time.perf_counter()
    trained = train_on_tables([table], link_type="dedupe_only", seed=seed)
    train_s = time.perf_counter() - started
    # The hand-set model's prior follows the data's size (batch.dedupe does this by itself).
    default = default_model(len(records))
    for label, model in (("openmash_trained", trained), ("openmash_default", default)):
        started = time.perf_counter()
        pairs = _ours_pairwise(table, model)
        clusters = common.cluster_pairs(batch.dedupe(records, model=model))
        result[label] = {
            "pairwise": common.prf(pairs, truth),
            "clusters": common.prf(clusters, truth),
            "seconds": round(time.perf_counter() - started, 1),
            "prior": model.prior,
        }
        common.log(f"dedupe {label}: {result[label]}")
    result["openmash_trained"]["train_seconds"] = round(train_s, 1)

    started = time.perf_counter()
    linker = splink_plain.trained_linker([table], link_type="dedupe_only", seed=seed)
    train_s = time.perf_counter() - started
    pairs, predictions = splink_plain.predicted_pairs(linker, THRESHOLD, cross=False)
    clustered = linker.clustering.cluster_pairwise_predictions_at_threshold(
        predictions, threshold_match_probability=THRESHOLD
    )
    rows = clustered.as_duckdbpyrelation().select("unique_id, cluster_id").fetchall()
    result["splink_plain"] = {
        "pairwise": common.prf(pairs, truth),
        "clusters": common.prf(common.cluster_pairs((str(r), str(c)) for r, c in rows), truth),
        "train_seconds": round(train_s, 1),
        "seconds": round(time.perf_counter() - started, 1),
    }
    common.log(f"dedupe splink_plain: {result['splink_plain']}")
    return result


def link_task(folder: Path, seed: int) -> dict[str, Any]:
    left: list[PersonRecord] = list(common.read_records(folder / "police.csv"))
    right: list[PersonRecord] = list(common.read_records(folder / "health.csv"))
    truth = common.truth_pairs_between(
        common.read_truth(folder / "police_truth.csv"),
        common.read_truth(folder / "health_truth.csv"),
    )
    result: dict[str, Any] = {"left": len(left), "right": len(right), "true_pairs": len(truth)}
    tables = [to_arrow(left), to_arrow(right)]

    started = time.perf_counter()
    trained = train_on_tables(tables, link_type="link_only", seed=seed)
    train_s = time.perf_counter() - started
    default = default_model(max(len(left), len(right)))  # what batch.link scales it to
    runs = (
        ("openmash_trained", trained, False),
        ("openmash_default", default, False),
        # Each extract holds a person at most once (two_extracts), so one-to-one applies.
        ("openmash_trained_one_to_one", trained, True),
        ("openmash_default_one_to_one", default, True),
    )
    for label, model, one_to_one in runs:
        started = time.perf_counter()
        pairs = {(a, b) for a, b, _ in batch.link(left, right, model=model, one_to_one=one_to_one)}
        result[label] = {
            "pairwise": common.prf(pairs, truth),
            "seconds": round(time.perf_counter() - started, 1),
            "prior": model.prior,
        }
        common.log(f"link {label}: {result[label]}")
    result["openmash_trained"]["train_seconds"] = round(train_s, 1)

    started = time.perf_counter()
    linker = splink_plain.trained_linker(tables, link_type="link_only", seed=seed)
    train_s = time.perf_counter() - started
    pairs, _ = splink_plain.predicted_pairs(linker, THRESHOLD, cross=True)
    result["splink_plain"] = {
        "pairwise": common.prf(pairs, truth),
        "train_seconds": round(train_s, 1),
        "seconds": round(time.perf_counter() - started, 1),
    }
    common.log(f"link splink_plain: {result['splink_plain']}")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=100_000, help="true people generated")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--task", choices=("both", "dedupe", "link"), default="both")
    args = parser.parse_args()

    started = time.perf_counter()
    result: dict[str, Any] = {"people": args.people, "seed": args.seed, "threshold": THRESHOLD}
    with tempfile.TemporaryDirectory(prefix="openmash-bench-") as tmp:
        common.log(f"generating {args.people} people in {tmp}")
        common.generate_in_child(generate, args.people, args.seed, tmp)
        if args.task in ("both", "dedupe"):
            result["dedupe"] = dedupe_task(Path(tmp), args.seed)
        if args.task in ("both", "link"):
            result["link"] = link_task(Path(tmp), args.seed)
    result["wall_seconds"] = round(time.perf_counter() - started, 1)
    result["peak_rss_mb"] = round(common.peak_rss_mb())
    common.emit("accuracy", result)


if __name__ == "__main__":
    main()
