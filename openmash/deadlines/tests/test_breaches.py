from datetime import timedelta

from django.utils import timezone

from openmash.audit.models import AuditEvent, AuditVerb
from openmash.deadlines.services import breaches_flag
from openmash.deadlines.tasks import breaches_flag_task
from openmash.decisions.services import screening_record
from openmash.enquiries.services import requests_create
from openmash.testing.world import World, contact_make


def test_overdue_contacts_and_requests_are_flagged_once(world: World) -> None:
    contact = contact_make(world.practitioner)
    screening_record(
        actor=world.practitioner,
        contact=contact,
        outcome="mash_enquiry",
        level_of_need=4,
        rag="red",
        rationale="Immediate risk",
    )
    (request,) = requests_create(
        actor=world.practitioner, contact=contact, agency_ids=[str(world.agencies["police"].pk)]
    )
    # Red is 4 working hours: a fortnight later everything is overdue.
    later = timezone.now() + timedelta(days=14)
    report = breaches_flag(now=later)
    assert (report.contacts, report.requests) == (1, 1)
    assert breaches_flag(now=later).contacts == 0
    request.refresh_from_db()
    assert request.breach_flagged_at == later
    assert AuditEvent.objects.filter(verb=AuditVerb.DEADLINE_BREACHED).count() == 2


def test_nothing_due_is_nothing_flagged(world: World) -> None:
    contact_make(world.practitioner)
    assert breaches_flag().contacts == 0


def test_the_background_task_runs_the_check(world: World) -> None:
    contact = contact_make(world.practitioner)
    contact.stage_due_at = timezone.now() - timedelta(minutes=1)
    contact.save()
    result = breaches_flag_task.enqueue()
    assert result.return_value == {"contacts": 1, "requests": 0}


def test_scheduling_runs_the_check(world: World) -> None:
    from openmash.deadlines.tasks import breaches_check_schedule

    contact = contact_make(world.practitioner)
    contact.stage_due_at = timezone.now() - timedelta(minutes=1)
    contact.save()
    assert breaches_check_schedule()
    contact.refresh_from_db()
    assert contact.breach_flagged_at is not None


def test_a_dead_workers_run_does_not_block_the_schedule(world: World) -> None:
    from django_tasks_db.models import DBTaskResult

    from openmash.deadlines.tasks import breaches_check_schedule, breaches_flag_task

    def queued(status: str, started_minutes_ago: int) -> DBTaskResult:
        return DBTaskResult.objects.create(
            task_path=breaches_flag_task.module_path,
            status=status,
            args_kwargs={},
            backend_name="default",
            queue_name="default",
            run_after=timezone.now(),
            started_at=timezone.now() - timedelta(minutes=started_minutes_ago),
            exception_class_path="",
            traceback="",
        )

    alive = queued("RUNNING", 2)
    assert breaches_check_schedule() is False
    alive.delete()
    queued("RUNNING", 90)
    assert breaches_check_schedule() is True
