"""Helpers for the matcher's tests."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from openmash.people.matching.index import MatchIndex
from openmash.people.matching.model import MatchModel
from openmash.people.matching.records import PersonRecord


def person(record_id: str = "T1", **fields: object) -> PersonRecord:
    """A hand-written record: Robert Smith, 4 March 2012, 12 High Street GU1 1AA, unless
    overridden."""
    base: dict[str, object] = {
        "given_name": "Robert",
        "family_name": "Smith",
        "date_of_birth": date(2012, 3, 4),
        "sex": "M",
        "address_line_1": "12 High Street",
        "town": "Guildford",
        "postcode": "GU1 1AA",
    }
    base.update(fields)
    return PersonRecord(record_id=record_id, **base)  # type: ignore[arg-type]


def index_of(model: MatchModel, records: Iterable[PersonRecord]) -> MatchIndex:
    index = MatchIndex(model)
    index.build(records)
    return index
