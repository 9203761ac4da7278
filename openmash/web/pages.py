"""What every casework page shares: sign-in, the signed-in user, and turning the service
layer's errors into GOV.UK pages (NotFound -> 404, PermissionDenied -> 403, ValidationError ->
field errors on the form)."""

from collections.abc import Callable, Mapping
from functools import wraps
from typing import TYPE_CHECKING, Any, cast
from uuid import UUID

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.http import url_has_allowed_host_and_scheme

from openmash.access.checks import user_sees_whole_contact
from openmash.access.permissions import Permission
from openmash.core.errors import Conflict, NotFound, PermissionDenied, ValidationError

if TYPE_CHECKING:
    from openmash.accounts.models import User

View = Callable[..., HttpResponse]


def casework_page(view: View) -> View:
    """Sign-in required; NotFound and PermissionDenied from services become the 404 and 403
    pages (the same 404 whether the object is missing or not visible). A Conflict or a
    ValidationError that a view did not show on its own form becomes a page saying what was
    wrong (409 / 422), never a server error."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except NotFound as exc:
            raise Http404(exc.message) from exc
        except PermissionDenied as exc:
            raise DjangoPermissionDenied(exc.message) from exc
        except Conflict as exc:
            return _problem(request, "That cannot be done now", exc.message, 409)
        except ValidationError as exc:
            return _problem(request, "There is a problem", exc.message, 422)

    return login_required(wrapper)


def _problem(request: HttpRequest, heading: str, message: str, status: int) -> HttpResponse:
    back = request.META.get("HTTP_REFERER", "")
    safe_back = back if url_has_allowed_host_and_scheme(back, {request.get_host()}) else "/"
    context = {"heading": heading, "message": message, "back_url": safe_back}
    return render(request, "web/problem.html", context, status=status)


def page_user(request: HttpRequest) -> "User":
    """The signed-in user (every casework view is wrapped in `casework_page`)."""
    return cast("User", request.user)


def require_page(user: "User", permission: Permission) -> None:
    if not user.can(permission):
        raise PermissionDenied("You do not have permission to do that.")


def contact_page_url(contact_id: UUID) -> str:
    return reverse("contacts:detail", args=[contact_id])


def after_casework_url(user: "User", contact_id: UUID) -> str:
    """Where a successful form sends the user: the contact page for MASH staff, the queue for
    an agency researcher (who never opens the contact itself)."""
    if user_sees_whole_contact(user):
        return contact_page_url(contact_id)
    return reverse("enquiries:queue")


def url_if_exists(name: str, *args: object) -> str:
    """A link to a page, or "" when no such page is installed (hides a button, never a 500)."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def form_add_service_errors(
    form: forms.BaseForm,
    error: ValidationError,
    *,
    field_for: Callable[[str], str | None] | Mapping[str, str] | None = None,
) -> None:
    """Put a service's `ValidationError.errors` on the form's fields (unknown keys, and an error
    without a field, go to the top of the error summary).

    `field_for` renames a service key (e.g. "actions.1.due_date") to a form field name."""

    def rename(key: str) -> str | None:
        if field_for is None:
            return key
        if isinstance(field_for, Mapping):
            return field_for.get(key, key)
        return field_for(key)

    if not error.errors:
        form.add_error(None, error.message)
        return
    for key, messages in error.errors.items():
        name = rename(key)
        target = name if name is not None and name in form.fields else None
        for message in messages:
            form.add_error(target, message)
