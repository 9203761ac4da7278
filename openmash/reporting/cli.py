"""What the reporting commands share: which hub, and whose name the work is recorded under."""

from django.core.management.base import CommandError

from openmash.access.permissions import Permission
from openmash.accounts.models import User
from openmash.hubs.models import Hub


def hub_from_option(la_code: str) -> Hub:
    hubs = Hub.objects.order_by("la_code")
    if la_code:
        hubs = hubs.filter(la_code=la_code)
    found = list(hubs[:2])
    if not found:
        raise CommandError(f"No hub with the code {la_code!r}" if la_code else "There is no hub")
    if len(found) > 1:
        raise CommandError("There are several hubs: give --hub LA_CODE")
    return found[0]


def actor_for(hub: Hub, permission: Permission, as_user: str = "") -> User:
    """The named account, or else the hub's first administrator allowed to do this: commands
    are recorded in the audit trail against a person, like everything else."""
    users = User.objects.filter(agency__hub=hub, is_active=True).order_by("username")
    if as_user:
        users = users.filter(username=as_user)
    allowed = [u for u in users if u.can(permission)]
    if not as_user:
        allowed = [u for u in allowed if u.can(Permission.HUB_CONFIGURE)] or allowed
    if not allowed:
        who = f"The account {as_user!r}" if as_user else "No active account of this hub"
        raise CommandError(f"{who} may not do this ({permission.value})")
    return allowed[0]
