"""About 200 demo contacts at every stage, generated from a fixed seed and driven through the
real services (so the audit trail, ledger and deadlines are what a hub would really see)."""

import heapq
import random
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from unittest import mock

from django.test import override_settings
from django.utils import timezone
from faker import Faker

from openmash.accounts.models import User
from openmash.contacts.models import Channel, Contact, FamilyAwareness, PersonKind, PersonRole
from openmash.contacts.services import ContactInput, PersonInput, contact_create
from openmash.core.identifiers import upn_check_letter
from openmash.core.standards import CONCERN_CATEGORIES, ETHNICITIES
from openmash.decisions.models import ScreeningOutcome
from openmash.decisions.services import (
    ActionInput,
    decision_propose,
    decision_sign_off,
    feedback_send,
    screening_record,
)
from openmash.enquiries.models import Handling, LawfulBasis, ResponseResult
from openmash.enquiries.services import request_answer, requests_create
from openmash.hubs.models import Agency, Hub

from .codes import disabilities_for, primary_need_for

SEED = 20261122
# Disabilities come from their own stream, so the contacts above stay what they always were.
DISABILITY_SEED = SEED + 7


@contextmanager
def clock_at(instant: datetime) -> Iterator[None]:
    """Run services as if it were `instant`, so the demo has a believable history."""
    with mock.patch("django.utils.timezone.now", return_value=instant):
        yield


def valid_nhs_number(rng: random.Random) -> str:
    while True:
        digits = [rng.randint(0, 9) for _ in range(9)]
        check = 11 - sum(d * w for d, w in zip(digits, range(10, 1, -1), strict=True)) % 11
        check = 0 if check == 11 else check
        if check != 10:
            return "".join(map(str, digits)) + str(check)


def valid_upn(rng: random.Random) -> str:
    body = "".join(str(rng.randint(0, 9)) for _ in range(12))
    return upn_check_letter(body) + body


@dataclass(order=True)
class Step:
    at: datetime
    order: int
    run: Callable[[], None] = field(compare=False)


NARRATIVES = [
    "{child} arrived at school with a bruise on the left cheek and said that {adult} 'got "
    "angry last night'. {child} was reluctant to go home at the end of the day.",
    "Police attended a domestic incident at the home address overnight. {child} was present "
    "and was heard crying upstairs. {adult} was arrested and later released on bail.",
    "{child} has missed 40% of sessions this term and appears hungry and unkempt. Attempts to "
    "reach {adult} by phone and letter have not been answered.",
    "Health visitor is concerned that {adult} appears low in mood and is struggling to care "
    "for {child}, who has missed two developmental reviews.",
    "{child} disclosed to a teaching assistant that an older boy gives them money to carry "
    "packages for him after school. {child} has new expensive trainers and a second phone.",
    "Neighbour reports frequent shouting and {child} being left alone in the flat for long "
    "periods in the evening.",
    "{child} was seen in A&E with a fracture to the wrist; the explanation given by {adult} "
    "does not match the injury.",
]


def _person(
    fake: Faker,
    rng: random.Random,
    *,
    role: str,
    kind: str,
    relationship: str,
    family_name: str,
    address: tuple[str, str, str],
    today: date,
    confidential: bool,
) -> PersonInput:
    if kind == PersonKind.UNBORN:
        return PersonInput(
            role=role,
            kind=kind,
            family_name=family_name,
            expected_date_of_birth=today + timedelta(days=rng.randint(20, 200)),
            address_line_1=address[0],
            town=address[1],
            postcode=address[2],
            address_confidential=confidential,
        )
    sex = rng.choice(["M", "F"])
    given = fake.first_name_male() if sex == "M" else fake.first_name_female()
    if kind == PersonKind.CHILD:
        dob = today - timedelta(days=rng.randint(60, 17 * 365))
    else:
        dob = today - timedelta(days=rng.randint(19 * 365, 55 * 365))
    return PersonInput(
        role=role,
        kind=kind,
        relationship=relationship,
        given_name=given,
        family_name=family_name,
        date_of_birth=dob,
        sex=sex,
        ethnicity=rng.choices(list(ETHNICITIES), weights=[40] + [3] * 19)[0],
        address_line_1=address[0],
        town=address[1],
        postcode=address[2],
        address_confidential=confidential,
        nhs_number=valid_nhs_number(rng) if rng.random() < 0.7 else "",
        upn=valid_upn(rng) if kind == PersonKind.CHILD and rng.random() < 0.5 else "",
    )


def demo_contacts_generate(hub: Hub, *, count: int = 200, now: datetime | None = None) -> int:
    """Generate `count` contacts spread over the last ten weeks; returns how many were made."""
    if Contact.objects.filter(hub=hub).exists():
        return 0
    rng = random.Random(SEED)
    disability_rng = random.Random(DISABILITY_SEED)
    fake = Faker("en_GB")
    fake.seed_instance(SEED)
    now = now or timezone.now()
    users = {u.username: u for u in User.objects.filter(agency__hub=hub)}
    practitioner, manager = users["demo.practitioner"], users["demo.manager"]
    referrer = users["demo.referrer"]
    researchers = {u.agency.code: u for u in users.values() if "researcher" in u.roles and u.agency}
    agencies = {a.code: a for a in Agency.objects.filter(hub=hub)}
    steps: list[Step] = []
    counter = 0

    def schedule(at: datetime, run: Callable[[], None]) -> None:
        nonlocal counter
        counter += 1
        heapq.heappush(steps, Step(at, counter, run))

    for index in range(count):
        # Half arrived in the last few working days, so every queue has work in it.
        age_hours = rng.expovariate(1 / 300) if index % 2 else rng.uniform(0, 50)
        received = now - timedelta(hours=min(age_hours, 1600), minutes=rng.randint(0, 59))
        today = timezone.localdate(received)
        family = fake.last_name()
        address = (fake.street_address().split("\n")[0], fake.city(), fake.postcode())
        confidential = rng.random() < 0.08
        kind = PersonKind.UNBORN if rng.random() < 0.04 else PersonKind.CHILD
        people = [
            _person(
                fake,
                rng,
                role=PersonRole.SUBJECT,
                kind=kind,
                relationship="",
                family_name=family,
                address=address,
                today=today,
                confidential=confidential,
            )
        ]
        if rng.random() < 0.3:
            people.append(
                _person(
                    fake,
                    rng,
                    role=PersonRole.SUBJECT,
                    kind=PersonKind.CHILD,
                    relationship="",
                    family_name=family,
                    address=address,
                    today=today,
                    confidential=confidential,
                )
            )
        people.append(
            _person(
                fake,
                rng,
                role=PersonRole.HOUSEHOLD,
                kind=PersonKind.ADULT,
                relationship="parent",
                family_name=family,
                address=address,
                today=today,
                confidential=confidential,
            )
        )
        if rng.random() < 0.35:
            people.append(
                _person(
                    fake,
                    rng,
                    role=PersonRole.HOUSEHOLD,
                    kind=PersonKind.ADULT,
                    relationship=rng.choice(["partner", "alleged_perpetrator"]),
                    family_name=fake.last_name(),
                    address=address,
                    today=today,
                    confidential=False,
                )
            )
        for person in people:
            if person.kind == PersonKind.CHILD:
                person.disabilities = disabilities_for(disability_rng)
        child_name = people[0].given_name or "the unborn baby"
        adult_name = people[-1].given_name
        by_school = rng.random() < 0.25
        awareness = rng.choice(list(FamilyAwareness.values))
        data = ContactInput(
            channel=rng.choice(
                [Channel.PHONE, Channel.EMAIL, Channel.POLICE_NOTIFICATION, Channel.ONLINE_FORM]
            ),
            referrer_name=fake.name(),
            referrer_role=rng.choice(
                ["Teacher", "Health visitor", "PC", "GP", "Neighbour", "Grandparent"]
            ),
            referrer_organisation=rng.choice(["", "Northshire Police", "Riverside GP Practice"]),
            referrer_email=fake.free_email(),
            referrer_phone=fake.phone_number(),
            source_code=rng.choice(["6", "6", "2A", "3A", "3B", "1A", "1B", "5D", "4", "8"]),
            concern_categories=rng.sample(sorted(CONCERN_CATEGORIES), k=rng.randint(1, 3)),
            concern_narrative=rng.choice(NARRATIVES).format(child=child_name, adult=adult_name),
            immediate_risk=rng.random() < 0.07,
            family_awareness=awareness,
            no_consent_reason=""
            if awareness == FamilyAwareness.AWARE_CONSENTED
            else "Telling the family could place the child at greater risk.",
            action_taken="Spoke to the child; informed the designated safeguarding lead.",
            people=people,
            received_at=None if by_school else received,
        )
        _plan_journey(
            rng,
            schedule,
            data,
            received=received,
            now=now,
            creator=referrer if by_school else practitioner,
            practitioner=practitioner,
            manager=manager,
            researchers=researchers,
            agencies=agencies,
        )

    # Demo referrers' addresses are fictional: their feedback e-mails are "sent" at once, into
    # memory, rather than queued for the worker to print.
    with override_settings(
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        TASKS={"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}},
    ):
        while steps:
            step = heapq.heappop(steps)
            with clock_at(step.at):
                step.run()
    return Contact.objects.filter(hub=hub).count()


@dataclass
class _Timeline:
    """One contact's plan: each step a little after the last; none after `now`."""

    rng: random.Random
    schedule: Callable[[datetime, Callable[[], None]], None]
    now: datetime
    t: datetime

    def later(self, low: float, high: float) -> datetime:
        self.t = self.t + timedelta(hours=self.rng.uniform(low, high))
        return self.t

    def add(self, at: datetime, run: Callable[[], None]) -> bool:
        if at > self.now:
            return False
        self.schedule(at, run)
        return True


def _plan_journey(
    rng: random.Random,
    schedule: Callable[[datetime, Callable[[], None]], None],
    data: ContactInput,
    *,
    received: datetime,
    now: datetime,
    creator: User,
    practitioner: User,
    manager: User,
    researchers: dict[str, User],
    agencies: dict[str, Agency],
) -> None:
    """Plan each step at a believable time; steps that would fall after `now` do not happen,
    which leaves contacts at every stage. The random draws keep a fixed order (the demo is the
    same from the same seed)."""
    holder: dict[str, Contact] = {}
    plan = _Timeline(rng=rng, schedule=schedule, now=now, t=received)
    if not plan.add(received, _create(holder, creator, data)):
        return
    rag = rng.choices(["red", "amber", "green"], weights=[1, 3, 3])[0]
    level = {"red": 4, "amber": 3, "green": rng.choice([2, 3])}[rag]
    outcome = rng.choices(
        [
            ScreeningOutcome.MASH_ENQUIRY,
            ScreeningOutcome.NFA,
            ScreeningOutcome.EARLY_HELP,
            ScreeningOutcome.ADVICE,
        ],
        weights=[6, 1, 2, 1],
    )[0]
    screen = _screen(holder, practitioner, outcome=outcome, level=level, rag=rag)
    if not plan.add(plan.later(0.5, 10 if rag != "red" else 2), screen):
        return
    if outcome == ScreeningOutcome.MASH_ENQUIRY and not _plan_enquiry(
        plan, holder, rag, practitioner=practitioner, researchers=researchers, agencies=agencies
    ):
        return
    outcome_code = {
        ScreeningOutcome.NFA: "nfa",
        ScreeningOutcome.ADVICE: "advice",
        ScreeningOutcome.EARLY_HELP: "early_help",
    }.get(outcome, rng.choice(["s17", "s47", "early_help", "nfa", "advice"]))
    propose = _propose(holder, practitioner, data, agencies, outcome_code=outcome_code, level=level)
    if not plan.add(plan.later(1, 8), propose):
        return
    if not plan.add(plan.later(0.5, 6), _sign_off(holder, manager)):
        return
    if rng.random() < 0.9:  # a few are left awaiting feedback, as in real hubs
        plan.add(plan.later(0.5, 20), _send_feedback(holder, practitioner))


def _plan_enquiry(
    plan: _Timeline,
    holder: dict[str, Contact],
    rag: str,
    *,
    practitioner: User,
    researchers: dict[str, User],
    agencies: dict[str, Agency],
) -> bool:
    """Ask some agencies, each answering in its own time; whether the journey goes on."""
    rng = plan.rng
    asked = [code for code in ("police", "health", "education") if rng.random() < 0.8]
    asked = asked or ["police"]
    if not plan.add(plan.later(0.1, 1), _ask(holder, practitioner, agencies, asked)):
        return False
    ask_time = plan.t
    answer_times = []
    for code in asked:
        at = ask_time + timedelta(hours=rng.uniform(0.5, 40 if rag == "green" else 20))
        answer_times.append(at)
        plan.add(at, _answer(rng, holder, researchers[code], agencies[code]))
    plan.t = max(answer_times)
    return plan.t <= plan.now


def _create(holder: dict[str, Contact], creator: User, data: ContactInput) -> Callable[[], None]:
    def run() -> None:
        holder["contact"] = contact_create(actor=creator, data=data)

    return run


def _screen(
    holder: dict[str, Contact], practitioner: User, *, outcome: str, level: int, rag: str
) -> Callable[[], None]:
    def run() -> None:
        screening_record(
            actor=practitioner,
            contact=_fresh(holder),
            outcome=outcome,
            level_of_need=level,
            rag=rag,
            rationale=f"Level {level} on the threshold document; {rag} because "
            "of the information in the contact.",
        )

    return run


def _ask(
    holder: dict[str, Contact], practitioner: User, agencies: dict[str, Agency], asked: list[str]
) -> Callable[[], None]:
    def run() -> None:
        requests_create(
            actor=practitioner,
            contact=_fresh(holder),
            agency_ids=[str(agencies[c].pk) for c in asked],
            question="Please share what your agency knows about this family.",
        )

    return run


def _propose(
    holder: dict[str, Contact],
    practitioner: User,
    data: ContactInput,
    agencies: dict[str, Agency],
    *,
    outcome_code: str,
    level: int,
) -> Callable[[], None]:
    def run() -> None:
        contact = _fresh(holder)
        actions = []
        if outcome_code in ("s17", "s47", "early_help"):
            actions.append(
                ActionInput(
                    owner_agency_id=str(agencies["mash"].pk),
                    description="Allocate to an assessment team",
                    due_date=timezone.localdate() + timedelta(days=2),
                )
            )
        decision_propose(
            actor=practitioner,
            contact=contact,
            outcome_code=outcome_code,
            level_of_need=level,
            actions=actions,
            rationale="Considered the contact, the agency checks and the "
            "threshold document together.",
            childs_voice="The child said they feel safe at school.",
            primary_need_code=primary_need_for(data.concern_categories)
            if outcome_code in ("s17", "s47")
            else "",
        )

    return run


def _sign_off(holder: dict[str, Contact], manager: User) -> Callable[[], None]:
    def run() -> None:
        contact = _fresh(holder)
        decision = contact.decisions.get(status="proposed")
        decision_sign_off(actor=manager, decision=decision, note="Agreed.")

    return run


def _send_feedback(holder: dict[str, Contact], practitioner: User) -> Callable[[], None]:
    def run() -> None:
        feedback_send(actor=practitioner, contact=_fresh(holder))

    return run


def _fresh(holder: dict[str, Contact]) -> Contact:
    return Contact.objects.get(pk=holder["contact"].pk)


def _answer(
    rng: random.Random, holder: dict[str, Contact], researcher: User, agency: Agency
) -> Callable[[], None]:
    def run() -> None:
        contact = _fresh(holder)
        request = contact.requests.get(agency=agency, status="open")
        result = rng.choices(list(ResponseResult.values), weights=[5, 4, 1])[0]
        request_answer(
            actor=researcher,
            request=request,
            result=result,
            information=f"{agency.name} holds records on the family: two previous incidents "
            "in the last year, no current involvement."
            if result == ResponseResult.KNOWN
            else "",
            not_checked_reason="System unavailable during the enquiry window."
            if result == ResponseResult.NOT_CHECKED
            else "",
            handling=rng.choice(list(Handling.values)) if result == ResponseResult.KNOWN else "",
            lawful_basis=(
                LawfulBasis.LAW_ENFORCEMENT
                if agency.code == "police"
                else LawfulBasis.PUBLIC_TASK_SAFEGUARDING
            )
            if result != ResponseResult.NOT_CHECKED
            else "",
        )

    return run
