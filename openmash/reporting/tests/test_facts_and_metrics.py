"""Facts follow the journey (working-time turnaround, on-time, repeat contacts) and the metrics
count them. Contacts are driven through the real services with the clock set, so each
expected figure is worked out by hand from the hub's hours (Mon-Fri 09:00-17:00)."""

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from openmash.decisions.services import (
    screening_record,
)
from openmash.demo.contacts import clock_at
from openmash.enquiries.services import request_answer, requests_create
from openmash.hubs.selectors import DEFAULT_TIMESCALES
from openmash.hubs.services import TimescaleInput, hub_settings_update
from openmash.people.services import person_merge
from openmash.reporting.facts import age_band, facts_refresh, facts_stale
from openmash.reporting.metrics import FactFilter, Period, metrics_compute, percentile
from openmash.reporting.models import AgencyCheckFact, ConcernFact, ContactFact
from openmash.testing.world import World, contact_make

from .scenes import LONDON, at, journey


@pytest.mark.django_db
def test_turnaround_counts_the_hubs_working_time_and_calendar_time(world: World) -> None:
    contact = journey(
        world,
        received=at(5, 16),  # Monday 16:00
        screened=at(6, 10),  # Tuesday 10:00: 1 h Monday + 1 h Tuesday
        decided=at(7, 9, 30),  # Wednesday 09:30
        feedback=at(7, 12),
    )
    facts_refresh(hub=world.hub)
    fact = ContactFact.objects.get(contact=contact)
    assert fact.screening_working_minutes == 120
    assert fact.screening_elapsed_minutes == 18 * 60
    assert fact.decision_working_minutes == 60 + 8 * 60 + 30
    assert fact.decision_elapsed_minutes == 17 * 60 + 24 * 60 + 30
    assert fact.screening_due_at == at(6, 16)  # one working day: Tuesday 16:00
    assert fact.screened_at == at(6, 10)
    assert fact.outcome == "S17" and fact.is_referral and fact.rationale_recorded
    assert fact.rag == "amber" and fact.level == 3 and fact.first_rag == "amber"
    assert fact.received_month == date(2026, 10, 1)
    assert fact.feedback_at == at(7, 12)
    assert fact.feedback_due_at == at(8, 9, 30)  # one working day after the decision
    person_id = contact.people.get().person_id
    assert fact.subjects == [
        {
            "person_id": str(person_id),
            "age_band": "10_15",
            "sex": "F",
            "ethnicity": "WBRI",
            "disabled": None,
        }
    ]
    assert set(ConcernFact.objects.filter(contact=contact).values_list("concern", flat=True)) == {
        "physical_abuse_adult"
    }


@pytest.mark.django_db
def test_refresh_is_incremental_and_picks_up_later_steps(world: World) -> None:
    with clock_at(at(5, 10)):
        contact = contact_make(world.practitioner)
    report = facts_refresh(hub=world.hub)
    assert report.full and report.contacts == 1
    assert not facts_stale(world.hub)
    assert ContactFact.objects.get(contact=contact).screened_at is None
    screening_record(
        actor=world.practitioner,
        contact=contact,
        outcome="mash_enquiry",
        level_of_need=2,
        rag="green",
        rationale="Low-level concern.",
    )
    requests = requests_create(
        actor=world.practitioner, contact=contact, agency_ids=[str(world.agencies["police"].pk)]
    )
    assert facts_stale(world.hub)
    report = facts_refresh(hub=world.hub)
    assert not report.full and report.contacts == 1 and report.checks == 1
    fact = ContactFact.objects.get(contact=contact)
    assert fact.rag == "green" and fact.level == 2 and fact.checks_requested == 1
    with clock_at(requests[0].requested_at + timedelta(days=2)):
        request_answer(
            actor=world.police,
            request=requests[0],
            result="not_known",
            information="",
            handling="family",
            lawful_basis="law_enforcement",
        )
    facts_refresh(hub=world.hub)
    check = AgencyCheckFact.objects.get(request=requests[0])
    assert check.answered_at is not None and check.result == "not_known"
    assert check.agency_type == world.agencies["police"].agency_type
    # The agency's response figures come from the same facts (an interval average on PostgreSQL).
    (police,) = metrics_compute(hub=world.hub, period=Period.month(2026, 10)).agency_checks
    assert (police.requested, police.answered, police.response.count) == (1, 1, 1)
    assert police.response.mean_days == 2.0


@pytest.mark.django_db
def test_repeat_contacts_and_referrals_within_twelve_months_look_back_only(world: World) -> None:
    first = journey(world, received=at(5, 10), screened=at(5, 11), decided=at(5, 12), outcome="nfa")
    second = journey(world, received=at(12, 10), screened=at(12, 11), decided=at(12, 12))
    third = journey(world, received=at(19, 10), screened=at(19, 11), decided=at(19, 12))
    other_child = journey(
        world,
        received=at(19, 13),
        screened=at(19, 14),
        decided=at(19, 15),
        child={
            "given_name": "Zachary",
            "family_name": "Olowe",
            "nhs_number": "",
            "date_of_birth": date(2019, 1, 2),
        },
    )
    facts_refresh(hub=world.hub)
    flags = {
        c: ContactFact.objects.filter(contact=c).values(
            "recontact_12m", "rereferral_12m", "referral_after_nfa_12m"
        )[0]
        for c in (first, second, third, other_child)
    }
    assert flags[first] == {
        "recontact_12m": False,
        "rereferral_12m": False,
        "referral_after_nfa_12m": False,
    }
    assert flags[second] == {
        "recontact_12m": True,
        "rereferral_12m": False,
        "referral_after_nfa_12m": True,
    }
    assert flags[third] == {
        "recontact_12m": True,
        "rereferral_12m": True,
        "referral_after_nfa_12m": True,
    }
    assert flags[other_child] == {
        "recontact_12m": False,
        "rereferral_12m": False,
        "referral_after_nfa_12m": False,
    }

    metrics = metrics_compute(hub=world.hub, period=Period.month(2026, 10), as_of=at(30, 12))
    assert metrics.total == 4
    assert metrics.by_outcome["NFA"] == 1 and metrics.by_outcome["S17"] == 3
    assert metrics.referrals == 3
    assert (
        metrics.repeat["recontacts_12m"].numerator,
        metrics.repeat["recontacts_12m"].denominator,
    ) == (2, 4)
    assert (
        metrics.repeat["rereferrals_12m"].numerator,
        metrics.repeat["rereferrals_12m"].denominator,
    ) == (1, 3)
    assert metrics.repeat["referrals_after_nfa_12m"].numerator == 2
    assert metrics.conversion["s17"].percent == 75.0


@pytest.mark.django_db
def test_metrics_turnaround_on_time_and_filters(world: World) -> None:
    # Screening turnaround 1 h, 2 h and 10 h of working time; the last is late (due in one day).
    journey(world, received=at(5, 10), screened=at(5, 11), decided=at(5, 15), level=3, rag="amber")
    journey(world, received=at(6, 10), screened=at(6, 12), decided=at(7, 10), level=2, rag="green")
    journey(world, received=at(7, 10), screened=at(8, 12), decided=at(9, 16), level=4, rag="red")
    with clock_at(at(9, 10)):
        contact_make(world.practitioner)  # never screened: overdue by the end of the month
    facts_refresh(hub=world.hub)
    metrics = metrics_compute(hub=world.hub, period=Period.month(2026, 10), as_of=at(30, 12))
    assert metrics.total == 4
    assert metrics.by_rag == {"red": 1, "amber": 1, "green": 1, "unrated": 1}
    assert metrics.by_level["unrated"] == 1 and metrics.by_level["3"] == 1
    assert metrics.by_source["2A"] == 4
    screening = metrics.to_screening.all
    assert screening.count == 3
    assert screening.mean_hours == pytest.approx((1 + 2 + 10) / 3, abs=0.01)
    assert screening.median_hours == 2
    assert screening.p90_hours == pytest.approx(percentile([1, 2, 10], 0.9))
    assert metrics.to_screening.by_rag["red"].mean_hours == 10
    # On time: two of three screened by the due time; the unscreened one is overdue.
    assert (metrics.on_time["screening"].numerator, metrics.on_time["screening"].denominator) == (
        2,
        4,
    )
    assert metrics.rationale_recorded.percent == 100.0

    red_only = metrics_compute(
        hub=world.hub,
        period=Period.month(2026, 10),
        filters=FactFilter(rag="red"),
        as_of=at(30, 12),
    )
    assert red_only.total == 1 and red_only.to_decision.all.count == 1
    nothing = metrics_compute(hub=world.hub, period=Period.month(2026, 9), as_of=at(30, 12))
    assert nothing.total == 0 and nothing.to_screening.all.mean_hours is None


@pytest.mark.django_db
def test_the_one_scan_cohort_query_agrees_with_the_portable_one(world: World) -> None:
    """PostgreSQL computes the cohort in one GROUPING SETS query; it must give exactly what the
    query-per-figure path gives (which SQLite uses). On SQLite this checks the portable path
    against itself, so the comparison runs on PostgreSQL in `make test`."""
    from django.db import connection

    from openmash.reporting.metrics import (
        _cohort_conditions,
        _cohort_portable,
        _cohort_postgresql,
        facts_in_period,
    )

    journey(world, received=at(5, 10), screened=at(5, 11), decided=at(5, 15), ask=("police",))
    journey(world, received=at(6, 10), screened=at(6, 12), decided=at(7, 10), level=2, rag="green")
    journey(world, received=at(7, 10), screened=at(8, 12), decided=at(9, 16), level=4, rag="red")
    journey(
        world, received=at(12, 9), screened=at(12, 16), decided=at(14, 11), outcome="nfa", level=2
    )
    with clock_at(at(9, 10)):
        contact_make(world.practitioner)
    facts_refresh(hub=world.hub)
    conditions = _cohort_conditions(at(30, 12))
    for filters in (FactFilter(), FactFilter(level=2), FactFilter(rag="unrated")):
        facts = facts_in_period(world.hub, Period.month(2026, 10), filters)
        portable = _cohort_portable(facts, conditions)
        if connection.vendor == "postgresql":
            assert _cohort_postgresql(facts, conditions) == portable
    assert portable.sums["total"] == 1 and portable.counts["rag"] == {"": 1}


def test_percentile_interpolates_like_postgresql() -> None:
    assert percentile([1, 2, 3, 4], 0.5) == 2.5
    assert percentile([10], 0.9) == 10
    assert percentile([1, 2, 10], 0.9) == pytest.approx(8.4)


def test_age_bands_follow_the_dfe_bands() -> None:
    on = date(2026, 10, 5)
    assert age_band(None, "unborn", on) == "unborn"
    assert age_band(None, "child", on) == "unknown"
    assert age_band(date(2026, 1, 1), "child", on) == "under_1"
    assert age_band(date(2021, 10, 5), "child", on) == "5_9"
    assert age_band(date(2021, 10, 6), "child", on) == "1_4"
    assert age_band(date(2009, 1, 1), "child", on) == "16_17"
    assert age_band(date(1990, 1, 1), "adult", on) == "18_plus"


def test_a_period_cannot_end_before_it_starts() -> None:
    with pytest.raises(ValueError, match="ends before"):
        Period(date(2026, 10, 2), date(2026, 10, 1))
    october = Period.month(2026, 10)
    assert october.days == 31
    low, high = october.bounds(LONDON)
    assert low.astimezone(UTC) == datetime(2026, 9, 30, 23, 0, tzinfo=UTC)
    assert high.astimezone(UTC) == datetime(2026, 11, 1, 0, 0, tzinfo=UTC)


@pytest.mark.django_db
def test_a_merge_of_two_people_updates_the_later_contacts_repeat_flags(world: World) -> None:
    first = journey(world, received=at(5, 10), screened=at(5, 11), decided=at(5, 12))
    second = journey(
        world,
        received=at(12, 10),
        screened=at(12, 11),
        decided=at(12, 12),
        child={"given_name": "Amellia", "nhs_number": "", "date_of_birth": date(2016, 4, 13)},
    )
    facts_refresh(hub=world.hub)
    assert ContactFact.objects.get(contact=second).recontact_12m is False
    person_merge(
        actor=world.manager,
        merged=second.people.get().person,  # type: ignore[arg-type]
        into=first.people.get().person,  # type: ignore[arg-type]
        reason="Same child: the school confirmed the date of birth was mistyped.",
    )
    report = facts_refresh(hub=world.hub)
    assert not report.full and report.contacts == 2
    fact = ContactFact.objects.get(contact=second)
    assert fact.recontact_12m and fact.rereferral_12m


@pytest.mark.django_db
def test_new_timescales_recompute_every_due_time(world: World) -> None:
    contact = journey(world, received=at(5, 10), screened=at(5, 11), decided=at(5, 12))
    facts_refresh(hub=world.hub)
    assert ContactFact.objects.get(contact=contact).screening_due_at == at(6, 10)
    timescales = [
        TimescaleInput(stage=stage, amount=amount, unit=unit.value)
        for stage, (amount, unit) in DEFAULT_TIMESCALES.items()
        if stage != "screening"
    ] + [TimescaleInput(stage="screening", amount=2, unit="working_hours")]
    hub_settings_update(
        actor=world.admin,
        hub=world.hub,
        working_hours=world.hub.working_hours,
        bank_holiday_region=world.hub.bank_holiday_region,
        timescales=timescales,
    )
    report = facts_refresh(hub=world.hub)
    assert report.full
    assert ContactFact.objects.get(contact=contact).screening_due_at == at(5, 12)


@given(
    values=st.lists(
        st.tuples(st.integers(0, 20_000), st.integers(0, 60_000)), min_size=1, max_size=60
    )
)
def test_stats_from_a_histogram_are_the_stats_of_the_values(values: list[tuple[int, int]]) -> None:
    """Percentiles from bucket counts interpolate exactly as PERCENTILE_CONT over the values."""
    from openmash.reporting.metrics import _stats_from_values

    stats = _stats_from_values(values)
    hours = [w / 60 for w, _e in values]
    assert stats.count == len(values)
    assert stats.median_hours == pytest.approx(round(percentile(hours, 0.5), 2), abs=0.0101)
    assert stats.p90_hours == pytest.approx(round(percentile(hours, 0.9), 2), abs=0.0101)
    assert stats.mean_hours == pytest.approx(sum(hours) / len(hours), abs=0.0051)
    assert stats.mean_days == pytest.approx(
        sum(e for _w, e in values) / len(values) / 1440, abs=0.0051
    )
