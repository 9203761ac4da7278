"""Background work (django-tasks): the daily switch-off of dormant accounts, run by
`openmash db_worker` and scheduled by `openmash accounts_disable_dormant --schedule`."""

from datetime import timedelta

from django.apps import apps
from django.utils import timezone
from django_tasks import task

from .dormant import accounts_disable_dormant

CHECK_EVERY = timedelta(days=1)
STALE_AFTER = timedelta(hours=1)


@task()
def accounts_disable_dormant_task(repeat: bool = False) -> int:
    """Queue the next run FIRST (a failure in this run never stops them), then run."""
    if repeat and accounts_disable_dormant_task.get_backend().supports_defer:
        accounts_disable_dormant_task.using(run_after=timezone.now() + CHECK_EVERY).enqueue(
            repeat=True
        )
    return accounts_disable_dormant()


def accounts_disable_dormant_schedule() -> bool:
    """Start the daily run unless one is already queued. Returns whether one was enqueued."""
    if apps.is_installed("django_tasks_db"):
        from django_tasks_db.models import DBTaskResult

        mine = DBTaskResult.objects.filter(task_path=accounts_disable_dormant_task.module_path)
        alive = mine.filter(status="READY") | mine.filter(
            status="RUNNING", started_at__gte=timezone.now() - STALE_AFTER
        )
        if alive.exists():
            return False
    accounts_disable_dormant_task.enqueue(repeat=True)
    return True
