"""Ofsted ILACS Annex A, list 1 (contacts) and list 3 (referrals), as an .xlsx workbook with
the official headers and values ("q) 6: Police", dates dd/mm/yyyy), per the column map in
standards/Annex_A_schema.yml (beside this file). See docs/adr/0006-cin-census-mapping.md."""

import io
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from uuid import UUID

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from openmash.contacts.models import Contact, ContactPerson, PersonRole
from openmash.core.spreadsheets import xlsx_text_cell
from openmash.hubs.models import Hub

from .referrals import (
    CHILD_KINDS,
    CHUNK,
    ChildDetails,
    Referral,
    child_details,
    child_mentions,
    local_midnight,
    person_references,
    referrals_between,
)

LIST_1_HEADERS = [
    "Child Unique ID",
    "Gender",
    "Ethnicity",
    "Date of Birth",
    "Age of Child (Years)",
    "Date of Contact",
    "Contact Source",
]
LIST_3_HEADERS = [
    "Child Unique ID",
    "Gender",
    "Ethnicity",
    "Date of Birth",
    "Age of Child (Years)",
    "Date of referral",
    "Referral Source",
    "Referral NFA?",
    "Number of Referrals in Last 12 Months",
    "Allocated Team",
    "Allocated Worker",
]

GENDERS = {"M": "a) Male", "F": "b) Female"}
NOT_STATED_GENDER = "c) Not stated/recorded"
ETHNICITIES = {
    code: f"{letter}) {code}"
    for letter, code in zip(
        "abcdefghijklmnopqrst",
        [
            "WBRI",
            "WIRI",
            "WIRT",
            "WOTH",
            "WROM",
            "MWBC",
            "MWBA",
            "MWAS",
            "MOTH",
            "AIND",
            "APKN",
            "ABAN",
            "AOTH",
            "BCRB",
            "BAFR",
            "BOTH",
            "CHNE",
            "OOTH",
            "REFU",
            "NOBT",
        ],
        strict=True,
    )
}
ETHNICITIES["NOBT"] = "t) NOBT"
# CIN referral source -> Annex A value. Ofsted's list predates 5D (early help): it is an
# internal LA service, so it is given as 5B (ADR 0006).
SOURCES = {
    "1A": "a) 1A: Individual",
    "1B": "b) 1B: Individual",
    "1C": "c) 1C: Individual",
    "1D": "d) 1D: Individual",
    "2A": "e) 2A: Schools",
    "2B": "f) 2B: Education services",
    "3A": "g) 3A: Health services",
    "3B": "h) 3B: Health services",
    "3C": "i) 3C: Health services",
    "3D": "j) 3D: Health services",
    "3E": "k) 3E: Health services",
    "3F": "l) 3F: Health services",
    "4": "m) 4: Housing",
    "5A": "n) 5A: LA services",
    "5B": "o) 5B: LA services",
    "5C": "p) 5C: LA services",
    "5D": "o) 5B: LA services",
    "6": "q) 6: Police",
    "7": "r) 7: Other legal agency",
    "8": "s) 8: Other",
    "9": "t) 9: Anonymous",
    "10": "u) 10: Unknown",
}
NFA = {True: "a) Yes", False: "b) No"}


def default_period(today: date) -> tuple[date, date]:
    """Ofsted asks for the six months before the inspection: up to and including today."""
    month = today.month - 6
    year = today.year + (month - 1) // 12
    month = (month - 1) % 12 + 1
    day = min(today.day, 28)
    return date(year, month, day) + timedelta(days=1), today


@dataclass(frozen=True)
class AnnexAFile:
    xlsx: bytes
    contacts: int  # rows of list 1
    referrals: int  # rows of list 3


def dmy(day: date | None) -> str:
    return day.strftime("%d/%m/%Y") if day is not None else ""


def age_on(born: date | None, on: date) -> int | str:
    if born is None or born > on:
        return ""
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def _child_columns(d: ChildDetails, on: date) -> list[object]:
    return [
        d.reference,
        GENDERS.get(d.sex, NOT_STATED_GENDER),
        ETHNICITIES.get(d.ethnicity, ETHNICITIES["NOBT"]),
        dmy(d.date_of_birth),
        age_on(d.date_of_birth, on),
    ]


def _list_1_rows(hub: Hub, start: date, end: date) -> tuple[list[list[object]], int]:
    """One row per child subject of each contact received in the period, oldest first."""
    rows: list[list[object]] = []
    contacts = (
        Contact.objects.filter(
            hub=hub,
            received_at__gte=local_midnight(start),
            received_at__lt=local_midnight(end + timedelta(days=1)),
        )
        .order_by("received_at", "pk")
        .values_list("pk", "received_at", "source_code")
    )
    batch: list[tuple[UUID, datetime, str]] = []

    def flush() -> None:
        ids = [pk for pk, _, _ in batch]
        mentions = list(
            ContactPerson.objects.filter(
                contact_id__in=ids,
                role=PersonRole.SUBJECT,
                kind__in=CHILD_KINDS,
                person__isnull=False,
            ).order_by("order")
        )
        references = person_references({m.person_id for m in mentions})
        by_contact: dict[UUID, list[ContactPerson]] = defaultdict(list)
        for mention in mentions:
            by_contact[mention.contact_id].append(mention)
        for pk, received_at, source in batch:
            day = timezone.localdate(received_at)
            for mention in by_contact[pk]:
                reference = references.get(mention.person_id)
                if reference is None:
                    continue
                d = child_details(mention, reference, received_at)
                rows.append([*_child_columns(d, day), dmy(day), SOURCES.get(source, "")])
        batch.clear()

    for row in contacts.iterator(chunk_size=CHUNK):
        batch.append(row)
        if len(batch) >= CHUNK:
            flush()
    if batch:
        flush()
    return rows, len(rows)


def _list_3_rows(hub: Hub, start: date, end: date, team: str) -> list[list[object]]:
    """One row per child of each referral made in the period, with how many times that
    child was referred in the 12 months up to and including that referral."""
    earliest = start - timedelta(days=366)
    referrals = referrals_between(
        hub, referred_from=earliest, referred_before=end + timedelta(days=1)
    )
    by_contact = {r.contact_id: r for r in referrals}
    mentions = list(child_mentions(list(by_contact)))
    references = person_references({m.person_id for _, m in mentions})
    history: dict[str, list[date]] = defaultdict(list)
    rows: list[tuple[date, list[object]]] = []
    in_period: list[tuple[Referral, ChildDetails]] = []
    for contact_id, mention in mentions:
        reference = references.get(mention.person_id)
        if reference is None:
            continue
        referral = by_contact[contact_id]
        history[reference].append(referral.referred_on)
        if start <= referral.referred_on <= end:
            in_period.append((referral, child_details(mention, reference, referral.received_at)))
    for referral, d in in_period:
        on = referral.referred_on
        year_before = on - timedelta(days=365)
        count = sum(1 for day in history[d.reference] if year_before < day <= on)
        rows.append(
            (
                on,
                [
                    *_child_columns(d, on),
                    dmy(on),
                    SOURCES.get(referral.source_code, ""),
                    NFA[referral.nfa],
                    count,
                    team,
                    referral.worker or team,
                ],
            )
        )
    rows.sort(key=lambda item: item[0])
    return [row for _, row in rows]


def _as_text(sheet: Any, row: list[Any]) -> list[Any]:
    """Strings as text cells (a worker's or team's name is never run as a formula)."""
    return [
        xlsx_text_cell(WriteOnlyCell(sheet, value=value)) if isinstance(value, str) else value
        for value in row
    ]


def annex_a_build(*, hub: Hub, start: date, end: date) -> AnnexAFile:
    """The workbook for contacts and referrals from `start` to `end` inclusive (write-only
    mode: rows stream to the file rather than building a whole sheet in memory)."""
    workbook = Workbook(write_only=True)
    bold = Font(bold=True)

    def header(sheet: Any, names: list[str]) -> list[WriteOnlyCell]:
        cells = []
        for name in names:
            cell = WriteOnlyCell(sheet, value=name)
            cell.font = bold
            cells.append(cell)
        return cells

    list_1 = workbook.create_sheet("List 1")
    list_1.append(header(list_1, LIST_1_HEADERS))
    rows_1, contacts = _list_1_rows(hub, start, end)
    for row in rows_1:
        list_1.append(_as_text(list_1, row))
    list_3 = workbook.create_sheet("List 3")
    list_3.append(header(list_3, LIST_3_HEADERS))
    rows_3 = _list_3_rows(hub, start, end, hub.name)
    for row in rows_3:
        list_3.append(_as_text(list_3, row))
    out = io.BytesIO()
    workbook.save(out)
    return AnnexAFile(xlsx=out.getvalue(), contacts=contacts, referrals=len(rows_3))
