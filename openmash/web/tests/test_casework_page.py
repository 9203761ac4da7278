import pytest
from django.http import Http404, HttpRequest, HttpResponse
from django.test import RequestFactory

from openmash.core.errors import Conflict, NotFound, ValidationError
from openmash.testing.world import World
from openmash.web.pages import casework_page


def request_as(world: World) -> HttpRequest:
    request = RequestFactory().post("/somewhere", HTTP_REFERER="https://evil.example/x")
    request.user = world.practitioner
    return request


def test_service_errors_become_pages_not_server_errors(world: World) -> None:
    @casework_page
    def conflicted(request: HttpRequest) -> HttpResponse:
        raise Conflict("This decision has already been signed off.")

    @casework_page
    def invalid(request: HttpRequest) -> HttpResponse:
        raise ValidationError("Enter the rationale")

    response = conflicted(request_as(world))
    assert response.status_code == 409
    body = response.content.decode()
    assert "This decision has already been signed off." in body
    assert "evil.example" not in body  # the back link never leaves the site
    assert invalid(request_as(world)).status_code == 422


def test_missing_is_a_404(world: World) -> None:
    @casework_page
    def missing(request: HttpRequest) -> HttpResponse:
        raise NotFound("Contact not found")

    with pytest.raises(Http404):
        missing(request_as(world))
