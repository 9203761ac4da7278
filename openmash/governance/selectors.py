"""Reads of the hub's governance, and the object gates of its pages (404 alike for missing and
for another hub's objects)."""

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING
from uuid import UUID

from django.conf import settings
from django.db.models import QuerySet

from openmash.access.permissions import Permission
from openmash.core.errors import NotFound
from openmash.hubs.models import Agency, Hub, Participation

from .models import (
    DocumentKind,
    DocumentVersion,
    FundingContribution,
    HubDefinition,
    LeadershipRole,
    ThresholdStatus,
    ThresholdVersion,
    VersionStatus,
    financial_year_label,
)

if TYPE_CHECKING:
    from openmash.accounts.models import User

DEFAULT_REMINDER_DAYS = 30


def review_reminder_days() -> int:
    """How many days before a review date the reminder goes (setting
    OPENMASH_REVIEW_REMINDER_DAYS, default 30)."""
    return int(getattr(settings, "OPENMASH_REVIEW_REMINDER_DAYS", DEFAULT_REMINDER_DAYS))


def governance_hub_for(user: "User") -> Hub:
    """The hub whose governance the user may read (every role may read it)."""
    hub = user.hub
    if hub is None or not user.is_active or not user.can(Permission.GOVERNANCE_VIEW):
        raise NotFound("Page not found")
    return hub


def definition_for(hub: Hub) -> HubDefinition:
    """The hub's definition (an empty, unsaved one until it is first written)."""
    return HubDefinition.objects.filter(hub=hub).first() or HubDefinition(hub=hub)


def leadership_roles(hub: Hub) -> list[LeadershipRole]:
    return list(LeadershipRole.objects.filter(hub=hub).select_related("agency", "user"))


def accountable_manager(hub: Hub) -> LeadershipRole | None:
    return (
        LeadershipRole.objects.filter(hub=hub, is_accountable_manager=True)
        .select_related("user", "agency")
        .first()
    )


def leadership_role_get_for_user(user: "User", role_id: UUID | str) -> LeadershipRole:
    hub = governance_hub_for(user)
    try:
        return LeadershipRole.objects.select_related("agency", "user").get(hub=hub, pk=role_id)
    except (LeadershipRole.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound("Role not found") from exc


def core_agencies(hub: Hub) -> list[Agency]:
    return list(Agency.objects.filter(hub=hub, participation=Participation.CORE).order_by("name"))


def contributing_agencies(hub: Hub) -> list[Agency]:
    return list(
        Agency.objects.filter(hub=hub, participation=Participation.CONTRIBUTING).order_by("name")
    )


def agency_get_for_user(user: "User", agency_id: UUID | str) -> Agency:
    hub = governance_hub_for(user)
    try:
        return Agency.objects.get(hub=hub, pk=agency_id)
    except (Agency.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound("Agency not found") from exc


# -- Core documents --------------------------------------------------------------------------


def document_versions(hub: Hub) -> QuerySet[DocumentVersion]:
    return DocumentVersion.objects.filter(hub=hub).select_related("owner", "published_by")


def document_current(hub: Hub, kind: str) -> DocumentVersion | None:
    return DocumentVersion.objects.filter(hub=hub, kind=kind, status=VersionStatus.CURRENT).first()


def document_version_get_for_user(user: "User", version_id: UUID | str) -> DocumentVersion:
    hub = governance_hub_for(user)
    try:
        return document_versions(hub).get(pk=version_id)
    except (DocumentVersion.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound("Document not found") from exc


@dataclass(frozen=True)
class SignUpRow:
    agency: Agency
    signed_by: str
    signed_at: object  # datetime | None; templates format it


def document_sign_up(version: DocumentVersion) -> list[SignUpRow]:
    """Every agency of the hub, core first, with who signed this version for it (if anyone)."""
    signed = {
        s.agency_id: s for s in version.signatures.select_related("signed_by").order_by("signed_at")
    }
    agencies = sorted(
        Agency.objects.filter(hub_id=version.hub_id),
        key=lambda a: (a.participation != Participation.CORE, a.name),
    )
    rows = []
    for agency in agencies:
        signature = signed.get(agency.pk)
        rows.append(
            SignUpRow(
                agency=agency,
                signed_by=signature.signed_by.display_name if signature else "",
                signed_at=signature.signed_at if signature else None,
            )
        )
    return rows


def core_agencies_unsigned(version: DocumentVersion) -> list[Agency]:
    signed = set(version.signatures.values_list("agency_id", flat=True))
    return [a for a in core_agencies(version.hub) if a.pk not in signed]


def contributing_agencies_unsigned(version: DocumentVersion) -> list[Agency]:
    signed = set(version.signatures.values_list("agency_id", flat=True))
    return [a for a in contributing_agencies(version.hub) if a.pk not in signed]


@dataclass(frozen=True)
class DocumentSummary:
    kind: str
    label: str
    current: DocumentVersion | None
    awaiting: list[DocumentVersion]


def documents_overview(hub: Hub) -> list[DocumentSummary]:
    versions = list(document_versions(hub).exclude(status=VersionStatus.SUPERSEDED))
    return [
        DocumentSummary(
            kind=kind,
            label=label,
            current=next(
                (v for v in versions if v.kind == kind and v.status == VersionStatus.CURRENT),
                None,
            ),
            awaiting=[v for v in versions if v.kind == kind and v.status == VersionStatus.DRAFT],
        )
        for kind, label in DocumentKind.choices
    ]


@dataclass(frozen=True)
class ReviewNotice:
    version: DocumentVersion
    overdue: bool
    days: int  # days until the review date (negative: days since)

    @property
    def days_ago(self) -> int:
        return -self.days


def review_notices(hub: Hub, *, today: date, days: int | None = None) -> list[ReviewNotice]:
    """Current documents whose review date has passed or falls within the reminder window."""
    window = review_reminder_days() if days is None else days
    due = document_versions(hub).filter(
        status=VersionStatus.CURRENT, review_by__lte=today + timedelta(days=window)
    )
    return [
        ReviewNotice(version=v, overdue=v.review_by < today, days=(v.review_by - today).days)
        for v in due.order_by("review_by")
    ]


# -- Thresholds -------------------------------------------------------------------------------


def thresholds_current(hub: Hub | UUID | None) -> ThresholdVersion | None:
    """The thresholds version in force (screenings record it)."""
    if hub is None:
        return None
    hub_id = hub.pk if isinstance(hub, Hub) else hub
    return ThresholdVersion.objects.filter(hub_id=hub_id, status=ThresholdStatus.CURRENT).first()


def threshold_versions(hub: Hub) -> list[ThresholdVersion]:
    return list(ThresholdVersion.objects.filter(hub=hub).select_related("published_by"))


def threshold_version_get_for_user(user: "User", version_id: UUID | str) -> ThresholdVersion:
    hub = governance_hub_for(user)
    try:
        return ThresholdVersion.objects.select_related("published_by").get(hub=hub, pk=version_id)
    except (ThresholdVersion.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound("Thresholds version not found") from exc


# -- Funding and resources ---------------------------------------------------------------------


def financial_year_of(day: date) -> int:
    """The financial year (April to March) a day falls in, named by the year it starts."""
    return day.year if day.month >= 4 else day.year - 1


@dataclass
class FundingRow:
    agency: Agency
    amount_pence: int
    share_percent: float | None
    fte_total: Decimal
    fte_by_role: dict[str, Decimal]


@dataclass
class FundingYear:
    year: int
    label: str
    rows: list[FundingRow]
    total_pence: int
    fte_total: Decimal
    fte_by_role: dict[str, Decimal] = field(default_factory=dict)


def funding_report(hub: Hub) -> list[FundingYear]:
    """The transparency report: per financial year (newest first), each agency's money, its
    share of the year's money, and its staff by role."""
    contributions = (
        FundingContribution.objects.filter(hub=hub)
        .select_related("agency")
        .prefetch_related("staff")
        .order_by("-financial_year", "agency__name")
    )
    years: dict[int, list[FundingContribution]] = {}
    for item in contributions:
        years.setdefault(item.financial_year, []).append(item)
    report = []
    for year, items in years.items():
        total = sum(i.amount_pence for i in items)
        rows = []
        by_role: dict[str, Decimal] = {}
        for item in items:
            staff = {s.role: s.fte for s in item.staff.all()}
            for role, fte in staff.items():
                by_role[role] = by_role.get(role, Decimal(0)) + fte
            rows.append(
                FundingRow(
                    agency=item.agency,
                    amount_pence=item.amount_pence,
                    share_percent=round(100 * item.amount_pence / total, 1) if total else None,
                    fte_total=sum(staff.values(), Decimal(0)),
                    fte_by_role=staff,
                )
            )
        report.append(
            FundingYear(
                year=year,
                label=financial_year_label(year),
                rows=rows,
                total_pence=total,
                fte_total=sum((r.fte_total for r in rows), Decimal(0)),
                fte_by_role=dict(sorted(by_role.items())),
            )
        )
    return report


def funding_get(agency: Agency, year: int) -> FundingContribution | None:
    return (
        FundingContribution.objects.filter(agency=agency, financial_year=year)
        .prefetch_related("staff")
        .first()
    )
