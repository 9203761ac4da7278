from django.apps import AppConfig


class DecisionsConfig(AppConfig):
    name = "openmash.decisions"
    label = "decisions"

    def ready(self) -> None:
        # The services queue the referrer's e-mail through this hook: tasks import services,
        # services never import tasks.
        from . import hooks
        from .tasks import feedback_email_enqueue

        hooks.feedback_email_queue_register(feedback_email_enqueue)
