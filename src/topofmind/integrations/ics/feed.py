"""A VCALENDAR of the live follow-ups: for the secret feed, the .ics download and the file export."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from icalendar import Alarm, Calendar, Event, vDuration

from topofmind.integrations.ics.entries import CLOSED_STATES, LIVE_STATES, FollowUpEntry, IcsError, Timing
from topofmind.integrations.ics.text import clean_text, description, summary
from topofmind.integrations.ics.uids import follow_up_uid
from topofmind.integrations.ics.zones import add_timezones, offset_into_day, wall_time, zone_named

PRODID = "-//topofmind//follow-ups//EN"


@dataclass(frozen=True)
class FeedSettings:
    """How the calendar is written; the defaults suit a personal feed.

    A deadline becomes a block of ``deadline_block`` that *ends* at the deadline, so the
    calendar reads "do it before this" rather than "do it at this time"; its alarm rings when
    the block starts. A day item's alarm rings at ``day_alarm_at`` local time on its day.
    ``refresh`` asks subscribing apps to poll that often (REFRESH-INTERVAL, X-PUBLISHED-TTL);
    None leaves it to the app. ``time_zone`` (the user's) becomes the calendar's default zone
    (X-WR-TIMEZONE, which Google and Apple use for all-day items) with its VTIMEZONE; that
    also keeps a feed with nothing due a valid calendar, as RFC 5545 wants one component.
    """

    name: str = "topofmind follow-ups"
    deadline_block: timedelta = timedelta(hours=1)
    day_alarm_at: time = time(9, 0)
    refresh: timedelta | None = None
    time_zone: str | None = None


def render_calendar(
    entries: Iterable[FollowUpEntry],
    *,
    namespace: str,
    now: datetime,
    settings: FeedSettings | None = None,
) -> bytes:
    """The calendar file (UTF-8, CRLF lines) with one event per live follow-up.

    Done, skipped and cancelled follow-ups are left out: a subscribed app drops an event that
    leaves the feed. Events come sorted by local day and UID, so the same follow-ups give the same
    file except for DTSTAMP (``now``). Raises ``IcsError`` naming the follow-up at fault.
    """
    settings = settings or FeedSettings()
    if now.tzinfo is None or now.utcoffset() is None:
        raise IcsError("The calendar's time stamp needs a time zone; it was given a local time without one.")
    if settings.deadline_block <= timedelta(0):
        raise IcsError("A deadline's block in the calendar must last longer than zero minutes.")
    if not namespace.strip():
        raise IcsError("The calendar needs a namespace (the host and workspace) to name its events; none was given.")

    if settings.time_zone:
        zone_named(settings.time_zone, "The calendar's time zone")
    stamp = now.astimezone(UTC).replace(microsecond=0)
    live = [entry for entry in entries if _is_live(entry)]
    _refuse_repeated_ids(live)
    events = sorted(
        (_event(entry, namespace=namespace, stamp=stamp, settings=settings) for entry in live), key=_sort_key
    )

    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("name", clean_text(settings.name))  # RFC 7986
    calendar.add("x-wr-calname", clean_text(settings.name))  # what Apple, Google and Outlook read
    if settings.refresh is not None:
        calendar.add("refresh-interval", settings.refresh, parameters={"VALUE": "DURATION"})
        # An X- property has no known type: say it is a duration, or it is written as "1:00:00".
        calendar.add("x-published-ttl", vDuration(settings.refresh))
    if settings.time_zone:
        calendar.add("x-wr-timezone", settings.time_zone)
    for _, event in events:
        calendar.add_component(event)
    days = [day for day, _ in events] or [stamp.date()]
    if events or settings.time_zone:
        add_timezones(calendar, first_year=min(days).year, last_year=max(days).year, feed_zone=settings.time_zone)
    ical: bytes = calendar.to_ical()
    return ical


def _is_live(entry: FollowUpEntry) -> bool:
    if entry.state in LIVE_STATES:
        return True
    if entry.state in CLOSED_STATES:
        return False
    known = ", ".join(sorted(LIVE_STATES | CLOSED_STATES))
    raise IcsError(f"Follow-up {entry.id!r} has the state {entry.state!r}; the calendar knows only {known}.")


def _refuse_repeated_ids(entries: list[FollowUpEntry]) -> None:
    """Two events with one UID are one event to a calendar app: which one it keeps is luck."""
    seen: set[str] = set()
    for entry in entries:
        if entry.id in seen:
            raise IcsError(f"Follow-up {entry.id!r} is in the calendar twice; each follow-up can be there only once.")
        seen.add(entry.id)


def _sort_key(item: tuple[date, Event]) -> tuple[str, str]:
    start, event = item
    return (start.isoformat(), str(event["uid"]))


def _event(entry: FollowUpEntry, *, namespace: str, stamp: datetime, settings: FeedSettings) -> tuple[date, Event]:
    """The event and its local start day (for sorting and the time-zone years)."""
    where = f"Follow-up {entry.id!r} ({summary(entry) or 'no title'})"
    if entry.due.tzinfo is None or entry.due.utcoffset() is None:
        raise IcsError(f"{where}: its due time has no time zone, so the calendar cannot place it.")
    if entry.revision < 0:
        raise IcsError(f"{where}: its revision is {entry.revision}; revisions start at 0 and only grow.")
    zone = zone_named(entry.time_zone, where)
    try:
        timing = Timing(entry.timing)
    except ValueError:
        raise IcsError(f"{where}: {entry.timing!r} is neither a deadline nor a day item.") from None

    event = Event()
    event.add("uid", follow_up_uid(namespace, entry.id))
    event.add("sequence", entry.revision)
    event.add("dtstamp", stamp)
    event.add("summary", summary(entry))
    text = description(entry)
    if text:
        event.add("description", text)
    # A reminder, not a meeting: it should not make the user look busy to others.
    event.add("transp", "TRANSPARENT")
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", summary(entry) or "Follow-up due")

    if timing is Timing.DEADLINE:
        # Subtract in UTC: aware arithmetic in one zone ignores a DST change in between.
        end = entry.due.astimezone(UTC)
        start = end - settings.deadline_block
        event.add("dtstart", wall_time(start, zone))
        event.add("dtend", wall_time(end, zone))
        alarm.add("trigger", timedelta(0))
        day = start.astimezone(zone).date()
    else:
        day = entry.due.astimezone(zone).date()
        event.add("dtstart", day)
        event.add("dtend", day + timedelta(days=1))
        alarm.add("trigger", offset_into_day(day, settings.day_alarm_at, zone))
    event.add_component(alarm)
    return day, event
