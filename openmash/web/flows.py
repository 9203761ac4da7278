"""The one flow of a form page's POST (PRG):

- an invalid form re-shows the page with its errors: 422;
- a refused service call re-shows it too, nothing saved: a ValidationError's messages go on
  the form's fields (422), a Conflict's or PermissionDenied's to the top of the error summary
  with its own status (409, 403);
- success redirects with a message.

Errors the page does not list in `refused` are left to `casework_page` (the 404, 403 and
problem pages). Generic: it knows forms, services' errors and responses, never a domain app.

    return form_page_post(
        request,
        form=form,
        act=lambda data: thing_update(actor=user, thing=thing, note=data["note"]),
        show=page_shower(request, "things/edit.html", lambda: _context(thing, form)),
        done=lambda thing: redirect_with_message(request, thing_url(thing), "Thing updated"),
    )
"""

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render

from openmash.core.errors import Conflict, OpenMashError, ValidationError

from .pages import form_add_service_errors

T = TypeVar("T")

# Re-shows the page (its context built now, after any refusal) with the given status.
Shower = Callable[[int], HttpResponse]
FieldFor = Callable[[str], str | None] | Mapping[str, str] | None

INVALID = 422  # the status of a page re-shown with its form's own errors


def page_shower(
    request: HttpRequest, template: str, context: Callable[[], dict[str, Any]]
) -> Shower:
    """Shows `template` with the context `context()` builds at the time."""
    return lambda status: render(request, template, context(), status=status)


def redirect_with_message(request: HttpRequest, url: str, message: str) -> HttpResponse:
    messages.success(request, message)
    return HttpResponseRedirect(url)


def form_refused(form: forms.BaseForm, error: OpenMashError, *, field_for: FieldFor = None) -> int:
    """Put a refused service call's error on the form; returns the status to show it with."""
    if isinstance(error, ValidationError):
        form_add_service_errors(form, error, field_for=field_for)
    else:
        form.add_error(None, error.message)
    return error.status_code


def form_page_post(
    request: HttpRequest,
    *,
    form: forms.BaseForm,
    act: Callable[[dict[str, Any]], T],
    show: Shower,
    done: Callable[[T], HttpResponse],
    refused: tuple[type[OpenMashError], ...] = (ValidationError, Conflict),
    field_for: FieldFor = None,
) -> HttpResponse:
    """Validate `form`, call the service (`act`, with the cleaned data) and answer: see the
    module's docstring. `field_for` renames a service's error keys to the form's fields."""
    if not form.is_valid():
        return show(INVALID)
    try:
        result = act(form.cleaned_data)
    except refused as exc:
        return show(form_refused(form, exc, field_for=field_for))
    return done(result)
