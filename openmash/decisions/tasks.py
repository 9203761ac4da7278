"""Background work (django-tasks): the feedback e-mail to the referrer, queued when the
feedback is committed (`decisions.services.feedback_send`) and sent by `openmash db_worker`."""

from django_tasks import task

from .services import feedback_email_deliver


@task()
def feedback_email_task(feedback_id: str) -> str:
    """Send one feedback e-mail; its status (sent or failed) is recorded on the feedback."""
    return feedback_email_deliver(feedback_id=feedback_id)
