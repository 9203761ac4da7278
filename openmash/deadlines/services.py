"""Flags work that has passed its working-time deadline, once per stage. (The deadlines
themselves are set as a contact enters each stage: contacts/journey.py.)"""

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from openmash.audit.models import AuditVerb
from openmash.audit.services import audit_record
from openmash.contacts.models import Contact, JourneyStage
from openmash.enquiries.models import InformationRequest, RequestStatus


@dataclass(frozen=True)
class BreachReport:
    contacts: int
    requests: int


def breaches_flag(*, now: datetime | None = None) -> BreachReport:
    """Mark each overdue contact stage and open request, with an audit event (no actor: the
    system noticed). Running twice flags nothing new."""
    now = now or timezone.now()
    contacts = 0
    requests = 0
    overdue_contacts = Contact.objects.filter(
        stage__in=JourneyStage.open_stages(), stage_due_at__lt=now, breach_flagged_at__isnull=True
    )
    for contact in overdue_contacts.iterator():
        with transaction.atomic():
            if Contact.objects.filter(pk=contact.pk, breach_flagged_at__isnull=True).update(
                breach_flagged_at=now
            ):
                audit_record(
                    actor=None,
                    verb=AuditVerb.DEADLINE_BREACHED,
                    target=contact,
                    hub_id=contact.hub_id,
                    contact_id=contact.pk,
                    changes={"stage": contact.stage, "due_at": contact.stage_due_at},
                )
                contacts += 1
    overdue_requests = InformationRequest.objects.filter(
        status=RequestStatus.OPEN, due_at__lt=now, breach_flagged_at__isnull=True
    ).select_related("contact", "agency")
    for request in overdue_requests.iterator():
        with transaction.atomic():
            if InformationRequest.objects.filter(
                pk=request.pk, breach_flagged_at__isnull=True
            ).update(breach_flagged_at=now):
                audit_record(
                    actor=None,
                    verb=AuditVerb.DEADLINE_BREACHED,
                    target=request,
                    hub_id=request.contact.hub_id,
                    contact_id=request.contact_id,
                    changes={"agency": request.agency.name, "due_at": request.due_at},
                )
                requests += 1
    return BreachReport(contacts=contacts, requests=requests)
