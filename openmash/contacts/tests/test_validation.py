"""Bad contacts are refused with specific messages and nothing is saved."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from openmash.contacts.models import Contact
from openmash.contacts.services import ContactInput, PersonInput, contact_create
from openmash.core.errors import ValidationError
from openmash.testing.world import World, child_subject, contact_input


def refused(world: World, data: ContactInput) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as caught:
        contact_create(actor=world.practitioner, data=data)
    assert not Contact.objects.exists()
    return caught.value.errors


def test_received_long_ago_or_in_the_future(world: World) -> None:
    errors = refused(world, contact_input(received_at=timezone.now() - timedelta(days=400)))
    assert errors["received_at"] == ["The time received must be within the last year"]
    errors = refused(world, contact_input(received_at=timezone.now() + timedelta(hours=1)))
    assert errors["received_at"] == ["The time received cannot be in the future"]


def test_a_child_is_under_eighteen(world: World) -> None:
    errors = refused(world, contact_input(people=[child_subject(date_of_birth=date(1901, 1, 1))]))
    assert errors["people.0.date_of_birth"] == [
        "A child is under 18: check the date, or choose adult"
    ]


def test_an_unborn_childs_expected_date_is_near(world: World) -> None:
    unborn = PersonInput(
        kind="unborn", family_name="Hartley", expected_date_of_birth=date(9999, 12, 31)
    )
    errors = refused(world, contact_input(people=[unborn]))
    assert "people.0.expected_date_of_birth" in errors


def test_a_subject_has_no_relationship(world: World) -> None:
    errors = refused(world, contact_input(people=[child_subject(relationship="parent")]))
    assert errors["people.0.relationship"] == ["A subject has no relationship: leave it blank"]


def test_public_referrer_with_an_agency_and_a_bad_email(world: World) -> None:
    errors = refused(
        world,
        contact_input(
            referrer_is_public=True,
            referrer_agency_id=str(world.agencies["police"].pk),
            referrer_email="not an email",
        ),
    )
    assert errors["referrer_agency_id"] == ["A member of the public does not refer for an agency"]
    assert errors["referrer_email"] == ["Enter an e-mail address like name@example.org"]


def test_year_one_through_the_api_is_a_422_not_a_500(world: World) -> None:
    from django.test import Client

    client = Client()
    client.force_login(world.practitioner)
    response = client.post(
        "/api/v1/contacts",
        {
            "received_at": "0001-01-01T00:00:00Z",
            "channel": "phone",
            "source_code": "6",
            "referrer_name": "PC Jones",
            "concern_narrative": "x",
            "concern_categories": ["neglect"],
            "family_awareness": "aware_consented",
            "people": [{"role": "subject", "kind": "child", "given_name": "Ann"}],
        },
        content_type="application/json",
    )
    assert response.status_code == 422
    assert "received_at" in response.json()["errors"]


def test_immediate_risk_is_screened_on_the_red_clock(world: World) -> None:
    from openmash.hubs.models import Stage
    from openmash.hubs.selectors import due_at

    urgent = contact_create(actor=world.practitioner, data=contact_input(immediate_risk=True))
    assert urgent.stage_due_at == due_at(world.hub, Stage.ENQUIRY_RED, urgent.received_at)
    usual = contact_create(actor=world.practitioner, data=contact_input())
    assert usual.stage_due_at == due_at(world.hub, Stage.SCREENING, usual.received_at)


def test_absurd_page_numbers_are_page_not_found_not_errors(world: World) -> None:
    from django.test import Client

    client = Client()
    client.force_login(world.practitioner)
    assert client.get("/contacts/?page=99999999999999999999999").status_code == 404
    assert client.get("/contacts/?page=x").status_code == 200
    client.force_login(world.referrer)
    assert client.get("/referrals?page=99999999999999999999999").status_code in (200, 404)
