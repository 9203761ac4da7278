"""Bring the reporting facts up to date with the casework tables.

Facts are derived, so refreshing is idempotent: each run recomputes every contact touched
since the hub's watermark (and the later contacts about the same children, whose re-contact
flags may depend on it) and upserts their rows. Dashboards, returns and exports call
`facts_refresh` first, so their figures are always current; the full rebuild
(`openmash facts refresh --full`) is only needed after a bulk load that bypassed services.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

from django.db import connection, models, transaction
from django.db.models import Count
from django.utils import timezone

from openmash.audit.models import READ_VERBS, AuditEvent, AuditVerb
from openmash.contacts.models import Contact, ContactPerson, PersonKind, PersonRole
from openmash.core.standards import REFERRAL_OUTCOMES
from openmash.core.working_time import TimeUnit, WorkingCalendar
from openmash.decisions.models import Action, Decision, DecisionStatus, Dissent, Feedback, Screening
from openmash.enquiries.models import InformationRequest, RequestStatus
from openmash.hubs.models import Agency, Hub, Stage
from openmash.hubs.selectors import timescale_for

from .models import AgencyCheckFact, ConcernFact, ContactFact, FactsWatermark

CHUNK = 2000
TWELVE_MONTHS = timedelta(days=365)


@dataclass(frozen=True)
class RefreshReport:
    contacts: int
    checks: int
    full: bool


def age_band(date_of_birth: date | None, kind: str, on: date) -> str:
    """The DfE age bands at the date of the contact."""
    if kind == PersonKind.UNBORN:
        return "unborn"
    if date_of_birth is None:
        return "unknown"
    years = (
        on.year
        - date_of_birth.year
        - ((on.month, on.day) < (date_of_birth.month, date_of_birth.day))
    )
    if years < 0:
        return "unknown"
    if years < 1:
        return "under_1"
    for low, high in ((1, 4), (5, 9), (10, 15), (16, 17)):
        if low <= years <= high:
            return f"{low}_{high}"
    return "18_plus"


class _Clock:
    """The hub's calendar and timescales, read once per refresh rather than per contact."""

    def __init__(self, hub: Hub) -> None:
        self.calendar: WorkingCalendar = hub.calendar()
        self.zone = ZoneInfo(hub.timezone)
        self.timescales: dict[str, tuple[int, TimeUnit]] = {
            stage: timescale_for(hub, stage) for stage in Stage.values
        }

    def due(self, stage: str, start: datetime) -> datetime:
        amount, unit = self.timescales[stage]
        return self.calendar.add(start, Decimal(amount), unit)

    def working_minutes(self, start: datetime, end: datetime) -> int:
        return max(0, round(self.calendar.working_time_between(start, end).total_seconds() / 60))

    def local_date(self, instant: datetime) -> date:
        return instant.astimezone(self.zone).date()


def _elapsed_minutes(start: datetime, end: datetime) -> int:
    return max(0, round((end - start).total_seconds() / 60))


def _rows(queryset: Any) -> list[dict[str, Any]]:
    """`.values()` rows as plain dicts (the stubs type each query's rows separately)."""
    return list(queryset)


def _chunks(ids: Sequence[UUID], size: int = CHUNK) -> Iterator[Sequence[UUID]]:
    for i in range(0, len(ids), size):
        yield ids[i : i + size]


# Events that change a contact's facts without naming the contact.
_PERSON_EVENTS = (AuditVerb.PERSON_MERGED, AuditVerb.PERSON_UNMERGED)
# Events after which every contact's facts are recomputed (timescales decide due times).
_HUB_EVENTS = (AuditVerb.HUB_CONFIGURED,)


def _changes_since(hub: Hub, after_event: int) -> tuple[set[UUID], bool, int]:
    """What changed since audit event `after_event`: (contacts, whether everything must be
    recomputed, the newest event seen). Every casework write records its audit event in its
    own transaction while holding the chain lock, so event ids grow in commit order and the
    audit trail is an exact change log: a refresh reads only the events after its last one."""
    events = list(
        AuditEvent.objects.filter(id__gt=after_event, hub_id=hub.pk)
        .exclude(verb__in=READ_VERBS)
        .values_list("id", "verb", "contact_id", "changes")
    )
    newest = max((e[0] for e in events), default=after_event)
    ids: set[UUID] = {contact_id for _i, _v, contact_id, _c in events if contact_id}
    full = any(verb in _HUB_EVENTS for _i, verb, _c, _ch in events)
    persons = {
        str(changes.get(key))
        for _i, verb, _c, changes in events
        if verb in _PERSON_EVENTS
        for key in ("merged", "into")
        if changes.get(key)
    }
    if persons:
        ids.update(
            ContactPerson.objects.filter(person_id__in=persons).values_list("contact_id", flat=True)
        )
    if ids:
        # Later contacts about the same children look back at these (re-contact, re-referral).
        subjects = set(
            ContactPerson.objects.filter(
                contact_id__in=ids, role=PersonRole.SUBJECT, person__isnull=False
            ).values_list("person_id", flat=True)
        )
        if subjects:
            ids.update(
                ContactPerson.objects.filter(
                    person_id__in=subjects, role=PersonRole.SUBJECT, contact__hub=hub
                ).values_list("contact_id", flat=True)
            )
    return ids, full, newest


def facts_refresh(*, hub: Hub, full: bool = False) -> RefreshReport:
    """Bring the hub's facts up to date; `full` recomputes every contact of the hub."""
    started = timezone.now()
    watermark = FactsWatermark.objects.filter(hub=hub).first()
    newest = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
    dirty: set[UUID] = set()
    if not full and watermark is not None:
        dirty, full, newest = _changes_since(hub, watermark.last_event_id)
    if full or watermark is None:
        ids = list(
            Contact.objects.filter(hub=hub).order_by("received_at").values_list("id", flat=True)
        )
        full = True
    else:
        ids = (
            list(
                Contact.objects.filter(id__in=dirty, hub=hub)
                .order_by("received_at")
                .values_list("id", flat=True)
            )
            if dirty
            else []
        )
    clock = _Clock(hub)
    checks = 0
    for chunk in _chunks(ids):
        with transaction.atomic():
            checks += _refresh_chunk(hub, clock, chunk, now=started)
    FactsWatermark.objects.update_or_create(
        hub=hub, defaults={"last_event_id": newest, "refreshed_at": timezone.now()}
    )
    return RefreshReport(contacts=len(ids), checks=checks, full=full)


def facts_refresh_all(*, full: bool = False) -> list[tuple[Hub, RefreshReport]]:
    return [(hub, facts_refresh(hub=hub, full=full)) for hub in Hub.objects.order_by("la_code")]


# ---------------------------------------------------------------------------------------------


def _refresh_chunk(hub: Hub, clock: _Clock, ids: Sequence[UUID], *, now: datetime) -> int:
    contacts = _rows(
        Contact.objects.filter(id__in=ids).values(
            "id",
            "received_at",
            "source_code",
            "channel",
            "concern_categories",
            "immediate_risk",
            "family_awareness",
            "stage",
        )
    )
    screenings: dict[UUID, list[dict[str, Any]]] = defaultdict(list)
    for row in _rows(
        Screening.objects.filter(contact_id__in=ids)
        .order_by("recorded_at")
        .values("contact_id", "recorded_at", "outcome", "rag", "level_of_need")
    ):
        screenings[row["contact_id"]].append(row)
    decisions: dict[UUID, dict[str, Any]] = {}
    for row in _rows(
        Decision.objects.filter(contact_id__in=ids, status=DecisionStatus.SIGNED_OFF)
        .order_by("signed_off_at")
        .values(
            "id",
            "contact_id",
            "signed_off_at",
            "proposed_at",
            "outcome__national_code",
            "level_of_need",
            "rationale",
            "childs_voice",
        )
    ):
        decisions[row["contact_id"]] = row  # the latest signed-off decision is in force
    actions = dict(
        Action.objects.filter(decision_id__in=[d["id"] for d in decisions.values()])
        .values_list("decision_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    dissents = dict(
        Dissent.objects.filter(decision__contact_id__in=ids)
        .values_list("decision__contact_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    # The first feedback counts (a later one is a correction, not the answer to the referrer).
    first_feedback: dict[UUID, datetime] = {}
    for contact_id, sent_at in (
        Feedback.objects.filter(contact_id__in=ids)
        .order_by("-sent_at")
        .values_list("contact_id", "sent_at")
    ):
        first_feedback[contact_id] = sent_at
    requests = _rows(
        InformationRequest.objects.filter(contact_id__in=ids).values(
            "id",
            "contact_id",
            "agency_id",
            "rag",
            "requested_at",
            "due_at",
            "status",
            "result",
            "answered_at",
        )
    )
    agency_types = dict(Agency.objects.filter(hub=hub).values_list("id", "agency_type"))
    subject_fields = [
        "contact_id",
        "person_id",
        "date_of_birth",
        "kind",
        "sex",
        "ethnicity",
        "disabilities",
    ]
    subjects: dict[UUID, list[dict[str, Any]]] = defaultdict(list)
    for row in _rows(
        ContactPerson.objects.filter(contact_id__in=ids, role=PersonRole.SUBJECT)
        .order_by("order", "created_at")
        .values(*subject_fields)
    ):
        subjects[row["contact_id"]].append(row)
    history = _history_flags(hub, contacts, subjects)

    facts: list[ContactFact] = []
    concerns: list[ConcernFact] = []
    requests_by_contact: dict[UUID, list[dict[str, Any]]] = defaultdict(list)
    for r in requests:
        requests_by_contact[r["contact_id"]].append(r)
    for c in contacts:
        cid = c["id"]
        received: datetime = c["received_at"]
        received_on = clock.local_date(received)
        ratings = screenings.get(cid, [])
        first = ratings[0] if ratings else None
        latest = ratings[-1] if ratings else None
        decision = decisions.get(cid)
        screened_at = first["recorded_at"] if first else None
        decided_at = decision["signed_off_at"] if decision else None
        outcome = decision["outcome__national_code"] if decision else ""
        contact_requests = requests_by_contact.get(cid, [])
        answered = [r for r in contact_requests if r["answered_at"] is not None]
        decision_due = None
        if screened_at is not None:
            # The decision clock starts once the information is in: after screening and
            # after the last answer that came before the decision.
            cut = decided_at or now
            starts = [screened_at] + [r["answered_at"] for r in answered if r["answered_at"] <= cut]
            decision_due = clock.due(Stage.DECISION, max(starts))
        feedback_at = first_feedback.get(cid)
        facts.append(
            ContactFact(
                contact_id=cid,
                hub=hub,
                refreshed_at=now,
                received_at=received,
                received_on=received_on,
                received_month=received_on.replace(day=1),
                source_code=c["source_code"],
                channel=c["channel"],
                concerns=list(c["concern_categories"] or []),
                immediate_risk=c["immediate_risk"],
                family_awareness=c["family_awareness"],
                subjects=[
                    {
                        "person_id": str(s["person_id"]) if s["person_id"] else None,
                        "age_band": age_band(s["date_of_birth"], s["kind"], received_on),
                        "sex": s["sex"],
                        "ethnicity": s["ethnicity"],
                        "disabled": _disabled(s),
                    }
                    for s in subjects.get(cid, [])
                ],
                stage=c["stage"],
                screening_due_at=clock.due(Stage.SCREENING, received),
                screened_at=screened_at,
                screening_outcome=first["outcome"] if first else "",
                first_rag=first["rag"] if first else "",
                first_level=first["level_of_need"] if first else None,
                rag=latest["rag"] if latest else "",
                level=(
                    decision["level_of_need"]
                    if decision
                    else (latest["level_of_need"] if latest else None)
                ),
                rerated=len(ratings) > 1,
                rating_history=[
                    {
                        "at": r["recorded_at"].isoformat(),
                        "rag": r["rag"],
                        "level": r["level_of_need"],
                    }
                    for r in ratings
                ],
                screening_working_minutes=(
                    clock.working_minutes(received, screened_at) if screened_at else None
                ),
                screening_elapsed_minutes=(
                    _elapsed_minutes(received, screened_at) if screened_at else None
                ),
                checks_requested=len(contact_requests),
                checks_answered=len(answered),
                decision_due_at=decision_due,
                decided_at=decided_at,
                outcome=outcome,
                rationale_recorded=bool(decision and decision["rationale"].strip()),
                childs_voice_recorded=bool(decision and decision["childs_voice"].strip()),
                actions_agreed=actions.get(decision["id"], 0) if decision else 0,
                dissents=dissents.get(cid, 0),
                decision_working_minutes=(
                    clock.working_minutes(received, decided_at) if decided_at else None
                ),
                decision_elapsed_minutes=(
                    _elapsed_minutes(received, decided_at) if decided_at else None
                ),
                is_referral=outcome in REFERRAL_OUTCOMES,
                feedback_due_at=clock.due(Stage.FEEDBACK, decided_at) if decided_at else None,
                feedback_at=feedback_at,
                **history.get(cid, {}),
            )
        )
        concerns.extend(
            ConcernFact(contact_id=cid, hub=hub, received_at=received, concern=key)
            for key in dict.fromkeys(c["concern_categories"] or [])
        )
    received_at = {c["id"]: c["received_at"] for c in contacts}
    checks = [
        AgencyCheckFact(
            request_id=r["id"],
            contact_id=r["contact_id"],
            contact_received_at=received_at[r["contact_id"]],
            hub=hub,
            agency_id=r["agency_id"],
            agency_type=agency_types.get(r["agency_id"], ""),
            rag=r["rag"],
            requested_at=r["requested_at"],
            requested_month=clock.local_date(r["requested_at"]).replace(day=1),
            due_at=r["due_at"],
            answered_at=r["answered_at"],
            withdrawn=r["status"] == RequestStatus.WITHDRAWN,
            result=r["result"],
            working_minutes=(
                clock.working_minutes(r["requested_at"], r["answered_at"])
                if r["answered_at"]
                else None
            ),
        )
        for r in requests
    ]
    _upsert(ContactFact, facts, unique="contact")
    ConcernFact.objects.filter(contact_id__in=ids).delete()
    ConcernFact.objects.bulk_create(concerns)
    _upsert(AgencyCheckFact, checks, unique="request")
    return len(checks)


def _disabled(subject: dict[str, Any]) -> bool | None:
    """True/False from the CIN disability codes; None when not recorded."""
    codes = subject.get("disabilities")
    if not codes:
        return None
    return any(code != "NONE" for code in codes)


def _converter(field: Any) -> Callable[[Any], Any]:
    """How one column's Python value goes into a query parameter, decided once per column:
    the ORM's per-value preparation was most of a full rebuild's time."""
    ops = connection.ops
    target = field.target_field if field.is_relation else field
    if isinstance(target, models.UUIDField):
        if connection.vendor == "postgresql":
            return lambda v: v
        return lambda v: v.hex if v is not None else None
    if isinstance(field, models.JSONField):
        return lambda v: field.get_db_prep_save(v, connection)
    if isinstance(field, models.DateTimeField):
        return ops.adapt_datetimefield_value
    if isinstance(field, models.DateField):
        return ops.adapt_datefield_value
    return lambda v: v


def _upsert(model: Any, rows: Iterable[Any], *, unique: str) -> None:
    """Insert or replace rows keyed by `unique` (INSERT ... ON CONFLICT DO UPDATE, which both
    PostgreSQL and SQLite speak), with parameters prepared column by column."""
    rows = list(rows)
    if not rows:
        return
    fields = list(model._meta.concrete_fields)
    key = model._meta.get_field(unique)
    quote = connection.ops.quote_name
    columns = [quote(f.column) for f in fields]
    updates = ", ".join(f"{c} = EXCLUDED.{c}" for c in columns if c != quote(key.column))
    sql = (
        f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(columns)}) "
        f"VALUES ({', '.join(['%s'] * len(columns))}) "
        f"ON CONFLICT ({quote(key.column)}) DO UPDATE SET {updates}"
    )
    converters = [(f.attname, _converter(f)) for f in fields]
    params = [tuple(convert(getattr(row, name)) for name, convert in converters) for row in rows]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


def _history_flags(
    hub: Hub, contacts: list[dict[str, Any]], subjects: dict[UUID, list[dict[str, Any]]]
) -> dict[UUID, dict[str, bool]]:
    """Re-contact, re-referral and referral-after-NFA within 12 months before each contact,
    across all contacts about the same children (subjects resolved to the same hub person)."""
    persons = {s["person_id"] for rows in subjects.values() for s in rows if s["person_id"]}
    if not persons:
        return {}
    earliest = min(c["received_at"] for c in contacts) - TWELVE_MONTHS
    latest = max(c["received_at"] for c in contacts)
    mentions = list(
        ContactPerson.objects.filter(
            person_id__in=persons,
            role=PersonRole.SUBJECT,
            contact__hub=hub,
            contact__received_at__gte=earliest,
            contact__received_at__lte=latest,
        ).values_list("person_id", "contact_id", "contact__received_at")
    )
    other_ids = {contact_id for _p, contact_id, _r in mentions}
    outcomes = dict(
        Decision.objects.filter(contact_id__in=other_ids, status=DecisionStatus.SIGNED_OFF)
        .order_by("signed_off_at")
        .values_list("contact_id", "outcome__national_code")
    )
    by_person: dict[UUID, list[tuple[datetime, UUID]]] = defaultdict(list)
    for person_id, contact_id, received in mentions:
        by_person[person_id].append((received, contact_id))
    flags: dict[UUID, dict[str, bool]] = {}
    for c in contacts:
        cid, received = c["id"], c["received_at"]
        earlier: set[UUID] = set()
        for s in subjects.get(cid, []):
            for other_received, other_id in by_person.get(s["person_id"], []):
                if other_id != cid and received - TWELVE_MONTHS <= other_received < received:
                    earlier.add(other_id)
        is_referral = outcomes.get(cid, "") in REFERRAL_OUTCOMES
        flags[cid] = {
            "recontact_12m": bool(earlier),
            "rereferral_12m": is_referral
            and any(outcomes.get(o, "") in REFERRAL_OUTCOMES for o in earlier),
            "referral_after_nfa_12m": is_referral
            and any(outcomes.get(o, "") == "NFA" for o in earlier),
        }
    return flags


def facts_stale(hub: Hub) -> bool:
    """Whether anything changed since the last refresh (one indexed query)."""
    watermark = FactsWatermark.objects.filter(hub=hub).first()
    if watermark is None:
        return True
    return (
        AuditEvent.objects.filter(id__gt=watermark.last_event_id, hub_id=hub.pk)
        .exclude(verb__in=READ_VERBS)
        .exists()
    )


__all__ = ["RefreshReport", "age_band", "facts_refresh", "facts_refresh_all", "facts_stale"]
