"""A return flattened into measures (one row per figure, named by its dotted path), and the
catalogue of measures the national view benchmarks and trends.

Flattening rules (documented in docs/national-view.md):
- a cell ("contacts.total", "contacts.by_source.6", "agency_checks.police.requested"):
  value = the count (None when suppressed), suppressed = the cell's flag;
- a rate ("on_time.screening", "agency_checks.police.on_time"): numerator and denominator (None
  where suppressed), value = the percent, suppressed = either count suppressed;
- a statistic ("turnaround.to_decision.all.mean_hours", one row per figure, and ".count" as a
  cell): value = the figure, denominator = the count it summarises (so a national mean is
  sum(value x denominator) / sum(denominator) in one aggregate), suppressed = the count's flag.
"""

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from openmash.core.standards import NATIONAL_OUTCOMES, REFERRAL_SOURCES

STAT_FIGURES = ("mean_hours", "median_hours", "p90_hours", "mean_days")


@dataclass(frozen=True)
class FlatMeasure:
    measure: str
    value: float | None = None
    numerator: int | None = None
    denominator: int | None = None
    suppressed: bool = False


def _cell(measure: str, cell: Mapping[str, Any]) -> FlatMeasure:
    suppressed = bool(cell["suppressed"])
    return FlatMeasure(measure, value=None if suppressed else cell["value"], suppressed=suppressed)


def _rate(measure: str, rate: Mapping[str, Any]) -> FlatMeasure:
    num, den = rate["numerator"], rate["denominator"]
    return FlatMeasure(
        measure,
        value=rate["percent"],
        numerator=None if num["suppressed"] else num["value"],
        denominator=None if den["suppressed"] else den["value"],
        suppressed=bool(num["suppressed"] or den["suppressed"]),
    )


def _stats(measure: str, stats: Mapping[str, Any]) -> Iterator[FlatMeasure]:
    count = _cell(f"{measure}.count", stats["count"])
    yield count
    weight = None if count.value is None else int(count.value)
    for figure in STAT_FIGURES:
        yield FlatMeasure(
            f"{measure}.{figure}",
            value=stats[figure],
            denominator=weight,
            suppressed=count.suppressed,
        )


def flatten(doc: Mapping[str, Any]) -> list[FlatMeasure]:
    """Every figure of a valid return as a measure row."""
    rows: list[FlatMeasure] = [
        FlatMeasure("suppression.cells_suppressed", value=doc["suppression"]["cells_suppressed"])
    ]
    contacts = doc["contacts"]
    rows.append(_cell("contacts.total", contacts["total"]))
    for group in ("by_source", "by_concern", "by_rag", "by_level", "by_outcome"):
        rows.extend(_cell(f"contacts.{group}.{k}", c) for k, c in contacts[group].items())
    for stage, turnaround in doc["turnaround"].items():
        rows.extend(_stats(f"turnaround.{stage}.all", turnaround["all"]))
        for group in ("by_rag", "by_level"):
            for key, stats in turnaround[group].items():
                rows.extend(_stats(f"turnaround.{stage}.{group}.{key}", stats))
    for section in ("on_time", "conversion", "repeat", "decisions", "feedback"):
        rows.extend(_rate(f"{section}.{name}", rate) for name, rate in doc[section].items())
    for check in doc["agency_checks"]:
        prefix = f"agency_checks.{check['agency']}"
        rows.append(_cell(f"{prefix}.requested", check["requested"]))
        rows.append(_cell(f"{prefix}.answered", check["answered"]))
        rows.append(_rate(f"{prefix}.on_time", check["on_time"]))
        rows.extend(_stats(f"{prefix}.response", check["response"]))
    return rows


# -- The catalogue the pages offer ------------------------------------------------------------


class Kind(StrEnum):
    COUNT = "count"  # a cell: summed across hubs; a hub's figure is its mean per month
    RATE = "rate"  # pooled: sum of numerators / sum of denominators
    MEAN = "mean"  # a statistic's mean, weighted by its count


@dataclass(frozen=True)
class MeasureSpec:
    key: str
    measure: str
    label: str
    kind: Kind
    unit: str
    higher_is_better: bool | None  # None: neither (volume); the ranking says which is first

    @property
    def unit_label(self) -> str:
        return {"%": "per cent", "h": "working hours", "": "contacts"}[self.unit]


CATALOGUE: tuple[MeasureSpec, ...] = (
    MeasureSpec("contacts", "contacts.total", "Contacts per month", Kind.COUNT, "", None),
    MeasureSpec("screened_on_time", "on_time.screening", "Screened on time", Kind.RATE, "%", True),
    MeasureSpec(
        "checks_on_time",
        "on_time.agency_checks",
        "Agency checks answered on time",
        Kind.RATE,
        "%",
        True,
    ),
    MeasureSpec(
        "decided_on_time", "on_time.decision", "Decisions made on time", Kind.RATE, "%", True
    ),
    MeasureSpec(
        "feedback_on_time", "on_time.feedback", "Feedback sent on time", Kind.RATE, "%", True
    ),
    MeasureSpec(
        "hours_to_screening",
        "turnaround.to_screening.all.mean_hours",
        "Mean working hours to screening",
        Kind.MEAN,
        "h",
        False,
    ),
    MeasureSpec(
        "hours_to_decision",
        "turnaround.to_decision.all.mean_hours",
        "Mean working hours to decision",
        Kind.MEAN,
        "h",
        False,
    ),
    MeasureSpec(
        "to_early_help", "conversion.early_help", "Converted to early help", Kind.RATE, "%", None
    ),
    MeasureSpec(
        "to_s17", "conversion.s17", "Converted to a section 17 assessment", Kind.RATE, "%", None
    ),
    MeasureSpec(
        "to_s47",
        "conversion.s47",
        "Converted to a section 47 strategy discussion",
        Kind.RATE,
        "%",
        None,
    ),
    MeasureSpec(
        "rereferrals",
        "repeat.rereferrals_12m",
        "Re-referrals within 12 months",
        Kind.RATE,
        "%",
        False,
    ),
    MeasureSpec(
        "recontacts",
        "repeat.recontacts_12m",
        "Repeat contacts within 12 months",
        Kind.RATE,
        "%",
        False,
    ),
    MeasureSpec(
        "rationale",
        "decisions.rationale_recorded",
        "Decisions with a recorded rationale",
        Kind.RATE,
        "%",
        True,
    ),
    MeasureSpec(
        "feedback_sent", "feedback.sent", "Feedback sent to the referrer", Kind.RATE, "%", True
    ),
)
BY_KEY: dict[str, MeasureSpec] = {spec.key: spec for spec in CATALOGUE}
RATE_SPECS = tuple(spec for spec in CATALOGUE if spec.kind == Kind.RATE)
DEFAULT_BENCHMARK = "screened_on_time"

# Plain-English names of the groups' keys (unknown keys are shown as they are).
RAG_LABELS = {
    "red": "Red",
    "amber": "Amber",
    "green": "Green",
    "blue": "Blue",
    "unrated": "Not rated",
}
# (title after "<where>: ", the table's first column)
GROUP_TITLES = {
    "by_source": ("contacts by source", "Source"),
    "by_rag": ("contacts by current RAG rating", "RAG rating"),
    "by_level": ("contacts by level of need", "Level of need"),
    "by_outcome": ("contacts by decision outcome", "Decision outcome"),
    "by_concern": ("contacts recording each concern", "Concern"),
}


def group_label(group: str, key: str) -> str:
    if group == "by_source":
        return f"{key}: {REFERRAL_SOURCES[key]}" if key in REFERRAL_SOURCES else key
    if group == "by_rag":
        return RAG_LABELS.get(key, key)
    if group == "by_level":
        return "Not rated" if key == "unrated" else f"Level {key}"
    if group == "by_outcome":
        if key.upper() in NATIONAL_OUTCOMES:
            return NATIONAL_OUTCOMES[key.upper()]
        return "Not yet decided" if key == "undecided" else key
    if group == "by_concern":
        from openmash.core.standards import CONCERN_CATEGORIES

        return CONCERN_CATEGORIES[key][0] if key in CONCERN_CATEGORIES else key
    return key
