"""R6: the pacing guard, one item per person (precedence), the daily cap; the order of the day."""

from __future__ import annotations

from engine_helpers import Workspace, d, describe, purposes

from topofmind.engine.types import Channel, Direction, Kind, Purpose, Role, Stage


def interviewed() -> tuple[Workspace, object, object]:
    ws = Workspace(tz="Europe/Berlin", country="DE")
    acme = ws.org("Acme")
    dana = ws.person("Dana Lee", org=acme, roles=[Role.HIRING_MANAGER])
    job = ws.opp("Data Engineer", org=acme, stage=Stage.INTERVIEWING, people={dana: [Role.HIRING_MANAGER]})
    ws.log(Kind.INTERVIEW, dana, at="2026-03-02 10:00", opp=job)
    ws.log(Kind.THANK_YOU, dana, at="2026-03-02 17:00", opp=job)
    ws.log(Kind.LINKEDIN_INVITE, dana, at="2026-03-02 17:05", channel=Channel.LINKEDIN)
    return ws, dana, job


def test_a_message_holds_every_other_message_to_that_person_for_seven_days() -> None:
    ws, dana, _ = interviewed()
    # the LinkedIn invite went on Mon 2 Mar: the status inquiry (due Mon 9 Mar) is fine;
    # a value share on Thu 5 Mar pushes it to Thu 12 Mar
    ws.log(Kind.VALUE_SHARE, dana, at="2026-03-05 11:00")
    assert ws.first_day(dana, Purpose.STATUS_INQUIRY, "2026-03-02") == d("2026-03-12")
    assert not ws.between(dana, "2026-03-06", "2026-03-11")


def test_a_guard_ending_on_a_weekend_ends_on_monday() -> None:
    ws, dana, _ = interviewed()
    ws.log(Kind.VALUE_SHARE, dana, at="2026-03-07 11:00")  # a Saturday
    assert ws.first_day(dana, Purpose.STATUS_INQUIRY, "2026-03-02") == d("2026-03-16")


def test_thank_yous_and_replies_are_not_held_by_the_guard() -> None:
    ws, dana, job = interviewed()
    ws.log(Kind.VALUE_SHARE, dana, at="2026-03-05 11:00")
    ws.log(Kind.INTERVIEW, dana, at="2026-03-06 10:00", opp=job)
    assert ws.only("2026-03-06 11:00", dana).purpose is Purpose.THANK_YOU
    ws.log(Kind.THANK_YOU, dana, at="2026-03-06 12:00", opp=job)
    ws.log(Kind.REPLY, dana, at="2026-03-06 15:00")
    assert ws.only("2026-03-06 16:00", dana).purpose is Purpose.REPLY


def test_thank_yous_and_replies_do_not_start_a_guard() -> None:
    ws, dana, _ = interviewed()
    ws.log(Kind.REPLY, dana, at="2026-03-08 15:00")
    ws.log(Kind.REPLY, dana, at="2026-03-08 16:00", direction=Direction.OUT)
    # last guarded message: the invite of Mon 2 Mar; the status inquiry is due Mon 9 Mar... but
    # their reply was news, so no inquiry: keep-warm a week after the last touch instead
    assert ws.first_day(dana, Purpose.KEEP_WARM, "2026-03-08") == d("2026-03-16")


def test_one_item_per_person_a_day_and_the_thank_you_wins() -> None:
    ws = Workspace()
    acme = ws.org("Acme")
    dana = ws.person("Dana Lee", org=acme)
    job = ws.opp("Data Engineer", org=acme, stage=Stage.INTERVIEWING, people={dana: [Role.HIRING_MANAGER]})
    ws.log(Kind.INTERVIEW, dana, at="2026-03-02 10:00", opp=job)
    # Tuesday: the thank-you (overdue) and the LinkedIn invite both want Dana
    s = ws.only("2026-03-03 12:00", dana)
    assert (s.purpose, s.rule) == (Purpose.THANK_YOU, "R1")
    ws.done(s, "2026-03-03 12:05")
    assert ws.only("2026-03-03 12:10", dana).purpose is Purpose.LINKEDIN_CONNECT


def test_the_status_inquiry_wins_over_keep_warm_on_the_same_day() -> None:
    ws, dana, _ = interviewed()
    # both the status inquiry (7 days after the interview) and the weekly keep-warm are due Mon 9 Mar
    kinds = {s.purpose for s in ws.plan() if s.person_id == dana.id and s.due_day == d("2026-03-09")}
    assert kinds == {Purpose.STATUS_INQUIRY, Purpose.KEEP_WARM}
    assert ws.only("2026-03-09 09:00", dana).purpose is Purpose.STATUS_INQUIRY


def network(ws: Workspace, n: int, at: str) -> list[object]:
    people = [ws.person(f"Peer {k:02d}", roles=[Role.PEER]) for k in range(n)]
    ws.log(Kind.CALL, *people, at=at, channel=Channel.PHONE)
    return people


def test_the_daily_cap_holds_the_day_to_fifteen_items() -> None:
    ws = Workspace()
    network(ws, 20, "2026-03-02 15:00")
    day = ws.agenda("2026-04-01 09:00")
    assert len(day) == 15
    assert {s.purpose for s in day} == {Purpose.KEEP_WARM}
    # the five left over are still there tomorrow
    assert len(ws.agenda("2026-04-02 09:00")) == 15


def test_the_daily_cap_never_drops_a_thank_you_or_a_reply_owed() -> None:
    ws = Workspace(daily_cap=2)
    network(ws, 5, "2026-03-02 15:00")
    acme = ws.org("Acme")
    panel = [ws.person(f"Interviewer {k}", org=acme) for k in range(3)]
    ws.log(Kind.INTERVIEW, *panel, at="2026-04-01 08:00")
    writer = ws.person("Wendy Writer")
    ws.log(Kind.REPLY, writer, at="2026-04-01 08:30")
    day = ws.agenda("2026-04-01 09:00")
    assert [p for _, p in purposes(day)] == [Purpose.THANK_YOU] * 3 + [Purpose.REPLY]


def test_the_cap_leaves_room_after_owed_items_for_the_most_urgent_others() -> None:
    ws = Workspace(daily_cap=4)
    network(ws, 5, "2026-03-02 15:00")
    acme = ws.org("Acme")
    ana = ws.person("Ana Ames", org=acme)
    ws.log(Kind.INTERVIEW, ana, at="2026-04-01 08:00")
    day = ws.agenda("2026-04-01 09:00")
    assert [p for _, p in purposes(day)] == [Purpose.THANK_YOU] + [Purpose.KEEP_WARM] * 3


def test_the_order_of_the_day() -> None:
    ws = Workspace(tz="Europe/Berlin", country="DE")
    acme = ws.org("Acme")
    zeta = ws.org("Zeta", target=True)
    ws.person("Zoe Zed", org=zeta, roles=[Role.HIRING_MANAGER])
    thea = ws.person("Thea Thanks", org=acme)
    rita = ws.person("Rita Reply")
    ivan = ws.person("Ivan Inquiry", org=acme)
    nina = ws.person("Nina Nudge")
    kurt = ws.person("Kurt Keepwarm", roles=[Role.PEER])
    job = ws.opp("Data Engineer", org=acme, stage=Stage.INTERVIEWING, people={ivan: [Role.HIRING_MANAGER]})
    ws.log(Kind.CALL, kurt, at="2026-02-09 15:00", channel=Channel.PHONE)  # keep-warm due Wed 11 Mar
    ws.log(Kind.APPLICATION, nina, at="2026-03-02 10:00")  # nudge due Mon 9 Mar
    ws.log(Kind.INTERVIEW, ivan, at="2026-03-02 14:00", opp=job)  # inquiry due Mon 9 Mar
    ws.log(Kind.THANK_YOU, ivan, at="2026-03-02 16:00", opp=job)
    ws.log(Kind.LINKEDIN_INVITE, ivan, at="2026-03-02 16:00", channel=Channel.LINKEDIN)
    ws.log(Kind.REPLY, rita, at="2026-03-11 08:00")
    ws.log(Kind.INTERVIEW, thea, at="2026-03-11 08:30")
    day = ws.agenda("2026-03-11 09:00")
    assert purposes(day) == [
        ("Thea Thanks", Purpose.THANK_YOU),
        ("Rita Reply", Purpose.REPLY),
        ("Ivan Inquiry", Purpose.STATUS_INQUIRY),
        ("Nina Nudge", Purpose.NUDGE),
        ("Kurt Keepwarm", Purpose.KEEP_WARM),
        ("Zoe Zed", Purpose.PROSPECT_OUTREACH),
    ], describe(day)
    assert [s.rule for s in day] == ["R1", "R7", "R4", "R3", "R5", "R15"]


def test_overdue_items_come_before_todays_within_their_group() -> None:
    ws = Workspace()
    older = ws.person("Olga Older")
    newer = ws.person("Ned Newer")
    ws.log(Kind.APPLICATION, older, at="2026-03-02 10:00")
    ws.log(Kind.APPLICATION, newer, at="2026-03-04 10:00")
    assert [n for n, _ in purposes(ws.agenda("2026-03-11 09:00"))] == ["Olga Older", "Ned Newer"]
