"""Reading police-supplied information asks for a reason (DPA 2018 s.62 consultation log).

Police answers are processed under Part 3 of the Data Protection Act 2018, whose section 62
wants each consultation logged with its justification. The first time a user outside the
police opens police information in a contact, the page asks why; the reason is recorded with
the read (`police_info.consulted`), and from then on that user sees the contact's police
answers without being asked again. The police's own researchers never are: it is their record.
"""

from typing import TYPE_CHECKING

from django.db import transaction

from openmash.access.checks import require_same_hub
from openmash.audit.models import AuditEvent, AuditVerb
from openmash.audit.services import audit_record
from openmash.core.errors import NotFound
from openmash.core.validation import FieldProblems
from openmash.hubs.models import AgencyType

if TYPE_CHECKING:
    from openmash.accounts.models import User
    from openmash.enquiries.models import InformationRequest

    from .models import Contact

MAX_REASON = 500


def is_police_information(request: "InformationRequest") -> bool:
    """An answer whose information came from the police."""
    return bool(request.information) and request.agency.agency_type == AgencyType.POLICE


def police_reason_needed(user: "User", contact: "Contact") -> bool:
    """Must this user give a reason before this contact's police information is shown?"""
    if user.agency is not None and user.agency.agency_type == AgencyType.POLICE:
        return False
    return not AuditEvent.objects.filter(
        verb=AuditVerb.POLICE_INFORMATION_CONSULTED, actor=user, contact_id=contact.pk
    ).exists()


def police_information_consult(*, actor: "User", contact: "Contact", reason: str) -> None:
    """Record why `actor` reads the contact's police information (once per user and contact).
    The caller has opened the contact through its gate."""
    require_same_hub(actor, contact.hub_id, "Contact not found")
    police = [
        r.pk
        for r in contact.requests.select_related("agency")
        if r.agency.agency_type == AgencyType.POLICE and r.information
    ]
    if not police:
        raise NotFound("This contact holds no police information")
    reason = reason.strip()
    problems = FieldProblems()
    if not reason:
        problems.add("reason", "Enter why you need to read the police information")
    problems.check_length("reason", reason, MAX_REASON, "The reason")
    problems.raise_if_any()
    with transaction.atomic():
        audit_record(
            actor=actor,
            verb=AuditVerb.POLICE_INFORMATION_CONSULTED,
            target=contact,
            hub_id=contact.hub_id,
            contact_id=contact.pk,
            changes={"requests": [str(pk) for pk in police]},
            reason=reason,
        )
