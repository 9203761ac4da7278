"""Small worlds for the quality tests: decided case files, criteria, an audited sample."""

from django.utils import timezone

from openmash.accounts.models import User
from openmash.contacts.models import Contact
from openmash.decisions.services import screening_record
from openmash.decisions.tests.scenes import ask, signed_decision
from openmash.quality.models import AuditCriterion, AuditSample, CaseAudit, Grade
from openmash.quality.services import GradeInput, case_audit_record, criterion_save, sample_draw
from openmash.testing.world import World, contact_make


def case_file(
    world: World, *, rag: str = "amber", outcome: str = "s17", asked: tuple[str, ...] = ()
) -> Contact:
    """A contact screened with `rag`, asked of `asked` agencies and decided (signed off)."""
    contact = contact_make(world.practitioner)
    screening_record(
        actor=world.practitioner,
        contact=contact,
        outcome="mash_enquiry",
        level_of_need=3,
        rag=rag,
        rationale="Injury with a disclosure.",
    )
    if asked:
        ask(world, contact, *asked)
    signed_decision(world, contact, outcome)
    contact.refresh_from_db()
    return contact


def criteria(world: World) -> list[AuditCriterion]:
    return [
        criterion_save(actor=world.manager, hub=world.hub, code=code, question=question, order=n)
        for n, (code, question) in enumerate(
            [
                ("voice", "Is the child's voice recorded?"),
                ("rationale", "Is the decision's rationale clear?"),
            ]
        )
    ]


def second_auditor(world: World) -> User:
    return User.objects.create_user(
        "demo.auditor2",
        password="x" * 12,
        agency=world.agencies["mash"],
        roles=["auditor"],
        first_name="Sasha",
        last_name="Moderator",
    )


def drawn(world: World, count: int = 2) -> AuditSample:
    for _ in range(count):
        case_file(world)
    today = timezone.localdate()
    return sample_draw(
        actor=world.auditor,
        hub=world.hub,
        period_start=today,
        period_end=today,
        size=count,
        method="random",
        seed=7,
    )


def audited(world: World, sample: AuditSample, grade: str = Grade.GOOD) -> CaseAudit:
    item = sample.items.first()
    assert item is not None
    return case_audit_record(
        actor=world.auditor,
        item=item,
        grades={str(c.pk): GradeInput(grade) for c in AuditCriterion.objects.filter(active=True)},
        overall_grade=grade,
        comments="Clear rationale.",
    )
