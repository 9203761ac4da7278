"""The synthetic population: truth is right, corruptions are what they say, output is stable."""

import csv
import hashlib
import os
import random
import re
import subprocess
import sys
from collections import Counter
from datetime import date
from math import comb
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz.distance import DamerauLevenshtein

from openmash.core.identifiers import nhs_number_is_valid, upn_is_valid
from openmash.testing import synthetic as syn
from openmash.testing.synthetic_nicknames import FEMALE_DIMINUTIVES, MALE_DIMINUTIVES

SEED = 7
UK_POSTCODE = re.compile(r"[A-Z]{1,2}[0-9][0-9A-Z]? [0-9][A-Z]{2}")

# Fields each corruption may change; a record differs from its person only where these say.
NAME_KINDS = {
    "nickname",
    "spelling_variant",
    "given_name_typo",
    "surname_hyphenated",
    "surname_part_dropped",
    "surname_changed",
    "family_name_typo",
    "names_swapped",
}
DOB_KINDS = {"dob_day_month_swap", "dob_typo", "missing_dob"}
NHS_KINDS = {"wrong_nhs_number", "missing_nhs_number", "nhs_not_held"}


@pytest.fixture(scope="module")
def people() -> list[syn.Person]:
    return syn.population(4000, seed=SEED)


@pytest.fixture(scope="module")
def records(people: list[syn.Person]) -> list[syn.SyntheticRecord]:
    return syn.records_for(people, seed=SEED)


@pytest.fixture(scope="module")
def by_id(people: list[syn.Person]) -> dict[str, syn.Person]:
    return {p.person_id: p for p in people}


def age_on(dob: date, day: date = syn.DEFAULT_AS_OF) -> int:
    return day.year - dob.year - ((day.month, day.day) < (dob.month, dob.day))


# -- Determinism ------------------------------------------------------------------------------


def test_same_seed_same_population_and_records(people, records):
    assert syn.population(4000, seed=SEED) == people
    assert syn.records_for(people, seed=SEED) == records


def test_different_seed_different_output(people, records):
    assert syn.population(4000, seed=SEED + 1) != people
    assert syn.records_for(people, seed=SEED + 1) != records


def test_interleaved_seeds_do_not_disturb_each_other():
    first = syn.population(300, seed=SEED)
    syn.population(300, seed=SEED + 1)
    assert syn.population(300, seed=SEED) == first


def _run_cli(out: Path, hash_seed: str, *extra: str) -> dict[str, str]:
    env = {**os.environ, "PYTHONHASHSEED": hash_seed}
    subprocess.run(
        [sys.executable, "-m", "openmash.testing.synthetic", "--people", "400", "--seed", "3"]
        + ["--out", str(out), *extra],
        check=True,
        env=env,
        capture_output=True,
    )
    return {f.name: hashlib.sha256(f.read_bytes()).hexdigest() for f in sorted(out.iterdir())}


def test_cli_output_is_byte_identical_across_processes(tmp_path):
    # Different string-hash salts: nothing may depend on set or hash order.
    first = _run_cli(tmp_path / "a", "1")
    second = _run_cli(tmp_path / "b", "987")
    assert first == second
    assert set(first) == {"records.csv", "truth.csv"}


def test_cli_two_extracts(tmp_path):
    files = _run_cli(tmp_path, "5", "--two-extracts", "--overlap", "0.25")
    assert set(files) == {"police.csv", "police_truth.csv", "health.csv", "health_truth.csv"}
    with open(tmp_path / "police_truth.csv", encoding="utf-8") as f:
        police = {row["person_id"] for row in csv.DictReader(f)}
    with open(tmp_path / "health_truth.csv", encoding="utf-8") as f:
        health = {row["person_id"] for row in csv.DictReader(f)}
    assert len(police & health) == 100
    assert len(police | health) == 400


# -- The true population ----------------------------------------------------------------------


def test_population_size_ids_and_nhs_numbers(people):
    assert len(people) == 4000
    assert len({p.person_id for p in people}) == 4000
    assert len({p.nhs_number for p in people}) == 4000
    assert all(nhs_number_is_valid(p.nhs_number) for p in people)
    assert all(p.nhs_number[0] in "467" for p in people)


def test_upns_are_valid_unique_and_only_for_school_age_children(people):
    with_upn = [p for p in people if p.upn]
    assert len(with_upn) > 500
    assert all(upn_is_valid(p.upn) for p in with_upn)
    assert len({p.upn for p in with_upn}) == len(with_upn)
    assert all(4 <= age_on(p.date_of_birth) < 18 for p in with_upn)


def test_ages_sexes_and_postcodes_are_plausible(people):
    ages = [age_on(p.date_of_birth) for p in people]
    assert min(ages) >= 0
    assert max(ages) <= 81
    children = sum(age < 18 for age in ages) / len(ages)
    assert 0.45 < children < 0.62
    assert {p.sex for p in people} == {"M", "F"}
    assert all(UK_POSTCODE.fullmatch(p.postcode) for p in people)
    assert all(p.given_name and p.family_name and p.address_line_1 and p.town for p in people)


def test_households_share_an_address_and_mostly_a_surname(people):
    households: dict[str, list[syn.Person]] = {}
    for p in people:
        households.setdefault(p.household_id, []).append(p)
    assert 1.8 < len(people) / len(households) < 4.5
    for members in households.values():
        assert len({(m.address_line_1, m.town, m.postcode) for m in members}) == 1
    shared = sum(
        len(m) > 1 and Counter(p.family_name for p in m).most_common(1)[0][1] > 1
        for m in households.values()
    )
    assert shared / sum(len(m) > 1 for m in households.values()) > 0.7
    # Nobody else lives at a household's address.
    addresses = {(m[0].address_line_1, m[0].town) for m in households.values()}
    assert len(addresses) == len(households)


def test_siblings_are_born_at_least_ten_months_apart_unless_twins(people):
    children: dict[str, list[syn.Person]] = {}
    for p in people:
        if age_on(p.date_of_birth) < 18 and p.household_id:
            children.setdefault(p.household_id, []).append(p)
    gaps = 0
    for kids in children.values():
        dobs = sorted({k.date_of_birth for k in kids})
        for a, b in zip(dobs, dobs[1:], strict=False):
            gaps += 1
            assert (b - a).days >= 300
    assert gaps > 100


def test_twins_differ_only_in_given_name_and_maybe_sex(people, by_id):
    twins = [p for p in people if p.twin_of]
    assert len(twins) >= 40  # about 2% of births in 4,000 people
    sexes_differ = 0
    for p in twins:
        other = by_id[p.twin_of]
        assert other.twin_of == p.person_id
        assert p.date_of_birth == other.date_of_birth
        assert p.family_name == other.family_name
        assert p.household_id == other.household_id
        same = ("address_line_1", "address_line_2", "town", "postcode", "origin")
        assert all(getattr(p, f) == getattr(other, f) for f in same)
        assert p.given_name != other.given_name
        assert p.nhs_number != other.nhs_number
        assert other.given_name not in syn._related_names(p.given_name, p.sex)
        sexes_differ += p.sex != other.sex
    assert 0 < sexes_differ < len(twins)


def test_twin_rate_controls_twins():
    none = syn.population(1500, seed=SEED, twin_rate=0.0)
    many = syn.population(1500, seed=SEED, twin_rate=0.5)
    assert not any(p.twin_of for p in none)
    assert sum(bool(p.twin_of) for p in many) > 300


def test_sibling_rate_controls_family_size():
    def children_per_household(rate: float) -> float:
        ppl = syn.population(3000, seed=SEED, sibling_rate=rate, twin_rate=0.0)
        kids = Counter(p.household_id for p in ppl if age_on(p.date_of_birth) < 18)
        return sum(kids.values()) / len(kids)

    assert children_per_household(0.0) == 1.0
    assert children_per_household(0.9) > 2.0


def test_names_come_from_several_origins(people):
    origins = Counter(p.origin for p in people)
    assert origins.most_common(1)[0][0] == "en_GB"
    assert 0.7 < origins["en_GB"] / len(people) < 0.9
    assert len(origins) >= 5
    assert len({p.family_name for p in people}) > 500


# -- Records and their corruptions --------------------------------------------------------------


def test_records_have_unique_shuffled_ids(records):
    ids = [r.record_id for r in records]
    assert len(set(ids)) == len(ids)
    assert ids == sorted(ids)
    first_people = [r.person_id for r in records[:50]]
    assert first_people != sorted(first_people)


def test_records_per_person_default_mean_about_2_2(people, records):
    counts = Counter(r.person_id for r in records)
    assert set(counts) == {p.person_id for p in people}
    assert 2.0 < len(records) / len(people) < 2.4
    assert min(counts.values()) >= 1


def test_records_per_person_range_and_distribution(people):
    fixed = syn.records_for(people[:100], records_per_person=(2, 2), seed=SEED)
    assert Counter(Counter(r.person_id for r in fixed).values()) == {2: 100}
    spread = syn.records_for(people[:300], records_per_person=(1, 3), seed=SEED)
    assert set(Counter(r.person_id for r in spread).values()) == {1, 2, 3}
    weighted = syn.records_for(people[:300], records_per_person={1: 1.0, 4: 1.0}, seed=SEED)
    assert set(Counter(r.person_id for r in weighted).values()) == {1, 4}
    with pytest.raises(ValueError, match="records_per_person"):
        syn.records_for(people[:10], records_per_person=(0, 2))


def test_corruption_rate_is_roughly_as_configured(people, records):
    corrupted = sum(bool(r.corruptions) for r in records) / len(records)
    assert abs(corrupted - 0.3) < 0.02
    heavy = syn.records_for(people, corruption_rate=0.8, seed=SEED)
    assert abs(sum(bool(r.corruptions) for r in heavy) / len(heavy) - 0.8) < 0.02


def test_every_kind_of_corruption_occurs(people):
    heavy = syn.records_for(people, corruption_rate=1.0, seed=SEED)
    seen = Counter(kind for r in heavy for kind in r.corruptions)
    assert set(seen) == set(syn.DEFAULT_CORRUPTION_WEIGHTS)
    # Stacking: some records carry more than one.
    assert any(len(r.corruptions) > 1 for r in heavy)
    assert all(len(r.corruptions) <= 4 for r in heavy)


def test_no_corruption_means_records_equal_the_truth(people, by_id):
    clean = syn.records_for(people, corruption_rate=0.0, other_id_rate=1.0, seed=SEED)
    for r in clean:
        p = by_id[r.person_id]
        assert r.corruptions == ()
        assert r.aliases == ()
        assert (r.given_name, r.family_name, r.date_of_birth, r.sex) == (
            p.given_name,
            p.family_name,
            p.date_of_birth,
            p.sex,
        )
        assert (r.address_line_1, r.address_line_2, r.town, r.postcode) == (
            p.address_line_1,
            p.address_line_2,
            p.town,
            p.postcode,
        )
        assert (r.nhs_number, r.other_id) == (p.nhs_number, p.upn)


def test_corruption_weights_choose_the_kind(people, by_id):
    only = syn.records_for(
        people[:500],
        corruption_rate=1.0,
        corruption_weights={"missing_sex": 1.0},
        seed=SEED,
    )
    assert {r.corruptions for r in only} == {("missing_sex",)}
    assert {r.sex for r in only} == {""}
    with pytest.raises(ValueError, match="unknown corruption"):
        syn.records_for(people[:5], corruption_weights={"moon_phase": 1.0})


def test_records_differ_from_truth_only_where_their_corruptions_say(people, by_id):
    heavy = syn.records_for(people, corruption_rate=1.0, seed=SEED, id_prefix="X")
    for r in heavy:
        p = by_id[r.person_id]
        kinds = set(r.corruptions)
        if not kinds & NAME_KINDS:
            assert (r.given_name, r.family_name) == (p.given_name, p.family_name)
        if not kinds & DOB_KINDS:
            assert r.date_of_birth == p.date_of_birth
        if "missing_sex" not in kinds:
            assert r.sex == p.sex
        if not kinds & {"moved"}:
            assert (r.address_line_1, r.town) == (p.address_line_1, p.town)
        if not kinds & {"moved", "postcode_partial", "missing_postcode"}:
            assert r.postcode == p.postcode
        if not kinds & NHS_KINDS:
            assert r.nhs_number == p.nhs_number


def test_each_corruption_does_what_it_says(people, by_id):
    heavy = syn.records_for(people, corruption_rate=1.0, stack_rate=0.0, seed=SEED, id_prefix="Y")
    checked: Counter[str] = Counter()
    for r in heavy:
        p = by_id[r.person_id]
        (kind,) = r.corruptions
        checked[kind] += 1
        if kind == "nickname":
            assert r.given_name != p.given_name
            table = MALE_DIMINUTIVES if p.sex == "M" else FEMALE_DIMINUTIVES
            assert any(
                r.given_name in (formal, *dims) and p.given_name in (formal, *dims)
                for formal, dims in table.items()
            )
        elif kind == "spelling_variant":
            assert r.given_name != p.given_name
        elif kind == "given_name_typo":
            assert DamerauLevenshtein.distance(r.given_name.lower(), p.given_name.lower()) == 1
        elif kind == "family_name_typo":
            assert DamerauLevenshtein.distance(r.family_name.lower(), p.family_name.lower()) == 1
        elif kind == "surname_hyphenated":
            assert p.family_name in re.split("[- ]", r.family_name)
            assert len(re.split("[- ]", r.family_name)) == 2
        elif kind == "surname_part_dropped":
            assert r.family_name in p.family_name.split("-")
        elif kind == "surname_changed":
            assert r.family_name != p.family_name
        elif kind == "names_swapped":
            assert (r.given_name, r.family_name) == (p.family_name, p.given_name)
        elif kind == "dob_day_month_swap":
            assert r.date_of_birth is not None
            assert (r.date_of_birth.day, r.date_of_birth.month) == (
                p.date_of_birth.month,
                p.date_of_birth.day,
            )
            assert p.date_of_birth.day <= 12
        elif kind == "dob_typo":
            assert r.date_of_birth is not None
            assert r.date_of_birth != p.date_of_birth
            assert r.date_of_birth <= syn.DEFAULT_AS_OF
            old, new = p.date_of_birth.isoformat(), r.date_of_birth.isoformat()
            assert sum(a != b for a, b in zip(old, new, strict=True)) == 1
            assert old[5:7] == new[5:7]  # the month is never touched
        elif kind == "missing_dob":
            assert r.date_of_birth is None
        elif kind == "moved":
            assert r.address_line_1 != p.address_line_1 or r.town != p.town
            assert UK_POSTCODE.fullmatch(r.postcode)
        elif kind == "postcode_partial":
            assert p.postcode.startswith(r.postcode)
            assert len(r.postcode) in (len(p.postcode.split()[0]), len(p.postcode) - 1)
        elif kind == "missing_postcode":
            assert r.postcode == ""
        elif kind == "wrong_nhs_number":
            assert r.nhs_number != p.nhs_number
            assert nhs_number_is_valid(r.nhs_number)
        elif kind == "missing_nhs_number":
            assert r.nhs_number == ""
        elif kind == "missing_sex":
            assert r.sex == ""
    assert set(checked) == set(syn.DEFAULT_CORRUPTION_WEIGHTS)


def test_a_persons_move_and_new_surname_are_the_same_on_every_record(people):
    recs = syn.records_for(
        people[:300],
        records_per_person=(4, 4),
        corruption_rate=1.0,
        corruption_weights={"moved": 1.0, "surname_changed": 1.0},
        stack_rate=0.0,
        seed=SEED,
    )
    moved: dict[str, set[str]] = {}
    renamed: dict[str, set[str]] = {}
    for r in recs:
        if r.corruptions == ("moved",):
            moved.setdefault(r.person_id, set()).add(r.address_line_1 + r.postcode)
        else:
            renamed.setdefault(r.person_id, set()).add(r.family_name)
    assert all(len(addresses) == 1 for addresses in moved.values())
    assert all(len(names) == 1 for names in renamed.values())


def test_nhs_numbers_on_records_are_valid_or_deliberately_wrong(people, by_id, records):
    wrong = 0
    for r in records:
        if not r.nhs_number:
            assert {"missing_nhs_number", "nhs_not_held"} & set(r.corruptions)
            continue
        assert nhs_number_is_valid(r.nhs_number)  # even the wrong ones are valid numbers
        if r.nhs_number != by_id[r.person_id].nhs_number:
            assert "wrong_nhs_number" in r.corruptions
            wrong += 1
    assert 0 < wrong < 0.01 * len(records)


def test_other_id_is_the_upn_when_present(people, by_id, records):
    carried = [r for r in records if r.other_id]
    assert carried
    assert all(r.other_id == by_id[r.person_id].upn for r in carried)
    with_upn = [r for r in records if by_id[r.person_id].upn]
    assert 0.4 < len(carried) / len(with_upn) < 0.6


def test_aliases_name_the_true_person(by_id, records):
    with_alias = [r for r in records if r.aliases]
    assert with_alias
    for r in with_alias:
        p = by_id[r.person_id]
        assert r.aliases == (f"{p.given_name} {p.family_name}",)


def test_nhs_number_rate_models_a_source_without_nhs_numbers(people):
    recs = syn.records_for(people, nhs_number_rate=0.2, corruption_rate=0.0, seed=SEED)
    held = sum(bool(r.nhs_number) for r in recs) / len(recs)
    assert abs(held - 0.2) < 0.02
    assert all((r.corruptions == ("nhs_not_held",)) == (not r.nhs_number) for r in recs)


# -- Names, typos, dates ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("formal", "sex", "diminutive"),
    [
        ("Robert", "M", "Bob"),
        ("Catherine", "F", "Kate"),
        ("James", "M", "Jim"),
        ("William", "M", "Bill"),
        ("Margaret", "F", "Peggy"),
        ("Elizabeth", "F", "Liz"),
        ("Alexander", "M", "Sandy"),
    ],
)
def test_nicknames_go_both_ways(formal, sex, diminutive):
    rng = random.Random(1)
    forward = {syn._nickname(formal, sex, rng) for _ in range(200)}
    backward = {syn._nickname(diminutive, sex, rng) for _ in range(200)}
    assert diminutive in forward
    assert formal in backward
    assert formal not in forward
    assert diminutive not in backward


def test_nickname_table_is_big_enough_and_sex_specific():
    assert len(MALE_DIMINUTIVES) + len(FEMALE_DIMINUTIVES) >= 60
    rng = random.Random(2)
    assert {syn._nickname("Sam", "M", rng) for _ in range(50)} <= {"Samuel", "Sammy"}
    assert {syn._nickname("Sam", "F", rng) for _ in range(50)} <= {"Samantha", "Sammy"}


@settings(max_examples=300, deadline=None)
@given(
    name=st.text(alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'-", min_size=1),
    seed=st.integers(0, 2**32),
)
def test_a_typo_is_one_edit_away(name, seed):
    out = syn.typo(name, random.Random(seed))
    assert out
    assert DamerauLevenshtein.distance(out.lower(), name.lower()) == 1


def test_typos_use_neighbouring_keys():
    rng = random.Random(3)
    subs: Counter[tuple[str, str]] = Counter()
    for _ in range(2000):
        out = syn.typo("Smith", rng)
        if len(out) == 5 and sorted(out.lower()) != sorted("smith"):
            (i,) = [i for i in range(5) if out[i] != "Smith"[i]]
            subs[("smith"[i], out[i].lower())] += 1
    assert subs
    assert all(new in syn._NEIGHBOURS[old] for old, new in subs)


@settings(max_examples=300, deadline=None)
@given(dob=st.dates(date(1940, 1, 1), date(2026, 11, 22)), seed=st.integers(0, 2**32))
def test_a_dob_typo_changes_one_digit_of_day_or_year(dob, seed):
    out = syn._dob_typo(dob, random.Random(seed), syn.DEFAULT_AS_OF)
    assert out != dob
    assert out <= syn.DEFAULT_AS_OF
    assert out.month == dob.month
    assert sum(a != b for a, b in zip(out.isoformat(), dob.isoformat(), strict=True)) == 1


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 999_999_999))
def test_nhs_check_digit_agrees_with_the_validator(first_nine):
    check = syn.nhs_check_digit(first_nine)
    candidates = [f"{first_nine:09d}{d}" for d in range(10)]
    valid = [c for c in candidates if nhs_number_is_valid(c)]
    assert valid == ([] if check is None else [f"{first_nine:09d}{check}"])


# -- Link extracts, truth and files ----------------------------------------------------------


def test_two_extracts_have_the_overlap_asked_for_and_no_duplicates():
    police, health = syn.two_extracts(2000, overlap=0.3, seed=SEED)
    police_people = [r.person_id for r in police]
    health_people = [r.person_id for r in health]
    assert len(set(police_people)) == len(police_people)
    assert len(set(health_people)) == len(health_people)
    assert len(set(police_people) & set(health_people)) == 600
    assert len(set(police_people) | set(health_people)) == 2000
    assert len(police) == len(health) == 1300
    assert all(r.record_id.startswith("POL") for r in police)
    assert all(r.record_id.startswith("HEA") for r in health)
    assert len(syn.true_pairs(police + health)) == 600
    assert not syn.true_pairs(police)
    # The police seldom hold NHS numbers; health nearly always does.
    assert sum(bool(r.nhs_number) for r in police) / len(police) < 0.3
    assert sum(bool(r.nhs_number) for r in health) / len(health) > 0.9
    assert not any(r.other_id for r in police + health)


@pytest.mark.parametrize("overlap", [0.0, 1.0])
def test_two_extracts_at_the_extremes(overlap):
    police, health = syn.two_extracts(101, overlap=overlap, seed=SEED)
    shared = {r.person_id for r in police} & {r.person_id for r in health}
    assert len(shared) == round(overlap * 101)
    assert len(police) + len(health) == 101 + len(shared)


def test_true_pairs_counts_every_within_person_pair(records):
    pairs = syn.true_pairs(records)
    counts = Counter(r.person_id for r in records)
    assert len(pairs) == sum(comb(k, 2) for k in counts.values())
    person = {r.record_id: r.person_id for r in records}
    assert all(a < b and person[a] == person[b] for a, b in pairs)


def test_true_pairs_small_example():
    def rec(record_id: str, person_id: str) -> syn.SyntheticRecord:
        return syn.SyntheticRecord(
            record_id, person_id, "A", "B", (), None, "", "", "", "", "", "", "", ()
        )

    recs = [rec("r3", "p1"), rec("r1", "p1"), rec("r2", "p2"), rec("r4", "p1")]
    assert syn.true_pairs(recs) == {("r1", "r3"), ("r1", "r4"), ("r3", "r4")}


def test_csv_header_rows_and_truth(tmp_path, records):
    path, truth = tmp_path / "records.csv", tmp_path / "truth.csv"
    syn.write_csv(records, path)
    syn.write_truth_csv(records, truth)
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[0] == (
        "record_id,given_name,family_name,date_of_birth,sex,address_line_1,address_line_2,"
        "town,postcode,nhs_number,other_id"
    )
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == len(records)
    for row, r in zip(rows, records, strict=True):
        assert row["record_id"] == r.record_id
        assert row["date_of_birth"] == (r.date_of_birth.isoformat() if r.date_of_birth else "")
        assert row["address_line_1"] == r.address_line_1
    truth_lines = truth.read_text(encoding="utf-8").splitlines()
    assert truth_lines[0] == "record_id,person_id"
    assert truth_lines[1] == f"{records[0].record_id},{records[0].person_id}"
    assert len(truth_lines) == len(records) + 1


def test_csv_with_aliases_is_read_by_the_matchers_reader(tmp_path, records):
    path = tmp_path / "with_aliases.csv"
    syn.write_csv(records, path, with_aliases=True)
    header = path.read_text(encoding="utf-8").splitlines()[0]
    assert header.endswith(",other_id,aliases")
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    with_alias = [(row, r) for row, r in zip(rows, records, strict=True) if r.aliases]
    assert with_alias
    assert all(row["aliases"] == "|".join(r.aliases) for row, r in with_alias)


def test_writing_twice_is_byte_identical(tmp_path, records):
    syn.write_csv(records, tmp_path / "a.csv")
    syn.write_csv(records, tmp_path / "b.csv")
    assert (tmp_path / "a.csv").read_bytes() == (tmp_path / "b.csv").read_bytes()


def test_bad_arguments_are_refused(people):
    with pytest.raises(ValueError, match="overlap"):
        syn.two_extracts(10, overlap=1.5)
    with pytest.raises(ValueError, match="corruption_rate"):
        syn.records_for(people[:5], corruption_rate=-0.1)
    with pytest.raises(ValueError, match="twin_rate"):
        syn.population(5, twin_rate=2.0)
    assert syn.population(0, seed=SEED) == []
