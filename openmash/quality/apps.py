from typing import TYPE_CHECKING

from django.apps import AppConfig

if TYPE_CHECKING:
    from openmash.decisions.models import Feedback


def referrer_rating_paragraph(feedback: "Feedback") -> str:
    """The referrer e-mail's extra paragraph (decisions/hooks.py): an external referrer cannot
    sign in, so a single-use link lets them rate the feedback."""
    if feedback.contact.submitted_by_id is not None:
        return ""
    from .services import rating_link

    link = rating_link(feedback=feedback)
    return f"Was this feedback clear and timely? Tell us (one minute): {link}"


class QualityConfig(AppConfig):
    name = "openmash.quality"
    label = "quality"

    def ready(self) -> None:
        # The hub dashboard (reporting, a layer below) shows feedback about the service beside
        # its figures: quality adds the panel, so reporting never imports quality.
        from openmash.decisions.hooks import referrer_email_extra_register
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
        # The referrer's feedback e-mail (decisions, a layer below) carries the rating link.
        referrer_email_extra_register(referrer_rating_paragraph)
