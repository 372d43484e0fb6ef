"""iCalendar output of follow-ups: the secret feed, the .ics download and the file export.

What it offers::

    render_calendar(entries, *, namespace, now, settings=None) -> bytes
    FollowUpEntry(id, title, due, timing, time_zone, revision, state, why=..., draft_subject=...,
                  draft_body=..., person=..., opening=...)
    Timing.DEADLINE | Timing.DAY
    FeedSettings(name, deadline_block, day_alarm_at, refresh, time_zone)
    follow_up_uid(namespace, follow_up_id) -> str;  IcsError

How the services will call it: the calendar query reads the workspace's follow-ups, flattens
each into a ``FollowUpEntry`` (its key as ``id``, a revision that grows on every change, the
user's zone, the draft) and calls::

    render_calendar(entries, namespace=f"{host}/ws/{workspace_id}", now=now,
                    settings=FeedSettings(time_zone=user_zone))

The feed view, the download and the CLI export send the bytes as ``text/calendar;
charset=utf-8``. The caller decides everything a user sees: which follow-ups, what they say.
This package only writes RFC 5545: stable UIDs, SEQUENCE from the revision (so a subscribed
app updates its event instead of adding a second one), all-day events for day items and timed
ones in the user's zone for deadlines, an alarm each, and a VTIMEZONE for every zone an
event's time refers to (and for the feed's own zone, if given). ``IcsError`` messages name the
follow-up and the field at fault.

A feed is built whole in memory (icalendar writes the file at once): fine for one user's live
follow-ups, one to two seconds per thousand events on a busy laptop.
"""

from topofmind.integrations.ics.entries import FollowUpEntry, IcsError, Timing
from topofmind.integrations.ics.feed import PRODID, FeedSettings, render_calendar
from topofmind.integrations.ics.uids import follow_up_uid

__all__ = ["PRODID", "FeedSettings", "FollowUpEntry", "IcsError", "Timing", "follow_up_uid", "render_calendar"]
