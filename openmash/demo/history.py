"""A year and a half of closed demo contacts before the recent ones (1 April 2024 to about
ten weeks ago), so that returns such as the CIN census for 2024-25 and a before/after
evaluation have something real to show. Driven through the real services with the clock
patched, like `demo.contacts`, from its own seed (the recent contacts are not disturbed).

A change of practice on 1 April 2025: decisions come noticeably faster afterwards (level 3
from about 2.5 to 1.25 working days, level 2 from 4.5 to 2.5), in the spirit of the London
MASH study. Some children are contacted again, so re-contacts and re-referrals exist; most
referrals have their assessment, section 47 enquiry and closure recorded."""

import heapq
import random
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db import connection
from django.test import override_settings
from django.utils import timezone
from faker import Faker

from openmash.accounts.models import User
from openmash.contacts.models import Channel, Contact, FamilyAwareness, PersonKind, PersonRole
from openmash.contacts.services import ContactInput, PersonInput, contact_create
from openmash.core.standards import CONCERN_CATEGORIES, ETHNICITIES
from openmash.decisions.models import ScreeningOutcome
from openmash.decisions.services import (
    ActionInput,
    ReferralProgressInput,
    assessment_factors_default,
    decision_propose,
    decision_sign_off,
    feedback_send,
    referral_progress_record,
    screening_record,
)
from openmash.enquiries.models import LawfulBasis, ResponseResult
from openmash.enquiries.services import request_answer, requests_create
from openmash.hubs.models import Agency, Hub

from .codes import disabilities_for, primary_need_for, school_upn
from .contacts import NARRATIVES, Step, clock_at, valid_nhs_number

SEED = 20240401
HISTORY_START = date(2024, 4, 1)
PRACTICE_CHANGE = date(2025, 4, 1)
HISTORY_GAP = timedelta(days=70)  # the recent demo contacts cover the last ~67 days
DEFAULT_COUNT = 720

# Mean working days from contact to signed decision, by level of need: before and after the
# change of practice.
TURNAROUND = {4: (0.6, 0.3), 3: (2.5, 1.25), 2: (4.5, 2.5)}
DAY_START, DAY_HOURS = time(9, 0), 8

SOURCES = (
    ["6"] * 30
    + ["2A"] * 16
    + ["2B"] * 2
    + ["3A"] * 4
    + ["3B"] * 4
    + ["3E"] * 4
    + ["3F"] * 2
    + ["1A"] * 6
    + ["1B"] * 3
    + ["1C"] * 1
    + ["1D"] * 1
    + ["4"] * 3
    + ["5A", "5B", "5C", "5D"] * 2
    + ["7"] * 3
    + ["8"] * 5
    + ["9"] * 2
    + ["10"]
)


@contextmanager
def fast_commits() -> Iterator[None]:
    """Commit without waiting for the disk while the demo is generated: thousands of small
    service transactions, each otherwise an fsync (a crash only loses demo data, and the
    loader can be run again on a fresh database)."""
    # Inside a transaction (a test) nothing is committed until the end anyway.
    vendor = "" if connection.in_atomic_block else connection.vendor
    with connection.cursor() as cursor:
        if vendor == "sqlite":
            cursor.execute("PRAGMA synchronous")
            previous = cursor.fetchone()[0]
            cursor.execute("PRAGMA synchronous = OFF")
        elif vendor == "postgresql":
            cursor.execute("SET synchronous_commit TO OFF")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            if vendor == "sqlite":
                cursor.execute(f"PRAGMA synchronous = {int(previous)}")
            elif vendor == "postgresql":
                cursor.execute("SET synchronous_commit TO DEFAULT")


def add_working(start: datetime, days: float) -> datetime:
    """`days` working days after `start` (09:00-17:00, Monday to Friday)."""
    at = timezone.localtime(start)
    hours = days * DAY_HOURS
    while hours > 0:
        opening = at.replace(hour=DAY_START.hour, minute=0, second=0, microsecond=0)
        closing = opening + timedelta(hours=DAY_HOURS)
        if at.weekday() >= 5 or at >= closing:
            at = _next_opening(at)
            continue
        at = max(at, opening)
        available = (closing - at).total_seconds() / 3600
        if hours <= available:
            return at + timedelta(hours=hours)
        hours -= available
        at = _next_opening(at)
    return at


def _next_opening(at: datetime) -> datetime:
    day = at.date() + timedelta(days=1)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return timezone.make_aware(datetime.combine(day, DAY_START))


def _working_day(day: date, offset: int) -> date:
    while offset > 0 or day.weekday() >= 5:
        day += timedelta(days=1)
        if day.weekday() < 5:
            offset -= 1
    return day


@dataclass
class Child:
    person: PersonInput
    parent: PersonInput


def demo_history_generate(
    hub: Hub, *, count: int = DEFAULT_COUNT, now: datetime | None = None
) -> int:
    """Generate `count` closed contacts from 1 April 2024 to about ten weeks before `now`;
    returns how many were made (0 when the history is already there)."""
    now = now or timezone.now()
    end = now - HISTORY_GAP
    older = Contact.objects.filter(hub=hub, received_at__lt=end + timedelta(days=2))
    if count <= 0 or older.exists():
        return 0
    rng = random.Random(SEED)
    fake = Faker("en_GB")
    fake.seed_instance(SEED)
    users = {u.username: u for u in User.objects.filter(agency__hub=hub)}
    practitioner, manager = users["demo.practitioner"], users["demo.manager"]
    researchers = {u.agency.code: u for u in users.values() if "researcher" in u.roles and u.agency}
    agencies = {a.code: a for a in Agency.objects.filter(hub=hub)}
    days = []
    day = HISTORY_START
    while day < timezone.localdate(end):
        if day.weekday() < 5:
            days.append(day)
        day += timedelta(days=1)
    steps: list[Step] = []
    counter = 0

    def schedule(at: datetime, run: Callable[[], None]) -> None:
        nonlocal counter
        if at > now:
            return
        counter += 1
        heapq.heappush(steps, Step(at, counter, run))

    children: list[tuple[date, Child]] = []
    for index in range(count):
        day = days[int(index * len(days) / count)]
        received = timezone.make_aware(
            datetime.combine(day, DAY_START) + timedelta(minutes=rng.randint(0, 7 * 60))
        )
        # About one contact in six is about a child the hub has seen in the last year.
        recent = [c for seen, c in children if (day - seen).days < 330]
        if recent and rng.random() < 0.17:
            child = rng.choice(recent)
        else:
            child = _new_child(fake, rng, day)
        children.append((day, child))
        _plan(
            rng,
            fake,
            schedule,
            child,
            received=received,
            practitioner=practitioner,
            manager=manager,
            researchers=researchers,
            agencies=agencies,
            last_day=timezone.localdate(now) - timedelta(days=1),
        )
    with override_settings(
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        TASKS={"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}},
    ):
        while steps:
            step = heapq.heappop(steps)
            with clock_at(step.at):
                step.run()
    return older.count()


def _new_child(fake: Faker, rng: random.Random, day: date) -> Child:
    family = fake.last_name()
    address = (fake.street_address().split("\n")[0], fake.city(), fake.postcode())
    sex = rng.choice(["M", "F"])
    age_days = rng.randint(30, 17 * 365)
    born = day - timedelta(days=age_days)
    person = PersonInput(
        role=PersonRole.SUBJECT,
        kind=PersonKind.CHILD,
        given_name=fake.first_name_male() if sex == "M" else fake.first_name_female(),
        family_name=family,
        date_of_birth=born,
        sex=sex,
        ethnicity=rng.choices(list(ETHNICITIES)[:18], weights=[40] + [3] * 17)[0],
        address_line_1=address[0],
        town=address[1],
        postcode=address[2],
        nhs_number=valid_nhs_number(rng),
        # School-age children have a UPN (the census asks why when one is missing).
        upn=school_upn(rng) if age_days >= 4 * 365 else "",
        disabilities=disabilities_for(rng),
    )
    parent_sex = rng.choice(["M", "F"])
    parent = PersonInput(
        role=PersonRole.HOUSEHOLD,
        kind=PersonKind.ADULT,
        relationship="parent",
        given_name=fake.first_name_male() if parent_sex == "M" else fake.first_name_female(),
        family_name=family,
        date_of_birth=day - timedelta(days=rng.randint(20 * 365, 50 * 365)),
        sex=parent_sex,
        address_line_1=address[0],
        town=address[1],
        postcode=address[2],
    )
    return Child(person, parent)


def _plan(
    rng: random.Random,
    fake: Faker,
    schedule: Callable[[datetime, Callable[[], None]], None],
    child: Child,
    *,
    received: datetime,
    practitioner: User,
    manager: User,
    researchers: dict[str, User],
    agencies: dict[str, Agency],
    last_day: date,
) -> None:
    holder: dict[str, Contact] = {}
    concerns = rng.sample(sorted(CONCERN_CATEGORIES), k=rng.randint(1, 3))
    awareness = rng.choice(list(FamilyAwareness.values))
    data = ContactInput(
        channel=rng.choice([Channel.PHONE, Channel.EMAIL, Channel.POLICE_NOTIFICATION]),
        referrer_name=fake.name(),
        referrer_role=rng.choice(["Teacher", "Health visitor", "PC", "GP", "Neighbour"]),
        referrer_email=fake.free_email(),
        source_code=rng.choice(SOURCES),
        concern_categories=concerns,
        concern_narrative=rng.choice(NARRATIVES).format(
            child=child.person.given_name, adult=child.parent.given_name
        ),
        immediate_risk=rng.random() < 0.05,
        family_awareness=awareness,
        no_consent_reason=""
        if awareness == FamilyAwareness.AWARE_CONSENTED
        else "Telling the family could place the child at greater risk.",
        action_taken="Spoke to the child; informed the designated safeguarding lead.",
        people=[child.person, child.parent],
        received_at=received,
    )
    rag = rng.choices(["red", "amber", "green"], weights=[1, 4, 4])[0]
    level = {"red": 4, "amber": 3, "green": rng.choice([2, 2, 3])}[rag]
    screening = rng.choices(
        [
            ScreeningOutcome.MASH_ENQUIRY,
            ScreeningOutcome.NFA,
            ScreeningOutcome.EARLY_HELP,
            ScreeningOutcome.ADVICE,
        ],
        weights=[12, 1, 3, 2] if level < 4 else [1, 0, 0, 0],
    )[0]
    outcome = {
        ScreeningOutcome.NFA: "nfa",
        ScreeningOutcome.ADVICE: "advice",
        ScreeningOutcome.EARLY_HELP: "early_help",
    }.get(screening) or rng.choices(
        ["s47", "s17", "early_help", "advice", "nfa"],
        weights={4: [7, 3, 0, 0, 0], 3: [1, 5, 3, 1, 1], 2: [0, 1, 5, 3, 2]}[level],
    )[0]
    before, after = TURNAROUND[level]
    mean = before if received.date() < PRACTICE_CHANGE else after
    total = max(0.08, rng.gammavariate(4, mean / 4))

    def at(fraction: float) -> datetime:
        return add_working(received, total * fraction)

    def create() -> None:
        holder["contact"] = contact_create(actor=practitioner, data=data)

    schedule(received, create)

    def screen() -> None:
        screening_record(
            actor=practitioner,
            contact=_fresh(holder),
            outcome=screening,
            level_of_need=level,
            rag=rag,
            rationale=f"Level {level} on the threshold document; {rag} on what the contact says.",
        )

    schedule(at(0.15), screen)
    if screening == ScreeningOutcome.MASH_ENQUIRY:
        asked = [code for code in ("police", "health", "education") if rng.random() < 0.7]
        asked = asked or ["police"]

        def ask() -> None:
            requests_create(
                actor=practitioner,
                contact=_fresh(holder),
                agency_ids=[str(agencies[c].pk) for c in asked],
                question="Please share what your agency knows about this family.",
            )

        schedule(at(0.2), ask)
        for code in asked:
            schedule(
                at(rng.uniform(0.3, 0.75)), _answer(rng, holder, researchers[code], agencies[code])
            )

    def propose() -> None:
        actions = []
        if outcome in ("s17", "s47", "early_help"):
            actions.append(
                ActionInput(
                    owner_agency_id=str(agencies["mash"].pk),
                    description="Allocate to an assessment team"
                    if outcome != "early_help"
                    else "Refer to the early help hub",
                    due_date=timezone.localdate() + timedelta(days=2),
                )
            )
        decision_propose(
            actor=practitioner,
            contact=_fresh(holder),
            outcome_code=outcome,
            level_of_need=level,
            rationale="Considered the contact, the agency checks and the threshold document.",
            childs_voice="The child said they feel safe at school.",
            actions=actions,
            primary_need_code=primary_need_for(concerns) if outcome in ("s17", "s47") else "",
        )

    schedule(at(0.85), propose)
    signed = at(1.0)

    def sign_off() -> None:
        contact = _fresh(holder)
        decision_sign_off(
            actor=manager, decision=contact.decisions.get(status="proposed"), note="Agreed."
        )

    schedule(signed, sign_off)

    def send_feedback() -> None:
        feedback_send(actor=practitioner, contact=_fresh(holder))

    schedule(add_working(signed, rng.uniform(0.05, 0.5)), send_feedback)
    if outcome in ("s17", "s47") and rng.random() < 0.9:
        _plan_progress(rng, schedule, holder, outcome, signed, last_day)


def _plan_progress(
    rng: random.Random,
    schedule: Callable[[datetime, Callable[[], None]], None],
    holder: dict[str, Contact],
    outcome: str,
    signed: datetime,
    last_day: date,
) -> None:
    """Assessment, section 47 enquiry and closure, recorded once when the last of them has
    happened (only what has happened by `last_day`)."""
    data = ReferralProgressInput()
    referred_on = timezone.localdate(signed)
    s47 = outcome == "s47"
    data.assessment_started_on = _working_day(referred_on, rng.randint(0, 3))
    data.assessment_authorised_on = _working_day(data.assessment_started_on, rng.randint(8, 40))
    if s47:
        data.s47_started_on = _working_day(referred_on, rng.randint(0, 1))
        if rng.random() < 0.6:
            data.icpc_on = _working_day(data.s47_started_on, rng.randint(8, 15))
        else:
            data.icpc_not_required = True
    latest = max(d for d in (data.assessment_authorised_on, data.icpc_on) if d is not None)
    roll = rng.random()
    if roll < 0.8:
        data.closed_on = _working_day(latest, rng.randint(1, 60))
        if s47:
            data.closure_reason = "RC7"
        else:
            data.closure_reason = rng.choices(["RC8", "RC9", "RC7", "RC5"], weights=[4, 3, 4, 1])[0]
    # Only what has happened by the end of the history.
    if data.closed_on is not None and data.closed_on > last_day:
        data.closed_on, data.closure_reason = None, ""
    if data.icpc_on is not None and data.icpc_on > last_day:
        data.icpc_on = None
    if data.assessment_authorised_on > last_day:
        data.assessment_authorised_on = None
    if data.assessment_started_on > last_day:
        return
    when = max(
        d
        for d in (
            data.assessment_started_on,
            data.assessment_authorised_on,
            data.icpc_on,
            data.closed_on,
        )
        if d is not None
    )

    def record() -> None:
        contact = _fresh(holder)
        progress = ReferralProgressInput(**vars(data))
        progress.assessment_factors = assessment_factors_default(contact)
        if progress.assessment_authorised_on is None:
            progress.assessment_factors = []
        elif not progress.assessment_factors:
            progress.assessment_factors = (
                ["21"] if progress.closure_reason in ("RC8", "RC9") else ["20"]
            )
        referral_progress_record(actor=holder_user(holder), contact=contact, data=progress)

    recorded = timezone.make_aware(datetime.combine(when, time(16, 30)))
    schedule(max(recorded, signed + timedelta(minutes=30)), record)


def holder_user(holder: dict[str, Contact]) -> User:
    contact = holder["contact"]
    assert contact.recorded_by is not None
    return contact.recorded_by


def _fresh(holder: dict[str, Contact]) -> Contact:
    return Contact.objects.get(pk=holder["contact"].pk)


def _answer(
    rng: random.Random, holder: dict[str, Contact], researcher: User, agency: Agency
) -> Callable[[], None]:
    result = rng.choices(list(ResponseResult.values), weights=[5, 4, 1])[0]

    def run() -> None:
        contact = _fresh(holder)
        request = contact.requests.filter(agency=agency, status="open").first()
        if request is None:
            return
        request_answer(
            actor=researcher,
            request=request,
            result=result,
            information=f"{agency.name} knows the family: one earlier incident, nothing current."
            if result == ResponseResult.KNOWN
            else "",
            not_checked_reason="System unavailable during the enquiry window."
            if result == ResponseResult.NOT_CHECKED
            else "",
            handling="mash_only" if result == ResponseResult.KNOWN else "",
            lawful_basis=(
                LawfulBasis.LAW_ENFORCEMENT
                if agency.code == "police"
                else LawfulBasis.PUBLIC_TASK_SAFEGUARDING
            )
            if result != ResponseResult.NOT_CHECKED
            else "",
        )

    return run
