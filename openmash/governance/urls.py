from django.urls import path

from . import views

app_name = "governance"

urlpatterns = [
    path("governance", views.overview, name="overview"),
    path("governance/definition", views.definition_edit, name="definition"),
    path("governance/leadership", views.leadership, name="leadership"),
    path("governance/leadership/<uuid:role_id>", views.leadership_edit, name="leadership-edit"),
    path(
        "governance/leadership/<uuid:role_id>/remove",
        views.leadership_remove,
        name="leadership-remove",
    ),
    path("governance/agencies", views.agencies, name="agencies"),
    path("governance/agencies/<uuid:agency_id>", views.agency_edit, name="agency-edit"),
    path("governance/documents", views.documents, name="documents"),
    path("governance/documents/new", views.document_new, name="document-new"),
    path(
        "governance/documents/current/<slug:kind>",
        views.document_current_redirect,
        name="document-current",
    ),
    path("governance/documents/<uuid:version_id>", views.document, name="document"),
    path(
        "governance/documents/<uuid:version_id>/sign",
        views.document_sign_view,
        name="document-sign",
    ),
    path(
        "governance/documents/<uuid:version_id>/publish",
        views.document_publish_view,
        name="document-publish",
    ),
    path("governance/thresholds", views.thresholds, name="thresholds"),
    path("governance/thresholds/new", views.thresholds_new, name="thresholds-new"),
    path(
        "governance/thresholds/<uuid:version_id>",
        views.threshold_version,
        name="threshold-version",
    ),
    path("governance/funding", views.funding, name="funding"),
    path("governance/funding.csv", views.funding_csv, name="funding-csv"),
    path("governance/funding/record", views.funding_new, name="funding-new"),
    path("governance/standards", views.standards, name="standards"),
]
