"""Helpers for the matcher's tests."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

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


def as_person_record(record: Any, prefix: str = "") -> PersonRecord:
    """A synthetic record (``openmash.testing.synthetic.SyntheticRecord``) as the matcher's
    input, its id prefixed (to tell two extracts' ids apart)."""
    return PersonRecord(
        record_id=prefix + record.record_id,
        given_name=record.given_name,
        family_name=record.family_name,
        aliases=record.aliases,
        date_of_birth=record.date_of_birth,
        sex=record.sex,
        address_line_1=record.address_line_1,
        address_line_2=record.address_line_2,
        town=record.town,
        postcode=record.postcode,
        nhs_number=record.nhs_number,
        other_id=record.other_id,
    )
