from django.urls import path

from . import views

app_name = "enquiries"

urlpatterns = [
    path("contacts/<uuid:contact_id>/requests/new", views.request_create, name="request-create"),
    path("requests/", views.queue, name="queue"),
    path("contacts/<uuid:contact_id>/sharing/new", views.sharing_create, name="sharing-create"),
    path("requests/<uuid:request_id>", views.request_detail, name="detail"),
    path(
        "requests/<uuid:request_id>/onward-consent",
        views.onward_consent,
        name="onward-consent",
    ),
]
