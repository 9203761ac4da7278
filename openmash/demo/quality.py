"""The demo hub's quality work: audit criteria, three quarterly samples with audits (some
moderated, one grade changed), improvement actions (one overdue), referrers' ratings and
families' feedback over recent months, and a theory of change with four outcomes.

`demo_quality_load(hub)` runs after the contacts and history are loaded. It goes through the
quality services (so every change is audited), dates each step with `clock_at`, and is
deterministic (fixed seeds) and idempotent (nothing happens once the criteria exist)."""

import random
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from openmash.accounts.models import User
from openmash.decisions.models import Feedback
from openmash.hubs.models import Agency, Hub
from openmash.quality.models import (
    AuditCriterion,
    CaseAudit,
    Grade,
    IndicatorSource,
    SampleMethod,
    StepKind,
)
from openmash.quality.services import (
    GradeInput,
    case_audit_moderate,
    case_audit_record,
    change_step_create,
    criterion_save,
    family_feedback_record,
    improvement_action_create,
    improvement_action_set_status,
    indicator_value_record,
    outcome_create,
    rating_invite_issue,
    referrer_rating_record,
    sample_draw,
    sample_population,
)

from .contacts import clock_at

SEED = 20261123
CRITERIA = [
    (
        "threshold",
        "Was the threshold decision right for the child's needs?",
        "Compare the level of need with the hub's thresholds document.",
    ),
    ("voice", "Is the child's voice and lived experience recorded?", ""),
    ("checks", "Were the right agencies asked, and their answers considered?", ""),
    ("timeliness", "Was the contact screened and decided within the RAG timescales?", ""),
    ("rationale", "Is the rationale clear, and does it follow from the information?", ""),
    ("feedback", "Was the referrer told the outcome, clearly and promptly?", ""),
]
# Weighted towards good practice, with a tail that gives the trend something to show.
GRADE_WEIGHTS = [
    (Grade.OUTSTANDING, 2),
    (Grade.GOOD, 5),
    (Grade.REQUIRES_IMPROVEMENT, 3),
    (Grade.INADEQUATE, 1),
]
GRADE_ORDER: list[str] = [g.value for g, _ in GRADE_WEIGHTS]
FINDINGS = [
    "Clear, well-evidenced decision; the child's words are recorded.",
    "Sound decision, but the rationale does not mention the health visitor's answer.",
    "Screening was late against the amber timescale; no reason recorded.",
    "Good multi-agency checks. Feedback to the school was generic.",
    "The child's lived experience is missing; the decision rests on the parent's account.",
]
FAMILY_COMMENTS = [
    "The social worker explained everything and rang when she said she would.",
    "I did not know why you were calling at first.",
    "It felt like someone finally listened.",
    "It took a long time to hear anything back.",
    "",
    "",
]


def _at(day: date, hour: int, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time(hour, 0), tzinfo=zone)


def _quarters_before(today: date, count: int) -> list[tuple[date, date]]:
    """The `count` whole calendar quarters before the current one, oldest first."""
    start = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    quarters = []
    for _ in range(count):
        end = start - timedelta(days=1)
        start = date(end.year, 3 * ((end.month - 1) // 3) + 1, 1)
        quarters.append((start, end))
    return quarters[::-1]


def _grade(rng: random.Random, lean: int) -> str:
    """A grade, shifted towards better (`lean` > 0) quarter by quarter."""
    grades = [g for g, _ in GRADE_WEIGHTS]
    weights = [w + (lean if g in (Grade.OUTSTANDING, Grade.GOOD) else 0) for g, w in GRADE_WEIGHTS]
    return rng.choices(grades, weights=weights)[0]


def demo_quality_load(hub: Hub) -> int:
    """Load the demo's quality records; returns how many case files were audited (0 when
    already loaded)."""
    if AuditCriterion.objects.filter(hub=hub).exists():
        return 0
    rng = random.Random(SEED)
    zone = ZoneInfo(hub.timezone)
    now = timezone.now()
    today = timezone.localdate()
    users = {u.username: u for u in User.objects.filter(agency__hub=hub)}
    auditor, manager = users["demo.auditor"], users["demo.manager"]
    practitioner = users["demo.practitioner"]
    agencies = {a.code: a for a in hub.agencies.all()}
    setup_day = _quarters_before(today, 3)[0][0] - timedelta(days=7)

    with transaction.atomic():
        with clock_at(_at(setup_day, 10, zone)):
            criteria = [
                criterion_save(actor=manager, hub=hub, code=code, question=q, guidance=g, order=n)
                for n, (code, q, g) in enumerate(CRITERIA)
            ]
        audited = _audits(hub, rng, zone, now, auditor, manager, criteria)
        _improvement_actions(hub, zone, today, manager, agencies, users)
        _referrer_ratings(hub, rng, now, users)
        _family_feedback(hub, rng, zone, today, practitioner)
        _theory_of_change(hub, rng, zone, today, manager, setup_day)
    return audited


def _audits(
    hub: Hub,
    rng: random.Random,
    zone: ZoneInfo,
    now: datetime,
    auditor: User,
    manager: User,
    criteria: list[AuditCriterion],
) -> int:
    audited = 0
    methods = [SampleMethod.RANDOM, SampleMethod.RAG, SampleMethod.OUTCOME]
    for index, ((start, end), method) in enumerate(
        # Quarters that ended at least three days ago, so each is drawn (two days ago at the
        # latest) after its end, and audited the day after: never in the future.
        zip(_quarters_before(timezone.localdate() - timedelta(days=3), 3), methods, strict=True)
    ):
        population = sample_population(hub, start, end)
        if len(population) < 6:
            continue
        drawn_at = min(_at(end + timedelta(days=10), 9, zone), now - timedelta(days=2))
        with clock_at(drawn_at):
            sample = sample_draw(
                actor=auditor,
                hub=hub,
                period_start=start,
                period_end=end,
                size=8,
                method=method,
                seed=SEED + index,
            )
        for n, item in enumerate(sample.items.order_by("order")):
            grades = {str(c.pk): GradeInput(_grade(rng, index)) for c in criteria}
            overall = sorted((g.grade for g in grades.values()), key=GRADE_ORDER.index)[
                len(grades) // 2
            ]
            with clock_at(drawn_at + timedelta(days=1, hours=n)):
                audit = case_audit_record(
                    actor=auditor,
                    item=item,
                    grades=grades,
                    overall_grade=overall,
                    comments=rng.choice(FINDINGS),
                )
            audited += 1
            if n < 2:
                change = index == 1 and n == 0 and overall != Grade.REQUIRES_IMPROVEMENT
                with clock_at(drawn_at + timedelta(days=3, hours=n)):
                    case_audit_moderate(
                        actor=manager,
                        audit=audit,
                        agree=not change,
                        grade=Grade.REQUIRES_IMPROVEMENT if change else "",
                        comment=(
                            "The child's voice is not evidenced: requires improvement."
                            if change
                            else "Agreed."
                        ),
                    )
    return audited


def _improvement_actions(
    hub: Hub,
    zone: ZoneInfo,
    today: date,
    manager: User,
    agencies: dict[str, Agency],
    users: dict[str, User],
) -> None:
    audits = list(CaseAudit.objects.filter(item__sample__hub=hub).order_by("audited_at")[:3])
    plans = [
        (
            "Record the child's own words in every screening rationale; add a prompt to the form.",
            "mash",
            "demo.manager",
            -40,
            "done",
        ),
        (
            "Health to answer amber checks within 24 working hours: agree cover for leave.",
            "health",
            "",
            -10,
            "open",
        ),  # overdue
        (
            "Use the outcome-specific feedback template for schools, not the generic letter.",
            "mash",
            "demo.practitioner",
            30,
            "open",
        ),
        (
            "Quarterly refresher on the thresholds document for new MASH staff.",
            "",
            "demo.manager",
            60,
            "open",
        ),
    ]
    for n, (text, agency, owner, due_in, status) in enumerate(plans):
        made_on = today + timedelta(days=min(due_in, 0) - 30)
        with clock_at(_at(made_on, 11, zone)):
            action = improvement_action_create(
                actor=manager,
                hub=hub,
                description=text,
                due_date=today + timedelta(days=due_in),
                owner_agency=agencies.get(agency),
                owner=users.get(owner),
                audit=audits[n] if n < len(audits) else None,
            )
        if status != "open":
            with clock_at(_at(today + timedelta(days=due_in - 2), 15, zone)):
                improvement_action_set_status(actor=manager, action=action, status=status)


ANSWERS = ["yes", "yes", "yes", "partly", "no"]


def _referrer_ratings(hub: Hub, rng: random.Random, now: datetime, users: dict[str, User]) -> None:
    """About a third of the feedback sent in the last six months is rated."""
    since = now - timedelta(days=183)
    sent = (
        Feedback.objects.filter(contact__hub=hub, sent_at__gte=since)
        .select_related("contact")
        .order_by("sent_at", "id")
    )
    for feedback in sent:
        if rng.random() > 0.35:
            continue
        at = min(feedback.sent_at + timedelta(days=rng.randint(1, 4)), now - timedelta(hours=1))
        answers = {"explained": rng.choice(ANSWERS), "timely": rng.choice(ANSWERS)}
        comment = rng.choice(["", "", "Thank you for letting us know.", "It took a while."])
        with clock_at(at):
            submitter = feedback.contact.submitted_by
            if submitter is not None:
                referrer_rating_record(
                    actor=submitter, feedback_id=str(feedback.pk), comment=comment, **answers
                )
            else:
                token = rating_invite_issue(feedback=feedback)
                referrer_rating_record(actor=None, token=token, comment=comment, **answers)


def _family_feedback(
    hub: Hub, rng: random.Random, zone: ZoneInfo, today: date, practitioner: User
) -> None:
    """Six to ten responses a month for the last seven months, some recorded by a worker."""
    first = (today.replace(day=1) - timedelta(days=185)).replace(day=1)
    month = first
    while month <= today:
        for _ in range(rng.randint(6, 10)):
            day = month + timedelta(days=rng.randint(0, 27))
            if day >= today:
                continue
            worker = rng.random() < 0.3
            with clock_at(_at(day, rng.randint(9, 19), zone)):
                family_feedback_record(
                    actor=practitioner if worker else None,
                    hub=hub,
                    respondent=rng.choice(
                        ["child", "young_person", "parent_carer", "parent_carer"]
                    ),
                    listened=rng.choice(ANSWERS),
                    understood=rng.choice(ANSWERS),
                    helped=rng.choice(["yes", "partly", "partly", "no"]),
                    comments=rng.choice(FAMILY_COMMENTS),
                )
        month = (month + timedelta(days=32)).replace(day=1)


def _theory_of_change(
    hub: Hub, rng: random.Random, zone: ZoneInfo, today: date, manager: User, day: date
) -> None:
    with clock_at(_at(day, 14, zone)):
        steps = {
            title: change_step_create(
                actor=manager, hub=hub, kind=kind, title=title, description=text, order=n
            )
            for n, (kind, title, text) in enumerate(
                [
                    (
                        StepKind.ACTIVITY,
                        "Joint screening",
                        "Police, health and social care screen together",
                    ),
                    (
                        StepKind.ACTIVITY,
                        "Multi-agency checks",
                        "Each agency searches its own records",
                    ),
                    (
                        StepKind.ACTIVITY,
                        "Feedback to referrers",
                        "Every referrer hears the outcome",
                    ),
                    (StepKind.OUTPUT, "Timely, well-reasoned decisions", ""),
                    (StepKind.OUTPUT, "Families told what will happen", ""),
                    (StepKind.OUTPUT, "Referrers who understand the decision", ""),
                ]
            )
        }
        outcomes = [
            (
                "Children get the right help first time",
                IndicatorSource.COMPUTED,
                "rereferrals",
                "",
                ["Joint screening", "Multi-agency checks", "Timely, well-reasoned decisions"],
                18.0,
            ),
            (
                "Concerns are looked at quickly",
                IndicatorSource.COMPUTED,
                "screened_on_time",
                "",
                ["Joint screening"],
                90.0,
            ),
            (
                "Decisions can be understood and challenged",
                IndicatorSource.COMPUTED,
                "rationale",
                "",
                ["Timely, well-reasoned decisions", "Referrers who understand the decision"],
                100.0,
            ),
            (
                "Families feel listened to",
                IndicatorSource.RECORDED,
                "",
                "Families who say they were listened to (quarterly survey)",
                ["Families told what will happen", "Feedback to referrers"],
                80.0,
            ),
        ]
        made = [
            outcome_create(
                actor=manager,
                hub=hub,
                title=title,
                source=source,
                indicator_key=key,
                indicator_name=name,
                unit="%",
                target=target,
                leads_from=[steps[t] for t in leads],
                order=n,
            )
            for n, (title, source, key, name, leads, target) in enumerate(outcomes)
        ]
    recorded = made[-1]
    month = (today.replace(day=1) - timedelta(days=330)).replace(day=1)
    value = 61.0
    while month < today.replace(day=1):
        value = min(95.0, value + rng.uniform(-2, 4))
        with clock_at(min(_at(month + timedelta(days=35), 10, zone), timezone.now())):
            indicator_value_record(
                actor=manager,
                outcome=recorded,
                month=month,
                value=round(value, 1),
                note="From the families' survey",
            )
        month = (month + timedelta(days=32)).replace(day=1)
