"""Shared set-up for the governance tests."""

from datetime import date, timedelta

from django.test import Client
from django.utils import timezone

from openmash.accounts.models import User
from openmash.audit.models import AuditEvent
from openmash.governance.models import DocumentVersion
from openmash.governance.services import document_sign, document_version_create
from openmash.testing.world import World


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def verbs() -> list[str]:
    return list(AuditEvent.objects.order_by("id").values_list("verb", flat=True))


def draft(world: World, *, kind: str = "information_sharing", label: str = "1") -> DocumentVersion:
    today = timezone.localdate()
    return document_version_create(
        actor=world.manager,
        hub=world.hub,
        kind=kind,
        version_label=label,
        title="Information-sharing agreement",
        body="# Purpose\nShare what is needed.",
        effective_from=today,
        review_by=today + timedelta(days=365),
    )


def core_leads(world: World) -> list[User]:
    return [world.social_care_lead, world.police_lead, world.health_lead]


def sign_by(version: DocumentVersion, *leads: User) -> None:
    for lead in leads:
        assert lead.agency is not None
        document_sign(actor=lead, version=version, agency=lead.agency)


def today() -> date:
    return timezone.localdate()
