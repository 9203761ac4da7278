"""MASH enquiry writes: ask agencies, record their answers, keep the sharing ledger."""

from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from openmash.access.checks import require, require_same_hub
from openmash.access.permissions import Permission
from openmash.audit.models import AuditVerb
from openmash.audit.services import audit_record
from openmash.contacts.journey import (
    CLOCK_FIELDS,
    journey_clock,
    journey_enter,
    journey_reschedule,
)
from openmash.contacts.models import Contact, JourneyStage
from openmash.core.errors import Conflict, NotFound, ValidationError
from openmash.core.identifiers import is_uuid
from openmash.core.validation import FieldProblems
from openmash.hubs.models import Agency
from openmash.hubs.selectors import due_at

from .models import (
    Handling,
    InformationRequest,
    LawfulBasis,
    RequestStatus,
    ResponseResult,
    SharingLedgerEntry,
)

if TYPE_CHECKING:
    from openmash.accounts.models import User

ASKABLE_STAGES = JourneyStage.askable_stages()


def ledger_record(
    *,
    actor: "User",
    contact: Contact,
    shared: bool,
    what: str,
    from_agency: Agency,
    to: str,
    why: str,
    lawful_basis: str = LawfulBasis.PUBLIC_TASK_SAFEGUARDING,
    handling: str = "",
    information_request: InformationRequest | None = None,
) -> SharingLedgerEntry:
    """Golden rule 7. Call inside the transaction of the disclosure itself."""
    require_same_hub(actor, contact.hub_id, "Contact not found")
    return SharingLedgerEntry.objects.create(
        contact=contact,
        information_request=information_request,
        shared=shared,
        what=what,
        by=actor,
        from_agency=from_agency,
        to=to,
        why=why,
        lawful_basis=lawful_basis,
        handling=handling,
        at=timezone.now(),
    )


def mash_agency_for(contact: Contact) -> Agency:
    agency = Agency.objects.filter(hub=contact.hub, is_mash_team=True).first()
    if agency is None:
        raise Conflict("This hub has no MASH team agency configured.")
    return agency


def requests_create(
    *, actor: "User", contact: Contact, agency_ids: list[str], question: str = ""
) -> list[InformationRequest]:
    """Ask each chosen agency what it knows. Each request is due by the RAG timescale."""
    require_same_hub(actor, contact.hub_id, "Contact not found")
    require(actor, Permission.REQUEST_CREATE)
    agencies = _agencies_to_ask(contact, agency_ids)
    with transaction.atomic():
        # Re-read the contact under a lock: its stage, RAG and open requests are checked here,
        # where no other writer can change them before this one commits.
        contact.refresh_from_db(from_queryset=Contact.objects.select_for_update())
        if contact.stage not in ASKABLE_STAGES:
            raise Conflict(
                "Information can be requested only after screening and before a decision."
            )
        already = set(
            contact.requests.filter(status=RequestStatus.OPEN, agency__in=agencies).values_list(
                "agency__name", flat=True
            )
        )
        if already:
            raise ValidationError.for_field(
                "agencies", f"Already waiting for an answer from {', '.join(sorted(already))}"
            )
        now = timezone.now()
        rag = contact.rag or "green"
        deadline = due_at(contact.hub, _enquiry_clock(rag), now)
        mash = mash_agency_for(contact)
        created = [
            _request_create(
                actor=actor,
                contact=contact,
                agency=agency,
                mash=mash,
                question=question.strip(),
                requested_at=now,
                due=deadline,
            )
            for agency in agencies
        ]
        # The enquiry is due when its last open request is.
        last_due = max(r.due_at for r in contact.requests.filter(status=RequestStatus.OPEN))
        if contact.stage != JourneyStage.ENQUIRY:
            journey_enter(contact, JourneyStage.ENQUIRY, due=last_due, now=now)
        else:
            journey_reschedule(contact, due=last_due, clear_breach=False)
        contact.save(update_fields=CLOCK_FIELDS)
    return created


def _agencies_to_ask(contact: Contact, agency_ids: list[str]) -> list[Agency]:
    if not agency_ids:
        raise ValidationError.for_field("agencies", "Choose at least one agency to ask")
    if not all(is_uuid(a) for a in agency_ids):
        raise ValidationError.for_field("agencies", "Choose agencies from this hub's list")
    agencies = list(Agency.objects.filter(hub=contact.hub, is_mash_team=False, pk__in=agency_ids))
    if len(agencies) != len(set(agency_ids)):
        raise ValidationError.for_field("agencies", "Choose agencies from this hub's list")
    return agencies


def _request_create(
    *,
    actor: "User",
    contact: Contact,
    agency: Agency,
    mash: Agency,
    question: str,
    requested_at: datetime,
    due: datetime,
) -> InformationRequest:
    """One request, with its disclosure in the ledger (what the MASH sends to search with)."""
    rag = contact.rag or "green"
    request = InformationRequest.objects.create(
        contact=contact,
        agency=agency,
        rag=rag,
        question=question,
        requested_by=actor,
        requested_at=requested_at,
        due_at=due,
    )
    ledger_record(
        actor=actor,
        contact=contact,
        shared=True,
        information_request=request,
        what="Identifying details of the people named, to search agency records",
        from_agency=mash,
        to=agency.name,
        why="MASH enquiry: to find what the agency knows about the people named",
    )
    audit_record(
        actor=actor,
        verb=AuditVerb.REQUEST_CREATED,
        target=request,
        hub_id=contact.hub_id,
        contact_id=contact.pk,
        changes={"agency": agency.name, "rag": rag, "due_at": due},
    )
    return request


def _enquiry_clock(rag: str) -> str:
    clock = journey_clock(JourneyStage.ENQUIRY, rag=rag)
    assert clock is not None  # an enquiry always runs on a clock
    return clock


def request_answer(
    *,
    actor: "User",
    request: InformationRequest,
    result: str,
    information: str = "",
    not_checked_reason: str = "",
    handling: str = "",
    lawful_basis: str = "",
) -> InformationRequest:
    """An agency researcher answers a request addressed to their own agency."""
    require_same_hub(actor, request.contact.hub_id, "Information request not found")
    require(actor, Permission.REQUEST_ANSWER)
    if request.agency_id != actor.agency_id:
        raise NotFound("Information request not found")
    problems = FieldProblems()
    if result not in ResponseResult.values:
        problems.add("result", "Choose whether the people are known to your agency")
    if result == ResponseResult.KNOWN and not information.strip():
        problems.add("information", "Enter the information your agency holds")
    if result == ResponseResult.NOT_CHECKED and not not_checked_reason.strip():
        problems.add("not_checked_reason", "Explain why your agency's records were not checked")
    if result == ResponseResult.KNOWN and handling not in Handling.values:
        problems.add("handling", "Choose how this information may be shared onward")
    if result != ResponseResult.NOT_CHECKED and lawful_basis not in LawfulBasis.values:
        problems.add("lawful_basis", "Choose the lawful basis for sharing")
    problems.raise_if_any()
    contact = request.contact
    with transaction.atomic():
        # Lock the contact, then the request (the order every writer uses), and check the
        # request is still open now: a second answer, or a withdrawal, may have got there first.
        contact.refresh_from_db(from_queryset=Contact.objects.select_for_update())
        request.refresh_from_db(from_queryset=InformationRequest.objects.select_for_update())
        if request.status != RequestStatus.OPEN:
            raise Conflict("This request has already been answered or withdrawn.")
        now = timezone.now()
        request.result = result
        request.information = information.strip() if result == ResponseResult.KNOWN else ""
        request.not_checked_reason = (
            not_checked_reason.strip() if result == ResponseResult.NOT_CHECKED else ""
        )
        request.handling = handling if result == ResponseResult.KNOWN else ""
        request.lawful_basis = lawful_basis if result != ResponseResult.NOT_CHECKED else ""
        request.status = RequestStatus.ANSWERED
        request.answered_by = actor
        request.answered_at = now
        request.save()
        _answer_ledger_record(actor=actor, contact=contact, request=request)
        audit_record(
            actor=actor,
            verb=AuditVerb.REQUEST_ANSWERED,
            target=request,
            hub_id=contact.hub_id,
            contact_id=contact.pk,
            changes={
                "result": result,
                "handling": request.handling,
                "lawful_basis": request.lawful_basis,
            },
        )
        open_left = contact.requests.filter(status=RequestStatus.OPEN)
        if contact.stage == JourneyStage.ENQUIRY and not open_left.exists():
            contact.save(update_fields=journey_enter(contact, JourneyStage.DECISION, now=now))
    return request


def _answer_ledger_record(
    *, actor: "User", contact: Contact, request: InformationRequest
) -> SharingLedgerEntry:
    """The agency's answer is a disclosure to the MASH (or a record that nothing was shared)."""
    result = ResponseResult(request.result)
    return ledger_record(
        actor=actor,
        contact=contact,
        information_request=request,
        shared=result != ResponseResult.NOT_CHECKED,
        what={
            ResponseResult.KNOWN: "Information held by the agency about the people named",
            ResponseResult.NOT_KNOWN: "That the people named are not known to the agency",
            ResponseResult.NOT_CHECKED: "Nothing: records were not checked",
        }[result],
        from_agency=request.agency,
        to="MASH",
        why=(
            request.not_checked_reason
            if result == ResponseResult.NOT_CHECKED
            else "Answer to a MASH information request"
        ),
        lawful_basis=request.lawful_basis or LawfulBasis.PUBLIC_TASK_SAFEGUARDING,
        handling=request.handling,
    )


def requests_reschedule_for_rag(*, contact: Contact, rag: str) -> dict[str, list[Any]]:
    """A re-rating changes the deadline of every open request (counted from when it was made).
    Call inside the re-rating's transaction; returns {agency name: [old due, new due]} for its
    audit event."""
    stage = _enquiry_clock(rag)
    changes: dict[str, list[Any]] = {}
    for request in contact.requests.filter(status=RequestStatus.OPEN).select_related("agency"):
        old_due = request.due_at
        request.rag = rag
        request.due_at = due_at(contact.hub, stage, request.requested_at)
        request.breach_flagged_at = None
        request.save(update_fields=["rag", "due_at", "breach_flagged_at", "updated_at"])
        changes[request.agency.name] = [old_due, request.due_at]
    return changes


WITHDRAWN_WHAT = "Decision not to share / request withdrawn"


def requests_withdraw(*, actor: "User", contact: Contact, reason: str) -> list[InformationRequest]:
    """Withdraw every request of the contact still waiting for an answer (e.g. because a
    decision has been signed off): each leaves its agency's queue, and the ledger and the audit
    trail say why. Call inside the transaction of the change that makes them unnecessary, or on
    its own."""
    require_same_hub(actor, contact.hub_id, "Contact not found")
    require(actor, Permission.REQUEST_CREATE)
    if not reason.strip():
        raise ValidationError.for_field("reason", "Say why the requests are withdrawn")
    withdrawn = []
    with transaction.atomic():
        contact.refresh_from_db(from_queryset=Contact.objects.select_for_update())
        open_requests = list(
            InformationRequest.objects.select_for_update()
            .filter(contact=contact, status=RequestStatus.OPEN)
            .order_by("requested_at", "id")
        )
        if not open_requests:
            return []
        mash = mash_agency_for(contact)
        for request in open_requests:
            request.status = RequestStatus.WITHDRAWN
            request.save(update_fields=["status", "updated_at"])
            ledger_record(
                actor=actor,
                contact=contact,
                information_request=request,
                shared=False,
                what=WITHDRAWN_WHAT,
                from_agency=mash,
                to=request.agency.name,
                why=reason.strip(),
            )
            audit_record(
                actor=actor,
                verb=AuditVerb.REQUEST_WITHDRAWN,
                target=request,
                hub_id=contact.hub_id,
                contact_id=contact.pk,
                changes={
                    "agency": request.agency.name,
                    "status": [RequestStatus.OPEN, RequestStatus.WITHDRAWN],
                },
                reason=reason.strip(),
            )
            withdrawn.append(request)
        if contact.stage == JourneyStage.ENQUIRY:
            # Nothing left to wait for: the contact moves on to its decision.
            contact.save(update_fields=journey_enter(contact, JourneyStage.DECISION))
    return withdrawn


def sharing_decision_record(
    *,
    actor: "User",
    contact: Contact,
    shared: bool,
    what: str,
    to: str,
    why: str,
    lawful_basis: str,
) -> SharingLedgerEntry:
    """Golden rule 7 for anything shared outside a request (a strategy meeting, a school, the
    family) and for decisions NOT to share: what, with whom, why, when, on what basis."""
    require_same_hub(actor, contact.hub_id, "Contact not found")
    require(actor, Permission.SHARING_RECORD)
    problems = FieldProblems()
    if not what.strip():
        problems.add("what", "Say what information was shared, or was not shared")
    if not to.strip():
        problems.add("to", "Say who it was shared with, or who asked for it")
    else:
        problems.check_length("to", to, 200, "Who it was shared with")
    if not why.strip():
        problems.add("why", "Give the reason for the decision")
    if lawful_basis not in LawfulBasis.values:
        problems.add("lawful_basis", "Choose the lawful basis considered")
    problems.raise_if_any()
    if actor.agency is None:
        raise Conflict("Only a member of an agency can record a sharing decision.")
    with transaction.atomic():
        entry = ledger_record(
            actor=actor,
            contact=contact,
            shared=shared,
            what=what.strip(),
            from_agency=actor.agency,
            to=to.strip(),
            why=why.strip(),
            lawful_basis=lawful_basis,
        )
        audit_record(
            actor=actor,
            verb=AuditVerb.SHARING_RECORDED,
            target=entry,
            hub_id=contact.hub_id,
            contact_id=contact.pk,
            changes={"shared": shared, "to": to.strip(), "lawful_basis": lawful_basis},
            reason=why.strip(),
        )
    return entry
