from django.test import Client

from openmash.audit.models import AuditEvent, AuditVerb
from openmash.testing.world import World, contact_make


def test_the_audit_trail_page_filters_verifies_and_logs_its_own_reading(world: World) -> None:
    contact = contact_make(world.practitioner)
    client = Client()
    client.force_login(world.auditor)
    page = client.get(f"/audit?contact={contact.pk}").content.decode()
    assert "Contact received" in page
    assert "demo.practitioner" in page
    assert AuditEvent.objects.filter(verb=AuditVerb.AUDIT_VIEWED, actor=world.auditor).exists()
    verified = client.post("/audit").content.decode()
    assert "The audit chain is intact" in verified
    filtered = client.get("/audit?verb=contact.created&username=nobody").content.decode()
    assert "No events match." in filtered
    assert client.get("/audit?contact=not-a-uuid&page=x").status_code == 200


def test_only_roles_with_audit_access_see_it(world: World) -> None:
    for user, status in (
        (world.manager, 200),
        (world.admin, 200),
        (world.practitioner, 403),
        (world.police, 403),
        (world.analyst, 403),
        (world.referrer, 403),
    ):
        client = Client()
        client.force_login(user)
        assert client.get("/audit").status_code == status
