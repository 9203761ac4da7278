"""Background work (django-tasks): the feedback e-mail to the referrer, queued when the
feedback is committed (`decisions.services.feedback_send`, through the queue apps.py connects
in decisions/hooks.py) and sent by `openmash db_worker`. Tasks call services, never the
reverse."""

from django_tasks import task

from .services.feedback_email import feedback_email_deliver


@task()
def feedback_email_task(feedback_id: str) -> str:
    """Send one feedback e-mail; its status (sent or failed) is recorded on the feedback."""
    return feedback_email_deliver(feedback_id=feedback_id)


def feedback_email_enqueue(feedback_id: str) -> None:
    """The feedback e-mail queue (registered in decisions/hooks.py by apps.py)."""
    feedback_email_task.enqueue(feedback_id=feedback_id)
