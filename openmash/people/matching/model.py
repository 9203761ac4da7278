"""The Fellegi-Sunter match model: parameters, JSON form, versions and the hand-set default."""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any, Final

from openmash.people.matching.comparisons import (
    COMPARISONS,
    COMPARISONS_BY_NAME,
    NULL_LABEL,
    definitions_hash,
)

FORMAT: Final = "openmash-match-model/1"
#: Smallest m kept. EM happily drives m to zero for a level it never saw among matches
#: (a completely different date of birth, say), which would make that one disagreement veto
#: any amount of other evidence; a floor of 1 in 1,000 caps a single level at about -10 bits.
M_FLOOR: Final = 1e-3
#: Smallest u kept: rarer than one pair in ten million is more than training can tell.
U_FLOOR: Final = 1e-7


@dataclass(frozen=True)
class MatchModel:
    """Trained (or hand-set) Fellegi-Sunter parameters. JSON-serialisable and versioned.

    ``prior`` is lambda, the probability that two records drawn at random are the same person.
    ``comparisons[comparison][level] = (m, u)``: m = P(level | same person), u = P(level |
    different people). Null levels carry no weight and are not listed.
    """

    version: str
    prior: float
    comparisons: dict[str, dict[str, tuple[float, float]]]
    threshold: float = 0.9
    metadata: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not 0.0 < self.prior < 1.0:
            raise ValueError(f"prior must be strictly between 0 and 1, not {self.prior}")
        if not 0.0 <= self.threshold <= 1.0:
            raise ValueError(f"threshold must be between 0 and 1, not {self.threshold}")
        for comparison in COMPARISONS:
            levels = self.comparisons.get(comparison.name)
            if levels is None:
                raise ValueError(f"model has no parameters for comparison {comparison.name!r}")
            missing = [label for label in comparison.labels if label not in levels]
            if missing:
                raise ValueError(f"model lacks {comparison.name} level(s) {', '.join(missing)}")
            for label, (m, u) in levels.items():
                if label not in comparison.labels:
                    raise ValueError(f"unknown level {comparison.name}.{label}")
                if not (0.0 < m <= 1.0 and 0.0 < u <= 1.0):
                    raise ValueError(f"{comparison.name}.{label}: m and u must be in (0, 1]")
        unknown = set(self.comparisons) - set(COMPARISONS_BY_NAME)
        if unknown:
            raise ValueError(f"unknown comparison(s) {', '.join(sorted(unknown))}")

    # -- weights --------------------------------------------------------------------------

    @property
    def prior_weight(self) -> float:
        """log2 of the prior odds, the starting point of every pair's match weight."""
        return math.log2(self.prior / (1.0 - self.prior))

    def weight(self, comparison: str, level: str) -> float:
        """log2(m/u): positive moves a pair towards a match. The null level weighs 0."""
        if level == NULL_LABEL:
            return 0.0
        m, u = self.comparisons[comparison][level]
        return math.log2(m / u)

    def weights(self) -> dict[str, dict[str, float]]:
        return {
            c: {label: self.weight(c, label) for label in levels}
            for c, levels in self.comparisons.items()
        }

    def scaled_to(self, records: int) -> MatchModel:
        """This model with its prior re-derived for ``records`` records when it is marked to
        scale (``default_model``); otherwise (a trained model, whose lambda was estimated from
        its own data) the model itself. The version string is unchanged: the parameters are."""
        if self.metadata.get(PRIOR_SCALING_KEY) != PRIOR_PER_RECORD:
            return self
        prior = default_prior(records)
        if prior == self.prior:
            return self
        return replace(self, prior=prior, metadata={**self.metadata, "prior_records": str(records)})

    @property
    def threshold_weight(self) -> float:
        """The match weight equivalent of ``threshold``."""
        return probability_to_weight(self.threshold)

    # -- JSON -----------------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "version": self.version,
            "prior": self.prior,
            "threshold": self.threshold,
            "comparisons": {
                c.name: {label: list(self.comparisons[c.name][label]) for label in c.labels}
                for c in COMPARISONS
            },
            "metadata": dict(self.metadata),
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, sort_keys=False)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> MatchModel:
        if data.get("format") != FORMAT:
            raise ValueError(f"not a match model (format {data.get('format')!r}, want {FORMAT})")
        metadata = {str(k): str(v) for k, v in (data.get("metadata") or {}).items()}
        stored = metadata.get("definitions")
        if stored is not None and stored != definitions_hash():
            raise ValueError(
                "the model was trained with different comparison definitions "
                f"({stored}, current {definitions_hash()}): retrain it"
            )
        comparisons = {
            str(name): {str(label): (float(mu[0]), float(mu[1])) for label, mu in levels.items()}
            for name, levels in data["comparisons"].items()
        }
        return cls(
            version=str(data["version"]),
            prior=float(data["prior"]),
            comparisons=comparisons,
            threshold=float(data.get("threshold", 0.9)),
            metadata=metadata,
        )

    @classmethod
    def from_json(cls, text: str) -> MatchModel:
        return cls.from_dict(json.loads(text))


def probability_to_weight(probability: float) -> float:
    if probability <= 0.0:
        return -math.inf
    if probability >= 1.0:
        return math.inf
    return math.log2(probability / (1.0 - probability))


def weight_to_probability(weight: float) -> float:
    """2^w / (1 + 2^w), as Splink computes it, without overflow."""
    if weight >= 0:
        return 1.0 / (1.0 + 2.0 ** (-weight)) if weight < 1024 else 1.0
    if weight <= -1024:
        return 0.0
    odds = 2.0**weight
    return odds / (1.0 + odds)


def parameters_hash(
    prior: float, comparisons: Mapping[str, Mapping[str, tuple[float, float]]], threshold: float
) -> str:
    canonical = json.dumps(
        {
            "prior": prior,
            "threshold": threshold,
            "definitions": definitions_hash(),
            "comparisons": {
                c: {k: list(v) for k, v in lv.items()} for c, lv in comparisons.items()
            },
        },
        sort_keys=True,
    )
    return hashlib.sha256(canonical.encode()).hexdigest()[:8]


def make_model(
    prior: float,
    comparisons: Mapping[str, Mapping[str, tuple[float, float]]],
    *,
    threshold: float = 0.9,
    metadata: Mapping[str, str] | None = None,
    created: datetime | None = None,
) -> MatchModel:
    """A model with probabilities floored (``M_FLOOR``, ``U_FLOOR``), derived levels set,
    and a fresh version string ``<UTC time>-<hash8 of the parameters>``."""
    params = {
        c: {label: (max(m, M_FLOOR), max(u, U_FLOOR)) for label, (m, u) in lv.items()}
        for c, lv in comparisons.items()
    }
    params = derive_levels(params)
    when = (created or datetime.now(UTC)).strftime("%Y-%m-%dT%H:%M:%SZ")
    meta = {"definitions": definitions_hash(), "created": when, **(metadata or {})}
    version = f"{when}-{parameters_hash(prior, params, threshold)}"
    return MatchModel(
        version=version, prior=prior, comparisons=params, threshold=threshold, metadata=meta
    )


def _w(params: Mapping[str, Mapping[str, tuple[float, float]]], c: str, label: str) -> float:
    m, u = params[c][label]
    return math.log2(m / u)


def derive_levels(
    params: Mapping[str, Mapping[str, tuple[float, float]]],
) -> dict[str, dict[str, tuple[float, float]]]:
    """Set the derived levels, which explain away household evidence.

    Fellegi-Sunter assumes comparisons are independent given match status. Households break
    that: twins share surname, date of birth, address and sex; a father and son can share a
    name and an address; a parent's NHS number turns up on a child's record. So:

    * given_name.twin_pattern (given names differ outright, same date of birth - or one that is
      transposed or a digit out, since twins' records carry typos too): the ordinary
      "given names differ" weight minus the most that the shared household attributes could
      add (exact date of birth, exact surname, the strongest address level, same sex). Twins
      always score below the "different" baseline, whatever else agrees; that includes an
      agreeing NHS number or agency id, because twins' identifiers are the classic mix-up. (A
      person whose given name really changed, same NHS number and all, is therefore not
      matched automatically either: a worker links them by hand.)
    * given_name.household_pattern (given names differ outright, a date of birth missing on one
      side, same surname, same address or postcode): a sibling or parent. The "given names
      differ" weight minus the surname, address and sex weights, so the household alone never
      links them (an agreeing NHS number or agency id still can).
    * date_of_birth.sibling_pattern (dates of birth differ outright, given names not equal,
      same surname, same address or postcode): siblings, whose names may be variants of one
      name (Lisa, Eliza). The "dates of birth differ" weight minus the surname, address and sex
      weights.
    * date_of_birth.generation_pattern (names agree, birth years 12 or more apart): the
      "dates of birth differ" weight minus the exact given-name and surname weights.
    * nhs_number.exact_dob_conflict (same NHS number, dates of birth differ outright):
      weight 0, no evidence either way.
    * family_name.swapped and family_name.swapped_fuzzy: weight 0. Given and family names
      swapped is one observation, weighed once, by the given-name comparison's swap levels.

    Each level's u is what independence would predict for unrelated pairs and m is set so that
    log2(m/u) is the derived weight; Splink is given both as fixed values.
    """
    out = {c: dict(levels) for c, levels in params.items()}

    def w(c: str, label: str) -> float:
        m, u = params[c][label]
        return math.log2(m / u)

    def u(c: str, label: str) -> float:
        return params[c][label][1]

    household = (
        max(0.0, w("date_of_birth", "exact"))
        + max(0.0, w("family_name", "exact"))
        + max(0.0, max(w("location", label) for label in params["location"]))
        + max(0.0, w("sex", "exact"))
        + max(0.0, w("nhs_number", "exact"))  # twins' NHS numbers get mixed up
        + max(0.0, w("other_id", "exact"))
    )
    twin_u = u("given_name", "different") * u("date_of_birth", "exact")
    twin_w = min(w("given_name", "different"), 0.0) - household
    out["given_name"]["twin_pattern"] = (twin_u * 2.0**twin_w, twin_u)

    # Siblings and parents: no date of birth to compare, so only surname, address and sex are
    # shared. An agreeing NHS number or agency id still counts (it is not household evidence).
    shared = (
        max(0.0, w("family_name", "exact"))
        + max(0.0, w("location", "same_address"), w("location", "postcode"))
        + max(0.0, w("sex", "exact"))
    )
    home_u = u("given_name", "different") * u("family_name", "exact") * u("location", "postcode")
    home_w = min(w("given_name", "different"), 0.0) - shared
    out["given_name"]["household_pattern"] = (home_u * 2.0**home_w, home_u)

    # Siblings: dates of birth differ outright and given names are not the same (but may be
    # variants of one name, Lisa / Eliza): the shared surname, address and sex explain nothing.
    sib_u = u("date_of_birth", "different") * u("family_name", "exact") * u("location", "postcode")
    sib_w = min(w("date_of_birth", "different"), 0.0) - shared
    out["date_of_birth"]["sibling_pattern"] = (sib_u * 2.0**sib_w, sib_u)

    names = max(0.0, w("given_name", "exact")) + max(0.0, w("family_name", "exact"))
    gen_u = u("date_of_birth", "different") * u("given_name", "exact") * u("family_name", "exact")
    gen_w = min(w("date_of_birth", "different"), 0.0) - names
    out["date_of_birth"]["generation_pattern"] = (gen_u * 2.0**gen_w, gen_u)

    nhs_u = u("nhs_number", "exact")
    out["nhs_number"]["exact_dob_conflict"] = (nhs_u, nhs_u)

    # A swap is one event seen by both name comparisons: the given-name level weighs it.
    for label in ("swapped", "swapped_fuzzy"):
        swap_u = u("given_name", label)
        out["family_name"][label] = (swap_u, swap_u)
    return out


#: Hand-set parameters, used before any model has been trained on local data. The values are
#: judgement, not estimates: m from typical recording-error rates in agency data, u from the
#: rough frequency of each agreement among unrelated people in a county-sized population.
DEFAULT_PARAMETERS: Final[dict[str, dict[str, tuple[float, float]]]] = {
    "given_name": {
        "exact": (0.86, 0.004),
        "nickname": (0.05, 0.002),
        "typo": (0.03, 0.001),
        "prefix": (0.01, 0.002),
        "initial": (0.01, 0.003),
        "abbreviation": (0.005, 0.0005),
        "alias": (0.01, 0.0005),
        # u: one record's given name is the other's family name and vice versa (both ~1e-3)
        "swapped": (0.01, 0.000001),
        "swapped_fuzzy": (0.005, 0.000001),
        # u: one record's surname is the other's given name, and both look like it (~1e-5)
        "swapped_renamed": (0.001, 0.00001),
        "nickname_typo": (0.01, 0.001),
        "fuzzy": (0.01, 0.001),
        "twin_pattern": (0.0001, 0.00005),  # replaced by derive_levels
        "household_pattern": (0.0001, 0.00005),  # replaced by derive_levels
        "different": (0.01, 0.99),
    },
    "family_name": {
        "exact": (0.85, 0.003),
        "typo": (0.04, 0.002),
        "part": (0.03, 0.0005),
        "alias": (0.02, 0.0002),
        "swapped": (0.00001, 0.00001),  # replaced by derive_levels
        "swapped_fuzzy": (0.00001, 0.00001),  # replaced by derive_levels
        "different": (0.05, 0.995),
    },
    "date_of_birth": {
        "exact": (0.92, 0.00005),
        "transposed": (0.02, 0.00005),
        "one_digit": (0.03, 0.0005),
        # u: same day and month 1/365, same year and month ~1/1000, same year and day ~1/2500
        "two_of_three": (0.03, 0.004),
        "generation_pattern": (0.0001, 0.00005),  # replaced by derive_levels
        "sibling_pattern": (0.0001, 0.00005),  # replaced by derive_levels
        "different": (0.01, 0.998),
    },
    "sex": {"exact": (0.98, 0.5), "different": (0.02, 0.5)},
    "nhs_number": {
        "exact": (0.99, 0.0000001),
        "exact_dob_conflict": (0.0001, 0.0001),  # replaced by derive_levels
        "different": (0.01, 0.9999999),
    },
    "location": {
        "same_address": (0.6, 0.00002),
        "postcode": (0.05, 0.00005),
        "address_line": (0.02, 0.0001),
        "sector": (0.05, 0.002),
        "district": (0.05, 0.01),
        "area": (0.05, 0.05),
        "different": (0.18, 0.94),
    },
    "other_id": {"exact": (0.5, 0.000001), "different": (0.5, 0.999999)},
}
#: Default lambda for small files and indexes: one match per 100,000 candidate records. Larger
#: ones get ``1 / records`` (``default_prior``).
DEFAULT_PRIOR: Final = 0.00001
#: Metadata marking a model whose prior is re-derived from the size of the data it scores.
PRIOR_SCALING_KEY: Final = "prior_scaling"
PRIOR_PER_RECORD: Final = "per_record"


def default_prior(records: int | None = None) -> float:
    """lambda, the chance that two records drawn at random are one person, for ``records``
    records: at most one true match per record, so 1 / records (for a link, the larger file's
    size), capped at ``DEFAULT_PRIOR`` for small data. Without a size, ``DEFAULT_PRIOR``.

    A fixed lambda over-states the chance of a match in a large file (one in 100,000 is 17 times
    what training finds among a million records), so coincidences - the same common name and a
    date of birth a digit apart - would link."""
    if not records or records <= 0:
        return DEFAULT_PRIOR
    return min(DEFAULT_PRIOR, 1.0 / records)


def default_model(records: int | None = None) -> MatchModel:
    """Sensible hand-set parameters for use before any training on local data.

    The prior is ``default_prior(records)``; the model is marked so that ``batch.link``,
    ``batch.dedupe`` and ``MatchIndex.build`` re-derive it from the size of the data they are
    given (``MatchModel.scaled_to``). Deterministic (a fixed creation time), so its version
    string is stable.
    """
    return make_model(
        default_prior(records),
        DEFAULT_PARAMETERS,
        metadata={
            "source": "default (hand-set, untrained)",
            PRIOR_SCALING_KEY: PRIOR_PER_RECORD,
        },
        created=datetime(2026, 1, 1, tzinfo=UTC),
    )
