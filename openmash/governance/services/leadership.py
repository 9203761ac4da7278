"""The hub's leadership (recommendation 2): named roles for its agencies, exactly one of them
the accountable manager."""

from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction

from openmash.access.checks import require, require_same_hub
from openmash.access.permissions import Permission
from openmash.audit.models import AuditVerb
from openmash.audit.services import audit_record, diff
from openmash.core.errors import NotFound, ValidationError
from openmash.core.validation import FieldProblems
from openmash.governance.models import LeadershipRole
from openmash.governance.selectors import accountable_manager
from openmash.hubs.models import Agency, Hub

if TYPE_CHECKING:
    from openmash.accounts.models import User

NOT_A_MANAGER = (
    "The accountable manager must be an active MASH manager of the hub "
    "(a user who signs off decisions)"
)


def _role_problems(
    *,
    hub: Hub,
    role: LeadershipRole | None,
    agency: Agency | None,
    title: str,
    user: "User | None",
    person_name: str,
    responsibilities: str,
    is_accountable_manager: bool,
) -> FieldProblems:
    problems = FieldProblems()
    # Said in the user field, ahead of "a user of this hub" when both apply.
    not_a_manager = is_accountable_manager and (
        user is None or not user.is_active or not user.can(Permission.DECISION_SIGN_OFF)
    )
    if agency is None or agency.hub_id != hub.pk:
        problems.add("agency", "Choose the agency the role is held for")
    if not title.strip():
        problems.add("title", "Enter the role's title")
    elif len(title.strip()) > 200:
        problems.add("title", "The title must be 200 characters or fewer")
    if user is not None and user.hub_id != hub.pk:
        problems.add("user", NOT_A_MANAGER if not_a_manager else "Choose a user of this hub")
    elif user is None and not person_name.strip():
        problems.add("person_name", "Name the person who holds the role, or choose a user")
    if not responsibilities.strip():
        problems.add("responsibilities", "Describe the role's responsibilities")
    if is_accountable_manager:
        if not_a_manager and "user" not in problems:
            problems.add("user", NOT_A_MANAGER)
        current = accountable_manager(hub)
        if current is not None and (role is None or current.pk != role.pk):
            problems.add(
                "is_accountable_manager",
                f"The hub already has an accountable manager ({current.holder_name}, "
                f"{current.title}). There can be only one: change that role first.",
            )
    return problems


def _role_fields(role: LeadershipRole) -> dict[str, Any]:
    return {
        "agency": role.agency.name,
        "title": role.title,
        "user": role.user.username if role.user else "",
        "person_name": role.person_name,
        "responsibilities": role.responsibilities,
        "is_accountable_manager": role.is_accountable_manager,
    }


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
    require_same_hub(actor, hub.pk, "Hub not found")
    if role is not None and role.hub_id != hub.pk:
        raise NotFound("Role not found")
    _role_problems(
        hub=hub,
        role=role,
        agency=agency,
        title=title,
        user=user,
        person_name=person_name,
        responsibilities=responsibilities,
        is_accountable_manager=is_accountable_manager,
    ).raise_if_any()
    assert agency is not None  # checked above
    fields: dict[str, Any] = {
        "agency": agency.name,
        "title": title.strip(),
        "user": user.username if user else "",
        "person_name": "" if user else person_name.strip(),
        "responsibilities": responsibilities.strip(),
        "is_accountable_manager": is_accountable_manager,
    }
    try:
        with transaction.atomic():
            before = {} if role is None else _role_fields(role)
            if role is None:
                role = LeadershipRole(hub=hub)
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
    require_same_hub(actor, role.hub_id, "Hub not found")
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
