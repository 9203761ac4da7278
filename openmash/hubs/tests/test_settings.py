from django.test import Client
from django.utils import timezone

from openmash.audit.models import AuditEvent, AuditVerb
from openmash.hubs.models import Stage, Timescale
from openmash.testing.world import World, contact_make


def valid_post(**overrides: str) -> dict[str, str]:
    data = {"bank_holiday_region": "scotland"}
    for day in range(7):
        data[f"opens_{day}"] = "08:30" if day < 5 else ""
        data[f"closes_{day}"] = "17:30" if day < 5 else ""
    for stage in Stage.values:
        data[f"amount_{stage}"] = "1"
        data[f"unit_{stage}"] = "working_days"
    data["amount_enquiry_red"], data["unit_enquiry_red"] = "2", "working_hours"
    data.update(overrides)
    return data


def signed_in(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def test_admin_changes_hours_and_timescales(world: World) -> None:
    client = signed_in(world.admin)
    assert client.get("/hub/settings").status_code == 200
    response = client.post("/hub/settings", valid_post())
    assert response.status_code == 302
    world.hub.refresh_from_db()
    assert world.hub.working_hours["0"] == ["08:30", "17:30"]
    assert world.hub.bank_holiday_region == "scotland"
    red = Timescale.objects.get(hub=world.hub, stage=Stage.ENQUIRY_RED)
    assert (red.amount, red.unit) == (2, "working_hours")
    event = AuditEvent.objects.get(verb=AuditVerb.HUB_CONFIGURED)
    assert event.changes["bank_holiday_region"] == ["england-and-wales", "scotland"]
    # New deadlines follow the new hours: received now, screening within 1 working day.
    contact = contact_make(world.practitioner)
    assert contact.stage_due_at is not None
    assert contact.stage_due_at > timezone.now()


def test_bad_settings_are_refused_and_change_nothing(world: World) -> None:
    client = signed_in(world.admin)
    before = dict(world.hub.working_hours)
    response = client.post("/hub/settings", valid_post(closes_0="", amount_screening="0"))
    assert response.status_code == 422
    assert b"Enter both times for Monday, or neither" in response.content
    response = client.post("/hub/settings", valid_post(opens_1="18:00", closes_1="09:00"))
    assert response.status_code == 422
    assert b"closing time must be after the opening time" in response.content
    response = client.post("/hub/settings", valid_post(opens_2="9am", closes_2="5pm"))
    assert response.status_code == 422
    world.hub.refresh_from_db()
    assert world.hub.working_hours == before
    assert not AuditEvent.objects.filter(verb=AuditVerb.HUB_CONFIGURED).exists()


def test_only_the_hub_administrator_may_change_settings(world: World) -> None:
    for user in (world.manager, world.practitioner, world.police, world.analyst):
        assert signed_in(user).get("/hub/settings").status_code == 404
        assert signed_in(user).post("/hub/settings", valid_post()).status_code == 404
