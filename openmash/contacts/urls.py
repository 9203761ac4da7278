from django.urls import URLPattern, path

from . import views

app_name = "contacts"

urlpatterns: list[URLPattern] = [
    path("contacts/", views.queue, name="queue"),
    path("contacts/new", views.contact_new, name="new"),
    path("contacts/<uuid:contact_id>", views.detail, name="detail"),
    path(
        "contacts/<uuid:contact_id>/people/<uuid:person_id>/correct",
        views.person_correct,
        name="person-correct",
    ),
    path(
        "contacts/<uuid:contact_id>/police-information",
        views.police_information_reason,
        name="police-information",
    ),
    path("refer", views.refer, name="refer"),
    path("referrals", views.mine, name="mine"),
    path("referrals/<uuid:contact_id>/sent", views.refer_sent, name="refer-sent"),
    path("summary", views.summary, name="summary"),
]
