from django.urls import path

from . import views

app_name = "hubs"

urlpatterns = [path("hub/settings", views.settings_edit, name="settings")]
