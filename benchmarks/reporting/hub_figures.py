"""How fast are a hub's figures with a long history? Bulk-loads N contacts (default 1,000,000
over four years) into the database the settings point at, rebuilds the facts, then times:

- the hub dashboard for a year (the page, through the full middleware, as an analyst),
- the metrics behind it,
- the monthly return (build, suppression and audit),
- the CIN census export for a collection year,
- an incremental facts refresh after one more day of casework.

Run on PostgreSQL (the targets are PostgreSQL's):

    scripts/with_postgres.sh env DJANGO_SETTINGS_MODULE=config.settings.test \
        .venv/bin/python benchmarks/reporting/hub_figures.py --contacts 1000000

Prints one JSON line and appends it to results/hub_figures.jsonl."""

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
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
RESULTS = Path(__file__).resolve().parent / "results"
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

from bulk_hub import bulk_hub_generate  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import NoReverseMatch, reverse  # noqa: E402

from openmash.accounts.models import User  # noqa: E402
from openmash.demo.hub_setup import demo_hub_ensure  # noqa: E402
from openmash.reporting.facts import facts_refresh  # noqa: E402
from openmash.reporting.metrics import Period, metrics_compute  # noqa: E402
from openmash.reporting.monthly_return import monthly_return_build  # noqa: E402


def log(message: str) -> None:
    stamp = dt.datetime.now().strftime("%H:%M:%S")
    sys.stderr.write(f"[{stamp}] {message} (load {os.getloadavg()[0]:.2f})\n")
    sys.stderr.flush()


def timed(run: Callable[[], Any], repeats: int, warmup: int = 1) -> dict[str, float]:
    for _ in range(warmup):
        run()
    seconds = []
    for _ in range(repeats):
        started = time.perf_counter()
        run()
        seconds.append(time.perf_counter() - started)
    return {
        "median_s": round(statistics.median(seconds), 3),
        "max_s": round(max(seconds), 3),
        "runs": repeats,
    }


def machine() -> dict[str, Any]:
    cpu = ""
    with open("/proc/cpuinfo", encoding="ascii", errors="replace") as handle:
        for line in handle:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    commit = subprocess.run(
        ["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    with connection.cursor() as cursor:
        cursor.execute("select version()" if connection.vendor == "postgresql" else "select 1")
        database = str(cursor.fetchone()[0]) if connection.vendor == "postgresql" else "sqlite"
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "database": database.split(" on ")[0],
        "commit": commit,
        "load_1m": round(os.getloadavg()[0], 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--contacts", type=int, default=1_000_000)
    parser.add_argument("--years", type=int, default=4)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="the database already holds the generated hub: only time the figures",
    )
    args = parser.parse_args()

    result: dict[str, Any] = {"benchmark": "hub_figures", "contacts": args.contacts}
    call_command("migrate", verbosity=0)
    hub = demo_hub_ensure(password="openmash-demo")
    end = dt.date(2026, 11, 1)
    start = end - dt.timedelta(days=365 * args.years)
    from openmash.contacts.models import Contact

    if args.reuse and Contact.objects.filter(hub=hub).count() >= args.contacts:
        result["reused"] = True
        facts_refresh(hub=hub)
    else:
        log(f"generating {args.contacts:,} contacts from {start} to {end}")
        started = time.perf_counter()
        bulk_hub_generate(
            hub, contacts=args.contacts, start=start, end=end, seed=args.seed, progress=log
        )
        result["generate_s"] = round(time.perf_counter() - started, 1)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        log("rebuilding the facts")
        started = time.perf_counter()
        report = facts_refresh(hub=hub, full=True)
        result["facts_full_refresh_s"] = round(time.perf_counter() - started, 1)
        result["agency_checks"] = report.checks
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")

    year = Period(dt.date(2025, 10, 1), dt.date(2026, 9, 30))
    month = Period.month(2026, 9)
    from openmash.reporting.metrics import facts_in_period

    result["contacts_in_year"] = facts_in_period(hub, year).count()
    result["contacts_in_month"] = facts_in_period(hub, month).count()
    log("timing the metrics for a year")
    result["metrics_year"] = timed(lambda: metrics_compute(hub=hub, period=year), args.repeats)
    analyst = User.objects.get(username="demo.analyst")
    manager = User.objects.get(username="demo.manager")
    try:
        url = reverse("reporting:dashboard")
    except NoReverseMatch:
        url = ""
    if url:
        client = Client()
        client.force_login(analyst)
        query = {"start": year.start.isoformat(), "end": year.end.isoformat()}
        shown = f"{year.start.day} {year.start:%B %Y}"

        def dashboard() -> None:
            response = client.get(url, query)
            if response.status_code != 200:
                raise SystemExit(f"dashboard answered {response.status_code}")
            if shown not in response.content.decode():  # the year asked for, not a default
                raise SystemExit(f"the dashboard does not show the period from {shown}")

        log("timing the dashboard page for a year")
        result["dashboard_year"] = timed(dashboard, args.repeats)
    else:
        result["dashboard_year"] = "not measured: no dashboard page"
    log("timing the monthly return")
    result["monthly_return"] = timed(
        lambda: monthly_return_build(actor=manager, hub=hub, year=2026, month=9), args.repeats
    )
    try:
        from openmash.reporting.statutory.services import cin_census_export
    except ImportError:
        result["cin_census"] = "not measured: no export"
    else:
        log("timing the CIN census export for 2025-26")
        holder: dict[str, int] = {}

        def cin() -> None:
            holder["bytes"] = len(cin_census_export(actor=manager, hub=hub, year=2026))

        result["cin_census_2026"] = timed(cin, repeats=2, warmup=0)
        result["cin_census_bytes"] = holder["bytes"]
    log("timing an incremental facts refresh after a day of casework")
    bulk_hub_generate(
        hub,
        contacts=250,
        start=dt.date(2026, 11, 2),
        end=dt.date(2026, 11, 3),
        seed=args.seed + 1,
        number_from=Contact.objects.filter(hub=hub).count(),
        backdate=False,
    )
    started = time.perf_counter()
    incremental = facts_refresh(hub=hub)
    result["facts_incremental"] = {
        "contacts": incremental.contacts,
        "seconds": round(time.perf_counter() - started, 2),
    }
    result["machine"] = machine()
    result["at"] = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    line = json.dumps(result)
    sys.stdout.write(line + "\n")
    RESULTS.mkdir(exist_ok=True)
    with open(RESULTS / "hub_figures.jsonl", "a", encoding="utf-8") as handle:
        handle.write(line + "\n")


if __name__ == "__main__":
    main()
