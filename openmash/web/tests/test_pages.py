from types import SimpleNamespace
from typing import Any, cast

import pytest
from django.test import Client, RequestFactory

from openmash.web import views
from openmash.web.context_processors import service
from openmash.web.navigation import nav_items_for

pytestmark = pytest.mark.urls("openmash.web.tests.urls")


def test_not_found_page(client: Client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "<title>Page not found – OpenMASH</title>" in html
    assert '<h1 class="govuk-heading-l">Page not found</h1>' in html
    assert '<a href="#main-content" class="govuk-skip-link"' in html
    assert '<link rel="stylesheet" href="/static/css/application.css">' in html
    assert '<script type="module" src="/static/web/init.js"></script>' in html
    # CSP: nothing inline.
    assert "<script>" not in html
    assert "style=" not in html


def test_a_date_typed_with_other_digits_is_refused_not_an_error_page(client: Client):
    response = client.post(
        "/form-example/",
        {"date_of_birth_day": "²", "date_of_birth_month": "3", "date_of_birth_year": "2015"},
    )
    assert response.status_code == 200
    assert "Date of birth must be a real date" in response.content.decode()


def test_demo_banner_follows_the_setting(client: Client, settings):
    settings.OPENMASH_DEMO_BANNER = True
    assert (
        "Demo hub: every person and case here is fictional." in client.get("/x/").content.decode()
    )
    settings.OPENMASH_DEMO_BANNER = False
    assert "Demo hub" not in client.get("/x/").content.decode()


def test_server_error_page_needs_no_context(rf: RequestFactory):
    response = views.server_error(rf.get("/"))
    assert response.status_code == 500
    html = response.content.decode()
    assert "Sorry, there is a problem with the service – OpenMASH" in html
    assert 'href="/static/css/application.css"' in html


@pytest.mark.parametrize(
    ("view", "status", "title"),
    [
        (views.bad_request, 400, "Sorry, there is a problem with your request"),
        (views.permission_denied, 403, "You do not have permission to do that"),
    ],
)
def test_other_error_pages(rf: RequestFactory, view, status, title):
    request = rf.get("/")
    request.user = cast(Any, SimpleNamespace(is_authenticated=False))
    response = view(request, Exception("personal data"))
    assert response.status_code == status
    html = response.content.decode()
    assert f"<title>{title} – OpenMASH</title>" in html
    assert "personal data" not in html


def test_home_needs_sign_in(client: Client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in/")


@pytest.mark.django_db
def test_home_for_a_signed_in_user(client: Client, django_user_model):
    user = django_user_model.objects.create_user(
        username="sam", password="a-long-test-password", first_name="Sam", last_name="Social"
    )
    client.force_login(user)
    html = client.get("/").content.decode()
    assert "<title>Home – OpenMASH</title>" in html
    assert "You are signed in" in html
    assert "<strong>Sam Social</strong>" in html
    assert 'action="/sign-out/"' in html
    assert 'name="csrfmiddlewaretoken"' in html


def test_service_context(rf: RequestFactory, settings):
    settings.OPENMASH_DEMO_BANNER = True
    request = rf.get("/")
    request.user = cast(Any, SimpleNamespace(is_authenticated=False))
    assert nav_items_for(request) == []  # nobody signed in: no navigation
    assert service(request) == {"demo_banner": True, "nav_items": []}
