"""Background work (django-tasks, database backend): run by `openmash db_worker`."""

from datetime import timedelta

from django.apps import apps
from django.utils import timezone
from django_tasks import task

from .services import breaches_flag

CHECK_EVERY = timedelta(minutes=5)
STALE_AFTER = timedelta(minutes=30)


@task()
def breaches_flag_task(repeat: bool = False) -> dict[str, int]:
    """Flag breaches; with repeat=True, the next check is queued five minutes on FIRST, so a
    failure in this run never stops the checks. (Only a backend that can run tasks later can
    repeat: the immediate one would recurse.)"""
    if repeat and breaches_flag_task.get_backend().supports_defer:
        breaches_flag_task.using(run_after=timezone.now() + CHECK_EVERY).enqueue(repeat=True)
    report = breaches_flag()
    return {"contacts": report.contacts, "requests": report.requests}


def breaches_check_schedule() -> bool:
    """Start the repeating check unless one is already queued (so restarts don't stack up
    copies). Returns whether a new one was enqueued."""
    if apps.is_installed("django_tasks_db"):
        from django_tasks_db.models import DBTaskResult

        mine = DBTaskResult.objects.filter(task_path=breaches_flag_task.module_path)
        # A run still RUNNING after half an hour belongs to a worker that died.
        alive = mine.filter(status="READY") | mine.filter(
            status="RUNNING", started_at__gte=timezone.now() - STALE_AFTER
        )
        if alive.exists():
            return False
    breaches_flag_task.enqueue(repeat=True)
    return True
