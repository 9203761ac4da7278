"""The OpenMASH national dataset: one pseudonymised record per contact
(`schemas/national-dataset-1.0.schema.json`, documented in docs/national-dataset.md), and its
export as JSON Lines, CSV or Parquet.

Records are built from the reporting facts, which hold no names, addresses, identifiers or
free text. Contact and person identifiers become keyed pseudonyms (HMAC-SHA256 with the hub's
own secret key): stable from one export to the next, so analysts can follow a child across
contacts, but unlinkable to another hub's and irreversible without the key."""

from __future__ import annotations

import csv
import hashlib
import hmac
import io
import json
import secrets
import zipfile
from collections import defaultdict
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final
from uuid import UUID
from zoneinfo import ZoneInfo

import pyarrow as pa
import pyarrow.parquet as pq
from django.db import transaction

from openmash.access.checks import require_same_hub
from openmash.access.permissions import Permission
from openmash.audit.models import AuditVerb
from openmash.audit.services import audit_record
from openmash.core.errors import PermissionDenied, ValidationError
from openmash.core.spreadsheets import csv_cell
from openmash.hubs.models import Hub

from .facts import facts_refresh
from .metrics import Period
from .models import AgencyCheckFact, ContactFact, PseudonymKey

if TYPE_CHECKING:
    from openmash.accounts.models import User

DATASET_VERSION: Final = "1.0"
FORMATS: Final = ("csv", "parquet", "jsonl")
CHUNK = 2000


def schema_path() -> Path:
    return Path(__file__).resolve().parent / "schemas" / "national-dataset-1.0.schema.json"


def pseudonym_key(hub: Hub) -> bytes:
    """The hub's pseudonym key, made on first use. It never leaves the database."""
    row, _created = PseudonymKey.objects.get_or_create(
        hub=hub, defaults={"key": secrets.token_bytes(32)}
    )
    return bytes(row.key)


def pseudonym(key: bytes, kind: str, value: UUID | str) -> str:
    return hmac.new(key, f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()[:20]


def _instant(value: datetime | None) -> str | None:
    """UTC to the minute: enough for working-time analysis, less to re-identify by."""
    if value is None:
        return None
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%MZ")


def dataset_records(hub: Hub, period: Period | None = None) -> Iterator[dict[str, Any]]:
    """The hub's records in order of receipt, built a chunk at a time (bounded memory)."""
    key = pseudonym_key(hub)
    facts = ContactFact.objects.filter(hub=hub)
    if period is not None:
        low, high = period.bounds(ZoneInfo(hub.timezone))
        facts = facts.filter(received_at__gte=low, received_at__lt=high)
    ids = list(facts.order_by("received_at", "contact_id").values_list("contact_id", flat=True))
    for i in range(0, len(ids), CHUNK):
        chunk = ids[i : i + CHUNK]
        checks: dict[UUID, list[AgencyCheckFact]] = defaultdict(list)
        for check in AgencyCheckFact.objects.filter(contact_id__in=chunk).order_by("requested_at"):
            checks[check.contact_id].append(check)
        rows = {f.contact_id: f for f in ContactFact.objects.filter(contact_id__in=chunk)}
        for contact_id in chunk:
            yield _record(hub, key, rows[contact_id], checks.get(contact_id, []))


def _record(
    hub: Hub, key: bytes, fact: ContactFact, checks: list[AgencyCheckFact]
) -> dict[str, Any]:
    return {
        "dataset_version": DATASET_VERSION,
        "hub_code": hub.la_code,
        "contact": pseudonym(key, "contact", fact.contact_id),
        "received_at": _instant(fact.received_at),
        "received_month": fact.received_month.strftime("%Y-%m"),
        "source_code": fact.source_code,
        "channel": fact.channel,
        "concerns": list(dict.fromkeys(fact.concerns)),
        "immediate_risk": fact.immediate_risk,
        "family_awareness": fact.family_awareness,
        "stage": fact.stage,
        "subjects": [
            {
                "person": pseudonym(key, "person", s["person_id"]) if s.get("person_id") else None,
                "age_band": s["age_band"],
                "sex": s["sex"],
                "ethnicity": s["ethnicity"],
                "disabled": s["disabled"],
            }
            for s in fact.subjects
        ],
        "screening": {
            "due_at": _instant(fact.screening_due_at),
            "screened_at": _instant(fact.screened_at),
            "outcome": fact.screening_outcome,
            "working_minutes": fact.screening_working_minutes,
            "elapsed_minutes": fact.screening_elapsed_minutes,
        },
        "ratings": [
            {
                "at": _instant(datetime.fromisoformat(r["at"])),
                "rag": r["rag"],
                "level": r["level"],
            }
            for r in fact.rating_history
        ],
        "agency_checks": [
            {
                "agency_type": c.agency_type,
                "rag": c.rag,
                "requested_at": _instant(c.requested_at),
                "due_at": _instant(c.due_at),
                "answered_at": _instant(c.answered_at),
                "withdrawn": c.withdrawn,
                "result": c.result,
                "working_minutes": c.working_minutes,
            }
            for c in checks
        ],
        "decision": {
            "due_at": _instant(fact.decision_due_at),
            "decided_at": _instant(fact.decided_at),
            "outcome": fact.outcome,
            "level": fact.level if fact.decided_at else None,
            "is_referral": fact.is_referral,
            "rationale_recorded": fact.rationale_recorded,
            "childs_voice_recorded": fact.childs_voice_recorded,
            "actions_agreed": fact.actions_agreed,
            "dissents": fact.dissents,
            "working_minutes": fact.decision_working_minutes,
            "elapsed_minutes": fact.decision_elapsed_minutes,
        },
        "feedback": {
            "due_at": _instant(fact.feedback_due_at),
            "sent_at": _instant(fact.feedback_at),
        },
        "repeat": {
            "recontact_12m": fact.recontact_12m,
            "rereferral_12m": fact.rereferral_12m,
            "referral_after_nfa_12m": fact.referral_after_nfa_12m,
        },
    }


# --- Flat tables (CSV and Parquet): one table per repeating part of a record -------------------

# (column, type) per table; "contact" links the tables.
TABLES: Final[dict[str, list[tuple[str, pa.DataType]]]] = {
    "contacts": [
        ("contact", pa.string()),
        ("hub_code", pa.string()),
        ("received_at", pa.string()),
        ("received_month", pa.string()),
        ("source_code", pa.string()),
        ("channel", pa.string()),
        ("concerns", pa.string()),
        ("immediate_risk", pa.bool_()),
        ("family_awareness", pa.string()),
        ("stage", pa.string()),
        ("screening_due_at", pa.string()),
        ("screened_at", pa.string()),
        ("screening_outcome", pa.string()),
        ("screening_working_minutes", pa.int64()),
        ("screening_elapsed_minutes", pa.int64()),
        ("decision_due_at", pa.string()),
        ("decided_at", pa.string()),
        ("outcome", pa.string()),
        ("decision_level", pa.int64()),
        ("is_referral", pa.bool_()),
        ("rationale_recorded", pa.bool_()),
        ("childs_voice_recorded", pa.bool_()),
        ("actions_agreed", pa.int64()),
        ("dissents", pa.int64()),
        ("decision_working_minutes", pa.int64()),
        ("decision_elapsed_minutes", pa.int64()),
        ("feedback_due_at", pa.string()),
        ("feedback_sent_at", pa.string()),
        ("recontact_12m", pa.bool_()),
        ("rereferral_12m", pa.bool_()),
        ("referral_after_nfa_12m", pa.bool_()),
    ],
    "subjects": [
        ("contact", pa.string()),
        ("person", pa.string()),
        ("age_band", pa.string()),
        ("sex", pa.string()),
        ("ethnicity", pa.string()),
        ("disabled", pa.bool_()),
    ],
    "ratings": [
        ("contact", pa.string()),
        ("sequence", pa.int64()),
        ("at", pa.string()),
        ("rag", pa.string()),
        ("level", pa.int64()),
    ],
    "agency_checks": [
        ("contact", pa.string()),
        ("agency_type", pa.string()),
        ("rag", pa.string()),
        ("requested_at", pa.string()),
        ("due_at", pa.string()),
        ("answered_at", pa.string()),
        ("withdrawn", pa.bool_()),
        ("result", pa.string()),
        ("working_minutes", pa.int64()),
    ],
}


def flatten(record: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """A record as rows of the four tables."""
    contact = record["contact"]
    screening, decision = record["screening"], record["decision"]
    return {
        "contacts": [
            {
                "contact": contact,
                "hub_code": record["hub_code"],
                "received_at": record["received_at"],
                "received_month": record["received_month"],
                "source_code": record["source_code"],
                "channel": record["channel"],
                "concerns": ";".join(record["concerns"]),
                "immediate_risk": record["immediate_risk"],
                "family_awareness": record["family_awareness"],
                "stage": record["stage"],
                "screening_due_at": screening["due_at"],
                "screened_at": screening["screened_at"],
                "screening_outcome": screening["outcome"],
                "screening_working_minutes": screening["working_minutes"],
                "screening_elapsed_minutes": screening["elapsed_minutes"],
                "decision_due_at": decision["due_at"],
                "decided_at": decision["decided_at"],
                "outcome": decision["outcome"],
                "decision_level": decision["level"],
                "is_referral": decision["is_referral"],
                "rationale_recorded": decision["rationale_recorded"],
                "childs_voice_recorded": decision["childs_voice_recorded"],
                "actions_agreed": decision["actions_agreed"],
                "dissents": decision["dissents"],
                "decision_working_minutes": decision["working_minutes"],
                "decision_elapsed_minutes": decision["elapsed_minutes"],
                "feedback_due_at": record["feedback"]["due_at"],
                "feedback_sent_at": record["feedback"]["sent_at"],
                **record["repeat"],
            }
        ],
        "subjects": [{"contact": contact, **s} for s in record["subjects"]],
        "ratings": [
            {"contact": contact, "sequence": i, **r} for i, r in enumerate(record["ratings"], 1)
        ],
        "agency_checks": [{"contact": contact, **c} for c in record["agency_checks"]],
    }


class _TableWriter:
    """Writes the four tables as CSV or Parquet files, a chunk of rows at a time."""

    def __init__(self, folder: Path, fmt: str) -> None:
        self.folder, self.fmt = folder, fmt
        self.buffers: dict[str, list[dict[str, Any]]] = {name: [] for name in TABLES}
        self.files = ExitStack()  # the CSV files stay open across chunks
        self.csv_files: dict[str, Any] = {}
        self.parquet: dict[str, pq.ParquetWriter] = {}
        self.rows = dict.fromkeys(TABLES, 0)

    def add(self, record: dict[str, Any]) -> None:
        for name, rows in flatten(record).items():
            self.buffers[name].extend(rows)
            self.rows[name] += len(rows)
        if len(self.buffers["contacts"]) >= CHUNK:
            self.flush()

    def flush(self) -> None:
        for name, rows in self.buffers.items():
            columns = TABLES[name]
            if self.fmt == "csv":
                if name not in self.csv_files:
                    path = self.folder / f"{name}.csv"
                    handle = self.files.enter_context(path.open("w", encoding="utf-8", newline=""))
                    writer = csv.writer(handle, lineterminator="\n")
                    writer.writerow([c for c, _t in columns])
                    self.csv_files[name] = writer
                writer = self.csv_files[name]
                writer.writerows([[_csv_value(row[c]) for c, _t in columns] for row in rows])
            else:
                schema = pa.schema(columns)
                if name not in self.parquet:
                    self.parquet[name] = pq.ParquetWriter(self.folder / f"{name}.parquet", schema)
                if rows:
                    table = pa.Table.from_pylist(
                        [{c: row[c] for c, _t in columns} for row in rows], schema=schema
                    )
                    self.parquet[name].write_table(table)
            rows.clear()

    def close(self) -> None:
        try:
            self.flush()
        finally:
            self.files.close()
            for writer in self.parquet.values():
                writer.close()


def _csv_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return csv_cell(value)


@dataclass(frozen=True)
class DatasetExport:
    files: list[Path]
    records: int


def _check_export(actor: User, hub: Hub, fmt: str) -> None:
    require_same_hub(actor, hub.pk, "Hub not found")  # another hub's records do not exist
    if not actor.can(Permission.DATASET_EXPORT):
        raise PermissionDenied("You do not have permission to export the hub's dataset.")
    if fmt not in FORMATS:
        raise ValidationError.for_field("format", f"Choose a format: {', '.join(FORMATS)}")


def dataset_export(
    *, actor: User, hub: Hub, folder: Path, fmt: str, period: Period | None = None
) -> DatasetExport:
    """Write the dataset into `folder` (created; must be empty), recording the export. On any
    failure the files written so far are removed: no half export is left behind."""
    _check_export(actor, hub, fmt)
    if folder.exists() and any(folder.iterdir()):
        raise ValidationError.for_field("out", f"The folder {folder} is not empty")
    folder.mkdir(parents=True, exist_ok=True)
    facts_refresh(hub=hub)
    written: list[Path] = []
    try:
        count = 0
        if fmt == "jsonl":
            path = folder / "contacts.jsonl"
            with open(path, "w", encoding="utf-8") as handle:
                for record in dataset_records(hub, period):
                    handle.write(json.dumps(record, ensure_ascii=False) + "\n")
                    count += 1
            written = [path]
        else:
            writer = _TableWriter(folder, fmt)
            try:
                for record in dataset_records(hub, period):
                    writer.add(record)
                    count += 1
            finally:
                writer.close()
            written = [folder / f"{name}.{fmt}" for name in TABLES]
        _audit_export(actor, hub, fmt, period, count)
    except BaseException:
        for path in folder.iterdir():
            path.unlink()
        raise
    return DatasetExport(files=written, records=count)


def dataset_export_zip(
    *, actor: User, hub: Hub, fmt: str, period: Period | None = None
) -> tuple[bytes, int]:
    """The same export as one ZIP file (for a download from the page)."""
    import tempfile

    _check_export(actor, hub, fmt)
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary) / "dataset"
        result = dataset_export(actor=actor, hub=hub, folder=folder, fmt=fmt, period=period)
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for path in result.files:
                archive.write(path, arcname=path.name)
            archive.writestr("SCHEMA.json", schema_path().read_text(encoding="utf-8"))
        return buffer.getvalue(), result.records


def _audit_export(actor: User, hub: Hub, fmt: str, period: Period | None, count: int) -> None:
    span = f"{period.start:%Y-%m-%d} to {period.end:%Y-%m-%d}" if period else "all contacts"
    with transaction.atomic():
        audit_record(
            actor=actor,
            verb=AuditVerb.EXPORT_CREATED,
            target=hub,
            hub_id=hub.pk,
            reason=f"National dataset {DATASET_VERSION} ({fmt}), {span}",
            changes={"kind": "national_dataset", "format": fmt, "records": count},
        )


def parse_period(start: str, end: str) -> Period | None:
    """A period from YYYY-MM-DD strings (both or neither)."""
    if not start and not end:
        return None
    try:
        low, high = date.fromisoformat(start), date.fromisoformat(end)
    except ValueError as exc:
        raise ValidationError.for_field(
            "period", "Give both dates as YYYY-MM-DD, for example 2026-04-01"
        ) from exc
    try:
        return Period(low, high)
    except ValueError as exc:
        raise ValidationError.for_field("period", str(exc)) from exc
