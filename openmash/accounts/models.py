"""Users (one agency each, several roles) and API tokens."""

import hashlib
import uuid
from typing import TYPE_CHECKING

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone

from openmash.access.permissions import Permission, Role, permissions_for_roles

if TYPE_CHECKING:
    from openmash.hubs.models import Hub


class User(AbstractUser):
    # By name: accounts sits below hubs (the hub's pages manage its users).
    agency = models.ForeignKey(
        "hubs.Agency", on_delete=models.PROTECT, null=True, blank=True, related_name="users"
    )
    roles = models.JSONField(default=list, blank=True)
    job_title = models.CharField(max_length=200, blank=True)
    phone = models.CharField(max_length=40, blank=True)
    # Set when the password was chosen by someone else (an administrator): the user must
    # choose their own before any page with personal data (accounts/middleware.py).
    must_change_password = models.BooleanField(default=False)

    @property
    def hub(self) -> "Hub | None":
        return self.agency.hub if self.agency is not None else None

    @property
    def hub_id(self) -> uuid.UUID | None:
        return self.agency.hub_id if self.agency is not None else None

    @property
    def role_set(self) -> frozenset[Role]:
        return frozenset(Role(r) for r in self.roles if r in Role.__members__.values())

    @property
    def permissions(self) -> frozenset[Permission]:
        if not self.is_active:
            return frozenset()
        return permissions_for_roles(self.roles)

    def can(self, permission: Permission) -> bool:
        return permission in self.permissions

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username

    @property
    def roles_display(self) -> str:
        return ", ".join(role.label for role in sorted(self.role_set))


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiToken(models.Model):
    """A bearer token. Only its hash is stored; the raw value is shown once at issue."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"API token {str(self.id)[:8]} of {self.user}"

    def is_live(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()
