"""The national view's pages. Mounted by openmash/reporting/urls.py at reporting/national/:

path("national/", include("openmash.reporting.national.urls")),
"""

from django.urls import path

from . import views

app_name = "national"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("benchmark", views.benchmark, name="benchmark"),
    path("trends", views.trends, name="trends"),
    path("returns", views.returns, name="returns"),
    path("returns.csv", views.returns_csv, name="returns-csv"),
    path("import", views.import_returns, name="import"),
    path("<slug:page>/<slug:chart>.csv", views.chart_csv, name="chart-csv"),
]
