"""Synthetic monthly returns for N hubs x M months (fixed seed), for tests and the benchmark.

Hubs differ in size (log-normal: from about 40 to 3,000 contacts a month) and in practice (each
hub has its own timeliness and conversion rates, drifting a little month by month). Counts
from 1 to 4 are suppressed, and in each group that adds up to the total a second cell is
suppressed wherever only one is, so that no suppressed count can be worked back from the
total. Every return passes `validation.return_errors`."""

import calendar
import math
import random
from collections.abc import Iterator
from datetime import UTC, date, datetime
from typing import Any

from openmash.core.standards import CONCERN_CATEGORIES, REFERRAL_SOURCES

THRESHOLD = 5
SOURCE_WEIGHTS = dict.fromkeys(REFERRAL_SOURCES, 1.0) | {
    "6": 28.0,
    "2A": 16.0,
    "3A": 4.0,
    "3B": 4.0,
    "3E": 3.0,
    "5A": 6.0,
    "5C": 3.0,
    "1A": 6.0,
    "8": 5.0,
    "9": 2.0,
    "10": 3.0,
}
RAGS = {"red": 0.08, "amber": 0.32, "green": 0.48, "unrated": 0.12}
LEVELS = {"1": 0.18, "2": 0.36, "3": 0.24, "4": 0.1, "unrated": 0.12}
OUTCOMES = {
    "NFA": 0.3,
    "ADVICE": 0.2,
    "EARLY_HELP": 0.18,
    "S17": 0.12,
    "S47": 0.05,
    "POLICE": 0.02,
    "TRANSFER": 0.01,
    "undecided": 0.12,
}
AGENCIES = (
    ("police", "Police", "police"),
    ("health", "Community health", "health"),
    ("education", "Education", "education"),
    ("probation", "Probation", "probation"),
    ("housing", "Housing", "housing"),
)
# Target hours by RAG (Surrey-like timescales) drive the synthetic turnaround.
RAG_HOURS = {"red": 3.0, "amber": 18.0, "green": 50.0, "unrated": 30.0}
LEVEL_HOURS = {"1": 55.0, "2": 45.0, "3": 20.0, "4": 4.0, "unrated": 30.0}


def _split(rng: random.Random, total: int, weights: dict[str, float]) -> dict[str, int]:
    """Multinomial-ish split of `total` across the keys (adds up exactly)."""
    keys = list(weights)
    raw = [rng.gammavariate(weights[k] * 20, 1.0) for k in keys]
    scale = total / sum(raw) if sum(raw) else 0
    counts = [math.floor(r * scale) for r in raw]
    for i in rng.sample(range(len(keys)), total - sum(counts)):
        counts[i] += 1
    return dict(zip(keys, counts, strict=True))


def _binomial(rng: random.Random, n: int, p: float) -> int:
    if n < 50:
        return sum(rng.random() < p for _ in range(n))
    value = round(rng.gauss(n * p, math.sqrt(n * p * (1 - p))))
    return max(0, min(n, value))


def _small(value: int) -> bool:
    return 0 < value < THRESHOLD


class _Builder:
    def __init__(self) -> None:
        self.suppressed = 0

    def cell(self, value: int, *, force: bool = False) -> dict[str, Any]:
        if force or _small(value):
            self.suppressed += 1
            return {"value": None, "suppressed": True}
        return {"value": value, "suppressed": False}

    def group(self, counts: dict[str, int], total_suppressed: bool) -> dict[str, Any]:
        """Primary suppression, then secondary: never exactly one suppressed cell in a group
        whose total is published (it could be worked back by subtraction)."""
        hidden = {k for k, v in counts.items() if _small(v) or (total_suppressed and v > 0)}
        if len(hidden) == 1 and not total_suppressed:
            others = sorted(
                (v, k) for k, v in counts.items() if k not in hidden and v > 0
            ) or sorted((v, k) for k, v in counts.items() if k not in hidden)
            if others:
                hidden.add(others[0][1])
        return {k: self.cell(v, force=k in hidden) for k, v in counts.items()}

    def rate(self, numerator: int, denominator: int) -> dict[str, Any]:
        # A small denominator hides its numerator too (the numerator is at most the
        # denominator, and so would narrow it down).
        den_hidden = _small(denominator)
        num_hidden = _small(numerator) or (den_hidden and numerator > 0)
        percent = None
        if not num_hidden and not den_hidden and denominator:
            percent = round(100 * numerator / denominator, 1)
        return {
            "numerator": self.cell(numerator, force=num_hidden),
            "denominator": self.cell(denominator, force=den_hidden),
            "percent": percent,
        }

    def stats(self, rng: random.Random, count: int, mean_hours: float) -> dict[str, Any]:
        cell = self.cell(count)
        if cell["suppressed"] or count == 0:
            return {
                "count": cell,
                "mean_hours": None,
                "median_hours": None,
                "p90_hours": None,
                "mean_days": None,
            }
        mean = max(0.1, rng.gauss(mean_hours, mean_hours * 0.1))
        return {
            "count": cell,
            "mean_hours": round(mean, 1),
            "median_hours": round(mean * 0.8, 1),
            "p90_hours": round(mean * 2.1, 1),
            "mean_days": round(mean / 8 * 1.4, 1),
        }


def hub_codes(hubs: int) -> list[str]:
    return [f"{100 + n * 5 % 900:03d}" for n in range(hubs)]


def _months(first: date, count: int) -> Iterator[date]:
    year, month = first.year, first.month
    for _ in range(count):
        yield date(year, month, 1)
        month += 1
        if month > 12:
            year, month = year + 1, 1


def monthly_return(
    rng: random.Random, *, code: str, name: str, month: date, size: float, skill: float
) -> dict[str, Any]:
    b = _Builder()
    total = max(0, round(rng.gauss(size, size * 0.08)))
    total_cell = b.cell(total)
    hidden = total_cell["suppressed"]
    rag = _split(rng, total, RAGS)
    level = _split(rng, total, LEVELS)
    outcome = _split(rng, total, OUTCOMES)
    concern = {k: _binomial(rng, total, 0.08) for k in list(CONCERN_CATEGORIES)[:12]}
    contacts = {
        "total": total_cell,
        "by_source": b.group(_split(rng, total, SOURCE_WEIGHTS), hidden),
        "by_concern": {k: b.cell(v) for k, v in concern.items()},
        "by_rag": b.group(rag, hidden),
        "by_level": b.group(level, hidden),
        "by_outcome": b.group(outcome, hidden),
    }
    screened = total - rag["unrated"]
    decided = total - outcome["undecided"]

    def turnaround(share: float) -> dict[str, Any]:
        return {
            "all": b.stats(rng, screened, 30.0 * share / skill),
            "by_rag": {k: b.stats(rng, v, RAG_HOURS[k] * share / skill) for k, v in rag.items()},
            "by_level": {
                k: b.stats(rng, v, LEVEL_HOURS[k] * share / skill) for k, v in level.items()
            },
        }

    on_time_p = min(0.99, 0.72 * skill)
    checks = []
    all_requested = all_on_time = 0
    for agency, agency_name, agency_type in AGENCIES:
        requested = _binomial(rng, total, 0.35 if agency in ("police", "health") else 0.15)
        answered = _binomial(rng, requested, 0.95)
        on_time = _binomial(rng, answered, on_time_p)
        all_requested += requested
        all_on_time += on_time
        checks.append(
            {
                "agency": agency,
                "name": agency_name,
                "type": agency_type,
                "requested": b.cell(requested),
                "answered": b.cell(answered),
                "on_time": b.rate(on_time, requested),
                "response": b.stats(rng, answered, 14.0 / skill),
            }
        )
    referrals = outcome["S17"] + outcome["S47"]
    feedback_sent = _binomial(rng, decided, min(0.98, 0.6 * skill))
    last_day = calendar.monthrange(month.year, month.month)[1]
    doc: dict[str, Any] = {
        "return_type": "openmash-monthly-return",
        "schema_version": "1.0",
        "hub": {"code": code, "name": name},
        "period": {
            "month": f"{month:%Y-%m}",
            "start": month.isoformat(),
            "end": month.replace(day=last_day).isoformat(),
        },
        "generated_at": datetime(month.year, month.month, last_day, 23, 0, tzinfo=UTC).isoformat(),
        "suppression": {"threshold": THRESHOLD, "cells_suppressed": 0},
        "contacts": contacts,
        "turnaround": {"to_screening": turnaround(0.4), "to_decision": turnaround(1.0)},
        "on_time": {
            "screening": b.rate(_binomial(rng, screened, on_time_p), screened),
            "agency_checks": b.rate(all_on_time, all_requested),
            "decision": b.rate(_binomial(rng, decided, on_time_p * 0.95), decided),
            "feedback": b.rate(_binomial(rng, feedback_sent, on_time_p), feedback_sent),
        },
        "agency_checks": checks,
        "conversion": {
            "early_help": b.rate(outcome["EARLY_HELP"], total),
            "s17": b.rate(outcome["S17"], total),
            "s47": b.rate(outcome["S47"], total),
        },
        "repeat": {
            "recontacts_12m": b.rate(_binomial(rng, total, 0.3), total),
            "rereferrals_12m": b.rate(_binomial(rng, referrals, 0.22), referrals),
            "referrals_after_nfa_12m": b.rate(_binomial(rng, referrals, 0.1), referrals),
        },
        "decisions": {"rationale_recorded": b.rate(_binomial(rng, decided, 0.97), decided)},
        "feedback": {
            "sent": b.rate(feedback_sent, decided),
            "sent_on_time": b.rate(_binomial(rng, feedback_sent, on_time_p), feedback_sent),
        },
    }
    doc["suppression"]["cells_suppressed"] = b.suppressed
    return doc


def returns(
    hubs: int, months: int, *, seed: int = 1, first_month: date = date(2023, 4, 1)
) -> Iterator[dict[str, Any]]:
    """`hubs` x `months` returns, hub by hub, month by month (deterministic for a seed)."""
    rng = random.Random(f"national-returns/{seed}")
    for code in hub_codes(hubs):
        # Sizes: log-normal around 250 contacts a month; a few very small hubs.
        size = min(3000.0, max(3.0, rng.lognormvariate(math.log(250), 0.8)))
        skill = rng.uniform(0.8, 1.3)
        name = f"Synthetic hub {code}"
        for month in _months(first_month, months):
            skill = min(1.35, max(0.7, skill + rng.gauss(0, 0.02)))
            yield monthly_return(rng, code=code, name=name, month=month, size=size, skill=skill)
