from django.urls import path

from . import views

urlpatterns = [
    path("exports", views.exports, name="exports"),
    path("exports/cin-census", views.cin_census, name="export-cin-census"),
    path("exports/annex-a", views.annex_a, name="export-annex-a"),
    path("exports/dataset", views.dataset, name="export-dataset"),
]
