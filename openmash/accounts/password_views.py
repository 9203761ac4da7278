"""Password change and reset pages: Django's views, in GOV.UK templates, with the product's
audit records. The reset request answers the same whether or not the address is known, and
its e-mail carries only the link."""

from typing import Any

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordResetForm
from django.http import HttpResponse
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache

from .models import User
from .passwords import password_changed_record, password_reset_requested_record


class _GovukErrors:
    """GOV.UK pages answer a refused form with 422 (as every other form page does)."""

    def form_invalid(self, form: Any) -> HttpResponse:
        response: HttpResponse = super().form_invalid(form)  # type: ignore[misc]
        response.status_code = 422
        return response


@method_decorator(never_cache, name="dispatch")
class PasswordChange(_GovukErrors, auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:password-change-done")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["forced"] = isinstance(user, User) and user.must_change_password
        return context

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)  # saves, and keeps this session signed in
        password_changed_record(user=form.user, via_reset=False)
        return response


class PasswordChangeDone(auth_views.PasswordChangeDoneView):
    template_name = "accounts/password_change_done.html"


class _ResetForm(PasswordResetForm):
    def get_users(self, email: str) -> Any:
        for user in super().get_users(email):
            password_reset_requested_record(user=user)
            yield user


@method_decorator(never_cache, name="dispatch")
class PasswordReset(_GovukErrors, auth_views.PasswordResetView):
    template_name = "accounts/password_reset.html"
    form_class = _ResetForm
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password-reset-done")

    def get_form_kwargs(self) -> dict[str, Any]:
        self.extra_email_context = {"site_url": settings.OPENMASH_SITE_URL.rstrip("/")}
        return super().get_form_kwargs()


class PasswordResetDone(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


@method_decorator(never_cache, name="dispatch")
class PasswordResetConfirm(_GovukErrors, auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password-reset-complete")

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        password_changed_record(user=form.user, via_reset=True)
        return response


class PasswordResetComplete(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"
