"""Core documents and their sign-up (docs/adr/0007): a version's text is fixed once saved,
each agency signs it for itself, and only a version every core agency has signed becomes
current."""

from datetime import date
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from openmash.access.checks import require, require_same_hub
from openmash.access.permissions import Permission
from openmash.audit.models import AuditVerb
from openmash.audit.services import audit_record
from openmash.core.errors import Conflict, PermissionDenied, ValidationError, refused_if_not_unique
from openmash.core.validation import FieldProblems
from openmash.governance.models import (
    DocumentKind,
    DocumentSignature,
    DocumentVersion,
    VersionStatus,
)
from openmash.governance.selectors import core_agencies_unsigned
from openmash.hubs.models import Agency, Hub

if TYPE_CHECKING:
    from openmash.accounts.models import User


def _version_problems(
    *,
    hub: Hub,
    kind: str,
    label: str,
    title: str,
    summary: str,
    body: str,
    effective_from: date | None,
    review_by: date | None,
    owner: "User | None",
) -> FieldProblems:
    problems = FieldProblems()
    if kind not in DocumentKind.values:
        problems.add("kind", "Choose which core document this is")
    if not label:
        problems.add("version_label", "Enter a version, like 2 or 2.1")
    elif len(label) > 20:
        problems.add("version_label", "The version must be 20 characters or fewer")
    elif DocumentVersion.objects.filter(hub=hub, kind=kind, version_label=label).exists():
        problems.add("version_label", f"Version {label} of this document already exists")
    if not title.strip():
        problems.add("title", "Enter the document's title")
    elif len(title.strip()) > 200:
        problems.add("title", "The title must be 200 characters or fewer")
    if not body.strip() and not summary.strip():
        problems.add("body", "Enter the document's text, or a summary of it")
    if effective_from is None:
        problems.add("effective_from", "Enter the date the version takes effect")
    if review_by is None:
        problems.add("review_by", "Enter the date by which the version must be reviewed")
    elif effective_from is not None and review_by <= effective_from:
        problems.add("review_by", "The review date must be after the date it takes effect")
    if owner is not None and owner.hub_id != hub.pk:
        problems.add("owner", "Choose a user of this hub")
    return problems


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
    require_same_hub(actor, hub.pk, "Hub not found")
    label = version_label.strip()
    _version_problems(
        hub=hub,
        kind=kind,
        label=label,
        title=title,
        summary=summary,
        body=body,
        effective_from=effective_from,
        review_by=review_by,
        owner=owner,
    ).raise_if_any()
    assert effective_from is not None and review_by is not None
    duplicate = ValidationError.for_field(
        "version_label", f"Version {label} of this document already exists"
    )
    with refused_if_not_unique(duplicate), transaction.atomic():
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
    require_same_hub(actor, version.hub_id, "Document not found")
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


def _refuse_unless_publishable(version: DocumentVersion) -> None:
    if version.status != VersionStatus.DRAFT:
        raise Conflict(
            f"Version {version.version_label} is already {version.get_status_display().lower()}."
        )
    unsigned = core_agencies_unsigned(version)
    if unsigned:
        names = ", ".join(a.name for a in unsigned)
        raise ValidationError.for_field(
            "signatures",
            f"Version {version.version_label} cannot be made current until every core "
            f"agency has signed it. Not yet signed by: {names}.",
        )


def document_publish(*, actor: "User", version: DocumentVersion) -> DocumentVersion:
    """Make a version current; the version it replaces is superseded. Only a version every core
    agency has signed can become current (docs/adr/0007)."""
    require(actor, Permission.GOVERNANCE_MANAGE)
    require_same_hub(actor, version.hub_id, "Hub not found")
    with transaction.atomic():
        version = DocumentVersion.objects.select_for_update().get(pk=version.pk)
        _refuse_unless_publishable(version)
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
