"""Decision writes, by use case (each module holds one): screening and re-rating, the decision
lifecycle (propose, sign off, return), dissent, agreed actions, feedback to the referrer (and
its e-mail), and a referral's progress. Today's names stay importable from here.

The pure rules live beside the package, without the ORM: decisions/disclosure.py (what feedback
must never disclose), decisions/referral_rules.py (the CIN census rules); a contact's stages
and clocks are contacts/journey.py's."""

from ..referral_rules import ReferralProgressInput, referral_progress_validate
from .actions import action_update_status
from .dissent import dissent_record, dissent_resolve
from .feedback import (
    NOTE_MAX,
    feedback_approval_reasons,
    feedback_approve,
    feedback_compose,
    feedback_email_resend,
    feedback_next_steps,
    feedback_return,
    feedback_send,
)
from .feedback_email import feedback_email_deliver
from .lifecycle import (
    REQUESTS_WITHDRAWN_REASON,
    SELF_SIGN_OFF,
    ActionInput,
    decision_propose,
    decision_return,
    decision_sign_off,
)
from .referral_progress import assessment_factors_default, referral_progress_record
from .screening import OPEN_STAGES, screening_record

__all__ = [
    "OPEN_STAGES",
    "REQUESTS_WITHDRAWN_REASON",
    "SELF_SIGN_OFF",
    "ActionInput",
    "ReferralProgressInput",
    "action_update_status",
    "assessment_factors_default",
    "decision_propose",
    "decision_return",
    "decision_sign_off",
    "dissent_record",
    "dissent_resolve",
    "NOTE_MAX",
    "feedback_approval_reasons",
    "feedback_approve",
    "feedback_compose",
    "feedback_next_steps",
    "feedback_return",
    "feedback_email_deliver",
    "feedback_email_resend",
    "feedback_send",
    "referral_progress_record",
    "referral_progress_validate",
    "screening_record",
]
