from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from django.apps import AppConfig

if TYPE_CHECKING:
    from openmash.hubs.models import DecisionOutcome


class DecisionsConfig(AppConfig):
    name = "openmash.decisions"
    label = "decisions"

    def ready(self) -> None:
        # The apps below decisions ask through these registries instead of importing it.
        from openmash.contacts.page_parts import contact_page_decisions_register
        from openmash.hubs.usage import level_of_need_recorded_on
        from openmash.people.casework import contact_outcomes_register

        from .models import Decision, DecisionStatus, Screening
        from .selectors import referral_view_for

        level_of_need_recorded_on(Screening, hub_path="contact__hub")
        level_of_need_recorded_on(Decision, hub_path="contact__hub")
        contact_outcomes_register(_signed_off_outcomes)
        contact_page_decisions_register(
            referral_view=referral_view_for, proposed_status=DecisionStatus.PROPOSED
        )


def _signed_off_outcomes(contact_ids: Sequence[str]) -> Mapping[str, "DecisionOutcome"]:
    """The outcome of each contact's signed-off decision (the person index's "known to the
    hub" shows it for a person's earlier contacts)."""
    from .models import Decision, DecisionStatus

    decisions = Decision.objects.filter(
        contact_id__in=contact_ids, status=DecisionStatus.SIGNED_OFF
    ).select_related("outcome")
    return {str(d.contact_id): d.outcome for d in decisions}
