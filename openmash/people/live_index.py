"""Each process keeps one in-memory match index per hub (hub persons and every agency's
pointer records), built once and then kept in step by applying `IndexChange` rows in order.
Queries therefore never touch SQL for scoring: the model's weights are applied in-process."""

import json
import logging
import threading
from dataclasses import dataclass
from uuid import UUID

from openmash.hubs.models import Hub

from .matching.index import MatchIndex
from .matching.model import MatchModel, default_model
from .matching.records import PersonRecord
from .models import AgencyIndexRecord, IndexChange, MatchModelVersion, Person

logger = logging.getLogger(__name__)

PERSON = "person"
AGENCY = "agency"


def key_for(kind: str, pk: UUID) -> str:
    return f"{kind}:{pk}"


def split_key(key: str) -> tuple[str, str]:
    kind, _, pk = key.partition(":")
    return kind, pk


def _aliases(text: str) -> tuple[str, ...]:
    parts = [a.strip() for a in text.replace("|", ",").split(",")]
    return tuple(a for a in parts if a)


def record_for_person(person: Person) -> PersonRecord:
    return PersonRecord(
        record_id=key_for(PERSON, person.pk),
        given_name=person.given_name,
        family_name=person.family_name,
        aliases=_aliases(person.aliases),
        date_of_birth=person.date_of_birth,
        sex=person.sex,
        address_line_1=person.address_line_1,
        address_line_2=person.address_line_2,
        town=person.town,
        postcode=person.postcode,
        nhs_number=person.nhs_number,
        other_id=person.upn,
    )


def record_for_agency(record: AgencyIndexRecord) -> PersonRecord:
    return PersonRecord(
        record_id=key_for(AGENCY, record.pk),
        given_name=record.given_name,
        family_name=record.family_name,
        aliases=_aliases(record.aliases),
        date_of_birth=record.date_of_birth,
        sex=record.sex,
        address_line_1=record.address_line_1,
        address_line_2=record.address_line_2,
        town=record.town,
        postcode=record.postcode,
        nhs_number=record.nhs_number,
        other_id=record.upn or record.other_id,
    )


def active_model(hub: Hub) -> tuple[str, MatchModel]:
    row = MatchModelVersion.objects.filter(hub=hub, active=True).first()
    if row is not None:
        try:
            return row.version, MatchModel.from_json(json.dumps(row.parameters))
        except ValueError:
            # Trained for older comparison definitions: matching carries on with the default
            # weights until `openmash train_matching` is run again.
            logger.warning("Stored match model %s no longer fits; using the default", row.version)
    model = default_model()
    return model.version, model


@dataclass
class _Live:
    index: MatchIndex
    model_version: str
    last_change: int


_LOCK = threading.Lock()
_LIVE: dict[UUID, _Live] = {}


def _build(hub: Hub) -> _Live:
    version, model = active_model(hub)
    last = IndexChange.objects.filter(hub=hub).order_by("-id").values_list("id", flat=True)
    last_change = last[0] if last else 0
    index = MatchIndex(model)
    persons = Person.objects.filter(hub=hub, merged_into__isnull=True).iterator(chunk_size=5000)
    records = AgencyIndexRecord.objects.filter(agency__hub=hub).iterator(chunk_size=5000)
    index.build([record_for_person(p) for p in persons] + [record_for_agency(r) for r in records])
    return _Live(index=index, model_version=version, last_change=last_change)


def _apply(hub: Hub, live: _Live) -> None:
    changes = list(IndexChange.objects.filter(hub=hub, id__gt=live.last_change).order_by("id"))
    if not changes:
        return
    latest: dict[str, bool] = {}
    for change in changes:
        latest[change.key] = change.removed
    wanted: dict[str, list[str]] = {PERSON: [], AGENCY: []}
    for key, removed in latest.items():
        kind, pk = split_key(key)
        if removed:
            live.index.remove(key)
        elif kind in wanted:
            wanted[kind].append(pk)
    for person in Person.objects.filter(pk__in=wanted[PERSON]):
        if person.merged_into_id is None:
            live.index.add(record_for_person(person))
        else:
            live.index.remove(key_for(PERSON, person.pk))
    for record in AgencyIndexRecord.objects.filter(pk__in=wanted[AGENCY]):
        live.index.add(record_for_agency(record))
    live.last_change = changes[-1].id


def index_for(hub: Hub) -> MatchIndex:
    """The hub's index, brought up to date with every committed change."""
    with _LOCK:
        live = _LIVE.get(hub.pk)
        version, _model = active_model(hub)
        if live is None or live.model_version != version:
            live = _LIVE[hub.pk] = _build(hub)
        _apply(hub, live)
        return live.index


def index_forget(hub: Hub | None = None) -> None:
    """Drop cached indexes (tests; after a model is trained the version check rebuilds)."""
    with _LOCK:
        if hub is None:
            _LIVE.clear()
        else:
            _LIVE.pop(hub.pk, None)


def index_changed(hub: Hub, key: str, *, removed: bool = False) -> None:
    """Log a change (inside the writer's transaction) for every process's index."""
    IndexChange.objects.create(hub=hub, key=key, removed=removed)
