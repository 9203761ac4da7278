"""Writes for quality improvement, one module per use case. Each service checks permission
and the actor's hub, validates (every field problem at once), writes, and records its audit
event in the same transaction.

- case_file_audit_criteria: the questions case files are graded against
- case_file_audit_sampling: drawing case files for audit (the draw: quality.sampling)
- case_file_audits: grading a case file, and its moderation
- improvement_actions: what the hub changes because of the findings
- referrer_ratings: referrers rate the feedback they were sent
- family_feedback: children's, young people's and families' feedback
- theory_of_change: activities, outputs, outcomes and their indicators

Today's names stay importable from here."""

from openmash.quality.models import CaseAudit

from .case_file_audit_criteria import case_file_audit_criterion_save, criterion_save
from .case_file_audit_sampling import (
    MAX_SAMPLE,
    NO_AGENCY,
    sample_choose,
    sample_draw,
    sample_population,
    sample_strata,
)
from .case_file_audits import (
    GradeInput,
    case_audit_moderate,
    case_audit_record,
    case_file_audit_moderate,
    case_file_audit_record,
)
from .family_feedback import family_feedback_record
from .improvement_actions import improvement_action_create, improvement_action_set_status
from .limits import MAX_COMMENT
from .referrer_ratings import (
    RATING_LINK_LIFETIME,
    rating_invite_find,
    rating_invite_issue,
    rating_link,
    referrer_rating_exists,
    referrer_rating_invite_find,
    referrer_rating_invite_issue,
    referrer_rating_link,
    referrer_rating_record,
)
from .theory_of_change import change_step_create, indicator_value_record, outcome_create

__all__ = [
    "MAX_COMMENT",
    "MAX_SAMPLE",
    "NO_AGENCY",
    "RATING_LINK_LIFETIME",
    "CaseAudit",
    "GradeInput",
    "case_audit_moderate",
    "case_audit_record",
    "case_file_audit_criterion_save",
    "case_file_audit_moderate",
    "case_file_audit_record",
    "change_step_create",
    "criterion_save",
    "family_feedback_record",
    "improvement_action_create",
    "improvement_action_set_status",
    "indicator_value_record",
    "outcome_create",
    "rating_invite_find",
    "rating_invite_issue",
    "rating_link",
    "referrer_rating_exists",
    "referrer_rating_invite_find",
    "referrer_rating_invite_issue",
    "referrer_rating_link",
    "referrer_rating_record",
    "sample_choose",
    "sample_draw",
    "sample_population",
    "sample_strata",
]
