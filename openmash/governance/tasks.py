"""Background work (django-tasks, database backend): the daily review reminders, run by
`openmash db_worker` and scheduled by `openmash review_reminders --schedule` (make run)."""

from datetime import timedelta

from django.apps import apps
from django.utils import timezone
from django_tasks import task

from .services import review_reminders_send

CHECK_EVERY = timedelta(days=1)
STALE_AFTER = timedelta(hours=1)


@task()
def review_reminders_task(repeat: bool = False) -> int:
    """Send the review reminders that are due; with repeat=True the next run is queued a day
    on FIRST, so a failure in this run never stops them (as the deadline checks do)."""
    if repeat and review_reminders_task.get_backend().supports_defer:
        review_reminders_task.using(run_after=timezone.now() + CHECK_EVERY).enqueue(repeat=True)
    return review_reminders_send()


def review_reminders_schedule() -> bool:
    """Start the daily run unless one is already queued. Returns whether one was enqueued."""
    if apps.is_installed("django_tasks_db"):
        from django_tasks_db.models import DBTaskResult

        mine = DBTaskResult.objects.filter(task_path=review_reminders_task.module_path)
        alive = mine.filter(status="READY") | mine.filter(
            status="RUNNING", started_at__gte=timezone.now() - STALE_AFTER
        )
        if alive.exists():
            return False
    review_reminders_task.enqueue(repeat=True)
    return True
