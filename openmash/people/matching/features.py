"""The normalised columns that comparisons and blocking read.

``featurise(record)`` turns a ``PersonRecord`` into a ``Features`` tuple; ``to_arrow(records)``
builds the same columns as a pyarrow table for Splink. Both call the same function, so the
in-process scorer and Splink compare identical values. Missing values are ``None`` (NULL);
list columns are tuples (lists in Arrow), empty when there is nothing to list.

Strings and small tuples are interned, so an index of a million people shares one copy of
each name, date and postcode.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from typing import Any, Final, NamedTuple

from openmash.people.matching import normalise as n
from openmash.people.matching.nicknames import is_known_given_name
from openmash.people.matching.records import PersonRecord


class Features(NamedTuple):
    given_first: str | None  # first given-name token
    given_keys: tuple[str, ...]  # nickname-canonical keys of every given-name token
    given_initial: str | None  # first letter of the given name
    given_initial_only: str | None  # the given name when it is only an initial ("J")
    given_first2: str | None  # the first given name when it has two letters or more
    family_std: str | None  # whole surname, hyphens as spaces ("SMITH JONES")
    family_first: str | None  # first surname token (for given/family swaps)
    family_parts: tuple[str, ...]  # surname parts without particles ("SMITH", "JONES")
    family_keys: tuple[str, ...]  # nickname keys of the surname tokens (for swapped names)
    all_given_keys: tuple[str, ...]  # given_keys plus the aliases' given-name keys
    all_family_parts: tuple[str, ...]  # family_parts plus the aliases' surname parts
    dob: str | None  # YYYY-MM-DD
    dob_y: int | None
    dob_m: int | None
    dob_d: int | None
    sex: str | None  # "M" / "F"
    nhs: str | None  # valid 10-digit NHS number
    other_id: str | None
    pc_full: str | None  # "SW1A 1AA"
    pc_sector: str | None  # "SW1A 1"
    pc_district: str | None  # "SW1A"
    pc_area: str | None  # "SW"
    addr: str | None  # normalised first address line
    town: str | None
    has_location: str | None  # "Y" when any of postcode / address is known
    given_fuzzy_keys: tuple[str, ...]  # keys of the first given name and of names one edit away
    given_known: str | None  # "Y" when the first given name is a given name of the name table
    family_known: str | None  # "Y" when the first surname token is a given name of the table


FEATURE_COLUMNS: Final[tuple[str, ...]] = Features._fields
COLUMN_INDEX: Final[dict[str, int]] = {name: i for i, name in enumerate(FEATURE_COLUMNS)}
LIST_COLUMNS: Final = frozenset(
    {
        "given_keys",
        "family_parts",
        "family_keys",
        "all_given_keys",
        "all_family_parts",
        "given_fuzzy_keys",
    }
)
INT_COLUMNS: Final = frozenset({"dob_y", "dob_m", "dob_d"})
#: Extra columns used only by Splink's blocking rules (the index derives its keys itself).
BLOCKING_COLUMNS: Final = ("given_key1", "family_sdx")

_tuples: dict[tuple[str, ...], tuple[str, ...]] = {}
_intern = sys.intern


def _itup(values: Iterable[str]) -> tuple[str, ...]:
    """An interned, de-duplicated, sorted tuple of interned strings."""
    key = tuple(sorted(set(values)))
    found = _tuples.get(key)
    if found is None:
        if len(_tuples) > 2_000_000:  # pragma: no cover - a safety valve, never hit in practice
            _tuples.clear()
        found = _tuples[key] = tuple(_intern(v) for v in key)
    return found


def _istr(value: str | None) -> str | None:
    return _intern(value) if value else None


def featurise(record: PersonRecord) -> Features:
    """The normalised comparison columns of one record."""
    given_tokens = n.name_tokens(record.given_name)
    family_tokens = n.name_tokens(record.family_name)
    given_keys = [k for t in given_tokens for k in n.given_name_keys(t)]
    family_parts = n.surname_parts(family_tokens)
    all_given = list(given_keys)
    all_family = list(family_parts)
    for alias in record.aliases:
        alias_given, alias_family = n.split_alias(alias)
        all_given.extend(k for t in alias_given for k in n.given_name_keys(t))
        all_family.extend(n.surname_parts(alias_family))
    given_first = given_tokens[0] if given_tokens else None
    dob = record.date_of_birth
    postcode = n.parse_postcode(record.postcode)
    addr = n.normalise_address_line(record.address_line_1)
    has_location = "Y" if (addr or postcode.area) else None
    return Features(
        given_first=_istr(given_first),
        given_keys=_itup(given_keys),
        given_initial=_istr(given_first[0]) if given_first else None,
        given_initial_only=_istr(given_first) if given_first and len(given_first) == 1 else None,
        given_first2=_istr(given_first) if given_first and len(given_first) >= 2 else None,
        family_std=_istr(" ".join(family_tokens)),
        family_first=_istr(family_tokens[0]) if family_tokens else None,
        family_parts=_itup(family_parts),
        family_keys=_itup(k for t in family_tokens for k in n.given_name_keys(t)),
        all_given_keys=_itup(all_given),
        all_family_parts=_itup(all_family),
        dob=_istr(dob.isoformat()) if dob else None,
        dob_y=dob.year if dob else None,
        dob_m=dob.month if dob else None,
        dob_d=dob.day if dob else None,
        sex=n.clean_sex(record.sex),
        nhs=n.clean_nhs_number(record.nhs_number),
        other_id=n.clean_identifier(record.other_id),
        pc_full=_istr(postcode.full),
        pc_sector=_istr(postcode.sector),
        pc_district=_istr(postcode.district),
        pc_area=_istr(postcode.area),
        addr=addr,
        town=_istr(n.normalise_name(record.town)),
        has_location=has_location,
        given_fuzzy_keys=_itup(n.fuzzy_given_name_keys(given_first)) if given_first else (),
        given_known="Y" if given_first and is_known_given_name(given_first) else None,
        family_known=("Y" if family_tokens and is_known_given_name(family_tokens[0]) else None),
    )


def blocking_values(features: Features) -> tuple[str | None, str | None]:
    """(given_key1, family_sdx): the scalar blocking columns used by Splink's rules."""
    given_key1 = (
        n.given_name_keys(features.given_first)[0] if features.given_first is not None else None
    )
    family_sdx = n.soundex(features.family_parts[0]) if features.family_parts else None
    return given_key1, family_sdx


def arrow_schema() -> Any:
    import pyarrow as pa

    fields = [pa.field("unique_id", pa.string())]
    for name in FEATURE_COLUMNS:
        if name in LIST_COLUMNS:
            fields.append(pa.field(name, pa.list_(pa.string())))
        elif name in INT_COLUMNS:
            fields.append(pa.field(name, pa.int32()))
        else:
            fields.append(pa.field(name, pa.string()))
    fields.extend(pa.field(name, pa.string()) for name in BLOCKING_COLUMNS)
    return pa.schema(fields)


def to_arrow(records: Iterable[PersonRecord], *, batch_size: int = 100_000) -> Any:
    """A pyarrow Table: ``unique_id`` (the record_id), the feature columns and blocking columns.

    Built column-wise in batches so a million records does not hold a million dicts.
    """
    import pyarrow as pa

    schema = arrow_schema()
    names = schema.names
    batches = []
    columns: list[list[Any]] = [[] for _ in names]

    def flush() -> None:
        if columns[0]:
            batches.append(pa.record_batch(columns, schema=schema))
            for column in columns:
                column.clear()

    width = len(FEATURE_COLUMNS)
    for record in records:
        features = featurise(record)
        columns[0].append(record.record_id)
        for i in range(width):
            columns[i + 1].append(features[i])
        key1, sdx = blocking_values(features)
        columns[width + 1].append(key1)
        columns[width + 2].append(sdx)
        if len(columns[0]) >= batch_size:
            flush()
    flush()
    return pa.Table.from_batches(batches, schema=schema)
