"""Every page and API answer tells caches not to store it; static assets are not affected."""

from django.test import Client

from openmash.testing.world import PASSWORD, World


def test_a_signed_in_page_is_not_stored(world: World) -> None:
    client = Client()
    client.force_login(world.practitioner)
    response = client.get("/")
    assert response.status_code in (200, 302)
    assert response["Cache-Control"] == "no-store"


def test_an_api_answer_is_not_stored(world: World) -> None:
    client = Client()
    token = client.post(
        "/api/v1/auth/token",
        {"username": world.practitioner.username, "password": PASSWORD},
        content_type="application/json",
    ).json()["token"]
    response = client.get("/api/v1/contacts", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"


def test_the_sign_in_page_keeps_its_own_never_cache_headers(db: None) -> None:
    response = Client().get("/sign-in")
    assert "no-store" in response["Cache-Control"]
