"""After a referral: the assessment, the section 47 enquiry and closure (the CIN census). The
census rules themselves are pure: decisions/referral_rules.py."""

from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from openmash.access.checks import require, require_same_hub
from openmash.access.permissions import Permission
from openmash.audit.models import AuditVerb
from openmash.audit.services import audit_record, diff
from openmash.contacts.models import Contact
from openmash.core.errors import Conflict
from openmash.core.standards import ASSESSMENT_FACTORS, REFERRAL_OUTCOMES, assessment_factors_for

from ..models import DecisionStatus, ReferralProgress
from ..referral_rules import ReferralProgressInput, referral_progress_validate
from ..selectors import referral_date

if TYPE_CHECKING:
    from openmash.accounts.models import User


def referral_progress_record(
    *, actor: "User", contact: Contact, data: ReferralProgressInput
) -> ReferralProgress:
    """Record where a referral has got to (the whole record each time: what is left blank is
    not known yet). Only for a contact whose signed decision made it a referral."""
    require_same_hub(actor, contact.hub_id, "Contact not found")
    require(actor, Permission.REFERRAL_PROGRESS_RECORD)
    with transaction.atomic():
        contact.refresh_from_db(from_queryset=Contact.objects.select_for_update())
        referred_on = referral_date(contact)
        current = contact.decisions.filter(status=DecisionStatus.SIGNED_OFF).first()
        if (
            referred_on is None
            or current is None
            or current.outcome.national_code not in REFERRAL_OUTCOMES
        ):
            raise Conflict(
                "Only a referral has progress to record: this contact's signed decision is not "
                "a section 17 assessment or a section 47 enquiry."
            )
        if data.assessment_factors is None:
            data.assessment_factors = assessment_factors_default(contact)
        referral_progress_validate(data, referred_on=referred_on, today=timezone.localdate())
        new = _progress_fields(data)
        progress = ReferralProgress.objects.filter(contact=contact).first()
        old = {name: getattr(progress, name) for name in new} if progress else {}
        changed = diff(old, new)
        if progress is not None and not changed:
            return progress
        if progress is None:
            progress = ReferralProgress(contact=contact)
        for name, value in new.items():
            setattr(progress, name, value)
        progress.recorded_by = actor
        progress.recorded_at = timezone.now()
        progress.save()
        audit_record(
            actor=actor,
            verb=AuditVerb.REFERRAL_PROGRESS_RECORDED,
            target=progress,
            hub_id=contact.hub_id,
            contact_id=contact.pk,
            changes=changed,
        )
    return progress


def _progress_fields(data: ReferralProgressInput) -> dict[str, Any]:
    chosen = set(data.assessment_factors or [])
    return {
        "assessment_started_on": data.assessment_started_on,
        "assessment_authorised_on": data.assessment_authorised_on,
        # In the standard's order, whatever order they were chosen in.
        "assessment_factors": [code for code in ASSESSMENT_FACTORS if code in chosen],
        "s47_started_on": data.s47_started_on,
        "icpc_on": data.icpc_on,
        "icpc_not_required": data.icpc_not_required,
        "closed_on": data.closed_on,
        "closure_reason": data.closure_reason,
    }


def assessment_factors_default(contact: Contact) -> list[str]:
    """The factors the contact's concern categories point to: where an assessment starts."""
    return assessment_factors_for(list(contact.concern_categories))
