"""Writes to the hub's governance, one module per use case. Each service checks permission
and the actor's hub, validates (every field problem at once), writes, and records its audit
event in the same transaction.

- definition: the hub's purpose, scope and working arrangement
- leadership: named roles and the one accountable manager
- membership: the hub's agencies
- core_documents: document versions, sign-up by each agency, publication
- review_reminders: e-mails before a current version's review date
- thresholds: the hub's thresholds versions and levels of need
- funding: each agency's money and staff by financial year

Today's names stay importable from here."""

from openmash.governance.funding_rules import MAX_AMOUNT_PENCE, MAX_FTE, StaffInput
from openmash.governance.threshold_rules import ThresholdLevelInput

from .core_documents import document_publish, document_sign, document_version_create
from .definition import definition_update
from .funding import funding_record
from .leadership import leadership_role_remove, leadership_role_save
from .membership import AGENCY_CODE, agency_save
from .review_reminders import review_reminders_send
from .thresholds import threshold_version_publish

__all__ = [
    "AGENCY_CODE",
    "MAX_AMOUNT_PENCE",
    "MAX_FTE",
    "StaffInput",
    "ThresholdLevelInput",
    "agency_save",
    "definition_update",
    "document_publish",
    "document_sign",
    "document_version_create",
    "funding_record",
    "leadership_role_remove",
    "leadership_role_save",
    "review_reminders_send",
    "threshold_version_publish",
]
