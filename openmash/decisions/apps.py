from django.apps import AppConfig


class DecisionsConfig(AppConfig):
    name = "openmash.decisions"
    label = "decisions"

    def ready(self) -> None:
        # The apps below decisions ask through these registries instead of importing it.
        from openmash.contacts.page_parts import contact_page_decisions_register
        from openmash.hubs.usage import level_of_need_recorded_on
        from openmash.people.casework import contact_outcomes_register

        from . import hooks
        from .models import Decision, DecisionStatus, Screening
        from .selectors import decision_current_for, referral_view_for, signed_off_outcomes
        from .tasks import feedback_email_enqueue

        level_of_need_recorded_on(Screening, hub_path="contact__hub")
        level_of_need_recorded_on(Decision, hub_path="contact__hub")
        contact_outcomes_register(signed_off_outcomes)
        contact_page_decisions_register(
            referral_view=referral_view_for,
            proposed_status=DecisionStatus.PROPOSED,
            current_decision=decision_current_for,
        )
        # The services queue the referrer's e-mail through this hook: tasks import services,
        # services never import tasks.
        hooks.feedback_email_queue_register(feedback_email_enqueue)
