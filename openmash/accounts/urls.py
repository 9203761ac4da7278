from django.urls import URLPattern, path

from . import views

app_name = "accounts"

urlpatterns: list[URLPattern] = [
    path("sign-in", views.sign_in, name="sign-in"),
    path("sign-out", views.sign_out, name="sign-out"),
    # On the hub's user page (hubs/user_change.html): lift a sign-in lockout.
    path("hub/users/<int:user_id>/unlock", views.user_unlock, name="user-unlock"),
]
