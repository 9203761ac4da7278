"""The one form-page POST flow, without a database."""

from typing import Any

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory

from openmash.core.errors import Conflict, NotFound, PermissionDenied, ValidationError
from openmash.web.flows import form_page_post, redirect_with_message


class NoteForm(forms.Form):
    note = forms.CharField()


def post(data: dict[str, str]) -> HttpRequest:
    request = RequestFactory().post("/x", data)
    request._messages = CookieStorage(request)  # type: ignore[attr-defined]
    return request


def flow(request: HttpRequest, form: forms.Form, act: Any, **kwargs: Any) -> HttpResponse:
    return form_page_post(
        request,
        form=form,
        act=act,
        show=lambda status: HttpResponse("page", status=status),
        done=lambda result: HttpResponse(f"done {result}"),
        **kwargs,
    )


def refusing(error: Exception) -> Any:
    def act(data: dict[str, Any]) -> None:
        raise error

    return act


def test_an_invalid_form_is_shown_again_without_calling_the_service():
    called = []
    form = NoteForm({})
    response = flow(post({}), form, lambda data: called.append(data))
    assert response.status_code == 422
    assert called == [] and "note" in form.errors


def test_success_answers_with_what_the_service_returned():
    response = flow(post({"note": "ok"}), NoteForm({"note": "ok"}), lambda data: data["note"])
    assert response.content == b"done ok"


def test_a_validation_error_goes_on_the_fields():
    form = NoteForm({"note": "x"})
    error = ValidationError("Too short", errors={"note": ["Too short"], "other": ["Wrong"]})
    response = flow(post({}), form, refusing(error))
    assert response.status_code == 422
    assert form.errors["note"] == ["Too short"]
    assert form.non_field_errors() == ["Wrong"]  # a key the form does not have: the summary


def test_a_renamed_key_finds_its_field():
    form = NoteForm({"note": "x"})
    error = ValidationError("No", errors={"service_note": ["No"]})
    flow(post({}), form, refusing(error), field_for={"service_note": "note"})
    assert form.errors["note"] == ["No"]


def test_a_conflict_is_a_409_with_its_reason_at_the_top():
    form = NoteForm({"note": "x"})
    response = flow(post({}), form, refusing(Conflict("Already signed off.")))
    assert response.status_code == 409
    assert form.non_field_errors() == ["Already signed off."]


def test_only_the_refusals_listed_are_shown_on_the_page():
    form = NoteForm({"note": "x"})
    response = flow(
        post({}),
        form,
        refusing(PermissionDenied("Not your own.")),
        refused=(ValidationError, Conflict, PermissionDenied),
    )
    assert response.status_code == 403
    with pytest.raises(NotFound):  # left to casework_page: the 404 page
        flow(post({}), NoteForm({"note": "x"}), refusing(NotFound("Gone")))


def test_success_redirects_with_a_message():
    request = post({})
    response = redirect_with_message(request, "/next", "Saved")
    assert response.status_code == 302 and response["Location"] == "/next"
    assert [str(m) for m in get_messages(request)] == ["Saved"]
