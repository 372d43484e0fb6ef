"""Business days (R16), local days and call windows (R8) on real calendars."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from engine_helpers import calendar

from topofmind.engine.calendar import call_window

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")


def d(text: str) -> date:
    return date.fromisoformat(text)


def test_a_saturday_due_day_moves_to_monday() -> None:
    cal = calendar("Europe/Berlin", "DE")
    assert cal.roll_forward(d("2026-03-07")) == d("2026-03-09")
    assert cal.roll_forward(d("2026-03-09")) == d("2026-03-09")


def test_german_unity_day_on_a_saturday_is_both_weekend_and_holiday() -> None:
    cal = calendar("Europe/Berlin", "DE")
    assert cal.is_holiday(d("2026-10-03"))
    assert cal.roll_forward(d("2026-10-03")) == d("2026-10-05")


def test_christmas_in_germany_skips_friday_to_monday() -> None:
    cal = calendar("Europe/Berlin", "DE")
    assert cal.is_business_day(d("2026-12-24"))  # Christmas Eve is a working day in Germany
    assert not cal.is_business_day(d("2026-12-25"))
    assert not cal.is_business_day(d("2026-12-26"))
    assert cal.roll_forward(d("2026-12-25")) == d("2026-12-28")
    assert cal.add_business_days(d("2026-12-24"), 1) == d("2026-12-28")


def test_uk_boxing_day_observed_pushes_to_tuesday() -> None:
    cal = calendar("Europe/London", "GB")
    assert cal.roll_forward(d("2026-12-25")) == d("2026-12-29")
    assert cal.roll_forward(d("2026-05-04")) == d("2026-05-05")  # early May bank holiday


def test_thanksgiving_is_skipped_when_counting_business_days() -> None:
    cal = calendar("America/New_York", "US")
    assert cal.add_business_days(d("2026-11-25"), 1) == d("2026-11-27")
    assert cal.business_days_between(d("2026-11-23"), d("2026-11-30")) == 4


def test_without_a_country_only_weekends_are_days_off() -> None:
    cal = calendar("Europe/Berlin", None)
    assert cal.is_business_day(d("2026-12-25"))
    assert not cal.is_business_day(d("2026-12-26"))


def test_an_unknown_country_code_falls_back_to_weekends_only() -> None:
    cal = calendar("UTC", "XX")
    assert cal.is_business_day(d("2026-12-25"))


def test_after_n_days_means_on_the_nth_day_then_rolls_forward() -> None:
    cal = calendar("Europe/Berlin", "DE")
    monday = datetime(2026, 3, 2, 10, 0, tzinfo=BERLIN)
    assert cal.after_days(monday, 7) == d("2026-03-09")
    assert cal.after_days(monday, 5) == d("2026-03-09")  # Saturday the 7th rolls to Monday


def test_local_day_is_the_users_day_not_utc() -> None:
    cal = calendar("America/New_York", "US")
    late_evening = datetime(2026, 3, 3, 2, 30, tzinfo=ZoneInfo("UTC"))  # Mon 21:30 in New York
    assert cal.local_day(late_evening) == d("2026-03-02")


def test_a_business_day_deadline_keeps_the_clock_time_across_the_spring_change() -> None:
    cal = calendar("Europe/Berlin", "DE")
    friday = datetime(2026, 3, 27, 10, 0, tzinfo=BERLIN)
    monday = cal.business_days_later(friday, 1)
    assert monday.astimezone(BERLIN).replace(tzinfo=None) == datetime(2026, 3, 30, 10, 0)
    utc = ZoneInfo("UTC")
    assert monday.astimezone(utc) - friday.astimezone(utc) == timedelta(
        days=3, hours=-1
    )  # one hour fewer: clocks went forward


def test_midnight_on_the_day_clocks_change_is_well_defined() -> None:
    cal = calendar("Europe/Berlin", "DE")
    assert cal.start_of(d("2026-03-29")).utcoffset() == timedelta(hours=1)
    assert cal.start_of(d("2026-03-30")).utcoffset() == timedelta(hours=2)
    assert cal.start_of(d("2026-10-25")).utcoffset() == timedelta(hours=2)
    assert cal.start_of(d("2026-10-26")).utcoffset() == timedelta(hours=1)


def test_new_york_business_hours_in_berlin_shift_during_the_three_weeks_of_mismatched_dst() -> None:
    def window(day: str) -> tuple[str, str]:
        begin, end = call_window(d(day), "Europe/Berlin", "America/New_York", 9, 17)
        return f"{begin.astimezone(BERLIN):%H:%M}", f"{end.astimezone(BERLIN):%H:%M}"

    assert window("2026-03-06") == ("15:00", "23:00")
    assert window("2026-03-09") == ("14:00", "22:00")  # New York moved on 8 March, Berlin not yet
    assert window("2026-03-30") == ("15:00", "23:00")
    assert window("2026-10-26") == ("14:00", "22:00")  # Berlin moved back on 25 October
    assert window("2026-11-02") == ("15:00", "23:00")  # New York on 1 November


def test_call_window_without_their_zone_is_the_users_business_hours() -> None:
    begin, end = call_window(d("2026-03-09"), "Europe/Berlin", None, 9, 17)
    assert begin == datetime(2026, 3, 9, 9, 0, tzinfo=BERLIN)
    assert end == datetime(2026, 3, 9, 17, 0, tzinfo=BERLIN)
