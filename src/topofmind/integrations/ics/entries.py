"""What the calendar writer takes: one follow-up as a calendar needs to see it."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime


class IcsError(Exception):
    """A follow-up (or the feed's settings) cannot be written; the message names which and why."""


class Timing(enum.StrEnum):
    """How a follow-up sits in the calendar."""

    # A moment that matters (a thank-you within 24 h, a reply owed): a timed event.
    DEADLINE = "deadline"
    # Any time on a day (a nudge, a keep-warm note): an all-day event.
    DAY = "day"


# Follow-ups that are done with stay out of the calendar; the states match engine.types.State
# but are spelled here so this package needs nothing from the rest of the project.
CLOSED_STATES = frozenset({"done", "skipped", "cancelled"})
LIVE_STATES = frozenset({"pending", "snoozed"})


@dataclass(frozen=True)
class FollowUpEntry:
    """One follow-up, flattened for the calendar.

    ``id`` is the follow-up's stable key (it makes the event's UID, so it must not change when
    the follow-up is edited); ``revision`` grows by at least one every time anything shown
    here changes (it becomes SEQUENCE, which is how a calendar app knows to update the event it
    already has). ``due`` is an aware moment: for a deadline the moment itself, for a day item
    any moment on that day in ``time_zone`` (an IANA name such as ``"Europe/Berlin"``).
    """

    id: str
    title: str
    due: datetime
    timing: Timing
    time_zone: str
    revision: int
    state: str
    why: str = ""
    draft_subject: str = ""
    draft_body: str = ""
    person: str = ""
    opening: str = ""
