"""Writes to the hub's governance. Each service checks permission, validates (every field
error at once), writes, and records its audit event in the same transaction."""

import logging
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from openmash.access.gates import require
from openmash.access.permissions import Permission
from openmash.audit.models import AuditVerb
from openmash.audit.services import audit_record, diff
from openmash.core.errors import (
    Conflict,
    NotFound,
    PermissionDenied,
    ValidationError,
    refused_if_not_unique,
)
from openmash.core.standards import REFERRAL_SOURCES
from openmash.hubs.models import Agency, AgencyType, Hub, HubScope, LevelOfNeed, Participation

from .models import (
    DocumentKind,
    DocumentSignature,
    DocumentVersion,
    FundingContribution,
    HubDefinition,
    LeadershipRole,
    ReviewReminder,
    StaffContribution,
    ThresholdLevel,
    ThresholdStatus,
    ThresholdVersion,
    VersionStatus,
    WorkingArrangement,
    financial_year_label,
)
from .selectors import accountable_manager, core_agencies_unsigned, review_reminder_days

if TYPE_CHECKING:
    from openmash.accounts.models import User

logger = logging.getLogger(__name__)


def _raise_if(errors: dict[str, list[str]]) -> None:
    if errors:
        raise ValidationError(next(iter(errors.values()))[0], errors=errors)


def _own_hub(actor: "User", hub: Hub) -> None:
    if actor.hub_id != hub.pk:
        raise NotFound("Hub not found")


def _require_any(actor: "User", *permissions: Permission) -> None:
    if not any(actor.can(p) for p in permissions):
        raise PermissionDenied("You do not have permission to do that.")


# -- Hub definition ----------------------------------------------------------------------------


def definition_update(
    *,
    actor: "User",
    hub: Hub,
    purpose: str,
    who_may_be_referred: str,
    scope: str,
    working_arrangement: str,
    arrangement_notes: str = "",
) -> HubDefinition:
    """The hub's standard definition (recommendation 1): purpose, who may be referred (the
    scope, and in words), and how the agencies work together."""
    require(actor, Permission.GOVERNANCE_MANAGE)
    _own_hub(actor, hub)
    errors: dict[str, list[str]] = {}
    if not purpose.strip():
        errors["purpose"] = ["Enter the hub's purpose"]
    if scope not in HubScope.values:
        errors["scope"] = ["Choose children, adults at risk, or both"]
    if not who_may_be_referred.strip():
        errors["who_may_be_referred"] = ["Say who may be referred to the hub"]
    if working_arrangement not in WorkingArrangement.values:
        errors["working_arrangement"] = ["Choose co-located, remote or hybrid working"]
    _raise_if(errors)
    with transaction.atomic():
        hub = Hub.objects.select_for_update().get(pk=hub.pk)
        definition, _ = HubDefinition.objects.get_or_create(hub=hub)
        before = {
            "purpose": definition.purpose,
            "who_may_be_referred": definition.who_may_be_referred,
            "scope": hub.scope,
            "working_arrangement": definition.working_arrangement,
            "arrangement_notes": definition.arrangement_notes,
        }
        after = {
            "purpose": purpose.strip(),
            "who_may_be_referred": who_may_be_referred.strip(),
            "scope": scope,
            "working_arrangement": working_arrangement,
            "arrangement_notes": arrangement_notes.strip(),
        }
        definition.purpose = after["purpose"]
        definition.who_may_be_referred = after["who_may_be_referred"]
        definition.working_arrangement = working_arrangement
        definition.arrangement_notes = after["arrangement_notes"]
        definition.save()
        if hub.scope != scope:
            hub.scope = scope
            hub.save(update_fields=["scope", "updated_at"])
        audit_record(
            actor=actor,
            verb=AuditVerb.GOVERNANCE_CHANGED,
            target=definition,
            hub_id=hub.pk,
            changes={"definition": diff(before, after)},
        )
    return definition


# -- Leadership --------------------------------------------------------------------------------


def leadership_role_save(
    *,
    actor: "User",
    hub: Hub,
    role: LeadershipRole | None = None,
    agency: Agency | None,
    title: str,
    user: "User | None" = None,
    person_name: str = "",
    responsibilities: str,
    is_accountable_manager: bool = False,
) -> LeadershipRole:
    """Add a named role (role=None) or change one. Exactly one role is the accountable manager
    (recommendation 2): a second is refused here and, should two requests race, by the
    database's partial unique constraint."""
    require(actor, Permission.GOVERNANCE_MANAGE)
    _own_hub(actor, hub)
    if role is not None and role.hub_id != hub.pk:
        raise NotFound("Role not found")
    errors: dict[str, list[str]] = {}
    if agency is None or agency.hub_id != hub.pk:
        errors["agency"] = ["Choose the agency the role is held for"]
    if not title.strip():
        errors["title"] = ["Enter the role's title"]
    elif len(title.strip()) > 200:
        errors["title"] = ["The title must be 200 characters or fewer"]
    if user is not None and user.hub_id != hub.pk:
        errors["user"] = ["Choose a user of this hub"]
    elif user is None and not person_name.strip():
        errors["person_name"] = ["Name the person who holds the role, or choose a user"]
    if not responsibilities.strip():
        errors["responsibilities"] = ["Describe the role's responsibilities"]
    if is_accountable_manager:
        if user is None or not user.is_active or not user.can(Permission.DECISION_SIGN_OFF):
            errors["user"] = [
                "The accountable manager must be an active MASH manager of the hub "
                "(a user who signs off decisions)"
            ]
        current = accountable_manager(hub)
        if current is not None and (role is None or current.pk != role.pk):
            errors["is_accountable_manager"] = [
                f"The hub already has an accountable manager ({current.holder_name}, "
                f"{current.title}). There can be only one: change that role first."
            ]
    _raise_if(errors)
    fields: dict[str, Any] = {
        "agency": agency.name if agency else "",
        "title": title.strip(),
        "user": user.username if user else "",
        "person_name": "" if user else person_name.strip(),
        "responsibilities": responsibilities.strip(),
        "is_accountable_manager": is_accountable_manager,
    }
    before: dict[str, Any] = {}
    try:
        with transaction.atomic():
            if role is None:
                role = LeadershipRole(hub=hub)
            else:
                before = {
                    "agency": role.agency.name,
                    "title": role.title,
                    "user": role.user.username if role.user else "",
                    "person_name": role.person_name,
                    "responsibilities": role.responsibilities,
                    "is_accountable_manager": role.is_accountable_manager,
                }
            assert agency is not None  # checked above
            role.agency = agency
            role.title = fields["title"]
            role.user = user
            role.person_name = fields["person_name"]
            role.responsibilities = fields["responsibilities"]
            role.is_accountable_manager = is_accountable_manager
            role.save()
            audit_record(
                actor=actor,
                verb=AuditVerb.GOVERNANCE_CHANGED,
                target=role,
                hub_id=hub.pk,
                changes={"leadership_role": diff(before, fields)},
            )
    except IntegrityError as exc:
        raise ValidationError.for_field(
            "is_accountable_manager",
            "The hub already has an accountable manager. There can be only one.",
        ) from exc
    return role


def leadership_role_remove(*, actor: "User", role: LeadershipRole) -> None:
    require(actor, Permission.GOVERNANCE_MANAGE)
    _own_hub(actor, role.hub)
    with transaction.atomic():
        audit_record(
            actor=actor,
            verb=AuditVerb.GOVERNANCE_CHANGED,
            target=role,
            hub_id=role.hub_id,
            changes={
                "leadership_role_removed": {
                    "title": role.title,
                    "holder": role.holder_name,
                    "agency": role.agency.name,
                    "is_accountable_manager": role.is_accountable_manager,
                }
            },
        )
        role.delete()


# -- Membership: agencies ----------------------------------------------------------------------

AGENCY_CODE = re.compile(r"[a-z0-9][a-z0-9-]{0,39}")


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
    _require_any(actor, Permission.GOVERNANCE_MANAGE, Permission.HUB_CONFIGURE)
    _own_hub(actor, hub)
    if agency is not None and agency.hub_id != hub.pk:
        raise NotFound("Agency not found")
    errors: dict[str, list[str]] = {}
    code = agency.code if agency is not None else code.strip().lower()
    if agency is None:
        if not AGENCY_CODE.fullmatch(code):
            errors["code"] = [
                "Enter a code of lower-case letters, digits and hyphens (at most 40), "
                "like housing or gp-riverside"
            ]
        elif Agency.objects.filter(hub=hub, code=code).exists():
            errors["code"] = [f"Another agency of the hub already has the code {code}"]
    if not name.strip():
        errors["name"] = ["Enter the agency's name"]
    elif len(name.strip()) > 200:
        errors["name"] = ["The name must be 200 characters or fewer"]
    if agency_type not in AgencyType.values:
        errors["agency_type"] = ["Choose the type of agency"]
    if participation not in Participation.values:
        errors["participation"] = ["Choose core (takes part in decisions) or contributing"]
    if referral_source_code not in REFERRAL_SOURCES:
        errors["referral_source_code"] = ["Choose the CIN census referral source for the agency"]
    _raise_if(errors)
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


# -- Core documents ------------------------------------------------------------------------------


def document_version_create(
    *,
    actor: "User",
    hub: Hub,
    kind: str,
    version_label: str,
    title: str,
    summary: str = "",
    body: str = "",
    effective_from: date | None,
    review_by: date | None,
    owner: "User | None" = None,
) -> DocumentVersion:
    """A new version of a core document, awaiting sign-up. Its text is fixed from now on: the
    agencies sign what they read (docs/adr/0007)."""
    require(actor, Permission.GOVERNANCE_MANAGE)
    _own_hub(actor, hub)
    errors: dict[str, list[str]] = {}
    if kind not in DocumentKind.values:
        errors["kind"] = ["Choose which core document this is"]
    label = version_label.strip()
    if not label:
        errors["version_label"] = ["Enter a version, like 2 or 2.1"]
    elif len(label) > 20:
        errors["version_label"] = ["The version must be 20 characters or fewer"]
    elif DocumentVersion.objects.filter(hub=hub, kind=kind, version_label=label).exists():
        errors["version_label"] = [f"Version {label} of this document already exists"]
    if not title.strip():
        errors["title"] = ["Enter the document's title"]
    elif len(title.strip()) > 200:
        errors["title"] = ["The title must be 200 characters or fewer"]
    if not body.strip() and not summary.strip():
        errors["body"] = ["Enter the document's text, or a summary of it"]
    if effective_from is None:
        errors["effective_from"] = ["Enter the date the version takes effect"]
    if review_by is None:
        errors["review_by"] = ["Enter the date by which the version must be reviewed"]
    elif effective_from is not None and review_by <= effective_from:
        errors["review_by"] = ["The review date must be after the date it takes effect"]
    if owner is not None and owner.hub_id != hub.pk:
        errors["owner"] = ["Choose a user of this hub"]
    _raise_if(errors)
    assert effective_from is not None and review_by is not None
    with (
        refused_if_not_unique(
            ValidationError.for_field(
                "version_label", f"Version {label} of this document already exists"
            )
        ),
        transaction.atomic(),
    ):
        version = DocumentVersion.objects.create(
            hub=hub,
            kind=kind,
            version_label=label,
            title=title.strip(),
            summary=summary.strip(),
            body=body.strip(),
            effective_from=effective_from,
            review_by=review_by,
            owner=owner or actor,
            created_by=actor,
        )
        audit_record(
            actor=actor,
            verb=AuditVerb.GOVERNANCE_CHANGED,
            target=version,
            hub_id=hub.pk,
            changes={
                "document_version": {
                    "kind": kind,
                    "version": label,
                    "title": version.title,
                    "effective_from": effective_from.isoformat(),
                    "review_by": review_by.isoformat(),
                }
            },
        )
    return version


def document_sign(*, actor: "User", version: DocumentVersion, agency: Agency) -> DocumentSignature:
    """An agency lead signs a version for their own agency: once per agency per version. A
    superseded version can no longer be signed."""
    require(actor, Permission.DOCUMENT_SIGN)
    if actor.hub_id != version.hub_id:
        raise NotFound("Document not found")
    if actor.agency_id is None or agency.pk != actor.agency_id:
        raise PermissionDenied("You can sign only for your own agency.")
    with transaction.atomic():
        version = DocumentVersion.objects.select_for_update().get(pk=version.pk)
        if version.status == VersionStatus.SUPERSEDED:
            raise Conflict("This version has been superseded and can no longer be signed.")
        existing = version.signatures.filter(agency=agency).select_related("signed_by").first()
        if existing is not None:
            raise Conflict(
                f"{agency.name} has already signed version {version.version_label} "
                f"({existing.signed_by.display_name}, "
                f"{timezone.localtime(existing.signed_at):%d %B %Y})."
            )
        signature = DocumentSignature.objects.create(
            version=version, agency=agency, signed_by=actor, signed_at=timezone.now()
        )
        audit_record(
            actor=actor,
            verb=AuditVerb.DOCUMENT_SIGNED,
            target=version,
            hub_id=version.hub_id,
            changes={
                "document": version.kind,
                "version": version.version_label,
                "agency": agency.name,
            },
        )
    return signature


def document_publish(*, actor: "User", version: DocumentVersion) -> DocumentVersion:
    """Make a version current; the version it replaces is superseded. Only a version every core
    agency has signed can become current (docs/adr/0007)."""
    require(actor, Permission.GOVERNANCE_MANAGE)
    _own_hub(actor, version.hub)
    with transaction.atomic():
        version = DocumentVersion.objects.select_for_update().get(pk=version.pk)
        if version.status != VersionStatus.DRAFT:
            raise Conflict(
                f"Version {version.version_label} is already "
                f"{version.get_status_display().lower()}."
            )
        unsigned = core_agencies_unsigned(version)
        if unsigned:
            names = ", ".join(a.name for a in unsigned)
            raise ValidationError.for_field(
                "signatures",
                f"Version {version.version_label} cannot be made current until every core "
                f"agency has signed it. Not yet signed by: {names}.",
            )
        previous = DocumentVersion.objects.select_for_update().filter(
            hub_id=version.hub_id, kind=version.kind, status=VersionStatus.CURRENT
        )
        superseded = [v.version_label for v in previous]
        previous.update(status=VersionStatus.SUPERSEDED, updated_at=timezone.now())
        version.status = VersionStatus.CURRENT
        version.published_at = timezone.now()
        version.published_by = actor
        version.save(update_fields=["status", "published_at", "published_by", "updated_at"])
        audit_record(
            actor=actor,
            verb=AuditVerb.DOCUMENT_PUBLISHED,
            target=version,
            hub_id=version.hub_id,
            changes={
                "document": version.kind,
                "version": version.version_label,
                "status": [VersionStatus.DRAFT, VersionStatus.CURRENT],
                "superseded": superseded,
            },
        )
    return version


def review_reminders_send(*, today: date | None = None, days: int | None = None) -> int:
    """E-mail the accountable manager and the document's owner once, `days` (default: the
    OPENMASH_REVIEW_REMINDER_DAYS setting, 30) before a current version's review date, or as
    soon as it is noticed within that window. Each reminder is recorded, so it is never sent
    twice; a failed e-mail is not recorded, so the next run tries again. Returns how many went."""
    today = today or timezone.localdate()
    days = review_reminder_days() if days is None else days
    due = DocumentVersion.objects.filter(status=VersionStatus.CURRENT).exclude(
        review_reminders__days_before=days
    )
    sent = 0
    for version in due.select_related("hub", "owner").order_by("review_by"):
        if (version.review_by - today).days > days:
            continue
        try:
            sent += _review_reminder_send(version, today=today, days=days)
        except Exception as exc:  # one failed e-mail never stops the others
            logger.warning("Review reminder %s not sent: %s", version.pk, type(exc).__name__)
    return sent


def _review_reminder_send(version: DocumentVersion, *, today: date, days: int) -> bool:
    leader = accountable_manager(version.hub)
    recipients = sorted(
        {
            u.email
            for u in (leader.user if leader else None, version.owner)
            if u is not None and u.email and u.is_active
        }
    )
    with transaction.atomic():
        if ReviewReminder.objects.filter(version=version, days_before=days).exists():
            return False
        ReviewReminder.objects.create(
            version=version, days_before=days, sent_at=timezone.now(), recipients=recipients
        )
        audit_record(
            actor=None,
            verb=AuditVerb.GOVERNANCE_CHANGED,
            target=version,
            hub_id=version.hub_id,
            changes={
                "review_reminder": {
                    "version": version.version_label,
                    "review_by": version.review_by.isoformat(),
                    "days_before": days,
                    "recipients": recipients,
                }
            },
        )
        if recipients:
            # Inside the transaction: a failed e-mail rolls the record back, to try again.
            when = "was due" if version.review_by < today else "is due"
            review_by = f"{version.review_by.day} {version.review_by:%B %Y}"
            send_mail(
                f"{version.hub.name}: {version} review {when} by {review_by}",
                f"The {version.get_kind_display().lower()} (version "
                f'{version.version_label}, "{version.title}") {when} for review by '
                f"{review_by}.\n\nPublish a reviewed version and ask each agency to sign it "
                "up, under Governance > Core documents.",
                None,
                recipients,
                fail_silently=False,
            )
    return True


# -- Local thresholds ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ThresholdLevelInput:
    level: int
    name: str
    descriptor: str


def threshold_version_publish(
    *,
    actor: "User",
    hub: Hub,
    version_label: str,
    effective_from: date | None,
    red_criteria: str,
    amber_criteria: str,
    green_criteria: str,
    levels: list[ThresholdLevelInput],
    introduction: str = "",
) -> ThresholdVersion:
    """Publish the hub's thresholds in its own words. The previous version is kept,
    superseded; the hub's levels of need take this version's names and descriptors, so every
    page that names a level uses them. The level numbers themselves are hub settings: a version
    describes exactly the hub's levels (docs/adr/0007)."""
    require(actor, Permission.GOVERNANCE_MANAGE)
    _own_hub(actor, hub)
    errors: dict[str, list[str]] = {}
    label = version_label.strip()
    if not label:
        errors["version_label"] = ["Enter a version, like 2 or 2.1"]
    elif len(label) > 20:
        errors["version_label"] = ["The version must be 20 characters or fewer"]
    elif ThresholdVersion.objects.filter(hub=hub, version_label=label).exists():
        errors["version_label"] = [f"Thresholds version {label} already exists"]
    if effective_from is None:
        errors["effective_from"] = ["Enter the date the thresholds take effect"]
    for rag, text in (("red", red_criteria), ("amber", amber_criteria), ("green", green_criteria)):
        if not text.strip():
            errors[f"{rag}_criteria"] = [f"Describe when a contact is rated {rag.title()}"]
    hub_levels = set(LevelOfNeed.objects.filter(hub=hub).values_list("level", flat=True))
    given = [item.level for item in levels]
    if sorted(given) != sorted(hub_levels):
        errors["levels"] = [
            "Describe each of the hub's levels of need once: "
            + ", ".join(str(n) for n in sorted(hub_levels))
        ]
    for item in levels:
        if not item.name.strip() or len(item.name.strip()) > 100:
            errors[f"levels.{item.level}"] = [
                f"Enter a name of at most 100 characters for level {item.level}"
            ]
        elif not item.descriptor.strip():
            errors[f"levels.{item.level}"] = [f"Describe level {item.level} in the hub's words"]
    _raise_if(errors)
    assert effective_from is not None
    now = timezone.now()
    with (
        refused_if_not_unique(
            ValidationError.for_field("version_label", f"Thresholds version {label} already exists")
        ),
        transaction.atomic(),
    ):
        Hub.objects.select_for_update().get(pk=hub.pk)  # one publication at a time
        before = {str(lv.level): lv.name for lv in LevelOfNeed.objects.filter(hub=hub)}
        previous = list(
            ThresholdVersion.objects.filter(hub=hub, status=ThresholdStatus.CURRENT).values_list(
                "version_label", flat=True
            )
        )
        ThresholdVersion.objects.filter(hub=hub, status=ThresholdStatus.CURRENT).update(
            status=ThresholdStatus.SUPERSEDED, updated_at=now
        )
        version = ThresholdVersion.objects.create(
            hub=hub,
            version_label=label,
            introduction=introduction.strip(),
            red_criteria=red_criteria.strip(),
            amber_criteria=amber_criteria.strip(),
            green_criteria=green_criteria.strip(),
            effective_from=effective_from,
            status=ThresholdStatus.CURRENT,
            published_at=now,
            published_by=actor,
        )
        for item in sorted(levels, key=lambda i: i.level):
            ThresholdLevel.objects.create(
                version=version,
                level=item.level,
                name=item.name.strip(),
                descriptor=item.descriptor.strip(),
            )
            LevelOfNeed.objects.filter(hub=hub, level=item.level).update(
                name=item.name.strip(), description=item.descriptor.strip(), updated_at=now
            )
        after = {str(item.level): item.name.strip() for item in levels}
        audit_record(
            actor=actor,
            verb=AuditVerb.DOCUMENT_PUBLISHED,
            target=version,
            hub_id=hub.pk,
            changes={
                "thresholds": label,
                "superseded": previous,
                "levels": diff(before, after),
            },
        )
    return version


# -- Funding and resources -----------------------------------------------------------------------


@dataclass(frozen=True)
class StaffInput:
    role: str
    fte: Decimal


MAX_FTE = Decimal("999.99")
# £10 trillion: far above any contribution, far below the column's limit.
MAX_AMOUNT_PENCE = 10**15


def funding_record(
    *,
    actor: "User",
    hub: Hub,
    agency: Agency | None,
    financial_year: int | None,
    amount_pence: int | None,
    staff: list[StaffInput],
    notes: str = "",
) -> FundingContribution:
    """An agency's contribution for a financial year (recommendation 6): money and staff by
    role. Recording it again replaces that year's figures (the audit trail keeps the old)."""
    require(actor, Permission.GOVERNANCE_MANAGE)
    _own_hub(actor, hub)
    errors: dict[str, list[str]] = {}
    if agency is None or agency.hub_id != hub.pk:
        errors["agency"] = ["Choose the agency"]
    if financial_year is None or not 2000 <= financial_year <= 2100:
        errors["financial_year"] = ["Enter the year the financial year starts, like 2025"]
    if amount_pence is None or amount_pence < 0:
        errors["amount"] = ["Enter the money contributed in pounds, 0 or more"]
    elif amount_pence > MAX_AMOUNT_PENCE:
        errors["amount"] = [f"Money contributed must be £{MAX_AMOUNT_PENCE // 100:,} or less"]
    roles: set[str] = set()
    for index, item in enumerate(staff):
        key = f"staff.{index}"
        role = item.role.strip()
        if not role or len(role) > 100:
            errors[key] = ["Enter the role (at most 100 characters) for each line of staff"]
        elif role.lower() in roles:
            errors[key] = [f"{role} is given twice: give each role once"]
        elif (
            not item.fte.is_finite()  # NaN cannot even be compared
            or not Decimal(0) < item.fte <= MAX_FTE
            or item.fte != item.fte.quantize(Decimal("0.01"))
        ):
            errors[key] = [f"Enter the full-time equivalent for {role}, like 1 or 0.5"]
        roles.add(role.lower())
    _raise_if(errors)
    assert agency is not None and financial_year is not None and amount_pence is not None
    with transaction.atomic():
        current = (
            FundingContribution.objects.select_for_update()
            .filter(agency=agency, financial_year=financial_year)
            .first()
        )
        before: dict[str, Any] = {}
        if current is not None:
            before = {
                "amount_pence": current.amount_pence,
                "staff": {s.role: str(s.fte) for s in current.staff.all()},
                "notes": current.notes,
            }
        contribution, _ = FundingContribution.objects.update_or_create(
            agency=agency,
            financial_year=financial_year,
            defaults={"hub": hub, "amount_pence": amount_pence, "notes": notes.strip()},
        )
        contribution.staff.all().delete()
        for item in staff:
            StaffContribution.objects.create(
                contribution=contribution, role=item.role.strip(), fte=item.fte
            )
        after = {
            "amount_pence": amount_pence,
            "staff": {item.role.strip(): str(item.fte) for item in staff},
            "notes": notes.strip(),
        }
        audit_record(
            actor=actor,
            verb=AuditVerb.GOVERNANCE_CHANGED,
            target=contribution,
            hub_id=hub.pk,
            changes={
                "funding": {
                    "agency": agency.name,
                    "year": financial_year_label(financial_year),
                    **diff(before, after),
                }
            },
        )
    return contribution
