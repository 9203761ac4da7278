"""Background work (django-tasks, database backend): run by `openmash db_worker`."""

from datetime import timedelta

from django.utils import timezone
from django_tasks import task

from .services import breaches_flag

CHECK_EVERY = timedelta(minutes=5)


@task()
def breaches_flag_task(repeat: bool = False) -> dict[str, int]:
    """Flag breaches; with repeat=True, enqueue the next check five minutes on."""
    report = breaches_flag()
    if repeat:
        breaches_flag_task.using(run_after=timezone.now() + CHECK_EVERY).enqueue(repeat=True)
    return {"contacts": report.contacts, "requests": report.requests}
