"""Working-time clock for hub deadlines.

Statutory and local safeguarding timescales (e.g. "a decision within 24 working hours") are
measured in the hub's *working* time, not wall-clock time. Everything here is pure Python so it
can be used from models, tasks and tests alike without touching the database.

Times are stored and returned as aware UTC datetimes, but every opening and closing is worked
out in the hub's local wall-clock time, so a 09:00-17:00 day is always eight working hours even
on the weeks the clocks change.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import ROUND_HALF_EVEN, Decimal
from enum import StrEnum
from functools import lru_cache
from types import MappingProxyType
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays

__all__ = [
    "BankHolidayRegion",
    "TimeUnit",
    "WorkingCalendar",
    "default_hours",
    "format_working_duration",
]

MIDNIGHT = time(0, 0)
_ONE_DAY = timedelta(days=1)
_MICROSECONDS_PER_HOUR = 3_600_000_000
# Longest run of consecutive closed days tolerated before we assume the calendar can never
# open again (a misconfiguration) rather than loop forever.
_MAX_CLOSED_DAYS = 3660


class BankHolidayRegion(StrEnum):
    """UK bank-holiday jurisdictions; a hub follows the holidays of the nation it sits in."""

    ENGLAND_AND_WALES = "england-and-wales"
    SCOTLAND = "scotland"
    NORTHERN_IRELAND = "northern-ireland"


class TimeUnit(StrEnum):
    """Units in which timescales are configured."""

    WORKING_HOURS = "working_hours"
    WORKING_DAYS = "working_days"


# Wales shares England's bank holidays, so the England subdivision serves both.
_SUBDIVISIONS: Mapping[BankHolidayRegion, str] = {
    BankHolidayRegion.ENGLAND_AND_WALES: "ENG",
    BankHolidayRegion.SCOTLAND: "SCT",
    BankHolidayRegion.NORTHERN_IRELAND: "NIR",
}


@lru_cache(maxsize=128)
def _bank_holidays(region: BankHolidayRegion, year: int) -> frozenset[date]:
    """Bank holidays for one region and year, cached because lookups happen once per day walked."""
    calendar = holidays.country_holidays("GB", subdiv=_SUBDIVISIONS[region], years=year)
    return frozenset(calendar.keys())


def _require_aware(value: datetime, name: str) -> None:
    """Reject naive datetimes: their meaning depends on the server's zone, which is a bug source."""
    if value.tzinfo is None or value.tzinfo.utcoffset(value) is None:
        raise ValueError(f"{name} must be timezone-aware")


def default_hours() -> dict[int, tuple[time, time]]:
    """Standard office hours (Monday-Friday 09:00-17:00) used when a hub sets none of its own."""
    return {weekday: (time(9, 0), time(17, 0)) for weekday in range(5)}


def format_working_duration(delta: timedelta) -> str:
    """Render a working duration as "Xh Ym" (hours may exceed 24; they are working hours).

    Partial minutes are truncated towards zero and negative durations get a leading "-";
    wording such as "overdue by" is left to the caller.
    """
    sign = "-" if delta < timedelta(0) else ""
    total_minutes = abs(delta) // timedelta(minutes=1)
    hours, minutes = divmod(total_minutes, 60)
    if hours:
        return f"{sign}{hours}h {minutes}m"
    return f"{sign}{minutes}m"


@dataclass(frozen=True)
class WorkingCalendar:
    """A hub's opening hours, time zone and bank-holiday region.

    ``hours`` maps weekday (0=Monday) to ``(opening, closing)`` local wall-clock times; a weekday
    that is missing is closed. A closing time of ``time(0, 0)`` means midnight at the *end* of the
    day, so ``(time(0, 0), time(0, 0))`` is open all day. Each day has a single opening period, and
    the hub is closed all day on bank holidays for its region.

    All methods accept aware datetimes in any zone and return aware datetimes in UTC. Intervals
    are half-open: the hub is open at its opening instant and closed at its closing instant.
    """

    timezone: str
    hours: Mapping[int, tuple[time, time]]
    region: BankHolidayRegion

    def __post_init__(self) -> None:
        """Validate eagerly so a bad configuration fails when saved, not when a deadline is due."""
        try:
            ZoneInfo(self.timezone)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {self.timezone!r}") from exc
        object.__setattr__(self, "region", BankHolidayRegion(self.region))
        hours: dict[int, tuple[time, time]] = {}
        for weekday, (opening, closing) in self.hours.items():
            if weekday not in range(7):
                raise ValueError(f"weekday must be 0 (Monday) to 6 (Sunday), got {weekday!r}")
            if opening.tzinfo is not None or closing.tzinfo is not None:
                raise ValueError("opening hours must be naive local wall-clock times")
            if closing != MIDNIGHT and closing <= opening:
                raise ValueError(f"weekday {weekday}: closing time must be after opening time")
            hours[weekday] = (opening, closing)
        if not hours:
            raise ValueError("calendar has no open hours")
        # Freeze a private copy so later edits to the caller's dict cannot change deadlines.
        object.__setattr__(self, "hours", MappingProxyType(hours))

    def __hash__(self) -> int:
        return hash((self.timezone, tuple(sorted(self.hours.items())), self.region))

    @property
    def _zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)  # ZoneInfo caches instances per key, so this is cheap.

    def _local_date(self, instant: datetime) -> date:
        return instant.astimezone(self._zone).date()

    def _open_period(self, day: date) -> tuple[datetime, datetime] | None:
        """The UTC opening period for a local date, or None when closed all day.

        Openings are built from local wall-clock times, which is what makes DST weeks correct.
        A period that is empty after conversion (only possible for hours inside a DST gap) is
        treated as closed.
        """
        period = self.hours.get(day.weekday())
        if period is None or self.is_bank_holiday(day):
            return None
        opening, closing = period
        zone = self._zone
        open_at = datetime.combine(day, opening, tzinfo=zone).astimezone(UTC)
        close_day = day + _ONE_DAY if closing == MIDNIGHT else day
        close_at = datetime.combine(close_day, closing, tzinfo=zone).astimezone(UTC)
        if close_at <= open_at:
            return None
        return open_at, close_at

    def _next_open_period(self, day: date) -> tuple[date, tuple[datetime, datetime]]:
        """The first open day strictly after ``day``, guarded against calendars that never open."""
        for _ in range(_MAX_CLOSED_DAYS):
            day += _ONE_DAY
            period = self._open_period(day)
            if period is not None:
                return day, period
        raise ValueError(f"calendar has no open hours within {_MAX_CLOSED_DAYS} days of {day}")

    def is_bank_holiday(self, day: date) -> bool:
        """Whether ``day`` is a bank holiday in this calendar's region."""
        return day in _bank_holidays(self.region, day.year)

    def is_open(self, instant: datetime) -> bool:
        """Whether the hub is open at ``instant`` (open at opening, closed at closing)."""
        _require_aware(instant, "instant")
        period = self._open_period(self._local_date(instant))
        return period is not None and period[0] <= instant < period[1]

    def working_intervals(
        self, start: datetime, end: datetime
    ) -> Iterator[tuple[datetime, datetime]]:
        """Yield the open periods within ``[start, end)``, clipped to it, in order, in UTC.

        Walks day by day, so cost grows with the number of calendar days, not minutes.
        """
        _require_aware(start, "start")
        _require_aware(end, "end")
        return self._intervals(start.astimezone(UTC), end.astimezone(UTC))

    def _intervals(self, start: datetime, end: datetime) -> Iterator[tuple[datetime, datetime]]:
        day, last = self._local_date(start), self._local_date(end)
        while day <= last:
            period = self._open_period(day)
            if period is not None:
                low, high = max(period[0], start), min(period[1], end)
                if low < high:
                    yield low, high
            day += _ONE_DAY

    def working_time_between(self, start: datetime, end: datetime) -> timedelta:
        """Working time elapsed from ``start`` to ``end``; negative when ``end`` is earlier."""
        _require_aware(start, "start")
        _require_aware(end, "end")
        if end < start:
            return -self.working_time_between(end, start)
        total = timedelta(0)
        for low, high in self.working_intervals(start, end):
            total += high - low
        return total

    def add_working_time(self, start: datetime, amount: timedelta) -> datetime:
        """The instant at which ``amount`` of working time has elapsed after ``start``.

        A zero amount returns ``start`` unchanged. Otherwise counting begins at ``start`` or at
        the next opening if the hub is closed then. When the amount runs out exactly at a closing
        time the closing instant is returned (not the next opening) - the deadline is "by close".
        """
        _require_aware(start, "start")
        if amount < timedelta(0):
            raise ValueError("amount must not be negative")
        start = start.astimezone(UTC)
        if not amount:
            return start
        remaining = amount
        day = self._local_date(start)
        period = self._open_period(day)
        while True:
            if period is not None:
                open_at = max(period[0], start)
                available = period[1] - open_at
                if available > timedelta(0):
                    if remaining <= available:
                        return open_at + remaining
                    remaining -= available
            day, period = self._next_open_period(day)

    def add(self, start: datetime, amount: int | Decimal, unit: TimeUnit) -> datetime:
        """Add a timescale expressed in working hours or whole working days.

        ``WORKING_HOURS`` is :meth:`add_working_time` (fractional hours allowed).

        ``WORKING_DAYS`` keeps the same position within the working day, so "N working days"
        reads naturally to practitioners: the start's offset into its working day is taken
        (before opening counts as offset 0; at/after closing or on a closed day counts as offset 0
        of the next working day), then the result is that offset into the Nth working day after,
        clipped to that day's closing time. At offset 0 the result is the close of the Nth
        working day counting the first one (the same working time, but a deadline a person can
        read). With Mon-Fri 09:00-17:00: Mon 10:00 + 1 -> Tue 10:00; Fri 16:00 + 1 -> Mon 16:00
        (Tue if Monday is a bank holiday); Sat 11:00 + 1 -> Mon 17:00; Mon 08:00 + 1 -> Mon 17:00.
        Zero days returns ``start`` unchanged, matching :meth:`add_working_time`.
        """
        _require_aware(start, "start")
        value = Decimal(amount)
        if value < 0:
            raise ValueError("amount must not be negative")
        if unit == TimeUnit.WORKING_HOURS:
            micros = (value * _MICROSECONDS_PER_HOUR).to_integral_value(ROUND_HALF_EVEN)
            return self.add_working_time(start, timedelta(microseconds=int(micros)))
        if unit != TimeUnit.WORKING_DAYS:
            raise ValueError(f"unsupported time unit {unit!r}")
        if value != value.to_integral_value():
            raise ValueError("working days must be a whole number")
        start = start.astimezone(UTC)
        days = int(value)
        if days == 0:
            return start
        day = self._local_date(start)
        period = self._open_period(day)
        if period is not None and start < period[1]:
            offset = max(start - period[0], timedelta(0))
        else:
            day, period = self._next_open_period(day)
            offset = timedelta(0)
        if offset == timedelta(0):
            # Received before the day's work began: N working days end at the close of the
            # Nth working day, counting that day (not at the opening of the day after).
            for _ in range(days - 1):
                day, period = self._next_open_period(day)
            return period[1]
        for _ in range(days):
            day, period = self._next_open_period(day)
        return min(period[0] + offset, period[1])
