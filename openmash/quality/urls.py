from django.urls import path

from . import views

app_name = "quality"

urlpatterns = [
    path("quality/", views.overview, name="overview"),
    path("quality/criteria", views.criteria, name="criteria"),
    path("quality/criteria/<uuid:criterion_id>", views.criterion_edit, name="criterion"),
    path("quality/samples", views.samples, name="samples"),
    path("quality/samples/new", views.sample_new, name="sample-new"),
    path("quality/samples/<uuid:sample_id>", views.sample_detail, name="sample"),
    path("quality/audits/<uuid:item_id>", views.case_file_audit, name="audit"),
    path("quality/audits/<uuid:item_id>/moderate", views.moderate, name="moderate"),
    path("quality/grades", views.trends, name="trends"),
    path("quality/actions", views.actions, name="actions"),
    path("quality/actions/<uuid:action_id>", views.action_edit, name="action"),
    path("quality/feedback", views.feedback, name="feedback"),
    path("quality/feedback/record", views.feedback_record, name="feedback-record"),
    path("quality/feedback/rate/<uuid:feedback_id>", views.rate_feedback, name="rate"),
    path("quality/outcomes", views.outcomes, name="outcomes"),
    path("quality/outcomes/<uuid:outcome_id>", views.outcome_detail, name="outcome"),
    # Public: no sign-in. The token is random and single use; nothing personal is in a URL.
    path("rate-feedback/<str:token>", views.rate_by_link, name="rate-link"),
    path("have-your-say/<uuid:hub_id>", views.have_your_say, name="have-your-say"),
    path(
        "have-your-say/<uuid:hub_id>/thank-you",
        views.have_your_say_thanks,
        name="have-your-say-thanks",
    ),
]
