"""Funding and resources (recommendation 6): each agency's money and staff, by financial
year. What the figures may be is a pure rule (governance.funding_rules)."""

from typing import TYPE_CHECKING, Any

from django.db import transaction

from openmash.access.checks import require, require_same_hub
from openmash.access.permissions import Permission
from openmash.audit.models import AuditVerb
from openmash.audit.services import audit_record, diff
from openmash.core.validation import FieldProblems
from openmash.governance.funding_rules import StaffInput, amount_problem, staff_problems
from openmash.governance.models import (
    FundingContribution,
    StaffContribution,
    financial_year_label,
)
from openmash.hubs.models import Agency, Hub

if TYPE_CHECKING:
    from openmash.accounts.models import User


def _funding_problems(
    *,
    hub: Hub,
    agency: Agency | None,
    financial_year: int | None,
    amount_pence: int | None,
    staff: list[StaffInput],
) -> FieldProblems:
    problems = FieldProblems()
    if agency is None or agency.hub_id != hub.pk:
        problems.add("agency", "Choose the agency")
    if financial_year is None or not 2000 <= financial_year <= 2100:
        problems.add("financial_year", "Enter the year the financial year starts, like 2025")
    money = amount_problem(amount_pence)
    if money:
        problems.add("amount", money)
    for field, message in staff_problems(staff).items():
        problems.add(field, message)
    return problems


def _contribution_figures(contribution: FundingContribution | None) -> dict[str, Any]:
    if contribution is None:
        return {}
    return {
        "amount_pence": contribution.amount_pence,
        "staff": {s.role: str(s.fte) for s in contribution.staff.all()},
        "notes": contribution.notes,
    }


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
    require_same_hub(actor, hub.pk, "Hub not found")
    _funding_problems(
        hub=hub,
        agency=agency,
        financial_year=financial_year,
        amount_pence=amount_pence,
        staff=staff,
    ).raise_if_any()
    assert agency is not None and financial_year is not None and amount_pence is not None
    with transaction.atomic():
        current = (
            FundingContribution.objects.select_for_update()
            .filter(agency=agency, financial_year=financial_year)
            .first()
        )
        before = _contribution_figures(current)
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
