from django.apps import AppConfig


class QualityConfig(AppConfig):
    name = "openmash.quality"
    label = "quality"

    def ready(self) -> None:
        # The hub dashboard (reporting, a layer below) shows feedback about the service beside
        # its figures: quality adds the panel, so reporting never imports quality.
        from openmash.reporting.panels import DashboardPanel, dashboard_panel_register

        from .selectors import feedback_summary

        dashboard_panel_register(
            DashboardPanel(
                key="quality.service_feedback",
                template="quality/includes/dashboard_feedback.html",
                # Two aggregate queries for the period shown.
                context=lambda hub, period: feedback_summary(hub, period.start, period.end),
            )
        )
