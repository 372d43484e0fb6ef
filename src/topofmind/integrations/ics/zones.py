"""The user's time zone in a calendar file: wall times, alarm offsets, VTIMEZONE definitions."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from icalendar import Calendar, Timezone

from topofmind.integrations.ics.entries import IcsError


def zone_named(name: str, where: str) -> ZoneInfo:
    """The zone called ``name``; ``where`` starts the error message (the follow-up, the setting)."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise IcsError(
            f"{where}: {name!r} is not a time zone we know (expected a name like 'Europe/Berlin')."
        ) from None


def wall_time(moment: datetime, zone: ZoneInfo) -> datetime:
    """``moment`` on the user's clock, or in UTC when their clock cannot say it.

    In the hour a DST change repeats, a local time names two moments, and RFC 5545 readers
    take the first; the second pass of that hour is therefore written in UTC, which every
    app still shows in the user's zone.
    """
    local = moment.astimezone(zone)
    if local.fold == 1 and local.replace(fold=0).utcoffset() != local.utcoffset():
        return moment.astimezone(UTC)
    return local


def offset_into_day(day: date, at: time, zone: ZoneInfo) -> timedelta:
    """From the day's local midnight to ``at`` local time, in real elapsed time.

    An alarm on an all-day event counts from its start, and a DST change that night makes
    09:00 eight or ten hours after midnight, not nine.
    """
    midnight = datetime.combine(day, time(0), tzinfo=zone).astimezone(UTC)
    alarm = datetime.combine(day, at, tzinfo=zone).astimezone(UTC)
    return alarm - midnight


def add_timezones(calendar: Calendar, *, first_year: int, last_year: int, feed_zone: str | None) -> None:
    """A VTIMEZONE for every zone an event's time refers to, and for the feed's own zone.

    The rules cover the years the events span and one on each side (alarms, late edits):
    short enough to keep the feed small, long enough to be right.
    """
    first, last = date(first_year - 1, 1, 1), date(last_year + 2, 1, 1)
    calendar.add_missing_timezones(first_date=first, last_date=last)
    defined = {str(timezone["TZID"]) for timezone in calendar.walk("VTIMEZONE")}
    if feed_zone and feed_zone not in defined:
        calendar.add_component(Timezone.from_tzid(feed_zone, first_date=first, last_date=last))
    _tidy_timezones(calendar)


def _tidy_timezones(calendar: Calendar) -> None:
    """VTIMEZONEs first, and one RDATE line per clock change.

    icalendar writes a zone's changes as one comma-separated RDATE; RFC 5545 allows it, but
    vobject (and servers built on it, such as Radicale) keep only the first date, so every
    later year would be an hour off. Separate lines mean the same and are read right by all.
    One-pass readers also want a zone defined before an event refers to it.
    """
    for timezone in calendar.walk("VTIMEZONE"):
        for rules in timezone.subcomponents:
            given = rules.get("RDATE")
            if given is None:
                continue
            lists = given if isinstance(given, list) else [given]
            changes = [moment.dt for dates in lists for moment in dates.dts]
            del rules["RDATE"]
            for change in changes:
                rules.add("rdate", change)
    timezones = [c for c in calendar.subcomponents if c.name == "VTIMEZONE"]
    others = [c for c in calendar.subcomponents if c.name != "VTIMEZONE"]
    calendar.subcomponents[:] = timezones + others
