"""Originator's consent to onward disclosure: an answer marked "originator's consent needed
before onward disclosure" may be released to the referrer only after a researcher of the
agency that gave it records that consent, as an entry in the sharing ledger (golden rule 7).
The feedback to the referrer asks `originator_items_without_consent` (decisions/services)."""

from typing import TYPE_CHECKING

from django.db import transaction

from openmash.access.checks import require, require_same_hub
from openmash.access.permissions import Permission
from openmash.audit.models import AuditVerb
from openmash.audit.services import audit_record
from openmash.contacts.models import Contact
from openmash.core.errors import Conflict, PermissionDenied

from .models import Handling, InformationRequest, LawfulBasis, RequestStatus, SharingLedgerEntry
from .services import ledger_record

if TYPE_CHECKING:
    from openmash.accounts.models import User

ONWARD_CONSENT_WHAT = "Consent to onward disclosure to the referrer"
ONWARD_CONSENT_TO = "The referrer (through the MASH)"


def _consent_entries(requests: list[InformationRequest]) -> set[object]:
    """The ids of the requests whose own agency has recorded consent."""
    entries = SharingLedgerEntry.objects.filter(
        information_request__in=requests,
        shared=True,
        what=ONWARD_CONSENT_WHAT,
        handling=Handling.ORIGINATOR_CONSENT,
    ).values_list("information_request_id", "from_agency_id", "by__agency_id")
    by_request = {r.pk: r.agency_id for r in requests}
    # Made by a researcher of the originating agency, for that agency: nobody else's word.
    return {
        request_id
        for request_id, from_agency, by_agency in entries
        if by_request.get(request_id) == from_agency == by_agency
    }


def onward_consent_recorded(info_request: InformationRequest) -> bool:
    return info_request.pk in _consent_entries([info_request])


def originator_items_without_consent(contact: Contact) -> list[InformationRequest]:
    """The contact's answers marked originator-controlled whose agency has not consented."""
    marked = list(
        InformationRequest.objects.filter(
            contact=contact, handling=Handling.ORIGINATOR_CONSENT
        ).select_related("agency")
    )
    consented = _consent_entries(marked)
    return [r for r in marked if r.pk not in consented]


def onward_consent_record(*, actor: "User", info_request: InformationRequest) -> SharingLedgerEntry:
    """A researcher of the originating agency consents to the answer's onward disclosure to the
    referrer. Once only; audited; recorded in the sharing ledger."""
    require_same_hub(actor, info_request.contact.hub_id, "Request not found")
    require(actor, Permission.REQUEST_ANSWER)
    if actor.agency_id != info_request.agency_id:
        raise PermissionDenied("Only the agency that gave the answer can consent to its release.")
    with transaction.atomic():
        info_request = InformationRequest.objects.select_for_update().get(pk=info_request.pk)
        if (
            info_request.status != RequestStatus.ANSWERED
            or info_request.handling != Handling.ORIGINATOR_CONSENT
        ):
            raise Conflict("Only an answer marked as needing your consent can be released.")
        if onward_consent_recorded(info_request):
            raise Conflict("Your agency's consent is already recorded.")
        entry = ledger_record(
            actor=actor,
            contact=info_request.contact,
            shared=True,
            what=ONWARD_CONSENT_WHAT,
            from_agency=info_request.agency,
            to=ONWARD_CONSENT_TO,
            why="The originating agency consents to onward disclosure",
            lawful_basis=info_request.lawful_basis or LawfulBasis.PUBLIC_TASK_SAFEGUARDING,
            handling=Handling.ORIGINATOR_CONSENT,
            information_request=info_request,
        )
        audit_record(
            actor=actor,
            verb=AuditVerb.ONWARD_CONSENT_RECORDED,
            target=info_request,
            hub_id=info_request.contact.hub_id,
            contact_id=info_request.contact_id,
            changes={"consent": "onward disclosure to the referrer"},
        )
    return entry
