"""Writes for the person index: resolving mentions to persons, agency index loads, match
reviews, merges and unmerges, and training the matching model. Each audited in the same
transaction; each change logged for the in-memory indexes."""

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING
from uuid import UUID

from django.db import transaction
from django.utils import timezone

from openmash.access.checks import require, require_same_hub
from openmash.access.permissions import Permission
from openmash.audit.models import AuditVerb
from openmash.audit.services import audit_record
from openmash.core.errors import Conflict, NotFound, ValidationError
from openmash.hubs.models import Agency, Hub

from .index_csv import COLUMNS, ParsedIndex
from .live_index import (
    AGENCY,
    PERSON,
    index_changed,
    index_for,
    key_for,
    record_for_agency,
    record_for_person,
    split_key,
)
from .matching.records import PersonRecord
from .models import (
    PERSON_INDEX_FIELDS,
    AgencyIndexRecord,
    IndexLoad,
    MatchModelVersion,
    MatchReview,
    Person,
    PersonMerge,
    ReviewDecision,
)

if TYPE_CHECKING:
    from openmash.accounts.models import User
    from openmash.contacts.models import Contact, ContactPerson

# A mention joins an existing person on its own only when the evidence is overwhelming;
# anything less is shown to a practitioner to confirm or reject.
AUTO_LINK_PROBABILITY = 0.9999


def _mention_record(mention: "ContactPerson") -> PersonRecord:
    return PersonRecord(
        record_id=f"mention:{mention.pk}",
        given_name=mention.given_name,
        family_name=mention.family_name,
        aliases=tuple(a.strip() for a in mention.aliases.split(",") if a.strip()),
        date_of_birth=mention.date_of_birth,
        sex=mention.sex if mention.sex != "U" else "",
        address_line_1=mention.address_line_1,
        address_line_2=mention.address_line_2,
        town=mention.town,
        postcode=mention.postcode,
        nhs_number=mention.nhs_number,
        other_id=mention.upn,
    )


def persons_resolve(*, contact: "Contact") -> dict[str, int]:
    """Resolve every person named in a new contact to a hub person: an existing one when the
    match is overwhelming, otherwise a new one. Call inside the contact's transaction."""
    hub = contact.hub
    index = index_for(hub)
    linked = created = 0
    for mention in contact.people.filter(person__isnull=True):
        best = None
        if mention.kind != "unborn":
            candidates = index.query(
                _mention_record(mention), limit=3, min_probability=AUTO_LINK_PROBABILITY
            )
            best = next((c for c in candidates if split_key(c.record_id)[0] == PERSON), None)
        if best is not None:
            mention.person_id = split_key(best.record_id)[1]
            linked += 1
        else:
            values = {f: getattr(mention, f) for f in PERSON_INDEX_FIELDS}
            values["sex"] = "" if values["sex"] == "U" else values["sex"]
            person = Person.objects.create(hub=hub, **values)
            mention.person = person
            index_changed(hub, key_for(PERSON, person.pk))
            created += 1
        mention.save(update_fields=["person", "updated_at"])
    return {"linked": linked, "created": created}


def person_details_follow(*, mention: "ContactPerson") -> None:
    """After a correction, the hub person follows the mention's details when nothing else
    speaks for them (their only mention); otherwise the person is left for a practitioner."""
    person = mention.person
    if person is None or person.mentions.exclude(pk=mention.pk).exists():
        return
    for name in PERSON_INDEX_FIELDS:
        setattr(person, name, getattr(mention, name))
    person.sex = "" if person.sex == "U" else person.sex
    person.save()
    index_changed(person.hub, key_for(PERSON, person.pk))


def match_review(
    *,
    actor: "User",
    mention: "ContactPerson",
    candidate_key: str,
    probability: float,
    decision: str,
) -> MatchReview:
    """A practitioner confirms or rejects a suggested match. Confirming a hub person links the
    mention to that person (merging the person it had been given, when nobody else uses it)."""
    require_same_hub(actor, mention.contact.hub_id, "Contact not found")
    require(actor, Permission.PERSON_MERGE)
    if decision not in ReviewDecision.values:
        raise ValidationError.for_field("decision", "Choose confirm or reject")
    kind, raw_pk = split_key(candidate_key)
    try:
        pk = str(UUID(raw_pk))
    except ValueError:
        raise ValidationError.for_field("candidate", "Unknown candidate") from None
    candidate_key = key_for(kind, UUID(pk))
    hub = mention.contact.hub
    target: Person | None = None
    if kind == PERSON:
        target = Person.objects.filter(hub=hub, pk=pk).first()
        if target is None:
            raise NotFound("Person not found")
    elif kind == AGENCY:
        if not AgencyIndexRecord.objects.filter(agency__hub=hub, pk=pk).exists():
            raise NotFound("Agency record not found")
    else:
        raise ValidationError.for_field("candidate", "Unknown kind of candidate")
    with transaction.atomic():
        review, _ = MatchReview.objects.update_or_create(
            contact_person=mention,
            candidate_key=candidate_key,
            defaults={"probability": probability, "decision": decision, "decided_by": actor},
        )
        if target is not None and decision == ReviewDecision.CONFIRMED:
            current = mention.person
            if current is not None and str(current.pk) != pk:
                others = current.mentions.exclude(pk=mention.pk).exists()
                if others:
                    mention.person_id = pk
                    mention.save(update_fields=["person", "updated_at"])
                else:
                    person_merge(
                        actor=actor,
                        merged=current,
                        into=target,
                        reason="Confirmed as the same person at screening",
                    )
        audit_record(
            actor=actor,
            verb=AuditVerb.MATCH_REVIEWED,
            target=review,
            hub_id=hub.pk,
            contact_id=mention.contact_id,
            changes={
                "candidate": candidate_key,
                "decision": decision,
                "probability": round(probability, 4),
            },
        )
    return review


def person_merge(*, actor: "User", merged: Person, into: Person, reason: str) -> PersonMerge:
    """Merge one hub person into another: every mention moves; nothing is deleted, and the
    merge records exactly what moved so it can be undone."""
    require(actor, Permission.PERSON_MERGE)
    if merged.pk == into.pk:
        raise ValidationError.for_field("into", "A person cannot be merged into themselves")
    if merged.hub_id != into.hub_id or merged.hub_id != actor.hub_id:
        raise NotFound("Person not found")
    if merged.merged_into_id is not None or into.merged_into_id is not None:
        raise Conflict("One of these people has already been merged.")
    if not reason.strip():
        raise ValidationError.for_field("reason", "Give the reason for the merge")
    hub = merged.hub
    with transaction.atomic():
        moved = [str(pk) for pk in merged.mentions.values_list("pk", flat=True)]
        merged.mentions.update(person=into, updated_at=timezone.now())
        merged.merged_into = into
        merged.save(update_fields=["merged_into", "updated_at"])
        merge = PersonMerge.objects.create(
            merged=merged, into=into, reason=reason.strip(), merged_by=actor, moved_links=moved
        )
        index_changed(hub, key_for(PERSON, merged.pk), removed=True)
        audit_record(
            actor=actor,
            verb=AuditVerb.PERSON_MERGED,
            target=merge,
            hub_id=hub.pk,
            changes={"merged": merged.pk, "into": into.pk, "mentions": len(moved)},
            reason=reason.strip(),
        )
    return merge


def person_unmerge(*, actor: "User", merge: PersonMerge, reason: str) -> PersonMerge:
    """Undo a merge exactly: the mentions that moved go back; later changes stay."""
    require(actor, Permission.PERSON_MERGE)
    if merge.into.hub_id != actor.hub_id:
        raise NotFound("Merge not found")
    if merge.undone_at is not None:
        raise Conflict("This merge has already been undone.")
    if not reason.strip():
        raise ValidationError.for_field("reason", "Give the reason for undoing the merge")
    hub = merge.into.hub
    with transaction.atomic():
        merge.into.mentions.filter(pk__in=merge.moved_links).update(
            person=merge.merged, updated_at=timezone.now()
        )
        merge.merged.merged_into = None
        merge.merged.save(update_fields=["merged_into", "updated_at"])
        merge.undone_at = timezone.now()
        merge.undone_by = actor
        merge.save(update_fields=["undone_at", "undone_by", "updated_at"])
        index_changed(hub, key_for(PERSON, merge.merged_id))
        audit_record(
            actor=actor,
            verb=AuditVerb.PERSON_UNMERGED,
            target=merge,
            hub_id=hub.pk,
            changes={"merged": merge.merged_id, "into": merge.into_id},
            reason=reason.strip(),
        )
    return merge


@dataclass(frozen=True)
class LoadResult:
    load: IndexLoad
    inserted: int
    updated: int
    deleted: int


def index_load_allowed(user: "User", agency: Agency) -> bool:
    """Researchers load their own agency's index; the hub administrator any agency's."""
    if not user.can(Permission.INDEX_LOAD) or agency.hub_id != user.hub_id:
        return False
    return user.can(Permission.HUB_CONFIGURE) or agency.pk == user.agency_id


def index_load_require(*, actor: "User", agency: Agency) -> None:
    """Refuse, before a byte of the file is read, anyone who may not load this agency's
    index: PermissionDenied without the permission, NotFound for another agency's."""
    if not index_load_allowed(actor, agency):
        require(actor, Permission.INDEX_LOAD)
        raise NotFound("Agency not found")


def index_load(
    *, actor: "User", agency: Agency, parsed: ParsedIndex, source: str, filename: str = ""
) -> LoadResult:
    """Apply an agency's index file in one transaction: every row, or (on any problem) none.
    Researchers load their own agency's index; the hub administrator any agency's. Callers
    check `index_load_require` before parsing the file; it is checked again here."""
    index_load_require(actor=actor, agency=agency)
    if parsed.problems:
        raise ValidationError(
            f"{len(parsed.problems)} problem(s) in the file; nothing was loaded",
            errors={"file": [str(p) for p in parsed.problems[:200]]},
        )
    refs = [str(row["record_ref"]) for row in parsed.rows]
    existing = {
        r.record_ref: r
        for r in AgencyIndexRecord.objects.filter(agency=agency, record_ref__in=refs)
    }
    problems = []
    for row in parsed.rows:
        action, ref = row["action"], str(row["record_ref"])
        if action == "insert" and ref in existing:
            problems.append(f"Line {row['line']}: record_ref {ref!r} is already loaded")
        if action in ("update", "delete") and ref not in existing:
            problems.append(f"Line {row['line']}: record_ref {ref!r} is not in the index")
    if problems:
        raise ValidationError(
            f"{len(problems)} problem(s) in the file; nothing was loaded",
            errors={"file": problems[:200]},
        )
    inserted = updated = deleted = 0
    hub = agency.hub
    fields = [c for c in COLUMNS if c not in ("action", "record_ref")]
    with transaction.atomic():
        for row in parsed.rows:
            ref = str(row["record_ref"])
            record = existing.get(ref)
            if row["action"] == "delete":
                assert record is not None
                index_changed(hub, key_for(AGENCY, record.pk), removed=True)
                record.delete()
                deleted += 1
                continue
            values = {f: row[f] for f in fields}
            if record is None:
                record = AgencyIndexRecord.objects.create(agency=agency, record_ref=ref, **values)
                inserted += 1
            else:
                for name, value in values.items():
                    setattr(record, name, value)
                record.save()
                updated += 1
            index_changed(hub, key_for(AGENCY, record.pk))
        load = IndexLoad.objects.create(
            agency=agency,
            loaded_by=actor,
            source=source,
            filename=filename[:200],
            inserted=inserted,
            updated=updated,
            deleted=deleted,
        )
        audit_record(
            actor=actor,
            verb=AuditVerb.INDEX_LOADED,
            target=load,
            hub_id=hub.pk,
            changes={
                "agency": agency.code,
                "inserted": inserted,
                "updated": updated,
                "deleted": deleted,
                "source": source,
            },
        )
    return LoadResult(load, inserted, updated, deleted)


def match_model_train(*, actor: "User | None", hub: Hub) -> MatchModelVersion:
    """Train the hub's Fellegi-Sunter model without labels (Splink on DuckDB) on its persons
    and agency index records, store it as a new version and make it the active one."""
    if actor is not None:
        require_same_hub(actor, hub.pk, "Hub not found")
        require(actor, Permission.HUB_CONFIGURE)
    from .matching.train import train_model  # heavy import, only when training

    records = [
        record_for_person(p) for p in Person.objects.filter(hub=hub, merged_into__isnull=True)
    ]
    records += [record_for_agency(r) for r in AgencyIndexRecord.objects.filter(agency__hub=hub)]
    if len(records) < 50:
        raise ValidationError.for_field(
            "records", "Training needs at least 50 people in the hub's indexes"
        )
    model = train_model(records)
    with transaction.atomic():
        MatchModelVersion.objects.filter(hub=hub, active=True).update(active=False)
        row = MatchModelVersion.objects.create(
            hub=hub,
            version=model.version,
            parameters=json.loads(model.to_json()),
            trained_on=len(records),
            active=True,
        )
        audit_record(
            actor=actor,
            verb=AuditVerb.MODEL_TRAINED,
            target=row,
            hub_id=hub.pk,
            changes={"version": model.version, "records": len(records)},
        )
    return row
