"""Shared helpers for the people-matching benchmarks (data, metrics, memory, result lines).

Not a test module and not a package: the benchmark scripts put this folder on ``sys.path``
(Python does that for the script's own folder) and ``import common``.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import multiprocessing
import os
import platform
import resource
import subprocess
import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
RESULTS = Path(__file__).resolve().parent / "results"
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from openmash.people.matching.records import PersonRecord, read_people_csv  # noqa: E402


def out(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def log(message: str) -> None:
    """Progress on stderr, so stdout carries only the JSON result line."""
    stamp = dt.datetime.now().strftime("%H:%M:%S")
    sys.stderr.write(f"[{stamp}] {message} (load {load_average()[0]:.2f})\n")
    sys.stderr.flush()


def load_average() -> tuple[float, float, float]:
    return os.getloadavg()


def _status_kb(field: str) -> int | None:
    try:
        with open("/proc/self/status", encoding="ascii") as handle:
            for line in handle:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:  # pragma: no cover - not Linux
        return None
    return None


def peak_rss_mb() -> float:
    """Peak resident memory of this process (VmHWM; ru_maxrss as a fallback), in MiB."""
    hwm = _status_kb("VmHWM")
    if hwm is not None:
        return hwm / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def current_rss_mb() -> float:
    rss = _status_kb("VmRSS")
    return (rss or 0) / 1024


def reset_peak_rss() -> bool:
    """Reset VmHWM to the current RSS (Linux >= 4.0, writing 5 to clear_refs)."""
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as handle:
            handle.write("5")
    except OSError:
        return False
    return True


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile (p in 0..100) of a non-empty list."""
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(p / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


def prf(predicted: set[tuple[str, str]], truth: set[tuple[str, str]]) -> dict[str, float | int]:
    """Pairwise precision, recall and F1 of ``predicted`` against ``truth``."""
    tp = len(predicted & truth)
    fp = len(predicted) - tp
    fn = len(truth) - tp
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "tp": tp,
        "fp": fp,
        "fn": fn,
        "precision": round(precision, 5),
        "recall": round(recall, 5),
        "f1": round(f1, 5),
    }


def ordered(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a < b else (b, a)


def cluster_pairs(clusters: Iterable[tuple[str, str]]) -> set[tuple[str, str]]:
    """Every pair of records placed in one cluster, from (record_id, cluster_id) rows."""
    members: dict[str, list[str]] = {}
    for record_id, cluster_id in clusters:
        members.setdefault(cluster_id, []).append(record_id)
    pairs: set[tuple[str, str]] = set()
    for ids in members.values():
        if len(ids) > 1:
            ids.sort()
            pairs.update((ids[i], ids[j]) for i in range(len(ids)) for j in range(i + 1, len(ids)))
    return pairs


def read_truth(path: Path) -> dict[str, str]:
    """record_id -> person_id from a truth CSV written by ``synthetic.write_truth_csv``."""
    with open(path, newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle)
        next(reader)
        return {row[0]: row[1] for row in reader}


def truth_pairs_within(truth: dict[str, str]) -> set[tuple[str, str]]:
    by_person: dict[str, list[str]] = {}
    for record_id, person_id in truth.items():
        by_person.setdefault(person_id, []).append(record_id)
    return cluster_pairs((r, p) for p, ids in by_person.items() for r in ids)


def truth_pairs_between(left: dict[str, str], right: dict[str, str]) -> set[tuple[str, str]]:
    """(left_id, right_id) for every cross pair of records of the same person."""
    right_by_person: dict[str, list[str]] = {}
    for record_id, person_id in right.items():
        right_by_person.setdefault(person_id, []).append(record_id)
    return {(lid, rid) for lid, pid in left.items() for rid in right_by_person.get(pid, ())}


def read_records(path: Path) -> Iterator[PersonRecord]:
    return read_people_csv(path)


def generate_in_child(target: Callable[..., None], *args: Any) -> None:
    """Run a data generator in a fresh (spawned) process, so the benchmark process's memory
    holds only what the code under test needs, never the generator's objects."""
    context = multiprocessing.get_context("spawn")
    process = context.Process(target=target, args=args)
    process.start()
    process.join()
    if process.exitcode != 0:
        raise RuntimeError(f"data generation failed (exit code {process.exitcode})")


def _git(*args: str) -> str:
    try:
        done = subprocess.run(
            ["git", *args], cwd=REPO, capture_output=True, text=True, check=False, timeout=10
        )
    except (OSError, subprocess.SubprocessError):
        return ""
    return done.stdout.strip()


def environment() -> dict[str, Any]:
    """What the result was measured on (read-only git queries only)."""
    import duckdb
    import splink

    cpu = ""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            for line in handle:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:  # pragma: no cover - not Linux
        cpu = platform.processor()
    return {
        "commit": _git("rev-parse", "--short", "HEAD"),
        "engine_modified": bool(_git("status", "--porcelain", "openmash/people/matching")),
        "cpu": cpu,
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "splink": splink.__version__,
        "duckdb": duckdb.__version__,
    }


def emit(name: str, result: dict[str, Any]) -> None:
    """Print the result as one JSON line and append it to ``results/<name>.jsonl``."""
    record = {
        "benchmark": name,
        "when": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        **result,
        "load_average_at_end": [round(x, 2) for x in load_average()],
        "env": environment(),
    }
    line = json.dumps(record, sort_keys=False)
    RESULTS.mkdir(parents=True, exist_ok=True)
    with open(RESULTS / f"{name}.jsonl", "a", encoding="utf-8") as handle:
        handle.write(line + "\n")
    out(line)
