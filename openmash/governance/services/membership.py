"""The hub's membership: its agencies, core (taking part in decisions) or contributing."""

import re
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction

from openmash.access.checks import require_any, require_same_hub
from openmash.access.permissions import Permission
from openmash.audit.models import AuditVerb
from openmash.audit.services import audit_record, diff
from openmash.core.errors import NotFound, ValidationError
from openmash.core.standards import REFERRAL_SOURCES
from openmash.core.validation import FieldProblems
from openmash.hubs.models import Agency, AgencyType, Hub, Participation

if TYPE_CHECKING:
    from openmash.accounts.models import User

AGENCY_CODE = re.compile(r"[a-z0-9][a-z0-9-]{0,39}")


def _agency_problems(
    *,
    hub: Hub,
    new: bool,
    code: str,
    name: str,
    agency_type: str,
    participation: str,
    referral_source_code: str,
) -> FieldProblems:
    problems = FieldProblems()
    if new:
        if not AGENCY_CODE.fullmatch(code):
            problems.add(
                "code",
                "Enter a code of lower-case letters, digits and hyphens (at most 40), "
                "like housing or gp-riverside",
            )
        elif Agency.objects.filter(hub=hub, code=code).exists():
            problems.add("code", f"Another agency of the hub already has the code {code}")
    if not name.strip():
        problems.add("name", "Enter the agency's name")
    elif len(name.strip()) > 200:
        problems.add("name", "The name must be 200 characters or fewer")
    if agency_type not in AgencyType.values:
        problems.add("agency_type", "Choose the type of agency")
    if participation not in Participation.values:
        problems.add("participation", "Choose core (takes part in decisions) or contributing")
    if referral_source_code not in REFERRAL_SOURCES:
        problems.add("referral_source_code", "Choose the CIN census referral source for the agency")
    return problems


def agency_save(
    *,
    actor: "User",
    hub: Hub,
    agency: Agency | None = None,
    code: str = "",
    name: str,
    agency_type: str,
    participation: str,
    referral_source_code: str,
) -> Agency:
    """Add an agency (agency=None) or change one. Its code never changes once given: agency
    pointer indexes are loaded under it (`openmash index load --agency CODE`)."""
    require_any(actor, Permission.GOVERNANCE_MANAGE, Permission.HUB_CONFIGURE)
    require_same_hub(actor, hub.pk, "Hub not found")
    if agency is not None and agency.hub_id != hub.pk:
        raise NotFound("Agency not found")
    code = agency.code if agency is not None else code.strip().lower()
    _agency_problems(
        hub=hub,
        new=agency is None,
        code=code,
        name=name,
        agency_type=agency_type,
        participation=participation,
        referral_source_code=referral_source_code,
    ).raise_if_any()
    after = {
        "code": code,
        "name": name.strip(),
        "agency_type": agency_type,
        "participation": participation,
        "referral_source_code": referral_source_code,
    }
    before: dict[str, Any] = {}
    with transaction.atomic():
        if agency is None:
            agency = Agency(hub=hub, code=code)
        else:
            before = {key: getattr(agency, key) for key in after}
        agency.name = after["name"]
        agency.agency_type = agency_type
        agency.participation = participation
        agency.referral_source_code = referral_source_code
        try:
            with transaction.atomic():
                agency.save()
        except IntegrityError as exc:
            raise ValidationError.for_field(
                "code", f"Another agency of the hub already has the code {code}"
            ) from exc
        audit_record(
            actor=actor,
            verb=AuditVerb.GOVERNANCE_CHANGED,
            target=agency,
            hub_id=hub.pk,
            changes={"agency": diff(before, after)},
        )
    return agency
