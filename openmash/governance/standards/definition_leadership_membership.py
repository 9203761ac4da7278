"""Checks of standards 1 to 3: the hub's definition, its leadership, and its agencies."""

from typing import TYPE_CHECKING

from openmash.access.permissions import Permission
from openmash.governance.selectors import (
    accountable_manager,
    core_agencies,
    definition_for,
    leadership_roles,
)
from openmash.governance.standard_results import (
    CheckResult,
    Result,
)
from openmash.hubs.models import AgencyType

from .framework import Context, check, names_text

if TYPE_CHECKING:
    pass


# -- 1. Definition -----------------------------------------------------------------------------


@check
def definition_complete(ctx: Context) -> CheckResult:
    definition = definition_for(ctx.hub)
    missing = [
        label
        for label, value in (
            ("purpose", definition.purpose),
            ("who may be referred", definition.who_may_be_referred),
            ("working arrangement", definition.working_arrangement),
        )
        if not value
    ]
    evidence = [f"Scope: {ctx.hub.get_scope_display()}."]
    if definition.working_arrangement:
        evidence.append(f"Working arrangement: {definition.get_working_arrangement_display()}.")
    if missing:
        return CheckResult(
            "definition_complete",
            "The hub's definition is complete",
            1,
            Result.FAIL,
            [*evidence, f"Missing: {names_text(list(missing))}."],
            "Complete the hub definition under Governance > Definition.",
        )
    return CheckResult(
        "definition_complete",
        "The hub's definition is complete",
        1,
        Result.PASS,
        [*evidence, "Purpose and who may be referred are recorded."],
    )


# -- 2. Leadership -----------------------------------------------------------------------------


@check
def accountable_manager_named(ctx: Context) -> CheckResult:
    title = "One accountable manager is named"
    role = accountable_manager(ctx.hub)
    if role is None:
        return CheckResult(
            "accountable_manager",
            title,
            2,
            Result.FAIL,
            ["No leadership role is marked as the accountable manager."],
            "Name the hub's accountable manager under Governance > Leadership.",
        )
    user = role.user
    if user is None or not user.is_active or not user.can(Permission.DECISION_SIGN_OFF):
        return CheckResult(
            "accountable_manager",
            title,
            2,
            Result.FAIL,
            [f"{role.holder_name} ({role.title}) is no longer an active MASH manager."],
            "Name an active MASH manager as the accountable manager.",
        )
    return CheckResult(
        "accountable_manager",
        title,
        2,
        Result.PASS,
        [f"{role.holder_name}, {role.title} ({role.agency.name})."],
    )


@check
def roles_per_core_agency(ctx: Context) -> CheckResult:
    title = "Every core agency has a named role with responsibilities"
    held = {r.agency_id for r in leadership_roles(ctx.hub)}
    missing = [a.name for a in core_agencies(ctx.hub) if a.pk not in held]
    if missing:
        return CheckResult(
            "roles_per_core_agency",
            title,
            2,
            Result.WARNING,
            [f"No named role for: {names_text(list(missing))}."],
            "Add a named lead with responsibilities for each core agency under "
            "Governance > Leadership.",
        )
    return CheckResult(
        "roles_per_core_agency",
        title,
        2,
        Result.PASS,
        [f"{len(held)} agencies have named roles."],
    )


# -- 3. Membership -----------------------------------------------------------------------------

DECISION_MAKERS = {
    "police": {AgencyType.POLICE},
    "social care": {AgencyType.CHILDRENS_SOCIAL_CARE, AgencyType.ADULT_SOCIAL_CARE},
    "health": {
        AgencyType.HEALTH_GP,
        AgencyType.HEALTH_VISITING,
        AgencyType.HEALTH_SCHOOL_NURSING,
        AgencyType.HEALTH_ACUTE,
        AgencyType.HEALTH_MENTAL,
    },
}


@check
def core_agencies_take_part(ctx: Context) -> CheckResult:
    title = "Police, social care and health are core agencies"
    core = core_agencies(ctx.hub)
    missing = [
        name
        for name, types in DECISION_MAKERS.items()
        if not any(a.agency_type in types for a in core)
    ]
    evidence = [f"Core agencies: {names_text([a.name for a in core]) or 'none'}."]
    if missing:
        return CheckResult(
            "core_agencies",
            title,
            3,
            Result.FAIL,
            [*evidence, f"No core agency for: {names_text(list(missing))}."],
            "Make police, social care and health core members under Governance > Agencies.",
        )
    return CheckResult("core_agencies", title, 3, Result.PASS, evidence)
