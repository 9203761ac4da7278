"""Reads of the person index: who a contact's people may be, what the hub already knows
about them, which agencies hold a likely match, and possible duplicates."""

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from django.db import transaction

from openmash.access.checks import can_see_confidential_address
from openmash.audit.models import AuditVerb
from openmash.audit.services import audit_list_read, audit_record
from openmash.core.standards import REFERRAL_OUTCOMES
from openmash.hubs.models import Agency, Hub

from .casework import contact_outcomes
from .live_index import AGENCY, PERSON, index_for, record_for_person, split_key
from .matching.index import FieldExplanation
from .matching.records import PersonRecord
from .models import AgencyIndexRecord, MatchReview, Person, PersonMerge, ReviewDecision
from .services import AUTO_LINK_PROBABILITY, _mention_record

if TYPE_CHECKING:
    from openmash.accounts.models import User
    from openmash.contacts.models import Contact, ContactPerson

SUGGEST_PROBABILITY = 0.5  # shown to practitioners from here; confirmed or rejected by them
AGENCY_SUGGESTION_PROBABILITY = 0.8  # an agency is suggested for a request from here


@dataclass(frozen=True)
class PriorContact:
    contact_id: str
    reference: str
    received_at: datetime
    outcome: str  # the signed-off outcome's wording, or the stage
    was_referral: bool


@dataclass(frozen=True)
class Known:
    """What the hub already knows about a person, apart from the contact being looked at."""

    prior_contacts: list[PriorContact]
    re_referral: bool  # a referral for this person in the 12 months before this contact


@dataclass(frozen=True)
class MatchCandidate:
    key: str
    kind: str  # "person" | "agency"
    probability: float
    explanation: tuple[FieldExplanation, ...]
    label: str  # the person's name and date of birth, or the agency's name
    agency: Agency | None
    known: Known | None
    review: str  # "", "confirmed" or "rejected"


@dataclass(frozen=True)
class MentionMatches:
    mention: "ContactPerson"
    known: Known | None
    candidates: list[MatchCandidate]


def known_to_hub(person: Person, *, excluding: "Contact") -> Known:
    mentions = (
        person.mentions.exclude(contact=excluding)
        .select_related("contact")
        .order_by("-contact__received_at")
    )
    contacts = {str(m.contact_id): m.contact for m in mentions}
    outcomes = contact_outcomes(list(contacts))
    prior = []
    for cid, contact in contacts.items():
        outcome = outcomes.get(cid)
        referral = outcome is not None and outcome.national_code in REFERRAL_OUTCOMES
        prior.append(
            PriorContact(
                contact_id=cid,
                reference=contact.reference,
                received_at=contact.received_at,
                outcome=outcome.label if outcome else contact.get_stage_display(),
                was_referral=referral,
            )
        )
    year_before = excluding.received_at - timedelta(days=365)
    re_referral = any(
        p.was_referral and year_before <= p.received_at < excluding.received_at for p in prior
    )
    return Known(prior_contacts=prior, re_referral=re_referral)


def _person_label(person: Person) -> str:
    name = f"{person.given_name} {person.family_name}".strip() or "Name not known"
    born = f", born {person.date_of_birth:%-d %B %Y}" if person.date_of_birth else ""
    return name + born


def _withheld_address(record: PersonRecord) -> PersonRecord:
    return replace(record, address_line_1="", address_line_2="", town="", postcode="")


def mention_record_seen_by(
    mention: "ContactPerson", *, sees_confidential_address: bool
) -> PersonRecord:
    """The mention as a matching query, holding only what the viewer may see of it: a score
    is shown to them, so it must carry nothing of a field withheld from them (otherwise
    indexed rows that differ only in that field would tell it them: an oracle)."""
    record = _mention_record(mention)
    if mention.address_confidential and not sees_confidential_address:
        return _withheld_address(record)
    return record


def mention_record_for_researcher(mention: "ContactPerson") -> PersonRecord:
    """Exactly what an agency's researcher is shown of a person to search for
    (`enquiries.selectors.people_to_search`): names, aliases, date of birth, sex, the address
    unless it is confidential, NHS number and UPN. The scores on their request page are
    computed on this alone."""
    return mention_record_seen_by(mention, sees_confidential_address=False)


def contact_matches(user: "User", contact: "Contact") -> list[MentionMatches]:
    """For each person named in the contact, ranked possible matches among the hub's persons
    and every agency's index, with the reasons. Logged as a read (combination of records).
    Scored only on what this user may see of each person (a confidential address only for
    those allowed to read it)."""
    hub = contact.hub
    index = index_for(hub)
    sees_address = can_see_confidential_address(user)
    results = []
    mentions = list(contact.people.select_related("person"))
    reviews = {
        (r.contact_person_id, r.candidate_key): r.decision
        for r in MatchReview.objects.filter(contact_person__in=mentions)
    }
    for mention in mentions:
        own = f"{PERSON}:{mention.person_id}" if mention.person_id else ""
        query = mention_record_seen_by(mention, sees_confidential_address=sees_address)
        found = index.query(query, limit=12, min_probability=SUGGEST_PROBABILITY)
        found = [c for c in found if c.record_id != own]
        person_ids = [
            split_key(c.record_id)[1] for c in found if split_key(c.record_id)[0] == PERSON
        ]
        agency_ids = [
            split_key(c.record_id)[1] for c in found if split_key(c.record_id)[0] == AGENCY
        ]
        persons = {str(p.pk): p for p in Person.objects.filter(pk__in=person_ids, hub=hub)}
        records = {
            str(r.pk): r
            for r in AgencyIndexRecord.objects.filter(
                pk__in=agency_ids, agency__hub=hub
            ).select_related("agency")
        }
        candidates = []
        for c in found:
            kind, pk = split_key(c.record_id)
            review = reviews.get((mention.pk, c.record_id), "")
            if kind == PERSON and pk in persons:
                person = persons[pk]
                candidates.append(
                    MatchCandidate(
                        key=c.record_id,
                        kind=kind,
                        probability=c.probability,
                        explanation=c.explanation,
                        label=_person_label(person),
                        agency=None,
                        known=known_to_hub(person, excluding=contact),
                        review=review,
                    )
                )
            elif kind == AGENCY and pk in records:
                record = records[pk]
                candidates.append(
                    MatchCandidate(
                        key=c.record_id,
                        kind=kind,
                        probability=c.probability,
                        explanation=c.explanation,
                        label=record.agency.name,
                        agency=record.agency,
                        known=None,
                        review=review,
                    )
                )
        known = known_to_hub(mention.person, excluding=contact) if mention.person else None
        results.append(MentionMatches(mention=mention, known=known, candidates=candidates))
    with transaction.atomic():
        audit_record(
            actor=user,
            verb=AuditVerb.MATCHES_VIEWED,
            target=contact,
            hub_id=hub.pk,
            contact_id=contact.pk,
            changes={"candidates": sum(len(r.candidates) for r in results)},
        )
    return results


def agencies_suggested(matches: list[MentionMatches]) -> dict[str, float]:
    """Agencies whose index holds a likely (or confirmed) match: agency id -> best probability."""
    best: dict[str, float] = {}
    for mention in matches:
        for c in mention.candidates:
            if c.kind != AGENCY or c.agency is None or c.review == ReviewDecision.REJECTED:
                continue
            if c.probability >= AGENCY_SUGGESTION_PROBABILITY or c.review:
                agency_id = str(c.agency.pk)
                best[agency_id] = max(best.get(agency_id, 0.0), c.probability)
    return best


@dataclass(frozen=True)
class OwnRecordMatch:
    record: AgencyIndexRecord
    probability: float
    mention_name: str


def agency_records_matching(request_contact: "Contact", agency: Agency) -> list[OwnRecordMatch]:
    """For an agency's researcher: which of their OWN index records match the people named.

    Scored only on what the researcher is shown of each person (never a confidential
    address), and only against their own agency's records (others' records are left out
    before ranking, so they cannot push one off the list): the likelihoods are then a
    function of what the researcher already knows, and uploading rows that differ only in a
    withheld field tells them nothing."""
    index = index_for(request_contact.hub)
    out = []
    for mention in request_contact.people.all():
        query = mention_record_for_researcher(mention)
        pks = [pk for kind, pk in map(split_key, index.candidate_ids(query)) if kind == AGENCY]
        own = {
            str(r.pk): r
            for r in AgencyIndexRecord.objects.filter(pk__in=pks, agency=agency).select_related(
                "agency"
            )
        }
        if not own:
            continue
        keys = {f"{AGENCY}:{pk}" for pk in own}
        for c in index.query(
            query, limit=10, min_probability=SUGGEST_PROBABILITY, keep=keys.__contains__
        ):
            out.append(
                OwnRecordMatch(own[split_key(c.record_id)[1]], c.probability, mention.full_name)
            )
    return sorted(out, key=lambda m: -m.probability)


@dataclass(frozen=True)
class PossibleDuplicate:
    first: Person
    second: Person
    probability: float
    explanation: tuple[FieldExplanation, ...]


def possible_duplicates(hub: Hub, *, limit: int = 100) -> list[PossibleDuplicate]:
    """Pairs of hub persons that may be one person (below the automatic-link level)."""
    index = index_for(hub)
    pairs: dict[tuple[str, str], PossibleDuplicate] = {}
    persons = {str(p.pk): p for p in Person.objects.filter(hub=hub, merged_into__isnull=True)}
    # A practitioner who said "different person" has settled that pair.
    settled = {
        tuple(sorted((str(person_id), split_key(key)[1])))
        for person_id, key in MatchReview.objects.filter(
            decision=ReviewDecision.REJECTED,
            candidate_key__startswith=f"{PERSON}:",
            contact_person__contact__hub=hub,
        ).values_list("contact_person__person_id", "candidate_key")
        if person_id is not None
    }
    for pk, person in persons.items():
        for c in index.query(
            record_for_person(person), limit=5, min_probability=SUGGEST_PROBABILITY
        ):
            kind, other = split_key(c.record_id)
            if kind != PERSON or other == pk or other not in persons:
                continue
            key = (min(pk, other), max(pk, other))
            if key not in pairs and key not in settled:
                pairs[key] = PossibleDuplicate(
                    persons[key[0]], persons[key[1]], c.probability, c.explanation
                )
    ranked = sorted(pairs.values(), key=lambda d: -d.probability)
    return ranked[:limit]


def date_or_none(value: date | None) -> str:
    return value.isoformat() if value else ""


__all__ = [
    "AUTO_LINK_PROBABILITY",
    "contact_matches",
    "agencies_suggested",
    "agency_records_matching",
    "possible_duplicates",
    "known_to_hub",
]


def possible_duplicates_read(user: "User", hub: Hub) -> list[PossibleDuplicate]:
    """The possible-duplicates list as a page or the API shows it, with its consultation log:
    the persons of the pairs shown, as any other list read (the caller checked PERSON_MERGE)."""
    pairs = possible_duplicates(hub)
    shown = {str(p.pk): p for d in pairs for p in (d.first, d.second)}
    audit_list_read(actor=user, kind="persons", objects=list(shown.values()))
    return pairs


def person_merges_read(user: "User", hub: Hub, *, limit: int = 50) -> list[PersonMerge]:
    """The hub's latest merges (each names two persons), logged as a list read."""
    merges = list(
        PersonMerge.objects.filter(into__hub=hub).select_related("merged", "into", "merged_by")[
            :limit
        ]
    )
    audit_list_read(actor=user, kind="person_merges", objects=merges)
    return merges
