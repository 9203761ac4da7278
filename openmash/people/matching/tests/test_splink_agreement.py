"""The in-process scorer and Splink must agree: same level for every comparison, same weight."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest

from openmash.people.matching.comparisons import (
    COMPARISONS,
    COMPARISONS_BY_NAME,
    compile_weight_function,
    levels_for,
)
from openmash.people.matching.features import featurise, to_arrow
from openmash.people.matching.model import MatchModel
from openmash.people.matching.records import PersonRecord
from openmash.people.matching.tests.helpers import person
from openmash.people.matching.train import splink_settings

NHS = ("9434765919", "4010232137", "9434765870")


def edge_cases() -> list[PersonRecord]:
    """Records that between them reach every level of every comparison."""
    d = date(2012, 3, 4)
    return [
        person("E01"),
        person("E02", given_name="Bob"),
        person("E03", given_name="Robret"),
        person("E04", given_name="R"),
        person("E05", given_name="Rob Michael"),
        person("E06", given_name="Smith", family_name="Robert"),
        person("E07", given_name="Smith", family_name="Jones"),
        person("E08", given_name="Harry"),
        person("E09", family_name="Smith-Jones"),
        person("E10", family_name="Smyth"),
        person("E11", family_name="Okafor", aliases=("Robert Smith",)),
        person("E12", given_name="Roberto", aliases=("Bobby Smith", "Smith, R")),
        person("E13", date_of_birth=date(2012, 4, 3)),
        person("E14", date_of_birth=date(2012, 3, 14)),
        person("E15", date_of_birth=date(2012, 3, 28)),
        person("E16", date_of_birth=date(1979, 3, 4)),
        person("E17", date_of_birth=None),
        person("E18", date_of_birth=date(1985, 11, 30)),
        person("E19", sex=""),
        person("E20", sex="F", given_name="Roberta"),
        person("E21", nhs_number=NHS[0]),
        person("E22", nhs_number=NHS[1]),
        person("E23", nhs_number=NHS[0], date_of_birth=date(1985, 11, 30)),
        person("E24", nhs_number="9434765918"),
        person("E25", postcode="GU1 1AB"),
        person("E26", address_line_1="", postcode="GU1 1"),
        person("E27", address_line_1="", postcode="GU1"),
        person("E28", address_line_1="", postcode="GU"),
        person("E29", address_line_1="", town="", postcode=""),
        person("E30", address_line_1="9 Mill Lane", postcode="RH1 1AA", town="Redhill"),
        person("E31", postcode="KT1 1AA"),
        person("E32", postcode=""),
        person("E33", other_id="U1"),
        person("E34", other_id="U2"),
        person("E35", other_id="U1", given_name="Zed", date_of_birth=d + timedelta(days=400)),
        PersonRecord(record_id="E36"),
        PersonRecord(record_id="E37", given_name="Robert"),
        person("E38", given_name="Rob", family_name="Smith-Jones", date_of_birth=date(2012, 4, 3)),
        person("E39", given_name="Jessica", sex="F"),
        person("E40", given_name="Jess", sex="F"),
    ]


def fuzz(count: int, seed: int) -> list[PersonRecord]:
    """Random short names from a tiny alphabet, so that equal, one-edit, prefix and swapped
    values, jaro-winkler boundaries and nulls all turn up often."""
    rng = random.Random(seed)

    def word() -> str:
        return "".join(rng.choice("ABEN") for _ in range(rng.randint(0, 5)))

    days = [date(2010, 1, 2), date(2010, 2, 1), date(2010, 1, 12), date(2011, 1, 2), None]
    postcodes = ["GU1 1AA", "GU1 1AB", "GU1 2AA", "GU2 1AA", "KT1 1AA", "GU1", "GU1 1", ""]
    return [
        PersonRecord(
            record_id=f"F{i:03d}",
            given_name=word(),
            family_name=word(),
            aliases=(f"{word()} {word()}",) if rng.random() < 0.2 else (),
            date_of_birth=rng.choice(days),
            sex=rng.choice(["M", "F", "", "U"]),
            address_line_1=rng.choice(["1 A St", "2 A St", ""]),
            town=rng.choice(["Town", ""]),
            postcode=rng.choice(postcodes),
            nhs_number=rng.choice([*NHS, "", ""]),
            other_id=rng.choice(["", "X1", "X2"]),
        )
        for i in range(count)
    ]


def splink_rows(model: MatchModel, records: list[PersonRecord]) -> list[dict[str, object]]:
    """Splink's comparison vectors and weights for every ordered pair of ``records``."""
    from splink import DuckDBAPI, Linker

    db_api = DuckDBAPI()
    left = db_api.register(to_arrow(records), dataset_display_name="people_l")
    right = db_api.register(to_arrow(records), dataset_display_name="people_r")
    settings = splink_settings(model)
    settings["retain_intermediate_calculation_columns"] = True
    linker = Linker(left, settings, log_level=None)
    scored = linker.inference.score_pairs(left, right)
    columns = ["unique_id_l", "unique_id_r", "match_weight"] + [
        f"gamma_{c.name}" for c in COMPARISONS
    ]
    table = scored.as_duckdbpyrelation().select(", ".join(columns)).fetchall()
    return [dict(zip(columns, row, strict=True)) for row in table]


@pytest.fixture(scope="module")
def sample(population) -> list[PersonRecord]:
    return edge_cases() + population.records[:70] + fuzz(60, seed=5)


def test_python_levels_and_weights_equal_splinks(model, sample):
    features = {r.record_id: featurise(r) for r in sample}
    score = compile_weight_function(model.weights(), model.prior_weight)
    rows = splink_rows(model, sample)
    assert len(rows) == len(sample) ** 2
    seen: set[tuple[str, str]] = set()
    for row in rows:
        left, right = features[str(row["unique_id_l"])], features[str(row["unique_id_r"])]
        python_levels = levels_for(left, right)
        for comparison in COMPARISONS:
            splink_gamma = row[f"gamma_{comparison.name}"]
            python_label = python_levels[comparison.name]
            assert comparison.gamma(python_label) == splink_gamma, (
                comparison.name,
                python_label,
                comparison.label_for_gamma(int(splink_gamma)),  # type: ignore[call-overload]
                row["unique_id_l"],
                row["unique_id_r"],
            )
            seen.add((comparison.name, python_label))
        assert score(left, right) == pytest.approx(row["match_weight"], abs=1e-9)
    # The sample reaches every level that can be reached.
    every = {(c.name, lv.label) for c in COMPARISONS for lv in c.levels}
    assert every - seen == set()


def test_gamma_numbering_follows_splink():
    given = COMPARISONS_BY_NAME["given_name"]
    assert given.gamma("null") == -1
    assert given.gamma("different") == 0
    assert given.gamma("exact") == len(given.labels) - 1
    assert all(given.label_for_gamma(given.gamma(label)) == label for label in given.labels)
