import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings

from openmash.accounts.models import User
from openmash.audit.services import audit_chain_verify
from openmash.contacts.models import Contact, JourneyStage


@pytest.mark.django_db
def test_demo_hub_loads_idempotently_with_every_stage() -> None:
    call_command("load_demo_hub", "--contacts", "60", "--history", "0")
    first = Contact.objects.count()
    call_command("load_demo_hub", "--contacts", "60", "--history", "0")
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


@pytest.mark.usefixtures("frozen_now")
@pytest.mark.django_db
def test_the_history_has_referrals_recontacts_and_a_change_of_practice() -> None:
    from datetime import date, timedelta
    from statistics import mean

    from django.utils import timezone

    from openmash.contacts.models import ContactPerson
    from openmash.decisions.models import Decision, ReferralProgress
    from openmash.demo.history import PRACTICE_CHANGE

    call_command("load_demo_hub", "--contacts", "20", "--history", "240")
    cutoff = timezone.now() - timedelta(days=68)
    history = Contact.objects.filter(received_at__lt=cutoff)
    assert history.count() == 240
    assert history.filter(received_at__date__lt=date(2024, 4, 1)).count() == 0
    assert set(history.values_list("stage", flat=True)) == {JourneyStage.CLOSED}
    # Some children are contacted again.
    subjects = ContactPerson.objects.filter(contact__in=history, role="subject")
    assert subjects.values("person").distinct().count() < subjects.count()
    referrals = Decision.objects.filter(
        contact__in=history, status="signed_off", outcome__national_code__in=["S17", "S47"]
    )
    assert referrals.exists()
    assert not referrals.filter(primary_need_code="").exists()
    assert ReferralProgress.objects.filter(contact__in=history).count() >= referrals.count() * 0.7
    assert not subjects.filter(disabilities=[]).exists()

    def turnaround(before: bool) -> float:
        chosen = referrals.model.objects.filter(
            contact__in=history, status="signed_off", level_of_need=3
        )
        chosen = (
            chosen.filter(contact__received_at__date__lt=PRACTICE_CHANGE)
            if before
            else chosen.filter(contact__received_at__date__gte=PRACTICE_CHANGE)
        )
        return mean(
            (d.signed_off_at - d.contact.received_at).total_seconds() / 86400
            for d in chosen.select_related("contact")
            if d.signed_off_at is not None
        )

    assert turnaround(before=True) > 1.4 * turnaround(before=False)
