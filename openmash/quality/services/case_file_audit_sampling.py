"""Drawing case files for case-file audit: the population (contacts decided in the period),
their strata, and the recorded draw. How the draw picks is a pure rule (quality.sampling)."""

import secrets
from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from openmash.access.checks import require_any, require_same_hub
from openmash.access.permissions import Permission
from openmash.audit.models import AuditVerb
from openmash.audit.services import audit_record
from openmash.contacts.models import Contact, JourneyStage
from openmash.core.validation import FieldProblems
from openmash.decisions.models import Decision, DecisionStatus
from openmash.enquiries.models import InformationRequest
from openmash.hubs.models import Hub
from openmash.quality.models import AuditSample, SampledContact, SampleMethod
from openmash.quality.sampling import (
    random_draw,
    sample_size_problem,
    strata_group,
    stratified_draw,
)
from openmash.reporting.metrics import Period

if TYPE_CHECKING:
    from openmash.accounts.models import User

MAX_SAMPLE = 200
NO_AGENCY = "none"


def sample_population(hub: Hub, period_start: date, period_end: date) -> list[Contact]:
    """Case files that can be audited: contacts received in the period (local days) whose
    decision has been made (awaiting feedback, or closed), oldest first."""
    low, high = Period(period_start, period_end).bounds(ZoneInfo(hub.timezone))
    return list(
        Contact.objects.filter(
            hub=hub,
            received_at__gte=low,
            received_at__lt=high,
            stage__in=[JourneyStage.FEEDBACK, JourneyStage.CLOSED],
        ).order_by("received_at", "id")
    )


def _stratum_keys(method: str, contacts: Sequence[Contact]) -> dict[Contact, list[str]]:
    """Each contact's strata under the method (a contact asked of two agencies has two)."""
    ids = [c.pk for c in contacts]
    if method == SampleMethod.RAG:
        return {c: [c.rag or "unrated"] for c in contacts}
    if method == SampleMethod.OUTCOME:
        outcomes = dict(
            Decision.objects.filter(
                contact_id__in=ids, status=DecisionStatus.SIGNED_OFF
            ).values_list("contact_id", "outcome__national_code")
        )
        return {c: [outcomes.get(c.pk) or "undecided"] for c in contacts}
    if method == SampleMethod.AGENCY:
        asked: dict[object, set[str]] = {}
        for contact_id, code in InformationRequest.objects.filter(contact_id__in=ids).values_list(
            "contact_id", "agency__code"
        ):
            asked.setdefault(contact_id, set()).add(code)
        return {c: sorted(asked.get(c.pk, {NO_AGENCY})) for c in contacts}
    return {c: [] for c in contacts}


def sample_strata(method: str, contacts: Sequence[Contact]) -> dict[str, list[Contact]]:
    """Each stratum's contacts, strata in key order."""
    return strata_group(contacts, _stratum_keys(method, contacts))


def sample_choose(
    method: str, contacts: Sequence[Contact], size: int, seed: int
) -> list[tuple[Contact, str]]:
    """The draw itself: the same population, method, size and seed always give the same
    contacts in the same order."""
    if method == SampleMethod.RANDOM:
        return random_draw(contacts, size, seed)
    return stratified_draw(sample_strata(method, contacts), size, seed)


def _request_problems(
    *, hub: Hub, period_start: date, period_end: date, size: int, method: str, seed: int | None
) -> FieldProblems:
    problems = FieldProblems()
    if period_end < period_start:
        problems.add("period_end", "The period must end on or after the day it starts")
    else:
        if period_start > timezone.localdate():
            problems.add("period_start", "The period must start today or in the past")
        if period_end > timezone.localdate(timezone=ZoneInfo(hub.timezone)):
            problems.add("period_end", "The period must end today or in the past")
    if not 1 <= size <= MAX_SAMPLE:
        problems.add("size", f"Enter a sample size from 1 to {MAX_SAMPLE}")
    if method not in SampleMethod.values:
        problems.add("method", "Choose how to draw the sample")
    if seed is not None and not 0 <= seed < 2**53:
        problems.add("seed", "Enter a whole number from 0 to 9,007,199,254,740,991")
    return problems


def _population_problems(method: str, population: Sequence[Contact], size: int) -> FieldProblems:
    problems = FieldProblems()
    if not population:
        problems.add("period_start", "No case files with a decision were received in this period")
        return problems
    strata = None if method == SampleMethod.RANDOM else len(sample_strata(method, population))
    problem = sample_size_problem(size=size, population=len(population), strata=strata)
    if problem:
        problems.add("size", problem)
    return problems


def sample_draw(
    *,
    actor: "User",
    hub: Hub,
    period_start: date,
    period_end: date,
    size: int,
    method: str,
    seed: int | None = None,
) -> AuditSample:
    """Draw case files for case-file audit. Without a seed one is chosen at random and
    recorded, so the draw can be repeated and checked."""
    require_any(actor, Permission.CASE_AUDIT, Permission.QUALITY_MANAGE)
    require_same_hub(actor, hub.pk, "Hub not found")
    _request_problems(
        hub=hub,
        period_start=period_start,
        period_end=period_end,
        size=size,
        method=method,
        seed=seed,
    ).raise_if_any()
    population = sample_population(hub, period_start, period_end)
    _population_problems(method, population, size).raise_if_any()
    seed = secrets.randbelow(2**53) if seed is None else seed
    chosen = sample_choose(method, population, size, seed)
    with transaction.atomic():
        sample = AuditSample.objects.create(
            hub=hub,
            period_start=period_start,
            period_end=period_end,
            size=len(chosen),
            method=method,
            seed=seed,
            population=len(population),
            drawn_by=actor,
            drawn_at=timezone.now(),
        )
        SampledContact.objects.bulk_create(
            SampledContact(sample=sample, contact=c, stratum=key, order=n)
            for n, (c, key) in enumerate(chosen, start=1)
        )
        audit_record(
            actor=actor,
            verb=AuditVerb.CASE_AUDIT_SAMPLED,
            target=sample,
            hub_id=hub.pk,
            changes={
                "method": method,
                "seed": seed,
                "period": [period_start.isoformat(), period_end.isoformat()],
                "contacts": [str(c.pk) for c, _ in chosen],
            },
        )
    return sample
