"""Which roles a second person must approve before a user holds them (ASVS 5.0 2.3.5).

Pure rules, no database. A role needs approval when any of its permissions reads personal
data (a contact, an information request, a decision, the sharing ledger, the audit trail, an
identifiable or record-level export) or hands out or approves access (without those, an
administrator could make a second administrator and approve their own request through it).
The set of roles is derived from `access.permissions.ROLE_PERMISSIONS`, so a new role or a
permission added to a role is covered without editing this module."""

from collections.abc import Iterable

from openmash.access.permissions import ROLE_PERMISSIONS, Permission, Role

P = Permission

# Permissions that let their holder read people's details (beyond what they sent themselves).
PERSONAL_DATA_PERMISSIONS: frozenset[Permission] = frozenset(
    {
        P.CONTACT_VIEW_HUB,
        P.CONTACT_VIEW_CONFIDENTIAL_ADDRESS,
        P.CONTACT_RECORD,
        P.SCREENING_RECORD,
        P.REQUEST_VIEW_OWN_AGENCY,
        P.REQUEST_ANSWER,
        P.REQUEST_CREATE,
        P.DECISION_PROPOSE,
        P.DECISION_SIGN_OFF,
        P.SHARING_LEDGER_VIEW,
        P.PERSON_MERGE,
        P.AUDIT_VIEW,
        P.DATASET_EXPORT,
        P.STATUTORY_EXPORT,
        P.CASE_AUDIT,
        P.FEEDBACK_RECORD,
        P.REFERRAL_PROGRESS_RECORD,
    }
)

# Permissions that grant or approve access: gated too, or the two-person rule is one person.
ACCESS_CONTROL_PERMISSIONS: frozenset[Permission] = frozenset({P.HUB_CONFIGURE, P.ACCESS_APPROVE})

APPROVAL_PERMISSIONS = PERSONAL_DATA_PERMISSIONS | ACCESS_CONTROL_PERMISSIONS


def role_needs_approval(role: str) -> bool:
    if role not in Role.__members__.values():
        return False
    return bool(ROLE_PERMISSIONS[Role(role)] & APPROVAL_PERMISSIONS)


def roles_needing_approval(roles: Iterable[str]) -> frozenset[str]:
    return frozenset(r for r in roles if role_needs_approval(r))


def roles_split(*, current: Iterable[str], wanted: Iterable[str]) -> tuple[list[str], list[str]]:
    """The roles a change may set at once, and the ones it must ask a second person for.

    Removing a role, keeping one, and adding one that reads no personal data take effect at
    once; adding a role that needs approval is held back (the user does not hold it)."""
    held = set(current)
    wanted_set = set(wanted)
    withheld = {r for r in wanted_set - held if role_needs_approval(r)}
    return sorted(wanted_set - withheld), sorted(withheld)
