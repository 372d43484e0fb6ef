"""R8: the channel (their preference, else the mode of their last message, else e-mail) and
calls only in their business hours, in their time zone."""

from __future__ import annotations

from engine_helpers import Workspace, d

from topofmind.engine.types import Channel, Direction, Kind, Purpose, Role


def peer(ws: Workspace, **kw: object):  # type: ignore[no-untyped-def]
    p = ws.person("Pat Kim", roles=[Role.PEER], cadence=7, **kw)  # type: ignore[arg-type]
    return p


def test_their_stated_preference_decides_the_channel() -> None:
    ws = Workspace()
    pat = peer(ws, linkedin=True, prefers=Channel.LINKEDIN)
    ws.log(Kind.REPLY, pat, at="2026-03-02 10:00", channel=Channel.TEXT)
    ws.log(Kind.MESSAGE, pat, at="2026-03-02 11:00", channel=Channel.LINKEDIN)
    s = ws.only("2026-03-09 09:00", pat)
    assert (s.purpose, s.channel, s.channel_chosen_by_person) == (Purpose.KEEP_WARM, Channel.LINKEDIN, True)


def test_else_reply_using_the_mode_of_their_last_message() -> None:
    ws = Workspace()
    pat = peer(ws, linkedin=True)
    ws.log(Kind.REPLY, pat, at="2026-03-02 10:00", channel=Channel.LINKEDIN)
    assert ws.only("2026-03-02 10:30", pat).channel is Channel.LINKEDIN  # the reply owed
    ws.log(Kind.REPLY, pat, at="2026-03-02 11:00", channel=Channel.LINKEDIN, direction=Direction.OUT)
    assert ws.only("2026-03-09 09:00", pat).channel is Channel.LINKEDIN  # and what follows


def test_a_conversation_never_sets_the_channel() -> None:
    ws = Workspace()
    pat = peer(ws, linkedin=True)
    ws.log(Kind.REPLY, pat, at="2026-03-02 10:00", channel=Channel.TEXT)
    ws.log(Kind.MESSAGE, pat, at="2026-03-02 11:00", channel=Channel.TEXT)
    ws.log(Kind.CALL, pat, at="2026-03-03 15:00", channel=Channel.VIDEO)
    assert ws.only("2026-03-10 09:00", pat).channel is Channel.TEXT


def test_an_auto_reply_never_sets_the_channel() -> None:
    ws = Workspace()
    pat = peer(ws, linkedin=True)
    ws.log(Kind.APPLICATION, pat, at="2026-03-02 10:00", channel=Channel.EMAIL)
    ws.log(Kind.AUTO_REPLY, pat, at="2026-03-02 10:01", channel=Channel.LINKEDIN)
    assert ws.only("2026-03-09 09:00", pat).channel is Channel.EMAIL


def test_else_email() -> None:
    ws = Workspace()
    pat = peer(ws, linkedin=True)
    ws.log(Kind.CALL, pat, at="2026-03-02 15:00", channel=Channel.PHONE)
    assert ws.only("2026-03-09 09:00", pat).channel is Channel.EMAIL


def test_a_voicemail_they_left_is_answered_by_phone() -> None:
    ws = Workspace()
    pat = peer(ws, phone=True)
    ws.log(Kind.REPLY, pat, at="2026-03-02 10:00", channel=Channel.VOICEMAIL)
    assert ws.only("2026-03-02 10:30", pat).channel is Channel.PHONE


def test_a_call_to_new_york_from_berlin_is_placed_in_their_business_hours() -> None:
    ws = Workspace(tz="Europe/Berlin", country="DE")
    pat = peer(ws, phone=True, prefers=Channel.PHONE, tz="America/New_York")
    ws.log(Kind.CALL, pat, at="2026-03-02 15:00", channel=Channel.PHONE)
    s = ws.only("2026-03-09 09:00", pat)
    assert s.channel is Channel.PHONE
    assert s.due == ws.t("2026-03-09 14:00")  # New York is on summer time since Sunday, Berlin not yet
    assert s.call_window == "call between 14:00 and 22:00 your time (America/New_York)"
    ws.log(Kind.CALL, pat, at="2026-03-30 16:00", channel=Channel.PHONE)
    assert ws.first_day(pat, Purpose.KEEP_WARM, "2026-03-31") == d("2026-04-07")  # not Easter Monday
    later = ws.only("2026-04-07 09:00", pat)
    assert later.call_window == "call between 15:00 and 23:00 your time (America/New_York)"


def test_a_call_across_the_autumn_change_follows_both_zones() -> None:
    ws = Workspace(tz="America/New_York", country="US")
    pat = peer(ws, phone=True, prefers=Channel.PHONE, tz="Europe/Berlin")
    ws.log(Kind.CALL, pat, at="2026-10-19 10:00", channel=Channel.PHONE)
    s = ws.only("2026-10-26 08:00", pat)  # Berlin fell back on the 25th, New York on 1 Nov
    assert s.call_window == "call between 04:00 and 12:00 your time (Europe/Berlin)"
    assert s.due == ws.t("2026-10-26 09:00")  # 14:00 in Berlin: inside their hours, so it stays


def test_a_call_to_tokyo_falls_in_their_day_even_when_it_is_night_for_you() -> None:
    ws = Workspace(tz="Europe/Berlin", country="DE")
    pat = peer(ws, phone=True, prefers=Channel.PHONE, tz="Asia/Tokyo")
    ws.log(Kind.CALL, pat, at="2026-03-02 08:00", channel=Channel.PHONE)
    s = ws.only("2026-03-09 09:00", pat)
    assert s.call_window == "call between 01:00 and 09:00 your time (Asia/Tokyo)"
    assert ws.t("2026-03-09 01:00") <= s.due < ws.t("2026-03-09 09:00")


def test_a_call_from_auckland_to_new_york_waits_for_their_monday() -> None:
    ws = Workspace(tz="Pacific/Auckland", country="NZ")
    pat = peer(ws, phone=True, prefers=Channel.PHONE, tz="America/New_York")
    ws.log(Kind.CALL, pat, at="2026-03-02 10:00", channel=Channel.PHONE)
    s = ws.only("2026-03-09 12:00", pat)  # Monday in Auckland is still Sunday in New York
    assert s.due == ws.t("2026-03-10 02:00")  # their Monday 9:00
    assert s.call_window == "call between Tue 10 Mar 02:00 and 10:00 your time (America/New_York)"


def test_a_call_from_new_york_to_auckland_goes_to_their_next_morning() -> None:
    ws = Workspace(tz="America/New_York", country="US")
    pat = peer(ws, phone=True, prefers=Channel.PHONE, tz="Pacific/Auckland")
    ws.log(Kind.CALL, pat, at="2026-03-02 10:00", channel=Channel.PHONE)
    s = ws.only("2026-03-09 12:00", pat)  # their Monday ended on our Sunday evening
    assert s.due == ws.t("2026-03-09 16:00")  # Tuesday 9:00 in Auckland
    assert s.call_window == "call between 16:00 and 00:00 your time (Pacific/Auckland)"


def test_the_days_call_from_the_quota_is_placed_in_their_hours_too() -> None:
    ws = Workspace(tz="Europe/Berlin", country="DE")
    pat = peer(ws, phone=True, tz="America/New_York")
    ws.log(Kind.CALL, pat, at="2026-03-02 15:00", channel=Channel.PHONE)
    s = ws.only("2026-03-09 09:00", pat)
    assert (s.channel, s.due) == (Channel.PHONE, ws.t("2026-03-09 14:00"))
    assert s.why.endswith("today's call")
    assert s.call_window == "call between 14:00 and 22:00 your time (America/New_York)"
