"""The "plain Splink" baseline: a straightforward Splink 5 DuckDB model.

Splink's own comparison library on the same cleaned columns OpenMASH's features provide
(upper-cased names, ISO dates, formatted postcodes, validated NHS numbers), trained the usual
way (lambda from deterministic rules, u by random sampling, m by EM on two blocking rules),
and - for fairness - the engine's own blocking rules for prediction, so both models score the
same candidate pairs. No term-frequency adjustments (they would need registered TF tables for
``predict_between``; see docs/performance.md). The first address line is left out: as a
separate exact comparison beside the postcode it double-counts one piece of evidence and makes
every household member a match (precision 0.54 at 10,000 people, see docs/performance.md).
"""

from __future__ import annotations

from typing import Any, Literal

import common  # noqa: F401  (puts the repository on sys.path)

from openmash.people.matching.train import (
    DETERMINISTIC_RECALL,
    DETERMINISTIC_RULES,
    PREDICTION_BLOCKING_RULES,
    dataset_names,
)

LinkType = Literal["link_only", "link_and_dedupe", "dedupe_only"]


def settings(link_type: LinkType) -> Any:
    import splink.comparison_library as cl
    from splink import SettingsCreator

    rules: list[Any] = list(PREDICTION_BLOCKING_RULES)  # SQL strings, which Splink accepts
    return SettingsCreator(
        link_type=link_type,
        unique_id_column_name="unique_id",
        comparisons=[
            cl.NameComparison("given_first"),
            cl.NameComparison("family_std"),
            cl.DateOfBirthComparison("dob", input_is_string=True),
            cl.ExactMatch("sex"),
            cl.ExactMatch("nhs"),
            cl.PostcodeComparison("pc_full"),
            cl.ExactMatch("other_id"),
        ],
        blocking_rules_to_generate_predictions=rules,
        retain_matching_columns=False,
        retain_intermediate_calculation_columns=False,
    )


def trained_linker(
    tables: list[Any],
    *,
    link_type: LinkType,
    db_api: Any = None,
    seed: int = 42,
    u_max_pairs: float = 5e6,
    em_max_pairs: float = 5e6,
) -> Any:
    """A Linker over ``tables`` (pyarrow, from ``features.to_arrow``), trained without labels."""
    from splink import DuckDBAPI, Linker, block_on

    db_api = db_api or DuckDBAPI()
    frames = [
        db_api.register(t, dataset_display_name=n)
        for t, n in zip(tables, dataset_names(len(tables)), strict=True)
    ]
    linker = Linker(frames if len(frames) > 1 else frames[0], settings(link_type), log_level=None)
    training = linker.training
    training.estimate_probability_two_random_records_match(
        list(DETERMINISTIC_RULES), recall=DETERMINISTIC_RECALL
    )
    training.estimate_u_using_random_sampling(max_pairs=u_max_pairs, seed=seed)
    training.estimate_parameters_using_expectation_maximisation(
        block_on("given_first", "family_std"), max_pairs=em_max_pairs
    )
    training.estimate_parameters_using_expectation_maximisation(
        block_on("dob"), max_pairs=em_max_pairs
    )
    return linker


def predicted_pairs(
    linker: Any, threshold: float, *, cross: bool
) -> tuple[set[tuple[str, str]], Any]:
    """(pairs at or above ``threshold``, the predictions table). With ``cross`` each pair is
    (records_left id, records_right id); otherwise (smaller id, larger id)."""
    predictions = linker.inference.predict(
        threshold_match_probability=threshold, warning_mode="never"
    )
    relation = predictions.as_duckdbpyrelation()
    source = "source_dataset_l" if "source_dataset_l" in relation.columns else "NULL"
    rows = relation.select(f"{source}, unique_id_l, unique_id_r, match_probability").fetchall()
    left_name = dataset_names(2)[0]
    pairs: set[tuple[str, str]] = set()
    for source_l, id_l, id_r, probability in rows:
        if probability < threshold:
            continue
        if cross:
            pairs.add((id_l, id_r) if source_l == left_name else (id_r, id_l))
        else:
            pairs.add((id_l, id_r) if id_l < id_r else (id_r, id_l))
    return pairs, predictions
