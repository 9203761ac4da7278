import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from openmash.audit.models import AuditEvent, AuditVerb
from openmash.audit.services import audit_chain_verify
from openmash.contacts.selectors import contact_open
from openmash.testing.world import World, contact_make


def test_every_change_and_read_is_audited_in_the_same_transaction(world: World) -> None:
    contact = contact_make(world.practitioner)
    created = AuditEvent.objects.get(verb=AuditVerb.CONTACT_CREATED, contact_id=contact.pk)
    assert created.actor == world.practitioner
    assert created.actor_agency == world.agencies["mash"].name
    assert created.actor_roles == "practitioner"
    contact_open(world.manager, contact.pk, reason="Supervision")
    read = AuditEvent.objects.filter(verb=AuditVerb.CONTACT_VIEWED).latest("id")
    assert (read.actor, read.reason, read.contact_id) == (world.manager, "Supervision", contact.pk)


def test_a_failed_change_leaves_no_audit_event(world: World) -> None:
    before = AuditEvent.objects.count()

    def create_then_fail() -> None:
        with transaction.atomic():
            contact_make(world.practitioner)
            raise RuntimeError("boom")

    with pytest.raises(RuntimeError, match="boom"):
        create_then_fail()
    assert AuditEvent.objects.count() == before


def test_the_application_cannot_edit_or_delete_events(world: World) -> None:
    contact_make(world.practitioner)
    event = AuditEvent.objects.latest("id")
    event.reason = "changed"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).update(reason="x")
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().delete()


def test_the_database_refuses_updates(world: World) -> None:
    contact_make(world.practitioner)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET reason = 'tampered'")


@pytest.mark.postgres_only
def test_postgresql_refuses_deletes_too(world: World) -> None:
    contact_make(world.practitioner)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent")


def _drop_update_guard() -> None:
    """What a database administrator could do: switch the append-only trigger off."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("DROP TRIGGER audit_event_no_update")
        else:
            # Foreign-key checks pending in the test transaction would block the ALTER.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER audit_event_append_only")


@pytest.mark.tampers_with_audit
def test_verify_names_the_first_tampered_event(world: World) -> None:
    for _ in range(3):
        contact_make(world.practitioner)
    assert audit_chain_verify().ok
    call_command("audit", "verify")
    ids = list(AuditEvent.objects.order_by("id").values_list("id", flat=True))
    target = ids[len(ids) // 2]
    # A database administrator bypasses the guard and edits one row directly.
    _drop_update_guard()
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE audit_auditevent SET reason = 'nothing to see' WHERE id = %s", [target]
        )
    report = audit_chain_verify()
    assert report.first_broken_id == target
    assert "content" in report.problem
    with pytest.raises(CommandError, match=f"broken at event {target}"):
        call_command("audit", "verify")


@pytest.mark.tampers_with_audit
def test_verify_detects_a_deleted_event(world: World) -> None:
    for _ in range(3):
        contact_make(world.practitioner)
    ids = list(AuditEvent.objects.order_by("id").values_list("id", flat=True))
    if connection.vendor == "postgresql":
        _drop_update_guard()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [ids[1]])
    report = audit_chain_verify()
    assert report.first_broken_id == ids[2]
    assert "link" in report.problem


@pytest.mark.tampers_with_audit
def test_verify_detects_events_removed_from_the_end(world: World) -> None:
    contact_make(world.practitioner)
    last = AuditEvent.objects.latest("id").id
    if connection.vendor == "postgresql":
        _drop_update_guard()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [last])
    report = audit_chain_verify()
    assert not report.ok
    assert "removed" in report.problem
