"""Requests still open when a decision is signed off are withdrawn: they leave the agency's
queue, cannot be answered, and the ledger and audit trail say why."""

import pytest
from django.test import Client
from django.urls import reverse

from openmash.audit.models import AuditEvent, AuditVerb
from openmash.contacts.models import Contact, JourneyStage
from openmash.core.errors import PermissionDenied, ValidationError
from openmash.decisions.services import (
    REQUESTS_WITHDRAWN_REASON,
    decision_propose,
    decision_sign_off,
    screening_record,
)
from openmash.enquiries.models import InformationRequest, RequestStatus, SharingLedgerEntry
from openmash.enquiries.services import (
    WITHDRAWN_WHAT,
    request_answer,
    requests_create,
    requests_withdraw,
)
from openmash.testing.world import World, contact_make


def signed_in(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def asked(world: World) -> tuple[Contact, dict[str, InformationRequest]]:
    contact = contact_make(world.practitioner)
    screening_record(
        actor=world.practitioner,
        contact=contact,
        outcome="mash_enquiry",
        level_of_need=3,
        rag="amber",
        rationale="Checks needed.",
    )
    created = requests_create(
        actor=world.practitioner,
        contact=contact,
        agency_ids=[str(world.agencies["police"].pk), str(world.agencies["health"].pk)],
    )
    return contact, {r.agency.code: r for r in created}


def test_signing_off_withdraws_the_requests_still_open(world: World) -> None:
    contact, requests = asked(world)
    request_answer(
        actor=world.police,
        request=requests["police"],
        result="not_known",
        lawful_basis="law_enforcement",
    )
    # Health has not answered; the MASH decides without it.
    health = signed_in(world.health)
    assert [r["id"] for r in health.get("/api/v1/requests").json()] == [str(requests["health"].pk)]
    decision = decision_propose(
        actor=world.practitioner,
        contact=contact,
        outcome_code="early_help",
        level_of_need=2,
        rationale="Early help is enough.",
    )
    decision_sign_off(actor=world.manager, decision=decision)

    health_request = InformationRequest.objects.get(pk=requests["health"].pk)
    police_request = InformationRequest.objects.get(pk=requests["police"].pk)
    assert health_request.status == RequestStatus.WITHDRAWN
    assert police_request.status == RequestStatus.ANSWERED  # answered requests are untouched

    entry = SharingLedgerEntry.objects.get(information_request=health_request, shared=False)
    assert entry.what == WITHDRAWN_WHAT
    assert entry.why == REQUESTS_WITHDRAWN_REASON
    assert entry.to == world.agencies["health"].name
    assert entry.by == world.manager
    event = AuditEvent.objects.get(verb=AuditVerb.REQUEST_WITHDRAWN)
    assert event.target_id == str(health_request.pk)
    assert event.reason == REQUESTS_WITHDRAWN_REASON
    assert event.actor == world.manager

    # Out of the queue (the page and the API), and no longer answerable (409).
    assert health.get("/api/v1/requests").json() == []
    queue = health.get(reverse("enquiries:queue")).content.decode()
    assert contact.reference not in queue
    api = health.post(
        f"/api/v1/requests/{health_request.pk}/answer",
        {"result": "not_known", "lawful_basis": "public_task_safeguarding"},
        content_type="application/json",
    )
    assert api.status_code == 409
    page = health.post(
        reverse("enquiries:detail", args=[health_request.pk]),
        {"result": "not_known", "lawful_basis": "public_task_safeguarding"},
    )
    assert page.status_code == 409
    assert "already been answered or withdrawn" in page.content.decode()
    # The researcher can still open it and sees it was withdrawn.
    detail = health.get(reverse("enquiries:detail", args=[health_request.pk])).content.decode()
    assert "Withdrawn" in detail
    health_request.refresh_from_db()
    assert health_request.status == RequestStatus.WITHDRAWN


def test_withdrawing_during_enquiry_moves_the_contact_to_its_decision(world: World) -> None:
    contact, requests = asked(world)
    withdrawn = requests_withdraw(
        actor=world.practitioner, contact=contact, reason="The family has moved out of area."
    )
    assert {r.pk for r in withdrawn} == {r.pk for r in requests.values()}
    contact.refresh_from_db()
    assert contact.stage == JourneyStage.DECISION
    assert AuditEvent.objects.filter(verb=AuditVerb.REQUEST_WITHDRAWN).count() == 2
    # Nothing left open: a second call withdraws nothing.
    assert requests_withdraw(actor=world.practitioner, contact=contact, reason="Again.") == []


def test_withdrawal_needs_a_reason_and_the_right_role(world: World) -> None:
    contact, _ = asked(world)
    with pytest.raises(ValidationError):
        requests_withdraw(actor=world.practitioner, contact=contact, reason=" ")
    with pytest.raises(PermissionDenied):
        requests_withdraw(actor=world.police, contact=contact, reason="Not needed.")
    assert not InformationRequest.objects.filter(status=RequestStatus.WITHDRAWN).exists()
