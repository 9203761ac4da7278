"""Screening, decision, sign-off, dissent, action and feedback pages, by use case.

Views read through gates and selectors and write only through `decisions.services`. Every POST
goes through the one form-page flow (web/flows.py): a service's ValidationError becomes inline
errors (422), a Conflict an error summary (409), NotFound the 404 page and PermissionDenied the
403 page. Every successful POST redirects (PRG)."""

from .decision_page import (
    action_status,
    detail,
    dissent_create,
    dissent_resolve_view,
    return_decision,
    sign_off,
)
from .feedback import feedback, feedback_approval, feedback_resend
from .proposal import propose
from .referral_progress import referral_progress
from .screening import screen

__all__ = [
    "action_status",
    "detail",
    "dissent_create",
    "dissent_resolve_view",
    "feedback",
    "feedback_approval",
    "feedback_resend",
    "propose",
    "referral_progress",
    "return_decision",
    "screen",
    "sign_off",
]
