"""Demo agency pointer indexes: each agency holds records on some of the hub's people (with
the typos, nicknames and moves real systems have) and on many people the hub never met."""

import random
from collections.abc import Sequence
from datetime import date

from openmash.accounts.models import User
from openmash.hubs.models import Agency, Hub
from openmash.people.index_csv import COLUMNS, ParsedIndex
from openmash.people.models import AgencyIndexRecord, Person
from openmash.people.services import index_load
from openmash.testing.synthetic import Person as TruePerson
from openmash.testing.synthetic import SyntheticRecord, population, records_for

SEED = 20261122

# agency code -> (share of the hub's people it knows, how many others it holds, children only)
AGENCY_INDEXES = {
    "police": (0.35, 1500, False),
    "health": (0.6, 3000, False),
    "education": (0.5, 2000, True),
}


def _as_true_person(person: Person) -> TruePerson | None:
    if person.date_of_birth is None:
        return None
    return TruePerson(
        person_id=str(person.pk),
        household_id=str(person.pk),
        given_name=person.given_name,
        family_name=person.family_name,
        date_of_birth=person.date_of_birth,
        sex=person.sex if person.sex in ("M", "F") else "F",
        address_line_1=person.address_line_1,
        address_line_2=person.address_line_2,
        town=person.town,
        postcode=person.postcode,
        nhs_number=person.nhs_number,
        upn=person.upn,
        twin_of="",
        origin="en_GB",
    )


def _rows(records: Sequence[SyntheticRecord], prefix: str) -> ParsedIndex:
    parsed = ParsedIndex()
    for line, record in enumerate(records, start=2):
        row: dict[str, object] = dict.fromkeys(COLUMNS, "")
        row.update(
            action="insert",
            record_ref=f"{prefix}-{line - 1:06d}",
            line=line,
            given_name=record.given_name[:100],
            family_name=record.family_name[:100],
            aliases=", ".join(record.aliases)[:300],
            date_of_birth=record.date_of_birth,
            sex=record.sex,
            address_line_1=record.address_line_1[:200],
            address_line_2=record.address_line_2[:200],
            town=record.town[:100],
            postcode=record.postcode[:10],
            address_from=None,
            nhs_number=record.nhs_number,
        )
        parsed.rows.append(row)
    return parsed


def demo_indexes_load(hub: Hub, *, today: date) -> int:
    """Load each demo agency's index once (idempotent); returns the records loaded."""
    admin = next(u for u in User.objects.filter(agency__hub=hub) if "admin" in u.roles)
    rng = random.Random(SEED)
    known = [
        p
        for p in map(
            _as_true_person,
            Person.objects.filter(hub=hub, merged_into__isnull=True).order_by("created_at"),
        )
        if p is not None
    ]
    loaded = 0
    for number, (code, (share, others, children_only)) in enumerate(AGENCY_INDEXES.items()):
        agency = Agency.objects.get(hub=hub, code=code)
        if AgencyIndexRecord.objects.filter(agency=agency).exists():
            continue
        eligible = [
            p for p in known if not children_only or (today - p.date_of_birth).days < 18 * 365
        ]
        chosen = rng.sample(eligible, k=int(len(eligible) * share))
        strangers = population(others, seed=SEED + number)
        if children_only:
            strangers = [p for p in strangers if (today - p.date_of_birth).days < 18 * 365]
        records = records_for(
            [*chosen, *strangers],
            records_per_person=(1, 1),
            corruption_rate=0.25,
            seed=SEED + number,
            as_of=today,
        )
        result = index_load(
            actor=admin,
            agency=agency,
            parsed=_rows(records, code.upper()),
            source="demo",
            filename=f"{code}-demo-index.csv",
        )
        loaded += result.inserted
    return loaded
