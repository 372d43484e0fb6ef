"""The calendar feed as a calendar app reads it: parsed by icalendar and, independently, vobject."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

import icalendar
import pytest
import vobject

from topofmind.integrations.ics import PRODID, FeedSettings, FollowUpEntry, IcsError, Timing, render_calendar

NOW = datetime(2026, 3, 2, 7, 0, tzinfo=UTC)  # a Monday; the feed is asked for then


def utc(value: object) -> datetime:
    """A parsed DTSTART / DTEND as a UTC moment (failing if the event is all-day)."""
    assert isinstance(value, datetime)
    return value.astimezone(UTC)


NAMESPACE = "topofmind.example.org/ws/7"

THANK_ANN = FollowUpEntry(
    id="fu-101",
    title="Thank Ann Lee for the interview",
    due=datetime(2026, 3, 5, 15, 0, tzinfo=UTC),
    timing=Timing.DEADLINE,
    time_zone="Europe/Berlin",
    revision=1,
    state="pending",
    why="R1: you interviewed with Ann on Wednesday; a thank-you is due within 24 hours.",
    draft_subject="Thank you for today",
    draft_body="Hi Ann,\n\nthank you for the conversation about the platform team.\n\nBest,\nSam",
    person="Ann Lee",
    opening="Staff Engineer at Acme",
)
NUDGE_BOB = FollowUpEntry(
    id="fu-102",
    title="Nudge Bob Stone",
    due=datetime(2026, 3, 9, 12, 0, tzinfo=UTC),
    timing=Timing.DAY,
    time_zone="Europe/Berlin",
    revision=0,
    state="snoozed",
    why="R3: no answer to your application for 7 days.",
    person="Bob Stone",
)


def feed(*entries: FollowUpEntry, namespace: str = NAMESPACE, now: datetime = NOW, **settings: Any) -> bytes:
    return render_calendar(entries, namespace=namespace, now=now, settings=FeedSettings(**settings))


def both(ics: bytes) -> tuple[list[icalendar.Event], list[Any]]:
    """The events as icalendar and as vobject see them; each parser must accept the file."""
    ours = icalendar.Calendar.from_ical(ics).events
    theirs = list(vobject.readOne(ics.decode("utf-8")).contents.get("vevent", []))
    assert len(ours) == len(theirs)
    return ours, theirs


def assert_valid(ics: bytes) -> None:
    """icalendar's check of the properties and components RFC 5545 requires."""
    icalendar.Calendar.from_ical(ics).validate()  # type: ignore[no-untyped-call]


def by_summary(ics: bytes) -> dict[str, Any]:
    return {event.summary.value: event for event in both(ics)[1]}


def test_each_live_follow_up_is_one_event_with_its_title_why_and_draft() -> None:
    ics = feed(THANK_ANN, NUDGE_BOB)
    ours, theirs = both(ics)

    assert sorted(str(e["summary"]) for e in ours) == ["Nudge Bob Stone", "Thank Ann Lee for the interview"]
    assert sorted(e.summary.value for e in theirs) == ["Nudge Bob Stone", "Thank Ann Lee for the interview"]
    ann = by_summary(ics)["Thank Ann Lee for the interview"]
    text = ann.description.value
    assert "a thank-you is due within 24 hours" in text
    assert "Person: Ann Lee" in text
    assert "Opening: Staff Engineer at Acme" in text
    assert "Subject: Thank you for today" in text
    assert "Hi Ann,\n\nthank you for the conversation" in text


def test_done_skipped_and_cancelled_follow_ups_are_left_out() -> None:
    closed = [
        replace(THANK_ANN, id=f"fu-{state}", title=state, state=state) for state in ("done", "skipped", "cancelled")
    ]

    ours, _ = both(feed(NUDGE_BOB, *closed))

    assert [str(e["summary"]) for e in ours] == ["Nudge Bob Stone"]


def test_the_calendar_names_itself_and_is_published_not_an_invitation() -> None:
    calendar = vobject.readOne(feed(THANK_ANN, name="Sam's follow-ups", refresh=timedelta(hours=1)).decode())

    assert calendar.version.value == "2.0"
    assert calendar.prodid.value == PRODID
    assert calendar.method.value == "PUBLISH"
    assert calendar.contents["x-wr-calname"][0].value == "Sam's follow-ups"
    assert calendar.contents["refresh-interval"][0].value == "PT1H"
    assert calendar.contents["x-published-ttl"][0].value == "PT1H"


def test_every_event_has_a_uid_a_sequence_and_a_utc_time_stamp() -> None:
    ours, theirs = both(feed(THANK_ANN, NUDGE_BOB))

    for event in ours:
        assert event.decoded("dtstamp") == NOW
        assert str(event["uid"])
    assert sorted(int(e.sequence.value) for e in theirs) == [0, 1]


def test_uids_are_the_same_in_two_renders_and_differ_between_workspaces() -> None:
    first = {str(e["uid"]) for e in both(feed(THANK_ANN, NUDGE_BOB))[0]}
    later = {str(e["uid"]) for e in both(feed(NUDGE_BOB, THANK_ANN, now=NOW + timedelta(days=3)))[0]}
    elsewhere = {str(e["uid"]) for e in both(feed(THANK_ANN, NUDGE_BOB, namespace="other.example/ws/7"))[0]}

    assert first == later
    assert len(first) == 2
    assert not first & elsewhere


def test_the_same_follow_ups_give_the_same_file_apart_from_the_time_stamp() -> None:
    assert feed(THANK_ANN, NUDGE_BOB) == feed(NUDGE_BOB, THANK_ANN)


def test_an_edited_follow_up_updates_the_event_a_calendar_app_already_has() -> None:
    # A subscribing app keeps one event per UID and replaces it only by a higher SEQUENCE.
    app: dict[str, tuple[int, str]] = {}

    def sync(ics: bytes) -> None:
        for event in both(ics)[1]:
            uid, sequence = event.uid.value, int(event.sequence.value)
            if uid not in app or sequence > app[uid][0]:
                app[uid] = (sequence, event.summary.value)

    sync(feed(THANK_ANN))
    edited = replace(THANK_ANN, title="Thank Ann Lee and mention the demo", revision=THANK_ANN.revision + 1)
    sync(feed(edited))

    assert list(app.values()) == [(2, "Thank Ann Lee and mention the demo")]


def test_a_deadline_is_a_timed_block_that_ends_at_the_deadline_in_the_users_zone() -> None:
    ics = feed(THANK_ANN, deadline_block=timedelta(minutes=45))
    [ours], [theirs] = both(ics)

    assert b"DTSTART;TZID=Europe/Berlin:20260305T151500" in ics
    assert b"DTEND;TZID=Europe/Berlin:20260305T160000" in ics
    assert theirs.dtend.value.astimezone(UTC) == THANK_ANN.due
    assert utc(ours.end) == THANK_ANN.due
    assert theirs.valarm.trigger.value == timedelta(0)  # rings as the block starts


def test_a_day_item_is_an_all_day_event_on_the_users_local_day() -> None:
    # 02:30 UTC on Tuesday is still Monday evening in New York.
    late = replace(NUDGE_BOB, due=datetime(2026, 3, 10, 2, 30, tzinfo=UTC), time_zone="America/New_York")
    ics = feed(late)
    [ours], [theirs] = both(ics)

    assert theirs.dtstart.value == date(2026, 3, 9)
    assert theirs.dtend.value == date(2026, 3, 10)
    assert ours.start == date(2026, 3, 9)
    assert b"DTSTART;VALUE=DATE:20260309" in ics
    assert theirs.valarm.trigger.value == timedelta(hours=9)  # 09:00 on the day


def test_a_vtimezone_is_written_for_every_zone_an_event_time_refers_to() -> None:
    in_new_york = replace(THANK_ANN, id="fu-103", title="Reply to Cleo", time_zone="America/New_York")
    ics = feed(THANK_ANN, in_new_york, NUDGE_BOB)
    calendar = icalendar.Calendar.from_ical(ics)

    assert {str(tz["tzid"]) for tz in calendar.walk("VTIMEZONE")} == {"Europe/Berlin", "America/New_York"}
    assert calendar.get_missing_tzids() == set()
    assert ics.index(b"BEGIN:VTIMEZONE") < ics.index(b"BEGIN:VEVENT")


def test_a_feed_with_nothing_due_is_still_a_calendar() -> None:
    calendar = vobject.readOne(feed(replace(THANK_ANN, state="done")).decode())

    assert calendar.method.value == "PUBLISH"
    assert "vevent" not in calendar.contents


def test_the_users_zone_becomes_the_calendars_default_and_keeps_an_empty_feed_valid() -> None:
    ics = feed(replace(THANK_ANN, state="done"), time_zone="America/New_York")
    calendar = icalendar.Calendar.from_ical(ics)

    assert_valid(ics)  # RFC 5545 wants at least one component; the VTIMEZONE is one
    assert str(calendar["x-wr-timezone"]) == "America/New_York"
    assert [str(tz["tzid"]) for tz in calendar.walk("VTIMEZONE")] == ["America/New_York"]
    assert vobject.readOne(ics.decode()).vtimezone.tzid.value == "America/New_York"


def test_a_feed_with_events_passes_icalendars_own_validation() -> None:
    assert_valid(feed(THANK_ANN, NUDGE_BOB, time_zone="Europe/Berlin"))


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        (
            {"due": datetime(2026, 3, 5, 15, 0)},
            "Follow-up 'fu-101' (Thank Ann Lee for the interview): its due time has no time zone",
        ),
        ({"time_zone": "Europe/Berln"}, "'Europe/Berln' is not a time zone we know"),
        ({"revision": -1}, "its revision is -1"),
        ({"state": "archived"}, "Follow-up 'fu-101' has the state 'archived'"),
        ({"id": " "}, "A follow-up without an id"),
    ],
)
def test_a_follow_up_the_calendar_cannot_place_is_named_in_a_plain_sentence(
    changes: dict[str, Any], words: str
) -> None:
    with pytest.raises(IcsError) as caught:
        feed(replace(THANK_ANN, **changes))

    assert words in str(caught.value)


def test_one_follow_up_given_twice_is_refused_rather_than_left_to_the_calendar_app() -> None:
    with pytest.raises(IcsError, match="Follow-up 'fu-101' is in the calendar twice"):
        feed(THANK_ANN, replace(THANK_ANN, revision=2))


def test_a_feed_in_an_unknown_time_zone_is_refused_naming_the_setting() -> None:
    with pytest.raises(IcsError, match="The calendar's time zone: 'Mars/Olympus' is not a time zone we know"):
        feed(THANK_ANN, time_zone="Mars/Olympus")


def test_a_feed_without_a_namespace_or_an_aware_now_is_refused() -> None:
    with pytest.raises(IcsError, match="namespace"):
        feed(THANK_ANN, namespace="")
    with pytest.raises(IcsError, match="time zone"):
        feed(THANK_ANN, now=datetime(2026, 3, 2, 7, 0))
