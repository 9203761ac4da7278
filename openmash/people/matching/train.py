"""Unsupervised training of the match model with Splink 5 on DuckDB.

* u (how often unrelated people agree) by random sampling of record pairs;
* m (how often the same person's records agree) by expectation maximisation over two blocking
  rules, so every comparison is estimated at least once: blocking on name trains date of
  birth, sex, NHS number, address and identifiers; blocking on date of birth trains the names;
* lambda (the prior) from deterministic rules (agreeing NHS number; same name and date of
  birth) with an assumed recall.

Levels that training never observed fall back to the hand-set default parameters, and the
levels that explain away household evidence are derived, not trained (``model.derive_levels``).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from typing import Any, Final

from openmash.people.matching.comparisons import COMPARISONS
from openmash.people.matching.features import to_arrow
from openmash.people.matching.model import DEFAULT_PARAMETERS, U_FLOOR, MatchModel, make_model
from openmash.people.matching.records import PersonRecord

logger = logging.getLogger(__name__)

#: Candidate pairs for batch prediction (each is OR-ed; Splink removes duplicates).
PREDICTION_BLOCKING_RULES: Final[tuple[str, ...]] = (
    "l.nhs = r.nhs",
    "l.dob = r.dob AND l.given_key1 = r.given_key1",
    "l.dob = r.dob AND l.family_sdx = r.family_sdx",
    "l.dob = r.dob AND l.pc_district = r.pc_district",
    "l.dob = r.dob AND l.family_first = r.family_first",
    "l.dob = r.dob AND l.given_initial = r.given_initial",  # typos in both names, moved house
    "l.dob_y = r.dob_y AND l.given_key1 = r.given_key1 AND l.family_sdx = r.family_sdx",
    "l.pc_district = r.pc_district AND l.given_key1 = r.given_key1 AND l.family_sdx = r.family_sdx",
    "l.pc_sector = r.pc_sector AND l.family_sdx = r.family_sdx",
    "l.addr = r.addr AND l.pc_area = r.pc_area",
    "l.addr = r.addr AND l.town = r.town",
    "l.given_first = r.given_first AND l.family_std = r.family_std",
    # Names swapped (whatever the date of birth), or swapped with a typo or nickname in one of
    # them; day and month transposed. The index queries swapped names and dates as well.
    "l.given_first = r.family_first AND l.family_first = r.given_first",
    "l.dob = r.dob AND l.given_first = r.family_first",
    "l.dob = r.dob AND l.family_first = r.given_first",
    "l.dob_y = r.dob_y AND l.dob_m = r.dob_d AND l.dob_d = r.dob_m AND l.family_sdx = r.family_sdx",
    "l.dob_y = r.dob_y AND l.dob_m = r.dob_d AND l.dob_d = r.dob_m AND l.given_key1 = r.given_key1",
    "l.other_id = r.other_id",
)
#: Blocking rules for the EM sessions (together they leave every comparison free once).
TRAINING_BLOCKING_RULES: Final[tuple[str, ...]] = (
    "l.given_first = r.given_first AND l.family_std = r.family_std",
    "l.dob = r.dob",
)
#: Deterministic rules for lambda, and the share of true matches they are assumed to find.
DETERMINISTIC_RULES: Final[tuple[str, ...]] = (
    "l.nhs = r.nhs",
    "l.given_first = r.given_first AND l.family_std = r.family_std AND l.dob = r.dob",
)
DETERMINISTIC_RECALL: Final = 0.8


def dataset_names(count: int) -> list[str]:
    """Names the input tables are registered under (SQL-safe: not LEFT or RIGHT)."""
    return ["records"] if count == 1 else ["records_left", "records_right"][:count]


def splink_settings(
    model: MatchModel | None,
    *,
    link_type: str = "dedupe_only",
    dialect: str = "duckdb",
) -> dict[str, Any]:
    """A Splink settings dict for our comparisons, with the model's parameters when given.

    With a model, every level's m and u are the model's, so Splink's predictions carry exactly
    the weights the in-process scorer uses. Without one, the settings are for training: derived
    levels are left out.
    """
    comparisons = [
        c.splink_dict(
            model.comparisons[c.name] if model is not None else None,
            dialect=dialect,
            for_training=model is None,
        )
        for c in COMPARISONS
    ]
    settings: dict[str, Any] = {
        "link_type": link_type,
        "unique_id_column_name": "unique_id",
        "comparisons": comparisons,
        "blocking_rules_to_generate_predictions": list(PREDICTION_BLOCKING_RULES),
        "retain_matching_columns": False,
        "retain_intermediate_calculation_columns": False,
    }
    if model is not None:
        settings["probability_two_random_records_match"] = model.prior
    return settings


def _extract_parameters(
    settings_dict: dict[str, Any],
) -> tuple[float, dict[str, dict[str, tuple[float, float]]], list[str]]:
    """(prior, parameters, untrained level names) from ``linker.misc.save_model_to_json()``.

    A level training did not observe takes the default parameters; derived levels get a
    placeholder that ``model.derive_levels`` replaces.
    """
    trained: dict[tuple[str, str], dict[str, Any]] = {}
    for comparison in settings_dict["comparisons"]:
        for level in comparison["comparison_levels"]:
            if not level.get("is_null_level"):
                trained[(comparison["output_column_name"], level["label_for_charts"])] = level
    parameters: dict[str, dict[str, tuple[float, float]]] = {}
    untrained: list[str] = []
    for comparison in COMPARISONS:
        levels: dict[str, tuple[float, float]] = {}
        for level in comparison.levels[1:]:
            default_m, default_u = DEFAULT_PARAMETERS[comparison.name][level.label]
            found = trained.get((comparison.name, level.label), {})
            m = found.get("m_probability")
            u = found.get("u_probability")
            if not isinstance(m, (int, float)) or m <= 0:
                if not level.derived:
                    untrained.append(f"{comparison.name}.{level.label}.m")
                m = default_m
            if not isinstance(u, (int, float)) or u <= 0:
                if not level.derived:
                    untrained.append(f"{comparison.name}.{level.label}.u")
                u = default_u
            levels[level.label] = (float(m), float(u))
        parameters[comparison.name] = levels
    return float(settings_dict["probability_two_random_records_match"]), parameters, untrained


def remove_matches_from_u(
    prior: float, parameters: dict[str, dict[str, tuple[float, float]]]
) -> dict[str, dict[str, tuple[float, float]]]:
    """Correct u for the true matches that random sampling cannot avoid.

    A random pair is a match with probability lambda, so the sampled level frequencies are
    lambda*m + (1 - lambda)*u. On a county-sized file lambda is tiny and this changes nothing;
    on a few thousand records it matters for levels that matches dominate (an agreeing NHS
    number is far rarer among different people than a small random sample suggests).
    """
    out: dict[str, dict[str, tuple[float, float]]] = {}
    for name, levels in parameters.items():
        out[name] = {
            label: (m, min(1.0, max(U_FLOOR, (u - prior * m) / (1.0 - prior))))
            for label, (m, u) in levels.items()
        }
    return out


def train_on_tables(
    tables: Sequence[Any],
    *,
    link_type: str = "dedupe_only",
    seed: int = 42,
    u_max_pairs: float = 5e6,
    em_max_pairs: float | None = 5e6,
    deterministic_recall: float = DETERMINISTIC_RECALL,
    threshold: float = 0.9,
    correct_u: bool = True,
    db_api: Any = None,
) -> MatchModel:
    """Train on pyarrow tables built by ``features.to_arrow`` (one for dedupe, two to link),
    in ``db_api`` (a Splink DuckDBAPI; a fresh in-memory one by default)."""
    from splink import DuckDBAPI, Linker

    if db_api is None:
        db_api = DuckDBAPI()
    frames = [
        db_api.register(table, dataset_display_name=name)
        for name, table in zip(dataset_names(len(tables)), tables, strict=True)
    ]
    linker = Linker(
        frames if len(frames) > 1 else frames[0],
        splink_settings(None, link_type=link_type),
        log_level=None,
    )
    training = linker.training
    training.estimate_probability_two_random_records_match(
        list(DETERMINISTIC_RULES), recall=deterministic_recall
    )
    training.estimate_u_using_random_sampling(max_pairs=u_max_pairs, seed=seed)
    for rule in TRAINING_BLOCKING_RULES:
        training.estimate_parameters_using_expectation_maximisation(
            rule, max_pairs=em_max_pairs, estimate_without_term_frequencies=True
        )
    prior, parameters, untrained = _extract_parameters(linker.misc.save_model_to_json())
    if correct_u:
        parameters = remove_matches_from_u(prior, parameters)
    rows = sum(int(t.num_rows) for t in tables)
    if untrained:
        logger.info("levels not observed in training (defaults used): %s", ", ".join(untrained))
    return make_model(
        prior,
        parameters,
        threshold=threshold,
        metadata={
            "source": f"splink {_splink_version()} EM ({link_type}, seed {seed})",
            "training_records": str(rows),
            "defaults_used_for": ",".join(untrained),
        },
    )


def _splink_version() -> str:
    import splink

    return str(splink.__version__)


def train_model(
    records: Iterable[PersonRecord],
    *,
    seed: int = 42,
    u_max_pairs: float = 5e6,
    em_max_pairs: float | None = 5e6,
    deterministic_recall: float = DETERMINISTIC_RECALL,
    threshold: float = 0.9,
) -> MatchModel:
    """Train a model, without labels, on one set of records (deduplication).

    ``deterministic_recall`` is the assumed share of true matches that an agreeing NHS number
    or an exact name and date of birth finds; it sets lambda.
    """
    return train_on_tables(
        [to_arrow(records)],
        link_type="dedupe_only",
        seed=seed,
        u_max_pairs=u_max_pairs,
        em_max_pairs=em_max_pairs,
        deterministic_recall=deterministic_recall,
        threshold=threshold,
    )
