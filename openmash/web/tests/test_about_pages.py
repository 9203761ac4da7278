"""The footer's pages, public and linked from every page; "Exit this page" on public forms."""

import pytest
from django.test import Client

from openmash.testing.world import World


@pytest.mark.parametrize(
    ("path", "heading"),
    [
        ("/accessibility", "Accessibility statement for OpenMASH"),
        ("/privacy", "Privacy notice"),
        ("/cookies", "Cookies"),
    ],
)
def test_footer_pages_are_public_and_linked(db: None, path: str, heading: str) -> None:
    response = Client().get(path)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<h1 class="govuk-heading-l">{heading}</h1>' in html
    for linked in ("/accessibility", "/privacy", "/cookies"):
        assert f'href="{linked}"' in html


def test_the_cookies_page_names_the_cookies_actually_set(db: None) -> None:
    html = Client().get("/cookies").content.decode()
    assert "sessionid" in html and "csrftoken" in html


def test_the_families_form_has_exit_this_page(world: World) -> None:
    html = Client().get(f"/have-your-say/{world.hub.pk}").content.decode()
    assert 'data-module="govuk-exit-this-page"' in html
    assert 'href="https://www.bbc.co.uk/weather"' in html
