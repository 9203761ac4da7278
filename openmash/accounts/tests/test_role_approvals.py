"""Which roles need a second person: derived from the permissions, no database."""

from openmash.access.permissions import ROLE_PERMISSIONS, Permission, Role
from openmash.accounts.role_approvals import (
    APPROVAL_PERMISSIONS,
    role_needs_approval,
    roles_needing_approval,
    roles_split,
)


def test_every_role_that_reads_contacts_or_requests_or_exports_needs_approval() -> None:
    reading = {
        Permission.CONTACT_VIEW_HUB,
        Permission.REQUEST_VIEW_OWN_AGENCY,
        Permission.DECISION_SIGN_OFF,
        Permission.STATUTORY_EXPORT,
        Permission.DATASET_EXPORT,
        Permission.AUDIT_VIEW,
        Permission.HUB_CONFIGURE,
        Permission.ACCESS_APPROVE,
    }
    for role, permissions in ROLE_PERMISSIONS.items():
        if permissions & reading:
            assert role_needs_approval(role), role


def test_the_gated_roles_today() -> None:
    gated = roles_needing_approval(r.value for r in Role)
    assert gated == {"researcher", "practitioner", "manager", "admin", "auditor"}
    # Figures only, or one's own submissions: no second person needed.
    assert not roles_needing_approval(["analyst", "agency_lead", "referrer", "not-a-role"])
    assert Permission.CONTACT_VIEW_OWN_SUBMISSIONS not in APPROVAL_PERMISSIONS


def test_removals_and_plain_roles_apply_at_once_additions_of_gated_ones_wait() -> None:
    assert roles_split(current=["admin"], wanted=["admin", "manager", "analyst"]) == (
        ["admin", "analyst"],
        ["manager"],
    )
    assert roles_split(current=["manager", "analyst"], wanted=["analyst"]) == (["analyst"], [])
    assert roles_split(current=["manager"], wanted=["manager"]) == (["manager"], [])
