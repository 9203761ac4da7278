"""The standards self-assessment: the national core (the brief's six recommendations) checked
against the hub's configuration and data. Each check says which standard it tests, whether
the hub meets it, the evidence found, and what to do to meet it. The page and
`openmash standards check` both run `standards_check`.

- framework: the context, the registry of checks, the report and the recorded run
- definition_leadership_membership, core_documents, monitoring_and_funding: the checks,
  by standard (imported here in that order: checks run in the order they are registered)
- the results and the monitoring thresholds are pure rules (governance.standard_results)

Today's names stay importable from here."""

from openmash.governance.standard_results import (
    FEEDBACK_FLOOR,
    FEEDBACK_TARGET,
    RATIONALE_TARGET,
    STANDARDS,
    CheckResult,
    Result,
)

from .framework import (
    CHECKS,
    MONITORING_DAYS,
    Check,
    Context,
    StandardsReport,
    check,
    standards_check,
    standards_evaluate,
)

# The checks register in import order, which is the order they run and are shown in.
# isort: split
from .definition_leadership_membership import (
    DECISION_MAKERS,
    accountable_manager_named,
    core_agencies_take_part,
    definition_complete,
    roles_per_core_agency,
)

# isort: split
from .core_documents import (
    data_protection_signed,
    documents_within_review,
    escalation_signed,
    information_sharing_signed,
    thresholds_published,
)

# isort: split
from .monitoring_and_funding import feedback_to_referrers, funding_published, rationale_recorded

__all__ = [
    "CHECKS",
    "DECISION_MAKERS",
    "FEEDBACK_FLOOR",
    "FEEDBACK_TARGET",
    "MONITORING_DAYS",
    "RATIONALE_TARGET",
    "STANDARDS",
    "Check",
    "CheckResult",
    "Context",
    "Result",
    "StandardsReport",
    "accountable_manager_named",
    "check",
    "core_agencies_take_part",
    "data_protection_signed",
    "definition_complete",
    "documents_within_review",
    "escalation_signed",
    "feedback_to_referrers",
    "funding_published",
    "information_sharing_signed",
    "rationale_recorded",
    "roles_per_core_agency",
    "standards_check",
    "standards_evaluate",
    "thresholds_published",
]
