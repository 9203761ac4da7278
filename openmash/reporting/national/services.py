"""Receiving monthly returns into the national view.

Idempotent: a return is identified by its hub and month, and its content by a SHA-256 over its
canonical JSON (sorted keys, no insignificant white space) without `generated_at`, so that a
return rebuilt with the same figures is the same return. Importing it again writes nothing and
records no audit event (nothing changed; returns hold no personal data, so there is no read to
log). A different return for the same hub and month is a resubmission: it replaces the earlier
one and its measures in one transaction, audited with both checksums; the earlier version is
kept (hubs.ReturnVersion, with who imported it and who replaced it), never lost.

Provenance (provenance.py): a return is accepted only for a hub the importer is authorised
for, their own hub or one their hub collects for; any other is refused and the refusal
audited."""

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from openmash.access.checks import require
from openmash.access.permissions import Permission
from openmash.audit.models import AuditVerb
from openmash.audit.services import audit_record
from openmash.core.errors import PermissionDenied, ValidationError
from openmash.core.json_input import json_refusal
from openmash.hubs.models import ReturnVersion
from openmash.reporting.models import ImportedReturn, ReturnMeasure

from .measures import flatten
from .provenance import may_import
from .validation import ReturnError, return_errors

if TYPE_CHECKING:
    from openmash.accounts.models import User

# Fields left out of the checksum: when the return was built says nothing about its figures.
NOT_CHECKSUMMED = ("generated_at",)
MAX_RETURN_BYTES = 5 * 1024 * 1024


class ImportStatus(StrEnum):
    CREATED = "created"
    UNCHANGED = "unchanged"
    REPLACED = "replaced"


@dataclass(frozen=True)
class ImportResult:
    status: ImportStatus
    imported_return: ImportedReturn
    measures: int

    @property
    def changed(self) -> bool:
        return self.status != ImportStatus.UNCHANGED


@dataclass(frozen=True)
class FileResult:
    """One file of an upload: imported (result) or refused (errors)."""

    name: str
    result: ImportResult | None = None
    errors: list[str] = field(default_factory=list)


def canonical_json(document: dict[str, Any]) -> str:
    return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def return_checksum(document: dict[str, Any]) -> str:
    content = {k: v for k, v in document.items() if k not in NOT_CHECKSUMMED}
    return hashlib.sha256(canonical_json(content).encode()).hexdigest()


def _refuse(errors: Sequence[ReturnError]) -> ValidationError:
    by_path: dict[str, list[str]] = {}
    for error in errors:
        by_path.setdefault(error.path, []).append(error.message)
    count = len(errors)
    return ValidationError(
        f"The return has {count} problem{'s' if count != 1 else ''}; nothing was imported",
        errors=by_path,
    )


def return_parse(document: dict[str, Any] | bytes | str) -> dict[str, Any]:
    """The return as a JSON object, or ValidationError saying why it cannot be read."""
    if isinstance(document, dict):
        return _checked(document)
    if isinstance(document, bytes):
        if len(document) > MAX_RETURN_BYTES:
            raise ValidationError.for_field("$", "The file is larger than 5 MB: not a return")
        try:
            document = document.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ValidationError.for_field("$", "The file is not UTF-8 text") from exc
    try:
        parsed = json.loads(document)
    except RecursionError as exc:
        raise ValidationError.for_field("$", "The file is nested too deeply: not a return") from exc
    except ValueError as exc:
        raise ValidationError.for_field("$", f"The file is not valid JSON ({exc})") from exc
    if not isinstance(parsed, dict):
        raise ValidationError.for_field("$", "A return is a JSON object ({...})")
    if "\x00" in document:
        raise ValidationError.for_field("$", "Text must not contain NUL characters")
    return _checked(parsed)


def _checked(parsed: dict[str, Any]) -> dict[str, Any]:
    reason = json_refusal(parsed)
    if reason:
        raise ValidationError.for_field("$", reason.rstrip("."))
    return parsed


def return_import(*, actor: "User", document: dict[str, Any] | bytes | str) -> ImportResult:
    """Validate a hub's monthly return and load it (with its measures) into the national view.
    Refused with every problem listed (ValidationError) and nothing written if it is malformed."""
    require(actor, Permission.RETURNS_IMPORT)
    doc = return_parse(document)
    errors = return_errors(doc)
    if errors:
        raise _refuse(errors)
    checksum = return_checksum(doc)
    hub_code = doc["hub"]["code"]
    _require_authorised_for(actor, hub_code)
    year, month_number = (int(p) for p in doc["period"]["month"].split("-"))
    month = date(year, month_number, 1)
    existing = ImportedReturn.objects.filter(hub_code=hub_code, month=month).first()
    if existing is not None and existing.checksum == checksum:
        return ImportResult(ImportStatus.UNCHANGED, existing, 0)
    rows = flatten(doc)
    try:
        with transaction.atomic():
            previous_checksum = ""
            previous: ReturnVersion | None = None
            if existing is not None:
                # Lock and re-read: a concurrent import of the same return must not double up.
                current = ImportedReturn.objects.select_for_update().filter(pk=existing.pk).first()
                if current is not None and current.checksum == checksum:
                    return ImportResult(ImportStatus.UNCHANGED, current, 0)
                previous_checksum = existing.checksum
                kept = current if current is not None else existing
                previous = _keep_superseded(kept, by=actor, checksum=checksum)
                ImportedReturn.objects.filter(pk=existing.pk).delete()  # measures cascade
            imported = ImportedReturn.objects.create(
                hub_code=hub_code,
                hub_name=doc["hub"]["name"],
                month=month,
                schema_version=doc["schema_version"],
                payload=doc,
                checksum=checksum,
                imported_at=timezone.now(),
                imported_by=actor.username,
            )
            ReturnMeasure.objects.bulk_create(
                [
                    ReturnMeasure(
                        imported_return=imported,
                        hub_code=hub_code,
                        month=month,
                        measure=row.measure,
                        value=row.value,
                        numerator=row.numerator,
                        denominator=row.denominator,
                        suppressed=row.suppressed,
                    )
                    for row in rows
                ],
                batch_size=1000,
            )
            status = ImportStatus.REPLACED if existing is not None else ImportStatus.CREATED
            audit_record(
                actor=actor,
                verb=AuditVerb.RETURN_IMPORTED,
                target=imported,
                changes={
                    "hub_code": hub_code,
                    "month": month.isoformat(),
                    "status": status.value,
                    "checksum": [previous_checksum or None, checksum],
                    "measures": len(rows),
                    "previous_version": str(previous.pk) if previous is not None else None,
                },
            )
    except IntegrityError as exc:
        # Another import of this hub and month committed between our read and our write.
        raise ValidationError.for_field(
            "$", "Another import of this hub and month happened at the same time: try again"
        ) from exc
    return ImportResult(status, imported, len(rows))


def _require_authorised_for(actor: "User", hub_code: str) -> None:
    hub = actor.hub
    sources = getattr(settings, "OPENMASH_NATIONAL_RETURN_SOURCES", {})
    if may_import(
        importer_hub_code=hub.la_code if hub is not None else None,
        return_hub_code=hub_code,
        sources=sources,
    ):
        return
    with transaction.atomic():
        audit_record(
            actor=actor,
            verb=AuditVerb.RETURN_REFUSED,
            changes={"hub_code": hub_code, "reason": "not authorised for this hub"},
        )
    raise PermissionDenied(
        f"You are not authorised to import the returns of hub {hub_code}: a hub imports its "
        "own return and those of the hubs it collects for"
    )


def _keep_superseded(existing: ImportedReturn, *, by: "User", checksum: str) -> ReturnVersion:
    return ReturnVersion.objects.create(
        hub_code=existing.hub_code,
        month=existing.month,
        hub_name=existing.hub_name,
        schema_version=existing.schema_version,
        payload=existing.payload,
        checksum=existing.checksum,
        imported_at=existing.imported_at,
        imported_by=existing.imported_by,
        superseded_at=timezone.now(),
        superseded_by=by.username,
        superseded_by_checksum=checksum,
    )


def returns_import_many(
    *, actor: "User", files: Sequence[tuple[str, dict[str, Any] | bytes | str]]
) -> list[FileResult]:
    """Import an upload of several returns, each file on its own: the good ones go in, the bad
    ones are listed with their problems. An analyst collecting 150 hubs' returns wants the
    valid ones loaded and a list of the ones to send back; after a fix the whole folder can be
    uploaded again, since re-importing an unchanged return changes nothing.

    Two files for the same hub and month in one upload are a mistake, not a resubmission: the
    second is refused (which one is current would depend on the order of the files)."""
    require(actor, Permission.RETURNS_IMPORT)
    results: list[FileResult] = []
    seen: dict[tuple[str, str], str] = {}
    for name, document in files:
        try:
            doc = return_parse(document)
            key = _hub_month(doc)
            if key is not None and key in seen:
                raise ValidationError.for_field(
                    "$",
                    f"{seen[key]} in this upload is also the return of hub {key[0]} for "
                    f"{key[1]}: upload one return per hub and month",
                )
            result = return_import(actor=actor, document=doc)
        except PermissionDenied as exc:
            results.append(FileResult(name, errors=[f"hub.code: {exc.message}"]))
        except ValidationError as exc:
            messages = [f"{p}: {m}" for p, ms in exc.errors.items() for m in ms] or [exc.message]
            results.append(FileResult(name, errors=messages))
        else:
            if key is not None:
                seen[key] = name
            results.append(FileResult(name, result=result))
    return results


def _hub_month(doc: dict[str, Any]) -> tuple[str, str] | None:
    hub, period = doc.get("hub"), doc.get("period")
    if isinstance(hub, dict) and isinstance(period, dict):
        return (str(hub.get("code")), str(period.get("month")))
    return None
