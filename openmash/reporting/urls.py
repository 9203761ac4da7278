from django.urls import include, path

from . import views

app_name = "reporting"

urlpatterns = [
    path("reporting/", include("openmash.reporting.statutory.urls")),
    path("reporting/national/", include("openmash.reporting.national.urls")),
    path("reporting/dashboard", views.dashboard, name="dashboard"),
    path("reporting/report", views.report, name="report"),
    path("reporting/report.pdf", views.report_pdf_download, name="report-pdf"),
    path("reporting/evaluation", views.evaluation, name="evaluation"),
    path("reporting/return", views.monthly_return, name="return"),
]
