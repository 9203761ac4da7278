from django.urls import path

from . import views

app_name = "people"

urlpatterns = [
    path("people/index", views.index_upload, name="index-upload"),
    path("people/reviews", views.review, name="review"),
    path("people/duplicates", views.duplicates, name="duplicates"),
    path("people/merges", views.merge, name="merge"),
    path("people/merges/<uuid:merge_id>/undo", views.unmerge, name="unmerge"),
]
