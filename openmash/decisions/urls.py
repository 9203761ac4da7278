from django.urls import path

from . import views

app_name = "decisions"

urlpatterns = [
    path("contacts/<uuid:contact_id>/screening", views.screen, name="screen"),
    path("contacts/<uuid:contact_id>/decision/new", views.propose, name="propose"),
    path("contacts/<uuid:contact_id>/feedback", views.feedback, name="feedback"),
    path(
        "contacts/<uuid:contact_id>/referral-progress",
        views.referral_progress,
        name="referral-progress",
    ),
    path("feedback/<uuid:feedback_id>/resend", views.feedback_resend, name="feedback-resend"),
    path(
        "feedback/<uuid:feedback_id>/approval",
        views.feedback_approval,
        name="feedback-approval",
    ),
    path("decisions/<uuid:decision_id>", views.detail, name="detail"),
    path("decisions/<uuid:decision_id>/sign-off", views.sign_off, name="sign-off"),
    path("decisions/<uuid:decision_id>/return", views.return_decision, name="return"),
    path("decisions/<uuid:decision_id>/dissents", views.dissent_create, name="dissent"),
    path("dissents/<uuid:dissent_id>/resolve", views.dissent_resolve_view, name="dissent-resolve"),
    path("actions/<uuid:action_id>/status", views.action_status, name="action-status"),
]
