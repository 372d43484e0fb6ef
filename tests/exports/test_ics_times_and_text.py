"""Times land on the right moment around DST changes, and any text survives the trip.

Every expected moment below is written out by hand from the 2026 clock changes:
Europe/Berlin 29 March 01:00 UTC (02:00 -> 03:00) and 25 October 01:00 UTC (03:00 -> 02:00);
America/New_York 8 March 07:00 UTC (02:00 -> 03:00) and 1 November 06:00 UTC (02:00 -> 01:00).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import icalendar
import pytest
import vobject
from hypothesis import given, settings
from hypothesis import strategies as st

from topofmind.integrations.ics import FeedSettings, FollowUpEntry, Timing, render_calendar

NOW = datetime(2026, 3, 2, 7, 0, tzinfo=UTC)


def utc(value: object) -> datetime:
    """A parsed DTSTART / DTEND as a UTC moment (failing if the event is all-day)."""
    assert isinstance(value, datetime)
    return value.astimezone(UTC)


def deadline(due: datetime, zone: str, **fields: Any) -> FollowUpEntry:
    values: dict[str, Any] = {"id": "fu-1", "title": "Thank Ann", "revision": 0, "state": "pending"}
    values.update(fields)
    return FollowUpEntry(due=due, timing=Timing.DEADLINE, time_zone=zone, **values)


def day_item(due: datetime, zone: str) -> FollowUpEntry:
    return FollowUpEntry(
        id="fu-2", title="Nudge Bob", due=due, timing=Timing.DAY, time_zone=zone, revision=0, state="pending"
    )


def one_event(entry: FollowUpEntry, **settings: Any) -> tuple[bytes, Any, icalendar.Event]:
    ics = render_calendar([entry], namespace="test/ws/1", now=NOW, settings=FeedSettings(**settings))
    return ics, vobject.readOne(ics.decode("utf-8")).vevent, icalendar.Calendar.from_ical(ics).events[0]


@pytest.mark.parametrize(
    ("zone", "due", "local_start"),
    [
        # The day before, the day of and the day after each change: 09:00 local all along,
        # while the UTC moment moves by an hour.
        ("Europe/Berlin", datetime(2026, 3, 28, 8, 0, tzinfo=UTC), "20260328T090000"),
        ("Europe/Berlin", datetime(2026, 3, 29, 7, 0, tzinfo=UTC), "20260329T090000"),
        ("Europe/Berlin", datetime(2026, 10, 24, 7, 0, tzinfo=UTC), "20261024T090000"),
        ("Europe/Berlin", datetime(2026, 10, 25, 8, 0, tzinfo=UTC), "20261025T090000"),
        ("America/New_York", datetime(2026, 3, 7, 14, 0, tzinfo=UTC), "20260307T090000"),
        ("America/New_York", datetime(2026, 3, 8, 13, 0, tzinfo=UTC), "20260308T090000"),
        ("America/New_York", datetime(2026, 10, 31, 13, 0, tzinfo=UTC), "20261031T090000"),
        ("America/New_York", datetime(2026, 11, 1, 14, 0, tzinfo=UTC), "20261101T090000"),
    ],
)
def test_a_deadline_shows_at_the_users_local_time_on_either_side_of_a_clock_change(
    zone: str, due: datetime, local_start: str
) -> None:
    # due is the end of a one-hour block, so the block starts an hour earlier, at 09:00 local.
    ics, theirs, ours = one_event(deadline(due + timedelta(hours=1), zone))

    assert f"DTSTART;TZID={zone}:{local_start}".encode() in ics
    assert theirs.dtstart.value.astimezone(UTC) == due
    assert utc(ours.start) == due


@pytest.mark.parametrize(
    ("zone", "start", "written"),
    [
        # 01:30 -> 03:30 across the missing hour: one real hour, not two.
        ("Europe/Berlin", datetime(2026, 3, 29, 0, 30, tzinfo=UTC), b"DTSTART;TZID=Europe/Berlin:20260329T013000"),
        ("America/New_York", datetime(2026, 3, 8, 6, 30, tzinfo=UTC), b"DTSTART;TZID=America/New_York:20260308T013000"),
        # The second pass of the repeated hour: 02:30 CET / 01:30 EST name two moments, so UTC.
        ("Europe/Berlin", datetime(2026, 10, 25, 1, 30, tzinfo=UTC), b"DTSTART:20261025T013000Z"),
        ("America/New_York", datetime(2026, 11, 1, 6, 30, tzinfo=UTC), b"DTSTART:20261101T063000Z"),
        # The first pass of the repeated hour is what readers take a local time to mean.
        ("Europe/Berlin", datetime(2026, 10, 25, 0, 30, tzinfo=UTC), b"DTSTART;TZID=Europe/Berlin:20261025T023000"),
    ],
)
def test_a_deadline_block_spanning_a_clock_change_keeps_its_real_moments(
    zone: str, start: datetime, written: bytes
) -> None:
    ics, theirs, ours = one_event(deadline(start + timedelta(hours=1), zone))

    assert written in ics
    for event_start, event_end in ((theirs.dtstart.value, theirs.dtend.value), (ours.start, ours.end)):
        assert utc(event_start) == start
        assert utc(event_end) == start + timedelta(hours=1)


def test_the_times_follow_the_vtimezone_in_the_file_not_the_readers_own_rules() -> None:
    # Renamed to a zone no library knows, the events can only be placed by our VTIMEZONE.
    due = datetime(2026, 3, 29, 8, 0, tzinfo=UTC)
    ics, _, _ = one_event(deadline(due, "Europe/Berlin"))
    renamed = ics.decode().replace("Europe/Berlin", "X-Topofmind/Unknown")

    theirs = vobject.readOne(renamed).vevent
    ours = icalendar.Calendar.from_ical(renamed).events[0]

    assert theirs.dtend.value.astimezone(UTC) == due
    assert utc(ours.end) == due


@pytest.mark.parametrize(
    ("zone", "due", "trigger"),
    [
        ("Europe/Berlin", datetime(2026, 3, 29, 12, 0, tzinfo=UTC), timedelta(hours=8)),
        ("Europe/Berlin", datetime(2026, 10, 25, 12, 0, tzinfo=UTC), timedelta(hours=10)),
        ("Europe/Berlin", datetime(2026, 10, 26, 12, 0, tzinfo=UTC), timedelta(hours=9)),
        ("America/New_York", datetime(2026, 3, 8, 16, 0, tzinfo=UTC), timedelta(hours=8)),
        ("America/New_York", datetime(2026, 11, 1, 16, 0, tzinfo=UTC), timedelta(hours=10)),
    ],
)
def test_a_day_items_alarm_rings_at_nine_local_even_on_the_night_the_clocks_change(
    zone: str, due: datetime, trigger: timedelta
) -> None:
    _, theirs, ours = one_event(day_item(due, zone))

    assert theirs.dtstart.value == due.date()
    assert theirs.valarm.trigger.value == trigger
    assert ours.walk("VALARM")[0].decoded("trigger") == trigger


TRICKY = "Call Zoë Ørsted, re: Q3; budget \\ C:\\temp — 東京 🎉"


def test_commas_semicolons_backslashes_newlines_and_non_ascii_come_back_as_written() -> None:
    body = f"Hi Zoë,\n\n{TRICKY}\nline two; with, punctuation\n" + "long line " * 20
    entry = deadline(datetime(2026, 3, 5, 15, 0, tzinfo=UTC), "Europe/Berlin", title=TRICKY, draft_body=body)
    ics, theirs, ours = one_event(entry)

    assert theirs.summary.value == TRICKY
    assert str(ours["summary"]) == TRICKY
    assert theirs.description.value.endswith(body.strip())
    assert str(ours["description"]).endswith(body.strip())
    unfolded = ics.replace(b"\r\n ", b"")
    assert "Zoë Ørsted\\, re: Q3\\; budget \\\\ C:\\\\temp".encode() in unfolded  # escaped as RFC 5545 asks
    assert "Hi Zoë\\,\\n\\nCall".encode() in unfolded


def test_the_file_uses_crlf_lines_folded_to_75_octets() -> None:
    entry = deadline(datetime(2026, 3, 5, 15, 0, tzinfo=UTC), "Europe/Berlin", draft_body="Grüße aus Köln " * 40)
    ics, _, _ = one_event(entry)

    lines = ics.split(b"\r\n")
    assert lines[-1] == b""
    assert all(b"\n" not in line and len(line) <= 75 for line in lines)
    ics.decode("utf-8")  # folding never splits a character


def test_control_characters_pasted_into_a_title_are_dropped() -> None:
    _, theirs, _ = one_event(
        deadline(datetime(2026, 3, 5, 15, 0, tzinfo=UTC), "Europe/Berlin", title="Thank\x1b[0m Ann\x07")
    )

    assert theirs.summary.value == "Thank[0m Ann"


_ZONES = ["Europe/Berlin", "America/New_York", "Asia/Kolkata", "Australia/Lord_Howe", "UTC"]
_TEXT = st.text(st.characters(exclude_categories=("Cs", "Cc")), max_size=120)


@settings(max_examples=60, deadline=None)
@given(
    title=_TEXT,
    body=_TEXT,
    zone=st.sampled_from(_ZONES),
    due=st.datetimes(min_value=datetime(2026, 1, 1), max_value=datetime(2027, 12, 31), timezones=st.just(UTC)),
)
# Dates stay within 2026-2027: vobject keeps the first VTIMEZONE it sees for a TZID for the
# life of the process, and the earlier tests' files define Berlin for 2025-2027.
def test_any_text_and_any_moment_survive_both_readers(title: str, body: str, zone: str, due: datetime) -> None:
    due = due.replace(microsecond=0)
    _, theirs, ours = one_event(deadline(due, zone, title=title, draft_body=body))

    assert theirs.dtend.value.astimezone(UTC) == due
    assert utc(ours.end) == due
    assert theirs.summary.value == " ".join(title.split())
    assert str(ours["summary"]) == " ".join(title.split())
    if body.strip():
        assert theirs.description.value.endswith(body.strip())
