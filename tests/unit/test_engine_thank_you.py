"""R1 thank-yous after an interview, R2 LinkedIn invites to interviewers."""

from __future__ import annotations

from datetime import datetime

from engine_helpers import Workspace, d, describe

from topofmind.engine.types import Channel, Kind, Purpose, Role, Stage


def panel() -> tuple[Workspace, object, object, object]:
    ws = Workspace(tz="Europe/Berlin", country="DE")
    acme = ws.org("Acme", target=True)
    dana = ws.person("Dana Lee", org=acme, roles=[Role.HIRING_MANAGER])
    omar = ws.person("Omar Diaz", org=acme, roles=[Role.INTERVIEWER])
    job = ws.opp(
        "Data Engineer",
        org=acme,
        stage=Stage.INTERVIEWING,
        people={dana: [Role.HIRING_MANAGER], omar: [Role.INTERVIEWER]},
    )
    return ws, dana, omar, job


def test_everyone_logged_on_the_interview_gets_a_thank_you_due_within_24_hours() -> None:
    ws, dana, omar, job = panel()
    ws.log(Kind.INTERVIEW, dana, omar, at="2026-03-03 10:00", opp=job, points="migration to dbt")
    items = [s for s in ws.agenda("2026-03-03 11:00") if s.purpose is Purpose.THANK_YOU]
    assert sorted(s.person_name for s in items) == ["Dana Lee", "Omar Diaz"]
    for s in items:
        assert s.rule == "R1"
        assert s.due == ws.t("2026-03-04 10:00")
        assert s.channel is Channel.EMAIL
        assert s.points == "migration to dbt"
    assert items[0].why == (
        "thank-you due by Wed 4 Mar 10:00 — you interviewed with Dana Lee about Data Engineer on Tue 3 Mar 10:00"
    )


def test_a_thank_you_is_actionable_from_the_moment_of_the_interview_not_before() -> None:
    ws, dana, _, job = panel()
    ws.log(Kind.INTERVIEW, dana, at="2026-03-03 10:00", opp=job)
    assert ws.nothing_for("2026-03-03 09:59", dana)
    assert ws.only("2026-03-03 10:00", dana).purpose is Purpose.THANK_YOU


def test_a_thank_you_deadline_counted_in_hours_does_not_move_for_the_weekend() -> None:
    ws, dana, _, job = panel()
    ws.log(Kind.INTERVIEW, dana, at="2026-03-06 15:00", opp=job)  # a Friday
    s = ws.only("2026-03-06 16:00", dana)
    assert s.due == ws.t("2026-03-07 15:00")  # Saturday, as promised: 24 hours
    assert "due by Sat 7 Mar 15:00" in s.why


def test_a_thank_you_deadline_is_24_real_hours_across_the_spring_clock_change() -> None:
    ws, dana, _, job = panel()
    ws.log(Kind.INTERVIEW, dana, at="2026-03-28 10:00", opp=job)  # Berlin springs forward on the 29th
    s = ws.only("2026-03-28 12:00", dana)
    assert ws.local(s.due).replace(tzinfo=None) == datetime(2026, 3, 29, 11, 0)
    assert "due by Sun 29 Mar 11:00" in s.why


def test_an_overdue_thank_you_stays_on_the_agenda_first_thing() -> None:
    ws, dana, _, job = panel()
    ws.log(Kind.INTERVIEW, dana, at="2026-03-03 10:00", opp=job)
    day_after = ws.agenda("2026-03-05 09:00")
    assert day_after[0].purpose is Purpose.THANK_YOU
    assert day_after[0].due < ws.t("2026-03-05 09:00")


def test_sending_the_thank_you_takes_it_off_the_agenda() -> None:
    ws, dana, _, job = panel()
    ws.log(Kind.INTERVIEW, dana, at="2026-03-03 10:00", opp=job)
    ws.log(Kind.THANK_YOU, dana, at="2026-03-03 18:00", opp=job)
    assert all(s.purpose is not Purpose.THANK_YOU for s in ws.for_person("2026-03-03 19:00", dana))


def test_a_thank_you_goes_by_email_when_an_address_is_known_even_if_they_prefer_linkedin() -> None:
    ws, dana, _, job = panel()
    ws.update(dana, prefers=Channel.LINKEDIN)
    ws.log(Kind.INTERVIEW, dana, at="2026-03-03 10:00", opp=job)
    assert ws.only("2026-03-03 11:00", dana).channel is Channel.EMAIL


def test_without_an_address_the_thank_you_goes_where_they_can_be_reached() -> None:
    ws, dana, _, job = panel()
    ws.update(dana, emails=(), linkedin_url="https://www.linkedin.com/in/dana")
    ws.log(Kind.INTERVIEW, dana, at="2026-03-03 10:00", opp=job)
    assert ws.only("2026-03-03 11:00", dana).channel is Channel.LINKEDIN


def test_a_second_interview_gets_its_own_thank_you() -> None:
    ws, dana, _, job = panel()
    ws.log(Kind.INTERVIEW, dana, at="2026-03-03 10:00", opp=job)
    ws.log(Kind.THANK_YOU, dana, at="2026-03-03 18:00", opp=job)
    second = ws.log(Kind.INTERVIEW, dana, at="2026-03-10 14:00", opp=job)
    s = ws.only("2026-03-10 15:00", dana)
    assert (s.purpose, s.cause_interaction_id) == (Purpose.THANK_YOU, second.id)


# -- R2 ------------------------------------------------------------------------------------


def test_each_interviewer_not_yet_connected_gets_a_linkedin_invite_the_day_after() -> None:
    ws, dana, omar, job = panel()
    ws.log(Kind.INTERVIEW, dana, omar, at="2026-03-03 10:00", opp=job)
    ws.log(Kind.THANK_YOU, dana, at="2026-03-03 18:00")
    ws.log(Kind.THANK_YOU, omar, at="2026-03-03 18:00")
    assert ws.nothing_for("2026-03-03 19:00", dana)
    s = ws.only("2026-03-04 09:00", dana)
    assert (s.purpose, s.rule, s.channel, s.due_day) == (
        Purpose.LINKEDIN_CONNECT,
        "R2",
        Channel.LINKEDIN,
        d("2026-03-04"),
    )
    assert "you met Dana Lee at your interview on Tue 3 Mar 10:00" in s.why
    assert ws.only("2026-03-04 09:00", omar).purpose is Purpose.LINKEDIN_CONNECT


def test_no_invite_to_someone_already_connected_or_already_invited() -> None:
    ws, dana, omar, job = panel()
    ws.connected.add(dana.id)
    ws.log(Kind.INTERVIEW, dana, omar, at="2026-03-03 10:00", opp=job)
    ws.log(Kind.THANK_YOU, dana, omar, at="2026-03-03 18:00")
    ws.log(Kind.LINKEDIN_INVITE, omar, at="2026-03-03 18:30", channel=Channel.LINKEDIN)
    at = "2026-03-04 09:00"
    assert not [s for s in ws.agenda(at) if s.purpose is Purpose.LINKEDIN_CONNECT], describe(ws.agenda(at))


def test_an_invite_after_a_friday_interview_waits_for_monday() -> None:
    ws, dana, _, job = panel()
    ws.log(Kind.INTERVIEW, dana, at="2026-03-06 10:00", opp=job)
    ws.log(Kind.THANK_YOU, dana, at="2026-03-06 17:00")
    assert ws.first_day(dana, Purpose.LINKEDIN_CONNECT, "2026-03-06") == d("2026-03-09")
