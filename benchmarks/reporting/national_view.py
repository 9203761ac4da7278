"""The national view at national scale: 150 hubs x 24 months of synthetic monthly returns.

1. Imports every return through `return_import` (validation, checksum, flattening into
   measures, the audit event), timing the whole load and each return.
2. Re-imports a sample unchanged (the idempotent path).
3. Renders the national overview page over all 24 months through the full middleware stack
   (Django's test client, signed in as an analyst): one warm-up, then the median of --runs.
   The hubs-compared and trends pages are timed the same way.

Runs on the database the settings give: SQLite in memory by default, PostgreSQL with
DATABASE_URL (migrations are applied first, in-process):

    scripts/with_postgres.sh env DJANGO_SETTINGS_MODULE=config.settings.test \\
        .venv/bin/python benchmarks/reporting/national_view.py

Prints one JSON line and appends it to results/national_view.jsonl.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from contextlib import nullcontext
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
RESULTS = Path(__file__).resolve().parent / "results"
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.urls import NoReverseMatch, reverse  # noqa: E402

from openmash.accounts.models import User  # noqa: E402
from openmash.demo.hub_setup import demo_hub_ensure  # noqa: E402
from openmash.reporting.models import ImportedReturn  # noqa: E402
from openmash.reporting.national import synthetic  # noqa: E402
from openmash.reporting.national.services import ImportStatus, return_import  # noqa: E402

TEST_URLCONF = "openmash.reporting.tests.test_national_urlconf"


def log(message: str) -> None:
    stamp = dt.datetime.now().strftime("%H:%M:%S")
    sys.stderr.write(f"[{stamp}] {message}\n")
    sys.stderr.flush()


def _git(*args: str) -> str:
    try:
        done = subprocess.run(
            ["git", *args], cwd=REPO, capture_output=True, text=True, check=False, timeout=10
        )
    except (OSError, subprocess.SubprocessError):
        return ""
    return done.stdout.strip()


def environment() -> dict[str, Any]:
    cpu = ""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            cpu = next(
                (line.split(":", 1)[1].strip() for line in handle if line.startswith("model name")),
                "",
            )
    except OSError:  # pragma: no cover - not Linux
        cpu = platform.processor()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
        else:
            cursor.execute("SELECT sqlite_version()")
        version = cursor.fetchone()[0]
    return {
        "commit": _git("rev-parse", "--short", "HEAD"),
        "tree_modified": bool(_git("status", "--porcelain", "openmash/reporting")),
        "cpu": cpu,
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "django": django.get_version(),
        "database": f"{connection.vendor} {version}",
    }


def emit(result: dict[str, Any]) -> None:
    record = {
        "benchmark": "national_view",
        "when": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        **result,
        "load_average_at_end": [round(x, 2) for x in os.getloadavg()],
        "env": environment(),
    }
    line = json.dumps(record)
    RESULTS.mkdir(parents=True, exist_ok=True)
    with open(RESULTS / "national_view.jsonl", "a", encoding="utf-8") as handle:
        handle.write(line + "\n")
    sys.stdout.write(line + "\n")


def overview_path() -> tuple[str, str | None]:
    """Where the national view is mounted (the project's URLs, or the tests' urlconf)."""
    for name in ("reporting:national:overview", "national:overview"):
        try:
            return reverse(name), None
        except NoReverseMatch:
            continue
    return "/reporting/national/", TEST_URLCONF


def time_page(client: Client, path: str, params: dict[str, str], runs: int) -> dict[str, Any]:
    response = client.get(path, params)  # warm-up
    assert response.status_code == 200, (path, response.status_code)
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        response = client.get(path, params)
        timings.append(time.perf_counter() - start)
        assert response.status_code == 200
    return {
        "median_s": round(statistics.median(timings), 4),
        "min_s": round(min(timings), 4),
        "max_s": round(max(timings), 4),
        "runs": runs,
        "bytes": len(response.content),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--hubs", type=int, default=150)
    parser.add_argument("--months", type=int, default=24)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    log(f"migrating ({connection.vendor})")
    call_command("migrate", verbosity=0, interactive=False)
    demo_hub_ensure(password="openmash-demo")
    analyst = User.objects.get(username="demo.analyst")
    ImportedReturn.objects.all().delete()

    log(f"generating {args.hubs} x {args.months} returns")
    docs = list(synthetic.returns(args.hubs, args.months, seed=args.seed))
    log("importing")
    per_return = []
    measures = 0
    start = time.perf_counter()
    for doc in docs:
        t0 = time.perf_counter()
        result = return_import(actor=analyst, document=doc)
        per_return.append(time.perf_counter() - t0)
        assert result.status == ImportStatus.CREATED
        measures += result.measures
    import_s = time.perf_counter() - start
    log(f"imported {len(docs)} returns ({measures} measures) in {import_s:.1f} s")

    sample = docs[:: max(1, len(docs) // 100)]
    t0 = time.perf_counter()
    for doc in sample:
        assert return_import(actor=analyst, document=doc).status == ImportStatus.UNCHANGED
    unchanged_ms = (time.perf_counter() - t0) / len(sample) * 1000

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    path, urlconf = overview_path()
    client = Client()
    client.force_login(analyst)
    months = sorted({doc["period"]["month"] for doc in docs})
    everything = {"from_month": months[0], "to_month": months[-1]}
    with override_settings(ROOT_URLCONF=urlconf) if urlconf else nullcontext():
        log(f"timing {path} over {months[0]} to {months[-1]}")
        overview = time_page(client, path, everything, args.runs)
        overview_12 = time_page(client, path, {}, args.runs)
        benchmark = time_page(
            client, path + "benchmark", everything | {"measure": "hours_to_decision"}, args.runs
        )
        trends = time_page(
            client,
            path + "trends",
            everything | {"measure": "screened_on_time", "hub": docs[0]["hub"]["code"]},
            args.runs,
        )

    emit(
        {
            "hubs": args.hubs,
            "months": args.months,
            "returns": len(docs),
            "measures": measures,
            "import_total_s": round(import_s, 2),
            "import_per_return_ms": {
                "median": round(statistics.median(per_return) * 1000, 2),
                "p95": round(sorted(per_return)[int(len(per_return) * 0.95)] * 1000, 2),
            },
            "reimport_unchanged_ms": round(unchanged_ms, 2),
            "overview_all_months": overview,
            "overview_default_12_months": overview_12,
            "benchmark_page": benchmark,
            "trends_page": trends,
            "target_s": 1.0,
            "meets_target": overview["median_s"] <= 1.0,
        }
    )


if __name__ == "__main__":
    main()
