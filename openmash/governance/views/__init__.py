"""Governance pages, one module per use case: read by every role of the hub; changed by
managers and administrators (GOVERNANCE_MANAGE); core documents signed by agency leads
(DOCUMENT_SIGN). Today's names (urls.py's views) stay importable from here."""

from .core_documents import (
    document,
    document_current_redirect,
    document_new,
    document_publish_view,
    document_sign_view,
    documents,
)
from .definition import definition_edit
from .funding import funding, funding_csv, funding_new
from .leadership import leadership, leadership_edit, leadership_remove
from .membership import agencies, agency_edit
from .overview import overview
from .self_assessment import standards
from .thresholds import threshold_version, thresholds, thresholds_new

__all__ = [
    "agencies",
    "agency_edit",
    "definition_edit",
    "document",
    "document_current_redirect",
    "document_new",
    "document_publish_view",
    "document_sign_view",
    "documents",
    "funding",
    "funding_csv",
    "funding_new",
    "leadership",
    "leadership_edit",
    "leadership_remove",
    "overview",
    "standards",
    "threshold_version",
    "thresholds",
    "thresholds_new",
]
