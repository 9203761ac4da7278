"""Golden rule 7: disclosures and decisions not to share are recorded with their reasons."""

from django.test import Client

from openmash.audit.models import AuditEvent, AuditVerb
from openmash.enquiries.models import SharingLedgerEntry
from openmash.testing.world import World, contact_make


def signed_in(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def test_a_decision_not_to_share_is_recorded_from_the_page(world: World) -> None:
    contact = contact_make(world.practitioner)
    client = signed_in(world.practitioner)
    page = client.get(f"/contacts/{contact.pk}")
    assert f"/contacts/{contact.pk}/sharing/new".encode() in page.content
    response = client.post(
        f"/contacts/{contact.pk}/sharing/new",
        {
            "shared": "no",
            "what": "The police strategy notes",
            "to": "The child's father",
            "why": "Sharing would alert the alleged abuser.",
            "lawful_basis": "law_enforcement",
        },
    )
    assert response.status_code == 302
    entry = SharingLedgerEntry.objects.get(contact=contact, to="The child's father")
    assert entry.shared is False
    assert entry.from_agency == world.agencies["mash"]
    event = AuditEvent.objects.get(verb=AuditVerb.SHARING_RECORDED)
    assert event.reason == "Sharing would alert the alleged abuser."
    assert b"The child&#x27;s father" in client.get(f"/contacts/{contact.pk}").content


def test_the_reason_and_basis_are_required(world: World) -> None:
    contact = contact_make(world.practitioner)
    response = signed_in(world.practitioner).post(
        f"/contacts/{contact.pk}/sharing/new", {"shared": "yes", "what": "x", "to": "School"}
    )
    assert response.status_code == 422
    assert b"Error: " in response.content
    assert not SharingLedgerEntry.objects.filter(to="School").exists()


def test_through_the_api(world: World) -> None:
    contact = contact_make(world.practitioner)
    client = signed_in(world.manager)
    url = f"/api/v1/contacts/{contact.pk}/sharing"
    created = client.post(
        url,
        {
            "shared": True,
            "what": "Outcome of the strategy discussion",
            "to": "Oakfield Primary",
            "why": "The school needs to support the child today.",
            "lawful_basis": "public_task_safeguarding",
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    assert [e["to"] for e in client.get(url).json()] == ["Oakfield Primary"]
    bad = client.post(
        url,
        {"shared": False, "what": "", "to": "", "why": "", "lawful_basis": "nope"},
        content_type="application/json",
    )
    assert bad.status_code == 422
    assert set(bad.json()["errors"]) == {"what", "to", "why", "lawful_basis"}


def test_only_mash_staff_record_or_read_it(world: World) -> None:
    contact = contact_make(world.referrer)
    for user in (world.police, world.referrer, world.analyst, world.auditor):
        response = signed_in(user).post(
            f"/api/v1/contacts/{contact.pk}/sharing",
            {
                "shared": True,
                "what": "x",
                "to": "y",
                "why": "z",
                "lawful_basis": "public_task_safeguarding",
            },
            content_type="application/json",
        )
        assert response.status_code in (403, 404)
    assert (
        signed_in(world.referrer).get(f"/api/v1/contacts/{contact.pk}/sharing").status_code == 404
    )
    assert signed_in(world.auditor).get(f"/api/v1/contacts/{contact.pk}/sharing").status_code == 200
    assert not SharingLedgerEntry.objects.filter(to="y").exists()
