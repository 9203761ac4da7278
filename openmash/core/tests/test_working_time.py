"""Tests for the hub working-time clock (pure Python: no database or Django settings needed)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from openmash.core.working_time import (
    BankHolidayRegion,
    TimeUnit,
    WorkingCalendar,
    default_hours,
    format_working_duration,
)

LONDON = ZoneInfo("Europe/London")
ENG = WorkingCalendar("Europe/London", default_hours(), BankHolidayRegion.ENGLAND_AND_WALES)
SCT = WorkingCalendar("Europe/London", default_hours(), BankHolidayRegion.SCOTLAND)
NIR = WorkingCalendar("Europe/London", default_hours(), BankHolidayRegion.NORTHERN_IRELAND)
# A round-the-clock hub: exercises the "closing at 00:00 means end of day" rule.
ALWAYS = WorkingCalendar(
    "Europe/London", {d: (time(0), time(0)) for d in range(7)}, BankHolidayRegion.SCOTLAND
)
# Uneven hours, a Saturday session and a short Friday.
UNEVEN = WorkingCalendar(
    "Europe/London",
    {
        0: (time(8, 30), time(18, 0)),
        1: (time(9, 0), time(17, 0)),
        2: (time(9, 0), time(17, 0)),
        3: (time(9, 0), time(17, 0)),
        4: (time(9, 0), time(16, 0)),
        5: (time(10, 0), time(13, 0)),
    },
    BankHolidayRegion.NORTHERN_IRELAND,
)
CALENDARS = [ENG, SCT, NIR, ALWAYS, UNEVEN]


def local(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    """A Europe/London wall-clock instant."""
    return datetime(year, month, day, hour, minute, tzinfo=LONDON)


def utc(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0
) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=UTC)


def hours(n: float) -> timedelta:
    return timedelta(hours=n)


# --- Examples: working hours -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "amount", "expected"),
    [
        (local(2026, 1, 12, 10), 4, local(2026, 1, 12, 14)),  # Mon 10:00 + 4h
        (local(2026, 1, 12, 15), 4, local(2026, 1, 13, 11)),  # Mon 15:00 + 4h -> Tue
        (local(2026, 1, 16, 15), 4, local(2026, 1, 19, 11)),  # Fri 15:00 + 4h -> Mon
        (local(2026, 1, 12, 13), 4, local(2026, 1, 12, 17)),  # ends exactly at close
        (local(2026, 1, 12, 7), 1, local(2026, 1, 12, 10)),  # before opening
        (local(2026, 1, 12, 19), 1, local(2026, 1, 13, 10)),  # after close
        (local(2026, 1, 17, 11), 8, local(2026, 1, 19, 17)),  # Saturday
        (local(2026, 1, 12, 10), 72, local(2026, 1, 23, 10)),  # 72h = 9 working days
    ],
)
def test_add_working_hours_examples(start: datetime, amount: int, expected: datetime) -> None:
    assert ENG.add_working_time(start, hours(amount)) == expected
    assert ENG.add(start, amount, TimeUnit.WORKING_HOURS) == expected


def test_zero_amount_returns_start_even_when_closed() -> None:
    saturday = local(2026, 1, 17, 11)
    assert ENG.add_working_time(saturday, timedelta(0)) == saturday
    assert ENG.add(saturday, 0, TimeUnit.WORKING_DAYS) == saturday


def test_results_are_utc() -> None:
    result = ENG.add_working_time(local(2026, 6, 1, 10), hours(1))
    assert result.tzinfo is UTC
    assert result == utc(2026, 6, 1, 10)  # 11:00 BST


def test_decimal_hours() -> None:
    assert ENG.add(local(2026, 1, 12, 16), Decimal("1.5"), TimeUnit.WORKING_HOURS) == local(
        2026, 1, 13, 9, 30
    )


def test_easter_england_skips_good_friday_and_easter_monday() -> None:
    maundy_thursday = local(2026, 4, 2, 15)
    assert ENG.add_working_time(maundy_thursday, hours(4)) == local(2026, 4, 7, 11)
    assert ENG.add_working_time(maundy_thursday, hours(4)) == utc(2026, 4, 7, 10)


def test_easter_monday_is_not_a_scottish_bank_holiday() -> None:
    assert SCT.add_working_time(local(2026, 4, 2, 15), hours(4)) == local(2026, 4, 6, 11)


def test_christmas_and_observed_boxing_day() -> None:
    # 2026: Christmas is Friday, Boxing Day is Saturday so Monday 28th is the substitute day.
    assert ENG.add_working_time(local(2026, 12, 24, 15), hours(4)) == utc(2026, 12, 29, 11)
    assert ENG.is_bank_holiday(date(2026, 12, 28))


def test_scotland_second_of_january() -> None:
    new_years_eve = local(2025, 12, 31, 15)
    assert ENG.add_working_time(new_years_eve, hours(4)) == local(2026, 1, 2, 11)
    assert SCT.add_working_time(new_years_eve, hours(4)) == local(2026, 1, 5, 11)


def test_st_andrews_day_scotland_only() -> None:
    friday = local(2026, 11, 27, 15)
    assert SCT.is_bank_holiday(date(2026, 11, 30))
    assert not ENG.is_bank_holiday(date(2026, 11, 30))
    assert ENG.add_working_time(friday, hours(4)) == local(2026, 11, 30, 11)
    assert SCT.add_working_time(friday, hours(4)) == local(2026, 12, 1, 11)


def test_northern_ireland_holidays() -> None:
    for day in (date(2026, 3, 17), date(2026, 7, 13), date(2027, 7, 12)):
        assert NIR.is_bank_holiday(day)
        assert not ENG.is_bank_holiday(day)
    # St Patrick's Day 2026 is a Tuesday.
    assert NIR.add_working_time(local(2026, 3, 16, 15), hours(4)) == local(2026, 3, 18, 11)
    assert ENG.add_working_time(local(2026, 3, 16, 15), hours(4)) == local(2026, 3, 17, 11)
    # Twelfth of July 2026 is a Sunday, observed on Monday 13th.
    assert NIR.add_working_time(local(2026, 7, 10, 15), hours(4)) == local(2026, 7, 14, 11)


# --- Examples: clocks changing ------------------------------------------------------------------


def test_clocks_go_forward() -> None:
    # Fri 27 Mar 2026 is GMT; Mon 30 Mar is BST (clocks forward Sun 29 Mar).
    friday = local(2026, 3, 27, 13)
    assert friday == utc(2026, 3, 27, 13)
    assert ENG.add_working_time(friday, hours(8)) == utc(2026, 3, 30, 12)  # 13:00 BST
    assert ENG.add_working_time(local(2026, 3, 27, 17), hours(1)) == utc(2026, 3, 30, 9)
    assert ENG.add_working_time(local(2026, 3, 27, 17), timedelta(seconds=1)) == utc(
        2026, 3, 30, 8, 0, 1
    )  # 09:00 BST = 08:00 UTC
    assert ENG.working_time_between(local(2026, 3, 27, 9), local(2026, 3, 30, 17)) == hours(16)


def test_clocks_go_back() -> None:
    # Fri 23 Oct 2026 is BST; Mon 26 Oct is GMT (clocks back Sun 25 Oct).
    friday = local(2026, 10, 23, 13)
    assert friday == utc(2026, 10, 23, 12)
    assert ENG.add_working_time(friday, hours(8)) == utc(2026, 10, 26, 13)
    assert ENG.working_time_between(local(2026, 10, 23, 9), local(2026, 10, 26, 17)) == hours(16)


def test_round_the_clock_hub_sees_short_and_long_days() -> None:
    assert ALWAYS.working_time_between(local(2026, 3, 29), local(2026, 3, 30)) == hours(23)
    assert ALWAYS.working_time_between(local(2026, 10, 25), local(2026, 10, 26)) == hours(25)
    assert ALWAYS.is_open(local(2026, 3, 29, 23, 59))
    assert ALWAYS.add_working_time(local(2026, 3, 28, 12), hours(24)) == local(2026, 3, 29, 13)


def test_year_of_working_time() -> None:
    # 2026: 261 weekdays, 8 of them English bank holidays.
    total = ENG.working_time_between(utc(2026, 1, 1), utc(2027, 1, 1))
    assert total == hours(253 * 8)
    assert ENG.working_time_between(utc(2027, 1, 1), utc(2026, 1, 1)) == -total


# --- Examples: working days ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        (local(2026, 1, 12, 10), 1, local(2026, 1, 13, 10)),  # Mon 10:00 -> Tue 10:00
        (local(2026, 1, 16, 16), 1, local(2026, 1, 19, 16)),  # Fri 16:00 -> Mon 16:00
        (local(2026, 5, 22, 16), 1, local(2026, 5, 26, 16)),  # Spring bank holiday Monday
        (local(2026, 1, 17, 11), 1, local(2026, 1, 19, 17)),  # Sat: by the close of Monday
        (local(2026, 1, 12, 7), 1, local(2026, 1, 12, 17)),  # before opening: that day's close
        (local(2026, 1, 12, 17), 1, local(2026, 1, 13, 17)),  # at close: the next day's close
        (local(2026, 1, 12, 10), 5, local(2026, 1, 19, 10)),  # a working week
        (local(2026, 3, 27, 10), 1, utc(2026, 3, 30, 9)),  # across clocks forward
    ],
)
def test_add_working_days_examples(start: datetime, days: int, expected: datetime) -> None:
    assert ENG.add(start, days, TimeUnit.WORKING_DAYS) == expected


def test_working_days_clip_to_shorter_day() -> None:
    # UNEVEN closes at 16:00 on Fridays.
    assert UNEVEN.add(local(2026, 1, 15, 16, 30), 1, TimeUnit.WORKING_DAYS) == local(
        2026, 1, 16, 16
    )


def test_working_days_reject_fractions() -> None:
    with pytest.raises(ValueError, match="whole number"):
        ENG.add(local(2026, 1, 12, 10), Decimal("1.5"), TimeUnit.WORKING_DAYS)


# --- Validation and helpers ---------------------------------------------------------------------


def test_naive_datetimes_rejected() -> None:
    naive = datetime(2026, 1, 12, 10)
    with pytest.raises(ValueError, match="must be timezone-aware"):
        ENG.add_working_time(naive, hours(1))
    with pytest.raises(ValueError, match="must be timezone-aware"):
        ENG.working_time_between(local(2026, 1, 12), naive)
    with pytest.raises(ValueError, match="must be timezone-aware"):
        ENG.working_intervals(naive, local(2026, 1, 12))
    with pytest.raises(ValueError, match="must be timezone-aware"):
        ENG.is_open(naive)


def test_invalid_calendars_rejected() -> None:
    with pytest.raises(ValueError, match="no open hours"):
        WorkingCalendar("Europe/London", {}, BankHolidayRegion.SCOTLAND)
    with pytest.raises(ValueError, match="closing time"):
        WorkingCalendar("Europe/London", {0: (time(17), time(9))}, BankHolidayRegion.SCOTLAND)
    with pytest.raises(ValueError, match="weekday"):
        WorkingCalendar("Europe/London", {7: (time(9), time(17))}, BankHolidayRegion.SCOTLAND)
    with pytest.raises(ValueError, match="time zone"):
        WorkingCalendar("Mars/Olympus", default_hours(), BankHolidayRegion.SCOTLAND)


def test_negative_amount_rejected() -> None:
    with pytest.raises(ValueError, match="negative"):
        ENG.add_working_time(local(2026, 1, 12, 10), -hours(1))


def test_calendar_is_hashable_and_frozen_against_caller_edits() -> None:
    source = default_hours()
    calendar = WorkingCalendar("Europe/London", source, "scotland")  # type: ignore[arg-type]
    source.clear()
    assert calendar.region is BankHolidayRegion.SCOTLAND
    assert calendar == SCT
    assert hash(calendar) == hash(SCT)
    assert calendar.is_open(local(2026, 1, 12, 10))


def test_working_intervals() -> None:
    intervals = list(ENG.working_intervals(local(2026, 1, 9, 12), local(2026, 1, 12, 10)))
    assert intervals == [
        (utc(2026, 1, 9, 12), utc(2026, 1, 9, 17)),
        (utc(2026, 1, 12, 9), utc(2026, 1, 12, 10)),
    ]


def test_is_open_boundaries() -> None:
    assert ENG.is_open(local(2026, 1, 12, 9))
    assert not ENG.is_open(local(2026, 1, 12, 17))
    assert not ENG.is_open(local(2026, 1, 17, 12))
    assert not ENG.is_open(local(2026, 12, 25, 12))


@pytest.mark.parametrize(
    ("delta", "text"),
    [
        (timedelta(0), "0m"),
        (timedelta(minutes=45), "45m"),
        (timedelta(hours=3, minutes=20, seconds=59), "3h 20m"),
        (timedelta(hours=50, minutes=5), "50h 5m"),
        (-timedelta(hours=1, minutes=5), "-1h 5m"),
    ],
)
def test_format_working_duration(delta: timedelta, text: str) -> None:
    assert format_working_duration(delta) == text


# --- Properties ---------------------------------------------------------------------------------

calendars = st.sampled_from(CALENDARS)
instants = st.datetimes(
    min_value=datetime(2024, 1, 1), max_value=datetime(2028, 12, 31), timezones=st.just(UTC)
)
amounts = st.integers(min_value=0, max_value=200 * 60).map(lambda m: timedelta(minutes=m))
TICK = timedelta(microseconds=1)


def _is_closing_instant(calendar: WorkingCalendar, instant: datetime) -> bool:
    return calendar.working_time_between(instant - TICK, instant) == TICK


@settings(max_examples=200, deadline=None)
@given(calendars, instants, amounts)
def test_add_then_measure_round_trips(
    calendar: WorkingCalendar, start: datetime, amount: timedelta
) -> None:
    assert calendar.working_time_between(start, calendar.add_working_time(start, amount)) == amount


@settings(max_examples=200, deadline=None)
@given(calendars, instants, amounts, amounts)
def test_add_is_monotonic(
    calendar: WorkingCalendar, start: datetime, first: timedelta, second: timedelta
) -> None:
    small, large = sorted((first, second))
    assert calendar.add_working_time(start, small) <= calendar.add_working_time(start, large)


@settings(max_examples=200, deadline=None)
@given(calendars, instants, amounts.filter(bool))
def test_result_is_open_or_a_closing_instant(
    calendar: WorkingCalendar, start: datetime, amount: timedelta
) -> None:
    result = calendar.add_working_time(start, amount)
    assert calendar.is_open(result) or _is_closing_instant(calendar, result)


@settings(max_examples=200, deadline=None)
@given(calendars, instants, amounts, amounts)
def test_add_is_additive(
    calendar: WorkingCalendar, start: datetime, first: timedelta, second: timedelta
) -> None:
    stepwise = calendar.add_working_time(calendar.add_working_time(start, first), second)
    assert stepwise == calendar.add_working_time(start, first + second)


@settings(max_examples=200, deadline=None)
@given(calendars, instants, instants)
def test_between_is_antisymmetric(
    calendar: WorkingCalendar, start: datetime, end: datetime
) -> None:
    forward = calendar.working_time_between(start, end)
    assert forward == -calendar.working_time_between(end, start)
    # Sign follows direction; zero is possible either way (a span with no working time).
    if forward > timedelta(0):
        assert end > start
    if forward < timedelta(0):
        assert end < start


@settings(max_examples=200, deadline=None)
@given(calendars, instants)
def test_is_open_agrees_with_measurement(calendar: WorkingCalendar, instant: datetime) -> None:
    assert calendar.is_open(instant) == (
        calendar.working_time_between(instant, instant + TICK) == TICK
    )


@settings(max_examples=200, deadline=None)
@given(calendars, instants, st.integers(min_value=1, max_value=30))
def test_working_days_land_in_hours_and_advance(
    calendar: WorkingCalendar, start: datetime, days: int
) -> None:
    result = calendar.add(start, days, TimeUnit.WORKING_DAYS)
    following = calendar.add(start, days + 1, TimeUnit.WORKING_DAYS)
    assert result > start
    assert calendar.is_open(result) or _is_closing_instant(calendar, result)
    assert following > result
    # Each extra working day adds at most one day's worth of working time.
    assert timedelta(0) < calendar.working_time_between(result, following) <= hours(25)
