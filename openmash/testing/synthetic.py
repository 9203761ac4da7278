"""A synthetic UK population with known truth, for tests and benchmarks of person matching.

``population()`` makes true people in households (shared address and usually surname, siblings,
twins, a parent and an adult child, the odd father and son with the same name), with valid NHS
numbers and, for some children, valid UPNs. ``records_for()`` turns them into agency records, each
independently corrupted the way real records are (nicknames, typos, transposed dates, house moves,
surname changes, missing fields...), and every record keeps its ``person_id`` so the true matches
are known. ``two_extracts()`` makes a "police" and a "health" extract with a known overlap for
link benchmarks.

Everything is deterministic: the same arguments give byte-identical output. Faker is called only
to draw name, street and town pools once per seed; all per-person and per-record choices come
from ``random.Random``, so a million people take seconds, not hours.

No Django here: benchmarks import this module on its own.

Command line::

    python -m openmash.testing.synthetic --people 100000 --seed 1 --out var/synthetic
    python -m openmash.testing.synthetic --people 100000 --out var/link --two-extracts --overlap 0.5
"""

import argparse
import csv
import gc
import random
import re
import sys
import time
from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Final, TypeAlias

from faker import Faker

from openmash.testing.synthetic_nicknames import (
    FEMALE_DIMINUTIVES,
    MALE_DIMINUTIVES,
    SPELLING_VARIANTS,
)

_upn_check_letter: Callable[[str], str] | None
try:  # pure Python, no Django; without it the population simply has no UPNs
    from openmash.core.identifiers import upn_check_letter as _imported_upn_check_letter
except ImportError:  # pragma: no cover - the core package ships with OpenMASH
    _upn_check_letter = None
else:
    _upn_check_letter = _imported_upn_check_letter

DEFAULT_SEED: Final = 20261122
DEFAULT_AS_OF: Final = date(2026, 11, 22)  # ages are worked out as at this date, never "today"

CSV_COLUMNS: Final = (
    "record_id",
    "given_name",
    "family_name",
    "date_of_birth",
    "sex",
    "address_line_1",
    "address_line_2",
    "town",
    "postcode",
    "nhs_number",
    "other_id",
)
TRUTH_COLUMNS: Final = ("record_id", "person_id")

# How many agency records each person has: mean about 2.2.
DEFAULT_RECORDS_PER_PERSON: Final[Mapping[int, float]] = {
    1: 0.38,
    2: 0.30,
    3: 0.16,
    4: 0.09,
    5: 0.05,
    6: 0.02,
}

# Where a household's names come from (Faker locales). Mostly en_GB, with the Irish, South Asian,
# Polish, Romanian and West African names any English hub sees every day.
DEFAULT_ORIGIN_MIX: Final[Mapping[str, float]] = {
    "en_GB": 0.80,
    "en_IE": 0.05,
    "en_IN": 0.06,
    "pl_PL": 0.04,
    "ro_RO": 0.02,
    "tw_GH": 0.015,
    "yo_NG": 0.015,
}

# Corruption kinds, in the order they are applied (and listed on a record).
CORRUPTIONS: Final = (
    "nickname",
    "spelling_variant",
    "given_name_typo",
    "surname_hyphenated",
    "surname_part_dropped",
    "surname_changed",
    "family_name_typo",
    "names_swapped",
    "dob_day_month_swap",
    "dob_typo",
    "missing_dob",
    "missing_sex",
    "moved",
    "postcode_partial",
    "missing_postcode",
    "wrong_nhs_number",
    "missing_nhs_number",
    "nhs_not_held",  # not a corruption: the source never holds NHS numbers (see nhs_number_rate)
)

# Relative weights: given that a record is corrupted, how likely each kind is to be picked.
DEFAULT_CORRUPTION_WEIGHTS: Final[Mapping[str, float]] = {
    "nickname": 0.13,
    "spelling_variant": 0.04,
    "given_name_typo": 0.10,
    "surname_hyphenated": 0.03,
    "surname_part_dropped": 0.02,
    "surname_changed": 0.04,
    "family_name_typo": 0.09,
    "names_swapped": 0.03,
    "dob_day_month_swap": 0.05,
    "dob_typo": 0.06,
    "missing_dob": 0.04,
    "missing_sex": 0.04,
    "moved": 0.08,
    "postcode_partial": 0.05,
    "missing_postcode": 0.05,
    "wrong_nhs_number": 0.01,
    "missing_nhs_number": 0.12,
}

# At most one kind from each group on one record.
_CONFLICTS: Final = (
    ("nickname", "spelling_variant"),
    ("surname_hyphenated", "surname_part_dropped", "surname_changed"),
    ("dob_day_month_swap", "dob_typo", "missing_dob"),
    ("postcode_partial", "missing_postcode"),
    ("wrong_nhs_number", "missing_nhs_number"),
)
_CONFLICTS_OF: Final[dict[str, frozenset[str]]] = {
    kind: frozenset(k for group in _CONFLICTS if kind in group for k in group) | frozenset((kind,))
    for kind in CORRUPTIONS
}
_ORDER: Final = {kind: i for i, kind in enumerate(CORRUPTIONS)}

RecordsPerPerson: TypeAlias = tuple[int, int] | Mapping[int, float]


@dataclass(frozen=True, slots=True)
class Person:
    """One true person. Members of a household share ``household_id`` and the address."""

    person_id: str
    household_id: str
    given_name: str
    family_name: str
    date_of_birth: date
    sex: str  # "M" or "F"
    address_line_1: str
    address_line_2: str
    town: str
    postcode: str
    nhs_number: str
    upn: str  # "" when the person has none
    twin_of: str  # person_id of the twin, or ""
    origin: str  # the Faker locale the names came from


@dataclass(frozen=True, slots=True)
class SyntheticRecord:
    """One agency's record of a person. Records of the same person share ``person_id``."""

    record_id: str
    person_id: str
    given_name: str
    family_name: str
    aliases: tuple[str, ...]
    date_of_birth: date | None
    sex: str
    address_line_1: str
    address_line_2: str
    town: str
    postcode: str
    nhs_number: str
    other_id: str
    corruptions: tuple[str, ...]


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Millions of small acyclic objects: the cyclic collector only slows their creation."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


# -- Pools drawn once from Faker ------------------------------------------------------------


class _Weighted:
    """A fixed list of values with cumulative weights; pick() is one random() and a bisect."""

    __slots__ = ("values", "cum", "total")

    def __init__(self, values: Sequence[str], weights: Sequence[float]) -> None:
        self.values = tuple(values)
        cum: list[float] = []
        running = 0.0
        for weight in weights:
            running += weight
            cum.append(running)
        self.cum = tuple(cum)
        self.total = running

    def pick_index(self, rng: random.Random) -> int:
        return min(bisect_right(self.cum, rng.random() * self.total), len(self.values) - 1)

    def pick(self, rng: random.Random) -> str:
        return self.values[self.pick_index(rng)]


def _zipf(values: Sequence[str], exponent: float) -> _Weighted:
    return _Weighted(values, [1.0 / (rank + 1) ** exponent for rank in range(len(values))])


def _unique_draws(draw: Callable[[], str], wanted: int, max_draws: int) -> list[str]:
    """Up to ``wanted`` distinct values in order of first appearance (stopping early once the
    source seems exhausted: 1,000 draws in a row with nothing new)."""
    seen: dict[str, None] = {}
    stale = 0
    for _ in range(max_draws):
        value = draw().strip()
        if value and value not in seen:
            seen[value] = None
            stale = 0
            if len(seen) >= wanted:
                break
        else:
            stale += 1
            if stale >= 1000:
                break
    return list(seen)


@dataclass(frozen=True, slots=True)
class _NamePools:
    male: _Weighted
    female: _Weighted
    surname: _Weighted


_STREET_SUFFIXES: Final = _Weighted(
    (
        "Road",
        "Street",
        "Lane",
        "Close",
        "Avenue",
        "Drive",
        "Way",
        "Crescent",
        "Gardens",
        "Court",
        "Grove",
        "Place",
        "Terrace",
        "Walk",
        "Mews",
        "Hill",
        "Rise",
        "Green",
        "View",
        "Park",
    ),
    (20, 14, 10, 10, 8, 7, 6, 5, 4, 4, 4, 4, 3, 2, 2, 2, 2, 2, 1, 1),
)
_INWARD_LETTERS: Final = "ABDEFGHJLNPQRSTUWXYZ"  # the letters a postcode's inward code may use


@dataclass(frozen=True, slots=True)
class _Pools:
    seed: int
    names: dict[str, _NamePools]
    origins: _Weighted
    towns: _Weighted
    town_index: dict[str, int]
    town_outwards: tuple[tuple[str, ...], ...]
    town_la_codes: tuple[str, ...]
    streets: _Weighted
    localities: tuple[str, ...]


_COMMON_OUTWARD: Final = re.compile(r"[A-Z]{1,2}[1-9][0-9]?")


def _outward(postcode: str) -> str:
    """Faker's outward code when it has a common shape (A9, A99, AA9, AA99), else ""."""
    outward = postcode.split()[0]
    return outward if _COMMON_OUTWARD.fullmatch(outward) else ""


@lru_cache(maxsize=8)
def _pools(seed: int, origin_items: tuple[tuple[str, float], ...]) -> _Pools:
    rng = random.Random(f"openmash-synthetic/pools/{seed}")
    names: dict[str, _NamePools] = {}
    for locale in sorted({"en_GB", *(loc for loc, _ in origin_items)}):
        fake = Faker(locale)
        fake.seed_instance(f"openmash-synthetic/{seed}/{locale}")
        names[locale] = _NamePools(
            male=_zipf(_unique_draws(fake.first_name_male, 400, 6000), 0.6),
            female=_zipf(_unique_draws(fake.first_name_female, 400, 6000), 0.6),
            surname=_zipf(_unique_draws(fake.last_name, 1500, 12000), 0.5),
        )

    fake = Faker("en_GB")
    fake.seed_instance(f"openmash-synthetic/{seed}/places")
    town_names = _unique_draws(fake.city, 400, 20000)
    towns = _zipf(town_names, 0.7)
    outwards = _unique_draws(lambda: _outward(fake.postcode()), 4 * len(town_names), 40000)
    town_outwards: list[tuple[str, ...]] = []
    cursor = 0
    for rank in range(len(town_names)):
        count = 6 if rank < 10 else 4 if rank < 50 else 2 if rank < 200 else 1
        count = max(1, min(count, (len(outwards) - cursor) // max(1, len(town_names) - rank)))
        town_outwards.append(tuple(outwards[cursor : cursor + count]))
        cursor += count
    la_codes = tuple(f"{rng.randrange(201, 939):03d}" for _ in town_names)

    def street() -> str:
        stem = fake.last_name() if rng.random() < 0.7 else fake.first_name()
        return f"{stem} {_STREET_SUFFIXES.pick(rng)}"

    street_names = _unique_draws(street, 5000, 30000)
    streets = _Weighted(street_names, [1.0] * len(street_names))
    localities = tuple(_unique_draws(fake.city, 300, 20000))
    return _Pools(
        seed=seed,
        names=names,
        origins=_Weighted([loc for loc, _ in origin_items], [w for _, w in origin_items]),
        towns=towns,
        town_index={name: i for i, name in enumerate(town_names)},
        town_outwards=tuple(town_outwards),
        town_la_codes=la_codes,
        streets=streets,
        localities=localities,
    )


def _pools_for(seed: int, origin_mix: Mapping[str, float] | None = None) -> _Pools:
    mix = DEFAULT_ORIGIN_MIX if origin_mix is None else origin_mix
    items = tuple((loc, float(w)) for loc, w in mix.items() if w > 0)
    if not items:
        raise ValueError("origin_mix needs at least one locale with a positive weight")
    return _pools(seed, items)


# -- Identifiers --------------------------------------------------------------------------------

# Contributions of each 3-digit chunk of the first nine digits to the modulus-11 sum.
_NHS_CHUNK_WEIGHTS: Final = ((10, 9, 8), (7, 6, 5), (4, 3, 2))
_NHS_CHUNK_SUMS: Final = tuple(
    tuple(sum(int(d) * w for d, w in zip(f"{x:03d}", ws, strict=True)) for x in range(1000))
    for ws in _NHS_CHUNK_WEIGHTS
)


def nhs_check_digit(first_nine: int) -> int | None:
    """The modulus-11 check digit for nine leading digits, or None if none exists (remainder 1)."""
    a, rest = divmod(first_nine, 1_000_000)
    b, c = divmod(rest, 1000)
    total = _NHS_CHUNK_SUMS[0][a] + _NHS_CHUNK_SUMS[1][b] + _NHS_CHUNK_SUMS[2][c]
    check = 11 - total % 11
    if check == 11:
        return 0
    if check == 10:
        return None
    return check


def _nhs_prefix(x: int) -> int:
    # England and Wales issue 400 000 000-499 999 999 and 600 000 000-799 999 999.
    return 400_000_000 + x if x < 100_000_000 else 500_000_000 + x


def _unique_nhs_numbers(rng: random.Random, count: int) -> list[str]:
    numbers: list[str] = []
    if count == 0:
        return numbers
    drawn = rng.sample(range(300_000_000), min(300_000_000, int(count * 1.15) + 50))
    for x in drawn:
        prefix = _nhs_prefix(x)
        check = nhs_check_digit(prefix)
        if check is not None:
            numbers.append(f"{prefix}{check}")
            if len(numbers) == count:
                return numbers
    raise RuntimeError("ran out of NHS numbers")  # pragma: no cover - 9% are rejected, not 15%


def _random_nhs_number(rng: random.Random) -> str:
    while True:
        prefix = _nhs_prefix(rng.randrange(300_000_000))
        check = nhs_check_digit(prefix)
        if check is not None:
            return f"{prefix}{check}"


# -- Names --------------------------------------------------------------------------------------


def _reverse(table: Mapping[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
    out: dict[str, list[str]] = {}
    for formal, dims in table.items():
        for dim in dims:
            out.setdefault(dim, []).append(formal)
    return {dim: tuple(formals) for dim, formals in out.items()}


_DIMINUTIVES: Final = {"M": MALE_DIMINUTIVES, "F": FEMALE_DIMINUTIVES}
_FORMALS: Final = {"M": _reverse(MALE_DIMINUTIVES), "F": _reverse(FEMALE_DIMINUTIVES)}
_VARIANTS: Final[dict[str, tuple[str, ...]]] = {
    name: tuple(other for other in group if other != name)
    for group in SPELLING_VARIANTS
    for name in group
}


def _nickname(name: str, sex: str, rng: random.Random) -> str | None:
    """A diminutive of a formal name, or the formal name (or a sister form) of a diminutive."""
    dims = _DIMINUTIVES.get(sex, {}).get(name)
    formals = _FORMALS.get(sex, {}).get(name)
    if dims and formals:
        return rng.choice(dims if rng.random() < 0.6 else formals)
    if dims:
        return rng.choice(dims)
    if formals:
        formal = rng.choice(formals)
        if rng.random() < 0.7:
            return formal
        others = [d for d in _DIMINUTIVES[sex][formal] if d != name]
        return rng.choice(others) if others else formal
    return None


def _related_names(name: str, sex: str) -> set[str]:
    """The name and everything the corruptions could turn it into (to keep siblings apart)."""
    related = {name, *_VARIANTS.get(name, ())}
    related.update(_DIMINUTIVES.get(sex, {}).get(name, ()))
    for formal in _FORMALS.get(sex, {}).get(name, ()):
        related.add(formal)
        related.update(_DIMINUTIVES[sex][formal])
    return related


_KEYBOARD_ROWS: Final = ("qwertyuiop", "asdfghjkl", "zxcvbnm")


def _keyboard_neighbours() -> dict[str, str]:
    pos = {ch: (r, c) for r, row in enumerate(_KEYBOARD_ROWS) for c, ch in enumerate(row)}
    out: dict[str, str] = {}
    for ch, (r, c) in pos.items():
        near = []
        for r2, c2 in ((r, c - 1), (r, c + 1), (r - 1, c), (r - 1, c + 1), (r + 1, c - 1)):
            if 0 <= r2 < 3 and 0 <= c2 < len(_KEYBOARD_ROWS[r2]):
                near.append(_KEYBOARD_ROWS[r2][c2])
        out[ch] = "".join(near)
    return out


_NEIGHBOURS: Final = _keyboard_neighbours()


def _same_case(template: str, ch: str) -> str:
    return ch.upper() if template.isupper() else ch.lower()


def typo(name: str, rng: random.Random) -> str:
    """One keyboard slip: an insertion, deletion, keyboard-adjacent substitution or swap."""
    chars = list(name)
    n = len(chars)
    letters = [i for i, ch in enumerate(chars) if ch.lower() in _NEIGHBOURS]
    op = rng.randrange(4)
    if op == 3:  # transpose two adjacent, different letters (keeping each position's case)
        spots = [i for i in range(n - 1) if chars[i].lower() != chars[i + 1].lower()]
        if spots:
            i = rng.choice(spots)
            a, b = chars[i], chars[i + 1]
            chars[i], chars[i + 1] = _same_case(a, b), _same_case(b, a)
            return "".join(chars)
        op = 0
    if op == 0 and letters:  # substitute a keyboard neighbour
        i = rng.choice(letters)
        chars[i] = _same_case(chars[i], rng.choice(_NEIGHBOURS[chars[i].lower()]))
        return "".join(chars)
    if op == 1 and n > 2:  # delete one character
        i = rng.randrange(n)
        del chars[i]
        if i == 0 and name[0].isupper():
            chars[0] = chars[0].upper()
        return "".join(chars)
    # insert after a letter: a doubled letter or a neighbouring key
    i = rng.choice(letters) if letters else n - 1
    base = chars[i].lower()
    extra = base if base not in _NEIGHBOURS or rng.random() < 0.4 else rng.choice(_NEIGHBOURS[base])
    chars.insert(i + 1, extra)
    return "".join(chars)


# -- Dates --------------------------------------------------------------------------------------

_DAYS_IN_MONTH: Final = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _days_in(year: int, month: int) -> int:
    leap = month == 2 and year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    return 29 if leap else _DAYS_IN_MONTH[month - 1]


def _dob_typo(dob: date, rng: random.Random, as_of: date) -> date:
    """One digit of the day or the year written wrongly (the date stays real and not future)."""
    for _ in range(20):
        if rng.random() < 0.5:
            text = f"{dob.day:02d}"
            options = [
                int(t)
                for i in range(2)
                for d in "0123456789"
                if d != text[i]
                for t in (text[:i] + d + text[i + 1 :],)
                if 1 <= int(t) <= _days_in(dob.year, dob.month)
            ]
            candidate = dob.replace(day=rng.choice(options))
        else:
            year_text = str(dob.year)
            i = 3 if rng.random() < 0.75 else 2
            digit = int(year_text[i])
            if rng.random() < 0.6:
                new_digit = (digit + rng.choice((-1, 1))) % 10
            else:
                new_digit = rng.randrange(10)
            if new_digit == digit:
                continue
            year = int(year_text[:i] + str(new_digit) + year_text[i + 1 :])
            if dob.month == 2 and dob.day == 29 and _days_in(year, 2) == 28:
                continue
            candidate = dob.replace(year=year)
        if candidate != dob and candidate <= as_of:
            return candidate
    return dob.replace(day=dob.day % _days_in(dob.year, dob.month) + 1)  # pragma: no cover


# -- Addresses ----------------------------------------------------------------------------------

_MASK64: Final = (1 << 64) - 1


def _mix(*values: int) -> int:
    """A stable 64-bit hash of some integers (splitmix64 steps; never Python's salted hash)."""
    h = 0x9E3779B97F4A7C15
    for value in values:
        h = ((h ^ (value & _MASK64)) * 0xBF58476D1CE4E5B9) & _MASK64
        h ^= h >> 31
        h = (h * 0x94D049BB133111EB) & _MASK64
        h ^= h >> 29
    return h


def _postcode(pools: _Pools, town: int, street: int, number: int) -> str:
    """Neighbouring houses share a postcode: a pure function of seed, town, street and number."""
    h = _mix(pools.seed, town, street, number // 40)
    outwards = pools.town_outwards[town]
    outward = outwards[h % len(outwards)]
    h //= len(outwards)
    letters = _INWARD_LETTERS
    return f"{outward} {h % 10}{letters[(h // 10) % 20]}{letters[(h // 200) % 20]}"


def _address(
    pools: _Pools, rng: random.Random, town_name: str | None = None
) -> tuple[tuple[int, int, int, int], str, str, str, str]:
    """(key, line 1, line 2, town, postcode) of a random address."""
    name = town_name or pools.towns.pick(rng)
    town = pools.town_index[name]
    street = pools.streets.pick_index(rng)
    street_name = pools.streets.values[street]
    number = 1 + int(rng.random() ** 1.6 * 180)
    flat = rng.randrange(1, 13) if rng.random() < 0.12 else 0
    line_1 = f"Flat {flat}, {number} {street_name}" if flat else f"{number} {street_name}"
    line_2 = rng.choice(pools.localities) if rng.random() < 0.25 else ""
    postcode = _postcode(pools, town, street, number)
    return (town, street, number, flat), line_1, line_2, name, postcode


# -- Population ---------------------------------------------------------------------------------

# (given name, family name, date of birth, sex, age, index of the twin in the household or -1)
_Member: TypeAlias = tuple[str, str, date, str, int, int]
_MAX_CHILD_DAYS: Final = 18 * 365 - 1  # younger than this many days is certainly under 18


class _PopulationBuilder:
    """State shared while making one population."""

    def __init__(
        self, pools: _Pools, rng: random.Random, as_of: date, twin_rate: float, sibling_rate: float
    ) -> None:
        self.pools = pools
        self.rng = rng
        self.as_of_ordinal = as_of.toordinal()
        self.twin_rate = twin_rate
        self.sibling_rate = sibling_rate
        self.dates: dict[int, date] = {}

    def dob_for_age(self, age: int) -> date:
        return self.dob_for_days(self.rng.randrange(int(age * 365.25) + 1, int((age + 1) * 365.25)))

    def dob_for_days(self, days: int) -> date:
        ordinal = self.as_of_ordinal - days
        cached = self.dates.get(ordinal)
        if cached is None:
            cached = self.dates[ordinal] = date.fromordinal(ordinal)
        return cached

    def household(self) -> tuple[str, list[_Member]]:
        """The origin and members of one household: adults first, then children."""
        pools, rng = self.pools, self.rng
        origin = pools.origins.pick(rng)
        names = pools.names[origin]
        british = pools.names["en_GB"]
        used: set[str] = set()

        def given(sex: str, source: _NamePools) -> str:
            pool = source.male if sex == "M" else source.female
            name = pool.pick(rng)
            for _ in range(12):
                if name not in used:
                    break
                name = pool.pick(rng)
            used.update(_related_names(name, sex))
            return name

        def other_surname() -> str:
            return (names if rng.random() < 0.8 else british).surname.pick(rng)

        surname = names.surname.pick(rng)
        if rng.random() < 0.03:  # a double-barrelled family
            second = other_surname()
            if second != surname:
                surname = f"{surname}-{second}"
        members: list[_Member] = []

        def add(sex: str, age: int, family: str, name: str | None = None) -> None:
            name = name or given(sex, names)
            members.append((name, family, self.dob_for_age(age), sex, age, -1))

        kind = rng.random()
        if kind < 0.12:  # one adult
            add(rng.choice("MF"), rng.randint(18, 80), surname)
            return origin, members
        if kind < 0.21:  # a couple
            age = rng.randint(18, 80)
            first_sex = rng.choice("MF")
            add(first_sex, age, surname)
            second_sex = first_sex if rng.random() < 0.06 else "F" if first_sex == "M" else "M"
            second_age = min(80, max(18, age + rng.randint(-6, 6)))
            add(second_sex, second_age, surname if rng.random() < 0.6 else other_surname())
            return origin, members
        if kind < 0.24:  # a parent and a grown-up child at home
            age = rng.randint(40, 80)
            add(rng.choice("MF"), age, surname)
            add(rng.choice("MF"), rng.randint(18, min(45, age - 18)), surname)
            return origin, members

        # A family with children: one or two adults, one or more births, some of them twins.
        births = 1
        if rng.random() < self.sibling_rate:
            extra = rng.random()
            births = 2 if extra < 0.5 else 3 if extra < 0.8 else 4 if extra < 0.95 else 5
        # Births at least ten months apart (twins aside), all children under 18.
        gaps = [rng.randint(300, 1600) for _ in range(births - 1)]
        youngest = rng.randrange(0, _MAX_CHILD_DAYS - sum(gaps))
        child_days = [youngest + sum(gaps[i:]) for i in range(births)]  # oldest first
        oldest = child_days[0] // 366
        two_adults = rng.random() >= 0.45
        first_sex = "F" if rng.random() < (0.5 if two_adults else 0.88) else "M"
        first_age = min(80, oldest + rng.randint(18, 40))
        add(first_sex, first_age, surname)
        partner_surname = ""
        father = members[0][0] if first_sex == "M" else ""
        if two_adults:
            second_sex = first_sex if rng.random() < 0.06 else "F" if first_sex == "M" else "M"
            second_age = min(80, max(18, oldest + 16, first_age + rng.randint(-5, 5)))
            partner_surname = surname if rng.random() < 0.7 else other_surname()
            add(second_sex, second_age, partner_surname)
            if second_sex == "M" and not father:
                father = members[1][0]
        absent_parent = other_surname()
        kid_names = british if origin != "en_GB" and rng.random() < 0.3 else names
        for days in child_days:
            r = rng.random()
            if partner_surname and partner_surname != surname:
                family = surname if r < 0.8 else partner_surname if r < 0.92 else ""
                family = family or f"{surname}-{partner_surname}"
            else:
                family = surname if r < 0.88 else absent_parent
            dob = self.dob_for_days(days)
            age = days // 366
            sex = rng.choice("MF")
            if sex == "M" and father and rng.random() < 0.01:
                name = father  # a junior: same name as his father, different date of birth
            else:
                name = given(sex, kid_names)
            if rng.random() < self.twin_rate:
                twin_sex = sex if rng.random() < 0.65 else "F" if sex == "M" else "M"
                first = len(members)
                members.append((name, family, dob, sex, age, first + 1))
                members.append((given(twin_sex, kid_names), family, dob, twin_sex, age, first))
            else:
                members.append((name, family, dob, sex, age, -1))
        return origin, members


@_gc_paused()
def population(
    n_people: int,
    *,
    seed: int = DEFAULT_SEED,
    twin_rate: float = 0.02,
    sibling_rate: float = 0.65,
    upn_rate: float = 0.8,
    as_of: date = DEFAULT_AS_OF,
    origin_mix: Mapping[str, float] | None = None,
) -> list[Person]:
    """``n_people`` true people living in households, in household order.

    About half are children (0-17), the rest adults (18-80). A household shares an address and
    (mostly) a surname. ``twin_rate`` is the chance that a child's birth is a twin birth (twins
    share date of birth, surname and address; given names always differ, sex may).
    ``sibling_rate`` is the chance that a family has more than one birth. ``upn_rate`` is the
    chance that a child aged 4 or over has a UPN. Ages are as at ``as_of``.
    """
    if n_people < 0:
        raise ValueError("n_people must not be negative")
    for label, rate in (("twin_rate", twin_rate), ("sibling_rate", sibling_rate)):
        if not 0.0 <= rate <= 1.0:
            raise ValueError(f"{label} must be between 0 and 1")
    if not 0.0 <= upn_rate <= 1.0:
        raise ValueError("upn_rate must be between 0 and 1")
    pools = _pools_for(seed, origin_mix)
    rng = random.Random(f"openmash-synthetic/population/{seed}")
    builder = _PopulationBuilder(pools, rng, as_of, twin_rate, sibling_rate)
    nhs_numbers = _unique_nhs_numbers(rng, n_people)
    used_addresses: set[tuple[int, int, int, int]] = set()
    used_upns: set[str] = set()
    people: list[Person] = []
    households = 0
    while len(people) < n_people:
        households += 1
        household_id = f"H{households:08d}"
        origin, members = builder.household()
        members = members[: n_people - len(people)]
        while True:
            key, line_1, line_2, town, postcode = _address(pools, rng)
            if key not in used_addresses:
                used_addresses.add(key)
                break
        la_code = pools.town_la_codes[key[0]]
        school = f"{rng.randrange(1000, 8000):04d}"
        base = len(people)
        for i, (given, family, dob, sex, age, twin) in enumerate(members):
            upn = ""
            if _upn_check_letter is not None and 4 <= age < 18 and rng.random() < upn_rate:
                year = f"{(dob.year + 5) % 100:02d}"
                while not upn or upn in used_upns:
                    body = f"{la_code}{school}{year}{rng.randrange(1000):03d}"
                    upn = _upn_check_letter(body) + body
                used_upns.add(upn)
            people.append(
                Person(
                    person_id=f"P{base + i + 1:08d}",
                    household_id=household_id,
                    given_name=given,
                    family_name=family,
                    date_of_birth=dob,
                    sex=sex,
                    address_line_1=line_1,
                    address_line_2=line_2,
                    town=town,
                    postcode=postcode,
                    nhs_number=nhs_numbers[base + i],
                    upn=upn,
                    twin_of=f"P{base + twin + 1:08d}" if 0 <= twin < len(members) else "",
                    origin=origin,
                )
            )
    return people


# -- Records ------------------------------------------------------------------------------------


def _counter(records_per_person: RecordsPerPerson) -> Callable[[random.Random], int]:
    if isinstance(records_per_person, tuple):
        low, high = records_per_person
        if not 1 <= low <= high:
            raise ValueError("records_per_person must be (min, max) with 1 <= min <= max")
        if low == high:
            return lambda rng: low
        return lambda rng: rng.randint(low, high)
    items = sorted((int(k), float(w)) for k, w in records_per_person.items() if w > 0)
    if not items or items[0][0] < 1:
        raise ValueError("records_per_person needs counts of at least 1 with positive weights")
    table = _Weighted([str(k) for k, _ in items], [w for _, w in items])
    counts = [k for k, _ in items]
    return lambda rng: counts[table.pick_index(rng)]


class _Corrupter:
    def __init__(
        self,
        pools: _Pools,
        rng: random.Random,
        weights: Mapping[str, float],
        stack_rate: float,
        people: Sequence[Person],
        as_of: date,
    ) -> None:
        self.pools = pools
        self.rng = rng
        self.weights = [(k, weights[k]) for k in CORRUPTIONS if weights.get(k, 0.0) > 0.0]
        self.stack_rate = stack_rate
        self.people = people
        self.as_of = as_of
        self.kinds_cache: dict[tuple[str, ...], tuple[str, ...]] = {}
        self.options_cache: dict[tuple[bool, ...], tuple[tuple[str, float], ...]] = {}

    def _alt_rng(self, person: Person, what: str) -> random.Random:
        # A person's other address or other surname is the same on every record that shows it.
        return random.Random(f"openmash-synthetic/alt/{self.pools.seed}/{person.person_id}/{what}")

    def _options(self, person: Person, nhs_held: bool) -> tuple[tuple[str, float], ...]:
        """The kinds (with weights) that can apply to this person, cached by what decides it."""
        name, sex, family, dob = (
            person.given_name,
            person.sex,
            person.family_name,
            person.date_of_birth,
        )
        has_nickname = name in _DIMINUTIVES[sex] or name in _FORMALS[sex]
        has_variant = name in _VARIANTS
        two_part = "-" in family or " " in family
        swappable = dob.day <= 12 and dob.day != dob.month
        key = (has_nickname, has_variant, two_part, swappable, nhs_held)
        cached = self.options_cache.get(key)
        if cached is None:
            excluded = set()
            if not has_nickname:
                excluded.add("nickname")
            if not has_variant:
                excluded.add("spelling_variant")
            excluded.add("surname_hyphenated" if two_part else "surname_part_dropped")
            if not swappable:
                excluded.add("dob_day_month_swap")
            if not nhs_held:
                excluded.update(("wrong_nhs_number", "missing_nhs_number"))
            cached = tuple((k, w) for k, w in self.weights if k not in excluded)
            self.options_cache[key] = cached
        return cached

    def choose(self, person: Person, nhs_held: bool) -> tuple[str, ...]:
        """One kind by weight, then (each with probability stack_rate) more that don't conflict."""
        rng = self.rng
        options = self._options(person, nhs_held)
        chosen: list[str] = []
        while options:
            r = rng.random() * sum(w for _, w in options)
            kind = options[-1][0]
            for k, w in options:
                r -= w
                if r < 0:
                    kind = k
                    break
            chosen.append(kind)
            if len(chosen) >= 4 or rng.random() >= self.stack_rate:
                break
            blocked = _CONFLICTS_OF[kind]
            options = tuple((k, w) for k, w in options if k not in blocked)
        chosen.sort(key=_ORDER.__getitem__)
        key = tuple(chosen)
        return self.kinds_cache.setdefault(key, key)

    def record(
        self,
        record_id: str,
        index: int,
        other_id: str,
        nhs_held: bool,
        kinds: tuple[str, ...],
    ) -> SyntheticRecord:
        rng, pools = self.rng, self.pools
        person = self.people[index]
        given, family = person.given_name, person.family_name
        dob: date | None = person.date_of_birth
        sex = person.sex
        line_1, line_2, town, postcode = (
            person.address_line_1,
            person.address_line_2,
            person.town,
            person.postcode,
        )
        nhs = person.nhs_number if nhs_held else ""
        aliases: list[str] = []
        true_name = f"{person.given_name} {person.family_name}"
        for kind in kinds:
            if kind == "nickname":
                given = _nickname(given, sex, rng) or given
                if rng.random() < 0.2:
                    aliases.append(true_name)
            elif kind == "spelling_variant":
                given = rng.choice(_VARIANTS[given])
            elif kind == "given_name_typo":
                given = typo(given, rng)
            elif kind == "surname_hyphenated":
                alt = self._alt_rng(person, "hyphen")
                other = family
                while other == family:
                    other = alt.choice(pools.names["en_GB"].surname.values)
                separator = "-" if rng.random() < 0.85 else " "
                parts = (family, other) if rng.random() < 0.7 else (other, family)
                family = separator.join(parts)
            elif kind == "surname_part_dropped":
                family = rng.choice(family.replace(" ", "-").split("-"))
            elif kind == "surname_changed":
                alt = self._alt_rng(person, "surname")
                new = family
                while new == family:
                    new = alt.choice(pools.names["en_GB"].surname.values)
                family = new
                if rng.random() < 0.3:
                    aliases.append(true_name)
            elif kind == "family_name_typo":
                family = typo(family, rng)
            elif kind == "names_swapped":
                given, family = family, given
            elif kind == "dob_day_month_swap" and dob is not None:
                dob = date(dob.year, dob.day, dob.month)
            elif kind == "dob_typo" and dob is not None:
                dob = _dob_typo(dob, rng, self.as_of)
            elif kind == "missing_dob":
                dob = None
            elif kind == "missing_sex":
                sex = ""
            elif kind == "moved":
                alt = self._alt_rng(person, "moved")
                stay = alt.random() < 0.6 and person.town in pools.town_index
                same_town = person.town if stay else None
                _, line_1, line_2, town, postcode = _address(pools, alt, same_town)
            elif kind == "postcode_partial" and postcode:
                postcode = postcode.split(" ")[0] if rng.random() < 0.5 else postcode[:-1]
            elif kind == "missing_postcode":
                postcode = ""
            elif kind == "wrong_nhs_number":
                nhs = self._wrong_nhs_number(index)
            elif kind == "missing_nhs_number":
                nhs = ""
        if not nhs_held:
            with_not_held = (*kinds, "nhs_not_held")
            kinds = self.kinds_cache.setdefault(with_not_held, with_not_held)
        return SyntheticRecord(
            record_id,
            person.person_id,
            given,
            family,
            tuple(aliases),
            dob,
            sex,
            line_1,
            line_2,
            town,
            postcode,
            nhs,
            other_id,
            kinds,
        )

    def _wrong_nhs_number(self, index: int) -> str:
        """Usually a household member's number (the common mix-up), else any valid one."""
        people, rng = self.people, self.rng
        person = people[index]
        if rng.random() < 0.6:
            for j in (index - 1, index + 1):
                if 0 <= j < len(people) and people[j].household_id == person.household_id:
                    return people[j].nhs_number
        while True:
            number = _random_nhs_number(rng)
            if number != person.nhs_number:
                return number


@_gc_paused()
def records_for(
    people: Sequence[Person],
    *,
    records_per_person: RecordsPerPerson = DEFAULT_RECORDS_PER_PERSON,
    corruption_rate: float = 0.3,
    corruption_weights: Mapping[str, float] | None = None,
    stack_rate: float = 0.25,
    other_id_rate: float = 0.5,
    nhs_number_rate: float = 1.0,
    as_of: date = DEFAULT_AS_OF,
    seed: int = DEFAULT_SEED,
    id_prefix: str = "R",
) -> list[SyntheticRecord]:
    """Agency records of ``people``, in random order, with record ids in that order.

    Each person gets a number of records drawn from ``records_per_person`` (``(min, max)``,
    uniform, or ``{count: weight}``). Each record is independently corrupted with probability
    ``corruption_rate``: one kind drawn by ``corruption_weights`` among those that apply to the
    person, then, with probability ``stack_rate`` each, up to three more that do not conflict.
    ``other_id`` carries the person's UPN (if any) with probability ``other_id_rate``.
    ``nhs_number_rate`` below 1 models a source that seldom holds NHS numbers: the rest have a
    blank one marked ``nhs_not_held`` (outside the corruption rate).
    """
    for label, rate in (
        ("corruption_rate", corruption_rate),
        ("stack_rate", stack_rate),
        ("other_id_rate", other_id_rate),
        ("nhs_number_rate", nhs_number_rate),
    ):
        if not 0.0 <= rate <= 1.0:
            raise ValueError(f"{label} must be between 0 and 1")
    weights = dict(DEFAULT_CORRUPTION_WEIGHTS if corruption_weights is None else corruption_weights)
    unknown = sorted(set(weights) - set(DEFAULT_CORRUPTION_WEIGHTS))
    if unknown:
        raise ValueError(f"unknown corruption kinds: {', '.join(unknown)}")
    count = _counter(records_per_person)
    rng = random.Random(f"openmash-synthetic/records/{seed}/{id_prefix}")
    counts = [count(rng) for _ in people]
    total = sum(counts)
    slots = list(range(total))
    rng.shuffle(slots)
    width = max(8, len(str(total)))
    corrupter = _Corrupter(_pools_for(seed), rng, weights, stack_rate, people, as_of)
    not_held: tuple[str, ...] = ("nhs_not_held",)
    no_kinds: tuple[str, ...] = ()
    out: list[SyntheticRecord | None] = [None] * total
    j = 0
    for index, (person, k) in enumerate(zip(people, counts, strict=True)):
        upn = person.upn
        for _ in range(k):
            slot = slots[j]
            j += 1
            record_id = f"{id_prefix}{slot + 1:0{width}d}"
            other_id = upn if upn and rng.random() < other_id_rate else ""
            nhs_held = nhs_number_rate >= 1.0 or rng.random() < nhs_number_rate
            if rng.random() < corruption_rate:
                kinds = corrupter.choose(person, nhs_held)
                out[slot] = corrupter.record(record_id, index, other_id, nhs_held, kinds)
                continue
            out[slot] = SyntheticRecord(
                record_id,
                person.person_id,
                person.given_name,
                person.family_name,
                (),
                person.date_of_birth,
                person.sex,
                person.address_line_1,
                person.address_line_2,
                person.town,
                person.postcode,
                person.nhs_number if nhs_held else "",
                other_id,
                no_kinds if nhs_held else not_held,
            )
    return [r for r in out if r is not None]


def two_extracts(
    n_people: int,
    *,
    overlap: float = 0.5,
    seed: int = DEFAULT_SEED,
    corruption_rate: float = 0.3,
    police_nhs_rate: float = 0.2,
) -> tuple[list[SyntheticRecord], list[SyntheticRecord]]:
    """A "police" and a "health" extract of one population, for link benchmarks.

    ``round(overlap * n_people)`` people are in both; everyone else is in exactly one (half
    each). Each extract holds at most one record per person. The police extract holds NHS
    numbers for only ``police_nhs_rate`` of its records (the rest are marked ``nhs_not_held``);
    neither carries ``other_id``.
    """
    if not 0.0 <= overlap <= 1.0:
        raise ValueError("overlap must be between 0 and 1")
    people = population(n_people, seed=seed)
    rng = random.Random(f"openmash-synthetic/extracts/{seed}")
    order = list(range(n_people))
    rng.shuffle(order)
    both = round(overlap * n_people)
    membership = bytearray(n_people)  # 1 police, 2 health, 3 both
    for i in order[:both]:
        membership[i] = 3
    for n, i in enumerate(order[both:]):
        membership[i] = 1 if n % 2 == 0 else 2
    police_people = [p for p, m in zip(people, membership, strict=True) if m & 1]
    health_people = [p for p, m in zip(people, membership, strict=True) if m & 2]
    police = records_for(
        police_people,
        records_per_person=(1, 1),
        corruption_rate=corruption_rate,
        other_id_rate=0.0,
        nhs_number_rate=police_nhs_rate,
        seed=seed,
        id_prefix="POL",
    )
    health = records_for(
        health_people,
        records_per_person=(1, 1),
        corruption_rate=corruption_rate,
        other_id_rate=0.0,
        seed=seed,
        id_prefix="HEA",
    )
    return police, health


# -- Truth and files ----------------------------------------------------------------------------


def true_pairs(records: Iterable[SyntheticRecord]) -> set[tuple[str, str]]:
    """Every pair of records of the same person, each as (smaller id, larger id)."""
    by_person: dict[str, list[str]] = {}
    for record in records:
        by_person.setdefault(record.person_id, []).append(record.record_id)
    pairs: set[tuple[str, str]] = set()
    for ids in by_person.values():
        if len(ids) > 1:
            ids.sort()
            pairs.update((ids[a], ids[b]) for a in range(len(ids)) for b in range(a + 1, len(ids)))
    return pairs


def write_csv(
    records: Iterable[SyntheticRecord], path: str | Path, *, with_aliases: bool = False
) -> None:
    """The records as CSV with exactly ``CSV_COLUMNS`` (no truth, no corruption labels).

    ``with_aliases`` adds an ``aliases`` column ("Given Family" names joined by "|"), which the
    matcher's CSV reader accepts as optional.
    """
    iso: dict[date, str] = {}

    def text(day: date | None) -> str:
        if day is None:
            return ""
        value = iso.get(day)
        if value is None:
            value = iso[day] = day.isoformat()
        return value

    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        if with_aliases:
            writer.writerow((*CSV_COLUMNS, "aliases"))
            writer.writerows((*_row(r, text), "|".join(r.aliases)) for r in records)
            return
        writer.writerow(CSV_COLUMNS)
        writer.writerows(_row(r, text) for r in records)


def _row(r: SyntheticRecord, text: Callable[[date | None], str]) -> tuple[str, ...]:
    return (
        r.record_id,
        r.given_name,
        r.family_name,
        text(r.date_of_birth),
        r.sex,
        r.address_line_1,
        r.address_line_2,
        r.town,
        r.postcode,
        r.nhs_number,
        r.other_id,
    )


def write_truth_csv(records: Iterable[SyntheticRecord], path: str | Path) -> None:
    """record_id,person_id for each record: the answer key."""
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(TRUTH_COLUMNS)
        writer.writerows((r.record_id, r.person_id) for r in records)


# -- Command line -------------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m openmash.testing.synthetic",
        description="Write a synthetic UK population's records and the truth, as CSV.",
    )
    parser.add_argument("--people", type=int, required=True, help="how many true people")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--out", type=Path, required=True, help="directory for the CSV files")
    parser.add_argument("--corruption-rate", type=float, default=0.3)
    parser.add_argument(
        "--records-per-person",
        metavar="MIN,MAX",
        help="uniform range of records per person (default: a spread with mean about 2.2)",
    )
    parser.add_argument("--two-extracts", action="store_true", help="police and health extracts")
    parser.add_argument("--aliases", action="store_true", help="add an aliases column")
    parser.add_argument("--overlap", type=float, default=0.5, help="with --two-extracts")
    args = parser.parse_args(argv)

    started = time.perf_counter()
    args.out.mkdir(parents=True, exist_ok=True)
    written: list[tuple[str, int]] = []
    if args.two_extracts:
        police, health = two_extracts(
            args.people,
            overlap=args.overlap,
            seed=args.seed,
            corruption_rate=args.corruption_rate,
        )
        for name, records in (("police", police), ("health", health)):
            write_csv(records, args.out / f"{name}.csv", with_aliases=args.aliases)
            write_truth_csv(records, args.out / f"{name}_truth.csv")
            written.append((f"{name}.csv", len(records)))
    else:
        per_person: RecordsPerPerson = DEFAULT_RECORDS_PER_PERSON
        if args.records_per_person:
            low, _, high = args.records_per_person.partition(",")
            per_person = (int(low), int(high or low))
        people = population(args.people, seed=args.seed)
        records = records_for(
            people,
            records_per_person=per_person,
            corruption_rate=args.corruption_rate,
            seed=args.seed,
        )
        write_csv(records, args.out / "records.csv", with_aliases=args.aliases)
        write_truth_csv(records, args.out / "truth.csv")
        written.append(("records.csv", len(records)))
    elapsed = time.perf_counter() - started
    for name, count in written:
        sys.stdout.write(f"{args.out / name}: {count} records\n")
    sys.stdout.write(f"{args.people} people in {elapsed:.1f}s\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
