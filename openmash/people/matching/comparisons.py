"""The one definition of every comparison and its ordered levels.

Each level's condition is a small expression tree (``Eq``, ``JaroWinklerAtLeast``, ``Overlap``,
``AllOf`` ...) over the columns in ``features.py``. The same tree renders

* to SQL, for Splink's settings (``Comparison.splink_dict``), and
* to Python source, compiled once into a function that picks the level of a pair of
  ``Features`` tuples (``compile_level_function``) or sums a model's weights
  (``compile_weight_function``),

so Splink and the in-process scorer cannot drift apart. Levels are tried in order and the first
whose condition holds wins, exactly like SQL's ``CASE WHEN``; the first level of every
comparison is its null level (no evidence either way), the last is ``ELSE``.

NULL semantics: conditions have no negation, so SQL's three-valued logic and Python's "None
compares false" agree: a monotone formula is TRUE under Kleene logic exactly when it is true
with every NULL comparison taken as false. (``EitherNull`` is two-valued in both.)
"""

from __future__ import annotations

import hashlib
import math
from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Final

from rapidfuzz.distance import DamerauLevenshtein, JaroWinkler

from openmash.people.matching.features import COLUMN_INDEX, LIST_COLUMNS, Features

_FUNCTIONS: Final = {
    "duckdb": {
        "jaro_winkler": "jaro_winkler_similarity",
        "damerau_levenshtein": "damerau_levenshtein",
        "overlap": "list_has_any",
        "starts_with": "starts_with",
    },
    "spark": {
        "jaro_winkler": "jaro_winkler",
        "damerau_levenshtein": "damerau_levenshtein",
        "overlap": "arrays_overlap",
        "starts_with": "startswith",
    },
}


#: Longest given name that a two- or three-letter abbreviation is looked for in.
_ABBREVIATED_MAX: Final = 12


def _q(column: str, side: str, dialect: str = "duckdb") -> str:
    """A quoted column of one side. Spark SQL quotes identifiers with backticks: to it a
    double-quoted name is a string literal."""
    if dialect == "spark":
        return f"`{column}_{side}`"
    return f'"{column}_{side}"'


def _idx(column: str) -> int:
    try:
        return COLUMN_INDEX[column]
    except KeyError:
        raise ValueError(f"unknown feature column {column!r}") from None


class Condition(ABC):
    """A level condition: renders to SQL and to a Python expression over tuples ``l`` and ``r``."""

    @abstractmethod
    def sql(self, dialect: str = "duckdb") -> str: ...

    @abstractmethod
    def py(self) -> str: ...

    @abstractmethod
    def columns(self) -> frozenset[str]: ...


@dataclass(frozen=True)
class Eq(Condition):
    """``left`` on the left record equals ``right`` (default: the same column) on the right."""

    left: str
    right: str | None = None

    def sql(self, dialect: str = "duckdb") -> str:
        return f"{_q(self.left, 'l', dialect)} = {_q(self.right or self.left, 'r', dialect)}"

    def py(self) -> str:
        a, b = _idx(self.left), _idx(self.right or self.left)
        return f"(l[{a}] is not None and l[{a}] == r[{b}])"

    def columns(self) -> frozenset[str]:
        return frozenset({self.left, self.right or self.left})


@dataclass(frozen=True)
class BothDiffer(Condition):
    """``column`` is present on both sides and differs. Two-valued in SQL and Python alike
    (both sides are tested for NULL), so it keeps the NULL semantics above."""

    column: str

    def sql(self, dialect: str = "duckdb") -> str:
        left, right = _q(self.column, "l", dialect), _q(self.column, "r", dialect)
        return f"({left} IS NOT NULL AND {right} IS NOT NULL AND {left} <> {right})"

    def py(self) -> str:
        i = _idx(self.column)
        return f"(l[{i}] is not None and r[{i}] is not None and l[{i}] != r[{i}])"

    def columns(self) -> frozenset[str]:
        return frozenset({self.column})


@dataclass(frozen=True)
class EitherNull(Condition):
    column: str

    def sql(self, dialect: str = "duckdb") -> str:
        return f"{_q(self.column, 'l', dialect)} IS NULL OR {_q(self.column, 'r', dialect)} IS NULL"

    def py(self) -> str:
        i = _idx(self.column)
        return f"(l[{i}] is None or r[{i}] is None)"

    def columns(self) -> frozenset[str]:
        return frozenset({self.column})


@dataclass(frozen=True)
class OnSide(Condition):
    """``column`` is present (``present``) or missing on one ``side`` ("l" or "r").
    Two-valued in SQL and Python alike."""

    column: str
    side: str
    present: bool

    def __post_init__(self) -> None:
        if self.side not in ("l", "r"):
            raise ValueError(f"side must be 'l' or 'r', not {self.side!r}")

    def sql(self, dialect: str = "duckdb") -> str:
        test = "IS NOT NULL" if self.present else "IS NULL"
        return f"{_q(self.column, self.side, dialect)} {test}"

    def py(self) -> str:
        test = "is not None" if self.present else "is None"
        return f"({self.side}[{_idx(self.column)}] {test})"

    def columns(self) -> frozenset[str]:
        return frozenset({self.column})


@dataclass(frozen=True)
class JaroWinklerAtLeast(Condition):
    """Jaro-Winkler similarity of ``column`` on the left and ``right`` (default: the same
    column) on the right."""

    column: str
    threshold: float
    right: str | None = None

    def sql(self, dialect: str = "duckdb") -> str:
        fn = _FUNCTIONS[dialect]["jaro_winkler"]
        left, right = _q(self.column, "l", dialect), _q(self.right or self.column, "r", dialect)
        return f"{fn}({left}, {right}) >= CAST({self.threshold!r} AS DOUBLE)"

    def py(self) -> str:
        i, j = _idx(self.column), _idx(self.right or self.column)
        t = repr(float(self.threshold))
        return (
            f"(l[{i}] is not None and r[{j}] is not None"
            f" and _jw(l[{i}], r[{j}], score_cutoff={t}) >= {t})"
        )

    def columns(self) -> frozenset[str]:
        return frozenset({self.column, self.right or self.column})


@dataclass(frozen=True)
class DamerauLevenshteinAtMost(Condition):
    """True Damerau-Levenshtein distance (DuckDB's and rapidfuzz's definitions agree) between
    ``column`` on the left and ``right`` (default: the same column) on the right."""

    column: str
    distance: int
    right: str | None = None

    def sql(self, dialect: str = "duckdb") -> str:
        fn = _FUNCTIONS[dialect]["damerau_levenshtein"]
        left, right = _q(self.column, "l", dialect), _q(self.right or self.column, "r", dialect)
        return f"{fn}({left}, {right}) <= {int(self.distance)}"

    def py(self) -> str:
        i, j = _idx(self.column), _idx(self.right or self.column)
        k = int(self.distance)
        return (
            f"(l[{i}] is not None and r[{j}] is not None"
            f" and _dl(l[{i}], r[{j}], score_cutoff={k}) <= {k})"
        )

    def columns(self) -> frozenset[str]:
        return frozenset({self.column, self.right or self.column})


@dataclass(frozen=True)
class AbsDiffAtLeast(Condition):
    """Two integers at least ``amount`` apart (birth years a generation apart)."""

    column: str
    amount: int

    def sql(self, dialect: str = "duckdb") -> str:
        left, right = _q(self.column, "l", dialect), _q(self.column, "r", dialect)
        return f"abs({left} - {right}) >= {int(self.amount)}"

    def py(self) -> str:
        i = _idx(self.column)
        return (
            f"(l[{i}] is not None and r[{i}] is not None"
            f" and abs(l[{i}] - r[{i}]) >= {int(self.amount)})"
        )

    def columns(self) -> frozenset[str]:
        return frozenset({self.column})


@dataclass(frozen=True)
class AbsDiffBelow(Condition):
    """Two integers less than ``amount`` apart (birth years within a generation)."""

    column: str
    amount: int

    def sql(self, dialect: str = "duckdb") -> str:
        left, right = _q(self.column, "l", dialect), _q(self.column, "r", dialect)
        return f"abs({left} - {right}) < {int(self.amount)}"

    def py(self) -> str:
        i = _idx(self.column)
        return (
            f"(l[{i}] is not None and r[{i}] is not None"
            f" and abs(l[{i}] - r[{i}]) < {int(self.amount)})"
        )

    def columns(self) -> frozenset[str]:
        return frozenset({self.column})


@dataclass(frozen=True)
class PrefixOf(Condition):
    """One side's value starts with the other's (MATT / MATTHEW)."""

    column: str

    def sql(self, dialect: str = "duckdb") -> str:
        fn = _FUNCTIONS[dialect]["starts_with"]
        left, right = _q(self.column, "l", dialect), _q(self.column, "r", dialect)
        return f"({fn}({left}, {right}) OR {fn}({right}, {left}))"

    def py(self) -> str:
        i = _idx(self.column)
        return (
            f"(l[{i}] is not None and r[{i}] is not None"
            f" and (l[{i}].startswith(r[{i}]) or r[{i}].startswith(l[{i}])))"
        )

    def columns(self) -> frozenset[str]:
        return frozenset({self.column})


@dataclass(frozen=True)
class Overlap(Condition):
    """The two list columns share at least one value."""

    left: str
    right: str | None = None

    def __post_init__(self) -> None:
        for column in (self.left, self.right or self.left):
            if column not in LIST_COLUMNS:
                raise ValueError(f"Overlap needs list columns, {column!r} is not one")

    def sql(self, dialect: str = "duckdb") -> str:
        fn = _FUNCTIONS[dialect]["overlap"]
        return f"{fn}({_q(self.left, 'l', dialect)}, {_q(self.right or self.left, 'r', dialect)})"

    def py(self) -> str:
        return f"_overlap(l[{_idx(self.left)}], r[{_idx(self.right or self.left)}])"

    def columns(self) -> frozenset[str]:
        return frozenset({self.left, self.right or self.left})


@dataclass(frozen=True)
class AbbreviationOf(Condition):
    """One side's ``column`` is a two- or three-letter abbreviation of the other's (four to
    twelve letters): the same first letter, then its other letters in order (PP / PHILIP,
    BV / BEVERLEY). Values are normalised names (A-Z and digits only), so each letter of the
    short one can be turned into a regular expression as it is."""

    column: str

    def sql(self, dialect: str = "duckdb") -> str:
        left, right = _q(self.column, "l", dialect), _q(self.column, "r", dialect)
        return f"({self._one_way(left, right, dialect)} OR {self._one_way(right, left, dialect)})"

    @staticmethod
    def _one_way(short: str, full: str, dialect: str) -> str:
        sizes = (
            f"length({short}) BETWEEN 2 AND 3 AND length({full}) BETWEEN 4 AND {_ABBREVIATED_MAX}"
        )
        if dialect == "spark":
            pattern = f"concat('^', regexp_replace({short}, '(.)', '$1.*'), '$')"
            return f"({sizes} AND {full} RLIKE {pattern})"
        pattern = f"regexp_replace({short}, '(.)', '\\1.*', 'g')"
        return f"({sizes} AND regexp_full_match({full}, {pattern}))"

    def py(self) -> str:
        i = _idx(self.column)
        return f"(_abbrev(l[{i}], r[{i}]) or _abbrev(r[{i}], l[{i}]))"

    def columns(self) -> frozenset[str]:
        return frozenset({self.column})


@dataclass(frozen=True)
class AllOf(Condition):
    parts: tuple[Condition, ...]

    def sql(self, dialect: str = "duckdb") -> str:
        return "(" + " AND ".join(f"({p.sql(dialect)})" for p in self.parts) + ")"

    def py(self) -> str:
        return "(" + " and ".join(p.py() for p in self.parts) + ")"

    def columns(self) -> frozenset[str]:
        return frozenset().union(*(p.columns() for p in self.parts))


@dataclass(frozen=True)
class AnyOf(Condition):
    parts: tuple[Condition, ...]

    def sql(self, dialect: str = "duckdb") -> str:
        return "(" + " OR ".join(f"({p.sql(dialect)})" for p in self.parts) + ")"

    def py(self) -> str:
        return "(" + " or ".join(p.py() for p in self.parts) + ")"

    def columns(self) -> frozenset[str]:
        return frozenset().union(*(p.columns() for p in self.parts))


def all_of(*parts: Condition) -> AllOf:
    return AllOf(tuple(parts))


def any_of(*parts: Condition) -> AnyOf:
    return AnyOf(tuple(parts))


@dataclass(frozen=True)
class Level:
    """One level. ``condition`` None means ELSE (everything not caught by earlier levels)."""

    label: str
    description: str
    condition: Condition | None
    is_null: bool = False
    derived: bool = False  # parameters derived from other levels, never trained


NULL_LABEL: Final = "null"


@dataclass(frozen=True)
class Comparison:
    name: str
    description: str
    levels: tuple[Level, ...]

    def __post_init__(self) -> None:
        labels = [lv.label for lv in self.levels]
        if len(set(labels)) != len(labels):
            raise ValueError(f"{self.name}: duplicate level labels")
        if not self.levels[0].is_null or any(lv.is_null for lv in self.levels[1:]):
            raise ValueError(f"{self.name}: the first level, and only it, must be the null level")
        if self.levels[-1].condition is not None:
            raise ValueError(f"{self.name}: the last level must be ELSE")

    @property
    def labels(self) -> tuple[str, ...]:
        """Labels of the levels that carry a weight (all but the null level), in order."""
        return tuple(lv.label for lv in self.levels[1:])

    def gamma(self, label: str) -> int:
        """Splink's comparison-vector value for a level: -1 null, then n-1 ... 0 (ELSE)."""
        if label == NULL_LABEL:
            return -1
        labels = self.labels
        return len(labels) - 1 - labels.index(label)

    def label_for_gamma(self, gamma: int) -> str:
        if gamma == -1:
            return NULL_LABEL
        labels = self.labels
        return labels[len(labels) - 1 - gamma]

    def splink_dict(
        self,
        parameters: Mapping[str, tuple[float, float]] | None = None,
        *,
        dialect: str = "duckdb",
        for_training: bool = False,
    ) -> dict[str, Any]:
        """The Splink comparison dict. With ``parameters`` each level carries its (m, u).

        Derived levels are fixed (training leaves them alone); ``for_training`` leaves them out
        altogether, so that pairs fall through to the levels that are trained (e.g. the twin
        level would otherwise swallow every "given names differ" pair in a date-of-birth block
        and make Splink treat the given-name comparison as part of that blocking rule)."""
        levels: list[dict[str, Any]] = []
        for level in self.levels:
            if for_training and level.derived:
                continue
            sql = level.condition.sql(dialect) if level.condition is not None else "ELSE"
            entry: dict[str, Any] = {"sql_condition": sql, "label_for_charts": level.label}
            if level.is_null:
                entry["is_null_level"] = True
            else:
                if parameters is not None and level.label in parameters:
                    m, u = parameters[level.label]
                    entry["m_probability"] = m
                    entry["u_probability"] = u
                if level.derived:
                    entry["fix_m_probability"] = True
                    entry["fix_u_probability"] = True
            levels.append(entry)
        return {
            "output_column_name": self.name,
            "comparison_description": self.description,
            "comparison_levels": levels,
        }


# -- The comparisons ---------------------------------------------------------------------------


def _null(description: str, condition: Condition) -> Level:
    return Level(NULL_LABEL, description, condition, is_null=True)


_DOB_TRANSPOSED: Final = all_of(Eq("dob_y"), Eq("dob_d", "dob_m"), Eq("dob_m", "dob_d"))
_DOB_ONE_DIGIT: Final = DamerauLevenshteinAtMost("dob", 1)
#: Birth years this far apart are a generation apart (parent and child).
GENERATION_YEARS: Final = 12
#: Two of day, month and year agree - but a shared birthday (day and month) counts only when the
#: years are within a generation: a parent and child born on the same day of the year are not
#: one person with a mistyped year (a one-digit slip is ``one_digit``, caught before this).
_DOB_TWO_OF_THREE: Final = any_of(
    all_of(Eq("dob_y"), Eq("dob_m")),
    all_of(Eq("dob_y"), Eq("dob_d")),
    all_of(Eq("dob_m"), Eq("dob_d"), AbsDiffBelow("dob_y", GENERATION_YEARS)),
)
#: Dates of birth that are missing or at least roughly agree (any level but "different").
_DOB_COMPATIBLE: Final = any_of(
    EitherNull("dob"), Eq("dob"), _DOB_TRANSPOSED, _DOB_ONE_DIGIT, _DOB_TWO_OF_THREE
)

_SWAPPED: Final = all_of(Eq("given_first", "family_first"), Eq("family_first", "given_first"))


def _close_names(given: str, family: str, given_keys: str, family_keys: str) -> Condition:
    """One record's ``given`` name and the other's ``family`` name (or the reverse) are the
    same name allowing a nickname or a typo: equal, sharing a nickname key, one edit apart, or
    jaro-winkler >= 0.88 (the closeness the given-name levels accept before ``twin_pattern``)."""
    return any_of(
        Eq(given, family),
        Overlap(given_keys, family_keys),
        DamerauLevenshteinAtMost(given, 1, family),
        JaroWinklerAtLeast(given, 0.88, family),
    )


#: A swap plus a nickname or typo: both cross pairs the same name allowing a nickname or a typo
#: (Norman Suolivan / Sullivan Orman). Both cross pairs must agree, so twins - whose given
#: names differ - never reach this level just because one twin's record has its names swapped.
_SWAPPED_FUZZY: Final = all_of(
    _close_names("given_first", "family_first", "given_keys", "family_keys"),
    _close_names("family_first", "given_first", "family_keys", "given_keys"),
)


def _swapped_then_renamed(swapped: str) -> Condition:
    """The ``swapped`` record has its names the wrong way round and the ``renamed`` one a new
    surname ("Miah Philip" / "Philip Cook"): the swapped record's family name is the other's
    given name, which the name table knows as a given name, while neither the swapped record's
    given name (its old surname) nor the other's surname is one. Twins are safe: where one
    twin's record is swapped ("Miah Philip" / "Paul Miah"), the shared token is the surname and
    the names around it - the twins' own given names - are given names."""
    renamed = "r" if swapped == "l" else "l"
    return all_of(
        Eq("family_first", "given_first") if swapped == "l" else Eq("given_first", "family_first"),
        OnSide("given_known", renamed, present=True),
        OnSide("given_known", swapped, present=False),
        OnSide("family_known", renamed, present=False),
    )


#: Names swapped on one record and the surname changed on the other.
_SWAPPED_RENAMED: Final = any_of(_swapped_then_renamed("l"), _swapped_then_renamed("r"))
#: Recorded sexes agree or one is missing: weak name evidence (a nickname with a typo, similar
#: spellings, an abbreviation) counts only then - a boy and a girl twin (Martin / Mary) are not
#: one person because MARY is one letter from MARTY.
_SEX_COMPATIBLE: Final = any_of(EitherNull("sex"), Eq("sex"))


#: Same first address line in the same sector or town (``location.same_address``), or the same
#: full postcode (``location.postcode``).
_SAME_HOUSEHOLD: Final = any_of(
    all_of(Eq("addr"), any_of(Eq("pc_sector"), Eq("town"))), Eq("pc_full")
)


GIVEN_NAME: Final = Comparison(
    "given_name",
    "Given name, allowing nicknames, middle names, typos, initials, aliases and swaps",
    (
        _null("given name missing", EitherNull("given_first")),
        Level("exact", "first given names equal", Eq("given_first")),
        Level(
            "nickname",
            "a given name is a nickname / variant / middle name of the other (Bob ~ Robert)",
            Overlap("given_keys"),
        ),
        Level(
            "typo", "first given names one edit apart", DamerauLevenshteinAtMost("given_first", 1)
        ),
        Level(
            "prefix",
            "one given name starts with the other (Matt / Matthew, Jess / Jessica)",
            PrefixOf("given_first2"),
        ),
        Level(
            "initial",
            "one given name is just the initial of the other",
            any_of(
                Eq("given_initial_only", "given_initial"), Eq("given_initial", "given_initial_only")
            ),
        ),
        Level(
            "abbreviation",
            "one given name is a two- or three-letter abbreviation of the other: its first "
            "letter and later letters in order (PP / Philip, BV / Beverley), sexes not in "
            "conflict",
            all_of(
                AbbreviationOf("given_first"),
                _SEX_COMPATIBLE,
            ),
        ),
        Level("alias", "a known alias's given name agrees", Overlap("all_given_keys")),
        Level("swapped", "given and family names swapped", _SWAPPED),
        Level("swapped_fuzzy", "names swapped, and a nickname or typo too", _SWAPPED_FUZZY),
        Level(
            "swapped_renamed",
            "names swapped on one record and a new surname on the other: the given name "
            "agrees across them (Miah Philip / Philip Cook), and the names around it are "
            "surnames, so twins with one record swapped never reach this level",
            _SWAPPED_RENAMED,
        ),
        Level(
            "nickname_typo",
            "a given name is one edit from a nickname / variant of the other (Tonny ~ Anthony), "
            "or each is one edit from one name (Jaspn ~ Jsaon), sexes not in conflict",
            all_of(
                any_of(
                    Overlap("given_fuzzy_keys", "given_keys"),
                    Overlap("given_keys", "given_fuzzy_keys"),
                    # a typo in each (JASPN / JSAON ~ JASON): at most two edits apart
                    all_of(Overlap("given_fuzzy_keys"), DamerauLevenshteinAtMost("given_first", 2)),
                ),
                _SEX_COMPATIBLE,
            ),
        ),
        Level(
            "fuzzy",
            "first given names similar (jaro-winkler >= 0.88): a nickname plus a typo, or two "
            "typos; before twin_pattern so that only clearly different names reach it (twins' "
            "names are never this close in practice: Oliver / Olivia is 0.87), sexes not in "
            "conflict",
            all_of(JaroWinklerAtLeast("given_first", 0.88), _SEX_COMPATIBLE),
        ),
        Level(
            "twin_pattern",
            "different given names, same date of birth (or one mistyped / transposed): the "
            "twin pattern (twins share surname, address and sex too, so that household "
            "evidence is explained away; the weight is derived, not trained)",
            any_of(Eq("dob"), _DOB_TRANSPOSED, _DOB_ONE_DIGIT),
            derived=True,
        ),
        Level(
            "household_pattern",
            "different given names, a date of birth missing on one side, same surname and the "
            "same address or postcode: most likely a sibling or parent in one household, so the "
            "household evidence is explained away (weight derived, not trained)",
            all_of(EitherNull("dob"), Eq("family_std"), _SAME_HOUSEHOLD),
            derived=True,
        ),
        Level("different", "given names differ", None),
    ),
)

FAMILY_NAME: Final = Comparison(
    "family_name",
    "Family name, allowing typos, double-barrelled parts, former names and swaps",
    (
        _null("family name missing", EitherNull("family_std")),
        Level("exact", "family names equal", Eq("family_std")),
        Level(
            "typo",
            "family names very similar (one edit, or jaro-winkler >= 0.92)",
            any_of(
                DamerauLevenshteinAtMost("family_std", 1), JaroWinklerAtLeast("family_std", 0.92)
            ),
        ),
        Level(
            "part",
            "one part of a hyphenated / double-barrelled surname agrees (Smith-Jones ~ Jones)",
            Overlap("family_parts"),
        ),
        Level("alias", "a known alias's surname agrees", Overlap("all_family_parts")),
        Level(
            "swapped",
            "given and family names swapped: one event, already weighed by the given-name "
            "comparison, so no evidence here (weight 0, derived; counting it twice made a swap "
            "worth nearly twice two agreeing names)",
            _SWAPPED,
            derived=True,
        ),
        Level(
            "swapped_fuzzy",
            "names swapped, and a nickname or typo too: weighed by the given-name comparison "
            "(weight 0, derived)",
            _SWAPPED_FUZZY,
            derived=True,
        ),
        Level("different", "family names differ", None),
    ),
)

DATE_OF_BIRTH: Final = Comparison(
    "date_of_birth",
    "Date of birth, allowing day/month transposition and one wrong part",
    (
        _null("date of birth missing", EitherNull("dob")),
        Level("exact", "dates of birth equal", Eq("dob")),
        Level("transposed", "day and month transposed", _DOB_TRANSPOSED),
        Level("one_digit", "one digit wrong or two adjacent digits swapped", _DOB_ONE_DIGIT),
        Level(
            "two_of_three",
            "two of day, month and year agree (a shared birthday only within a generation)",
            _DOB_TWO_OF_THREE,
        ),
        Level(
            "generation_pattern",
            "names agree (allowing a nickname or one typo in each) but birth years are a "
            "generation apart: a parent and child with the same name, so the name evidence is "
            "explained away (weight derived, not trained)",
            all_of(
                any_of(Overlap("given_keys"), DamerauLevenshteinAtMost("given_first", 1)),
                any_of(Eq("family_std"), DamerauLevenshteinAtMost("family_std", 1)),
                AbsDiffAtLeast("dob_y", GENERATION_YEARS),
            ),
            derived=True,
        ),
        Level(
            "sibling_pattern",
            "dates of birth differ outright, given names are not the same, same surname (or "
            "names swapped) and the same address or postcode: most likely siblings (Lisa and "
            "Eliza, Jennifer and Jenna) or a parent and child, so the household evidence is "
            "explained away (weight derived, not trained)",
            all_of(
                BothDiffer("given_first"),
                any_of(  # the same surname, or one record's surname as the other's given name
                    Eq("family_std"),
                    Eq("family_first", "given_first"),
                    Eq("given_first", "family_first"),
                ),
                _SAME_HOUSEHOLD,
            ),
            derived=True,
        ),
        Level("different", "dates of birth differ", None),
    ),
)

SEX: Final = Comparison(
    "sex",
    "Recorded sex (U / blank is missing)",
    (
        _null("sex missing or unknown", EitherNull("sex")),
        Level("exact", "same sex", Eq("sex")),
        Level("different", "different sex", None),
    ),
)

NHS_NUMBER: Final = Comparison(
    "nhs_number",
    "NHS number (an invalid check digit counts as missing)",
    (
        _null("NHS number missing", EitherNull("nhs")),
        Level(
            "exact",
            "NHS numbers equal (dates of birth agree or one is missing)",
            all_of(Eq("nhs"), _DOB_COMPATIBLE),
        ),
        Level(
            "exact_dob_conflict",
            "NHS numbers equal but dates of birth differ outright: most likely a relative's "
            "number (a parent's on a child's record), so no evidence either way (derived)",
            Eq("nhs"),
            derived=True,
        ),
        Level("different", "NHS numbers differ", None),
    ),
)

LOCATION: Final = Comparison(
    "location",
    "Address: postcode full / sector / district / area and first address line",
    (
        _null("no postcode or address on one side", EitherNull("has_location")),
        Level(
            "same_address",
            "same first address line in the same postcode sector or town",
            all_of(Eq("addr"), any_of(Eq("pc_sector"), Eq("town"))),
        ),
        Level("postcode", "same full postcode", Eq("pc_full")),
        Level("address_line", "same first address line", Eq("addr")),
        Level("sector", "same postcode sector", Eq("pc_sector")),
        Level("district", "same postcode district", Eq("pc_district")),
        Level("area", "same postcode area", Eq("pc_area")),
        Level("different", "addresses differ (a house move counts only mildly)", None),
    ),
)

OTHER_ID: Final = Comparison(
    "other_id",
    "An agency identifier (UPN, agency id). Agencies use different schemes, so records of one "
    "person often carry different identifiers: training gives disagreement only a mild weight",
    (
        _null("identifier missing", EitherNull("other_id")),
        Level("exact", "identifiers equal", Eq("other_id")),
        Level("different", "identifiers differ (often just different schemes)", None),
    ),
)

COMPARISONS: Final[tuple[Comparison, ...]] = (
    GIVEN_NAME,
    FAMILY_NAME,
    DATE_OF_BIRTH,
    SEX,
    NHS_NUMBER,
    LOCATION,
    OTHER_ID,
)
COMPARISONS_BY_NAME: Final[dict[str, Comparison]] = {c.name: c for c in COMPARISONS}

#: Levels whose parameters are derived from the others rather than trained.
DERIVED_LEVELS: Final = tuple(
    (c.name, lv.label) for c in COMPARISONS for lv in c.levels if lv.derived
)


def definitions_hash() -> str:
    """A short hash of every comparison's SQL: models record it to detect stale definitions."""
    text = "\n".join(
        f"{c.name}|{lv.label}|{lv.condition.sql() if lv.condition else 'ELSE'}|{lv.is_null}"
        for c in COMPARISONS
        for lv in c.levels
    )
    return hashlib.sha256(text.encode()).hexdigest()[:12]


# -- Python evaluation ------------------------------------------------------------------------


def _overlap(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    if not a or not b:
        return False
    if a is b:
        return True
    for x in a:  # noqa: SIM110 - a plain loop is the fastest form on the hot path
        if x in b:
            return True
    return False


def _abbrev(short: str | None, full: str | None) -> bool:
    """``short`` (two or three letters) is ``full``'s first letter and later letters in order."""
    if short is None or full is None or not (2 <= len(short) <= 3):
        return False
    if not (4 <= len(full) <= _ABBREVIATED_MAX) or short[0] != full[0]:
        return False
    position = 1
    for letter in short[1:]:
        position = full.find(letter, position) + 1
        if position == 0:
            return False
    return True


_NAMESPACE: Final[dict[str, Any]] = {
    "_jw": JaroWinkler.similarity,
    "_dl": DamerauLevenshtein.distance,
    "_overlap": _overlap,
    "_abbrev": _abbrev,
}

LevelFunction = Callable[[Features, Features], int]


def _level_chain(comparison: Comparison, results: list[str], indent: str) -> list[str]:
    """Source lines: an if/elif chain over the levels, the i-th branch body being results[i]."""
    lines = []
    for i, level in enumerate(comparison.levels):
        if level.condition is None:
            lines.append(f"{indent}else:")
        else:
            keyword = "if" if i == 0 else "elif"
            lines.append(f"{indent}{keyword} {level.condition.py()}:")
        lines.append(f"{indent}    {results[i]}")
    return lines


def _compile(source: str, name: str) -> Any:
    namespace = dict(_NAMESPACE)
    exec(compile(source, f"<matching:{name}>", "exec"), namespace)  # noqa: S102 - our own code
    return namespace[name]


def compile_level_function(comparison: Comparison) -> LevelFunction:
    """A function (l, r) -> index into ``comparison.levels`` (0 is the null level)."""
    results = [f"return {i}" for i in range(len(comparison.levels))]
    body = _level_chain(comparison, results, "    ")
    source = "def level(l, r):\n" + "\n".join(body) + "\n"
    function: LevelFunction = _compile(source, "level")
    return function


LEVEL_FUNCTIONS: Final[tuple[LevelFunction, ...]] = tuple(
    compile_level_function(c) for c in COMPARISONS
)


def levels_for(left: Features, right: Features) -> dict[str, str]:
    """The level label each comparison chooses for a pair (the Python side of the contract)."""
    return {
        c.name: c.levels[fn(left, right)].label
        for c, fn in zip(COMPARISONS, LEVEL_FUNCTIONS, strict=True)
    }


def compile_weight_function(
    weights: Mapping[str, Mapping[str, float]], prior_weight: float
) -> Callable[[Features, Features], float]:
    """One straight-line function (l, r) -> total match weight (prior + every level's weight).

    ``weights[comparison][label]`` is log2(m/u); the null level adds nothing. Generated as a
    single function so scoring a candidate costs one Python call.
    """
    lines = ["def score(l, r):", f"    w = {float(prior_weight)!r}"]
    for comparison in COMPARISONS:
        results = []
        for level in comparison.levels:
            value = 0.0 if level.is_null else float(weights[comparison.name][level.label])
            if math.isinf(value):
                results.append(f"w += float({str(value)!r})")
            elif value == 0.0:
                results.append("pass")
            else:
                results.append(f"w += {value!r}")
        lines.extend(_level_chain(comparison, results, "    "))
    lines.append("    return w")
    function: Callable[[Features, Features], float] = _compile("\n".join(lines) + "\n", "score")
    return function
