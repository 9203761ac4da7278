from django.urls import URLPattern, path

from . import password_views, views

app_name = "accounts"

urlpatterns: list[URLPattern] = [
    path("sign-in", views.sign_in, name="sign-in"),
    path("sign-out", views.sign_out, name="sign-out"),
    path("account/password", password_views.PasswordChange.as_view(), name="password-change"),
    path(
        "account/password/changed",
        password_views.PasswordChangeDone.as_view(),
        name="password-change-done",
    ),
    path("password-reset", password_views.PasswordReset.as_view(), name="password-reset"),
    path(
        "password-reset/sent",
        password_views.PasswordResetDone.as_view(),
        name="password-reset-done",
    ),
    path(
        "password-reset/<uidb64>/<token>",
        password_views.PasswordResetConfirm.as_view(),
        name="password-reset-confirm",
    ),
    path(
        "password-reset/done",
        password_views.PasswordResetComplete.as_view(),
        name="password-reset-complete",
    ),
    # On the hub's user page (hubs/user_change.html): lift a sign-in lockout.
    path("hub/users/<int:user_id>/unlock", views.user_unlock, name="user-unlock"),
]
