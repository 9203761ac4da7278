"""The referrals of a hub, read in bounded queries for the statutory exports.

A contact is a referral when a signed-off decision (now current or since superseded) maps to a
national referral outcome (S17, S47); it became one on the day the first such decision was
signed off. It is a referral with no further action (ReferralNFA) when the decision now in
force no longer maps to a referral. Every child subject of a referral is a child referred.
See docs/adr/0006-cin-census-mapping.md."""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from uuid import UUID

from django.utils import timezone

from openmash.contacts.models import Contact, ContactPerson, PersonKind, PersonRole
from openmash.core.standards import REFERRAL_OUTCOMES
from openmash.decisions.models import Decision, DecisionStatus, ReferralProgress
from openmash.hubs.models import Hub
from openmash.people.models import Person

CHUNK = 2000  # rows per round trip when streaming: bounded memory and few queries
CHILD_KINDS = (PersonKind.CHILD, PersonKind.UNBORN)


def local_midnight(day: date) -> datetime:
    """The start of `day` in the hub's time zone (dates in returns are local dates)."""
    return timezone.make_aware(datetime.combine(day, datetime.min.time()))


@dataclass
class ChildDetails:
    """What a return says about a child, from their latest mention in the period."""

    reference: str
    kind: str
    sex: str
    ethnicity: str
    date_of_birth: date | None
    expected_date_of_birth: date | None
    upn: str
    disabilities: list[str]
    seen_at: datetime  # when the mention's contact was received (latest wins)


@dataclass
class Referral:
    contact_id: UUID
    received_at: datetime
    source_code: str
    referred_on: date
    primary_need_code: str
    nfa: bool
    nfa_on: date | None  # when the decision that ended it as a referral was signed off
    worker: str
    progress: ReferralProgress | None
    children: list[str] = field(default_factory=list)  # person references

    def closed_on(self) -> date | None:
        """When the episode closed: its recorded closure, or the day it became NFA."""
        if self.nfa:
            return self.nfa_on
        return self.progress.closed_on if self.progress is not None else None


def referrals_between(
    hub: Hub, *, referred_from: date | None, referred_before: date, open_from: date | None = None
) -> list[Referral]:
    """The referrals of `hub` that became referrals in [referred_from, referred_before) (no
    lower bound when None); with `open_from`, only those not closed before that day. Driven
    from the decisions table (a referral is a few per cent of contacts), then the contacts and
    their progress in chunks: a handful of queries whatever the size of the hub."""
    rows = (
        Decision.objects.filter(
            contact__hub=hub,
            status__in=[DecisionStatus.SIGNED_OFF, DecisionStatus.SUPERSEDED],
            signed_off_at__isnull=False,
            signed_off_at__lt=local_midnight(referred_before),
            outcome__national_code__in=sorted(REFERRAL_OUTCOMES),
        )
        .order_by("signed_off_at")
        .values_list(
            "contact_id",
            "signed_off_at",
            "primary_need_code",
            "proposed_by__first_name",
            "proposed_by__last_name",
        )
    )
    first: dict[UUID, tuple[datetime, str, str]] = {}
    for contact_id, signed_at, need, given, family in rows.iterator(chunk_size=CHUNK):
        if (
            contact_id not in first and signed_at is not None
        ):  # ordered: the first referral decision wins
            first[contact_id] = (signed_at, need, " ".join(p for p in (given, family) if p))
    if referred_from is not None:
        cutoff = local_midnight(referred_from)
        first = {k: v for k, v in first.items() if v[0] >= cutoff}
    ids = list(first)
    referrals: list[Referral] = []
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        current = {
            contact_id: (code, signed_at)
            for contact_id, code, signed_at in Decision.objects.filter(
                contact_id__in=chunk, status=DecisionStatus.SIGNED_OFF
            ).values_list("contact_id", "outcome__national_code", "signed_off_at")
        }
        contacts = (
            Contact.objects.filter(pk__in=chunk)
            .select_related("referral_progress")
            .only("id", "received_at", "source_code", "referral_progress")
        )
        for contact in contacts:
            signed_at, need, worker = first[contact.pk]
            code, current_at = current.get(contact.pk, (None, None))
            nfa = code is not None and code not in REFERRAL_OUTCOMES
            progress = _progress(contact)
            referral = Referral(
                contact_id=contact.pk,
                received_at=contact.received_at,
                source_code=contact.source_code,
                referred_on=timezone.localdate(signed_at),
                primary_need_code=need,
                nfa=nfa,
                nfa_on=timezone.localdate(current_at) if nfa and current_at else None,
                worker=worker,
                progress=progress,
            )
            if open_from is not None and referral.closed_on() is not None:
                closed = referral.closed_on()
                assert closed is not None
                if closed < open_from:
                    continue
            referrals.append(referral)
    referrals.sort(key=lambda r: (r.referred_on, r.received_at))
    return referrals


def _progress(contact: Contact) -> ReferralProgress | None:
    try:
        return contact.referral_progress
    except ReferralProgress.DoesNotExist:
        return None


def person_references(person_ids: Iterable[UUID | None]) -> dict[UUID | None, str]:
    """Each hub person's reference, following merges to the person that survives."""
    resolved: dict[UUID | None, str] = {}
    pending = {pk for pk in person_ids if pk is not None}
    target: dict[UUID, UUID] = {}
    while pending:
        # In chunks: one IN list of a large hub's children costs seconds to build and plan.
        batch = list(pending)
        rows = [
            row
            for start in range(0, len(batch), CHUNK)
            for row in Person.objects.filter(pk__in=batch[start : start + CHUNK]).values_list(
                "pk", "reference", "merged_into"
            )
        ]
        pending = set()
        for pk, reference, merged_into in rows:
            if merged_into is None:
                resolved[pk] = reference
            else:
                target[pk] = merged_into
                if merged_into not in resolved and merged_into not in target:
                    pending.add(merged_into)
    for pk in list(target):
        seen, at = set(), pk
        while at in target and at not in seen:
            seen.add(at)
            at = target[at]
        if at in resolved:
            resolved[pk] = resolved[at]
    return resolved


def child_mentions(contact_ids: list[UUID]) -> Iterator[tuple[UUID, ContactPerson]]:
    """(contact id, mention) for every child subject of these contacts, in bounded queries."""
    for start in range(0, len(contact_ids), CHUNK):
        chunk = contact_ids[start : start + CHUNK]
        mentions = ContactPerson.objects.filter(
            contact_id__in=chunk,
            role=PersonRole.SUBJECT,
            kind__in=CHILD_KINDS,
            person__isnull=False,
        ).only(
            "contact_id",
            "person_id",
            "kind",
            "sex",
            "ethnicity",
            "date_of_birth",
            "expected_date_of_birth",
            "upn",
            "disabilities",
        )
        for mention in mentions:
            yield mention.contact_id, mention


def child_details(mention: ContactPerson, reference: str, seen_at: datetime) -> ChildDetails:
    return ChildDetails(
        reference=reference,
        kind=mention.kind,
        sex=mention.sex,
        ethnicity=mention.ethnicity,
        date_of_birth=mention.date_of_birth,
        expected_date_of_birth=mention.expected_date_of_birth,
        upn=mention.upn,
        disabilities=list(mention.disabilities or []),
        seen_at=seen_at,
    )
