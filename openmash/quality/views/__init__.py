"""Quality pages, one module per use case: case-file audits (criteria, samples, audits and
moderation, grade trends), improvement actions, feedback about the service (its summary,
family feedback, referrer ratings) and the theory of change.

Signed-in pages go through `casework_page` (NotFound -> 404, PermissionDenied -> 403); the
public pages (a family's feedback, a referrer's rating link) need no sign-in, never show
case data, and are protected against abuse (CSRF, a rate limit, a honeypot field).

Today's names (urls.py's views, client_address) stay importable from here."""

from .case_file_audit_criteria import criteria, criterion_edit
from .case_file_audit_samples import sample_detail, sample_new, samples
from .case_file_audits import case_file_audit, moderate, trends
from .common import TREND_MONTHS
from .family_feedback import (
    HUB_LIMIT_PER_HOUR,
    PUBLIC_LIMIT_PER_HOUR,
    client_address,
    feedback_record,
    have_your_say,
    have_your_say_thanks,
)
from .improvement_actions import action_edit, actions
from .overview import overview
from .referrer_ratings import rate_by_link, rate_feedback
from .service_feedback import feedback
from .theory_of_change import outcome_detail, outcomes

__all__ = [
    "HUB_LIMIT_PER_HOUR",
    "PUBLIC_LIMIT_PER_HOUR",
    "TREND_MONTHS",
    "action_edit",
    "actions",
    "case_file_audit",
    "client_address",
    "criteria",
    "criterion_edit",
    "feedback",
    "feedback_record",
    "have_your_say",
    "have_your_say_thanks",
    "moderate",
    "outcome_detail",
    "outcomes",
    "overview",
    "rate_by_link",
    "rate_feedback",
    "sample_detail",
    "sample_new",
    "samples",
    "trends",
]
