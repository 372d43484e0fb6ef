"""Days, business days (R16) and hours in a person's zone.

"After N days" means on the Nth day, counted on the user's local calendar; a due day that
lands on a weekend or a public holiday of the user's country moves to the next business day.
Deadlines counted in hours (R1) do not move.

Which days are public holidays is data the caller hands in (``HolidayDates``, a year -> that
year's dates): the engine knows no country's calendar and imports no holiday package.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from .types import HolidayDates


@lru_cache(maxsize=64)
def zone(name: str | None) -> ZoneInfo:
    return ZoneInfo(name or "UTC")


class BusinessCalendar:
    """Business days in one zone, with the public holidays ``holidays`` names (None: weekends only)."""

    def __init__(self, timezone: str = "UTC", holidays: HolidayDates | None = None) -> None:
        self.tz = zone(timezone)
        self._holidays = holidays
        # Each year asked once per calendar: counting business days asks for every day.
        self._years: dict[int, frozenset[date]] = {}

    def local_day(self, moment: datetime) -> date:
        return moment.astimezone(self.tz).date()

    def start_of(self, day: date) -> datetime:
        """Midnight of ``day`` in the user's zone (fold-safe across DST)."""
        return datetime.combine(day, time(0, 0), tzinfo=self.tz)

    def at(self, day: date, hour: int, minute: int = 0) -> datetime:
        return datetime.combine(day, time(hour, minute), tzinfo=self.tz)

    def hours_later(self, moment: datetime, hours: int) -> datetime:
        """``hours`` real hours after ``moment`` (a deadline in hours never moves), in the user's zone.

        Computed in UTC: Python adds to an aware datetime on the wall clock of its own zone,
        which would make "24 hours" 23 or 25 across a clock change.
        """
        return (moment.astimezone(UTC) + timedelta(hours=hours)).astimezone(self.tz)

    def is_holiday(self, day: date) -> bool:
        if self._holidays is None:
            return False
        dates = self._years.get(day.year)
        if dates is None:
            dates = self._years[day.year] = self._holidays(day.year)
        return day in dates

    def is_business_day(self, day: date) -> bool:
        return day.weekday() < 5 and not self.is_holiday(day)

    def roll_forward(self, day: date) -> date:
        """R16: the day itself if it is a business day, else the next one."""
        while not self.is_business_day(day):
            day += timedelta(days=1)
        return day

    def after_days(self, moment: datetime, days: int) -> date:
        """The due day ``days`` calendar days after ``moment``'s local day, rolled forward (R16)."""
        return self.roll_forward(self.local_day(moment) + timedelta(days=days))

    def add_business_days(self, day: date, n: int) -> date:
        """The nth business day after ``day`` (n=0: ``day`` rolled forward)."""
        if n <= 0:
            return self.roll_forward(day)
        while n > 0:
            day += timedelta(days=1)
            if self.is_business_day(day):
                n -= 1
        return day

    def business_days_later(self, moment: datetime, n: int) -> datetime:
        """The same local clock time ``n`` business days after ``moment``: a deadline."""
        local = moment.astimezone(self.tz)
        day = self.add_business_days(local.date(), n)
        return datetime.combine(day, local.timetz().replace(tzinfo=None), tzinfo=self.tz)

    def business_days_between(self, start: date, end: date) -> int:
        """How many business days lie in [start, end)."""
        count = 0
        day = start
        while day < end:
            if self.is_business_day(day):
                count += 1
            day += timedelta(days=1)
        return count


def call_window(
    day: date, user_tz: str, their_tz: str | None, start_hour: int, end_hour: int
) -> tuple[datetime, datetime]:
    """Their business hours on ``day`` (their calendar), as aware datetimes (R8)."""
    theirs = zone(their_tz or user_tz)
    begin = datetime.combine(day, time(start_hour), tzinfo=theirs)
    end = datetime.combine(day, time(end_hour), tzinfo=theirs)
    return begin, end


def next_call_window(
    after: datetime, user_tz: str, their_tz: str | None, start_hour: int, end_hour: int
) -> tuple[datetime, datetime]:
    """R8: the first stretch of their business hours (a weekday, their zone) that ends after ``after``.

    A Monday in Auckland is still Sunday in New York; a Monday morning in New York is Monday
    evening in Auckland: the call goes into the first window they are at work.
    """
    theirs = zone(their_tz or user_tz)
    day = after.astimezone(theirs).date()
    for _ in range(8):
        if day.weekday() < 5:
            begin = datetime.combine(day, time(start_hour), tzinfo=theirs)
            end = datetime.combine(day, time(end_hour), tzinfo=theirs)
            if end > after:
                return begin, end
        day += timedelta(days=1)
    raise AssertionError("unreachable: a week always has a weekday")  # pragma: no cover
