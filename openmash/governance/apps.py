from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    name = "openmash.governance"
    label = "governance"
    verbose_name = "Hub governance"

    def ready(self) -> None:
        # Each screening records the thresholds in force (decisions/hooks.py).
        from openmash.decisions.hooks import screening_thresholds_register

        from .selectors import thresholds_current

        screening_thresholds_register(thresholds_current)
