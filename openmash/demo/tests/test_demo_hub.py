import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings

from openmash.accounts.models import User
from openmash.audit.services import audit_chain_verify
from openmash.contacts.models import Contact, JourneyStage


@pytest.mark.django_db
def test_demo_hub_loads_idempotently_with_every_stage() -> None:
    call_command("load_demo_hub", "--contacts", "60")
    first = Contact.objects.count()
    call_command("load_demo_hub", "--contacts", "60")
    assert Contact.objects.count() == first == 60
    stages = set(Contact.objects.values_list("stage", flat=True))
    assert {JourneyStage.SCREENING, JourneyStage.CLOSED} <= stages
    usernames = set(User.objects.values_list("username", flat=True))
    assert {
        "demo.manager",
        "demo.practitioner",
        "demo.police",
        "demo.health",
        "demo.education",
        "demo.referrer",
        "demo.admin",
        "demo.auditor",
        "demo.analyst",
    } <= usernames
    assert User.objects.get(username="demo.police").check_password("openmash-demo")
    assert audit_chain_verify().ok


@pytest.mark.django_db
@override_settings(OPENMASH_ALLOW_DEMO_DATA=False)
def test_production_settings_refuse_demo_data() -> None:
    with pytest.raises(CommandError, match="refused"):
        call_command("load_demo_hub")
    assert not Contact.objects.exists()
