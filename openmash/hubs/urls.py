from django.urls import path

from . import views

app_name = "hubs"

urlpatterns = [
    path("hub/settings", views.settings_edit, name="settings"),
    path("hub/levels", views.levels_edit, name="levels"),
    path("hub/outcomes", views.outcomes_edit, name="outcomes"),
    path("hub/users", views.users, name="users"),
    path("hub/users/<int:user_id>", views.user_change, name="user-change"),
    path("hub/approvals", views.approvals, name="approvals"),
    path("hub/approvals/<uuid:request_id>", views.approval_decision, name="approval-decision"),
]
