"""The user's word (done / skip / snooze) holds at every T; the agenda of a moment T."""

from __future__ import annotations

from engine_helpers import Workspace, d

from topofmind.engine.types import Kind, Purpose, Role, Stage


def applied() -> tuple[Workspace, object]:
    ws = Workspace()
    dana = ws.person("Dana Lee", roles=[Role.HIRING_MANAGER])
    ws.log(Kind.APPLICATION, dana, at="2026-03-02 10:00")
    return ws, dana


def test_a_skipped_item_is_gone_at_every_moment_even_before_it_was_skipped() -> None:
    ws, dana = applied()
    nudge = ws.only("2026-03-09 10:00", dana)
    ws.skip(nudge, "2026-03-10 10:00")
    assert ws.nothing_for("2026-03-09 10:00", dana)
    assert ws.nothing_for("2026-03-11 10:00", dana)


def test_done_logs_the_touch_and_the_next_step_follows_from_it() -> None:
    ws, dana = applied()
    nudge = ws.only("2026-03-09 10:00", dana)
    touch = ws.done(nudge, "2026-03-09 11:00")
    assert touch is not None
    assert touch.kind is Kind.NUDGE
    assert ws.nothing_for("2026-03-09 12:00", dana)
    assert ws.only("2026-03-16 10:00", dana).extra["nudge"] == "2"


def test_a_snoozed_item_comes_back_at_the_snooze_time_and_not_before() -> None:
    ws, dana = applied()
    nudge = ws.only("2026-03-09 10:00", dana)
    ws.snooze(nudge, until="2026-03-12 14:00", at="2026-03-09 10:05")
    assert ws.nothing_for("2026-03-09 10:00", dana)  # holds at every T, even before it was set
    assert ws.nothing_for("2026-03-12 13:59", dana)
    s = ws.only("2026-03-12 14:00", dana)
    assert (s.key, s.due_day) == (nudge.key, d("2026-03-12"))


def test_a_snoozed_thank_you_keeps_its_deadline_but_waits_for_the_snooze() -> None:
    ws = Workspace()
    dana = ws.person("Dana Lee")
    ws.log(Kind.INTERVIEW, dana, at="2026-03-03 10:00")
    thanks = ws.only("2026-03-03 10:30", dana)
    ws.snooze(thanks, until="2026-03-03 18:00")
    assert ws.nothing_for("2026-03-03 17:59", dana)
    s = ws.only("2026-03-03 18:00", dana)
    assert (s.purpose, s.due) == (Purpose.THANK_YOU, ws.t("2026-03-04 10:00"))


def test_a_snooze_to_an_earlier_moment_than_due_changes_nothing() -> None:
    ws, dana = applied()
    nudge = ws.only("2026-03-09 10:00", dana)
    ws.snooze(nudge, until="2026-03-05 10:00", at="2026-03-04 10:00")
    assert ws.nothing_for("2026-03-06 10:00", dana)
    assert ws.only("2026-03-09 10:00", dana).key == nudge.key


def test_logging_a_touch_in_the_past_re_plans_from_it() -> None:
    ws, dana = applied()
    assert ws.only("2026-03-09 10:00", dana).purpose is Purpose.NUDGE
    ws.log(Kind.REPLY, dana, at="2026-03-05 10:00")  # found in the inbox afterwards
    s = ws.only("2026-03-09 10:00", dana)
    assert (s.purpose, s.due) == (Purpose.REPLY, ws.t("2026-03-06 10:00"))


def test_asking_for_the_agenda_changes_nothing() -> None:
    ws, _dana = applied()
    ws.log(Kind.INTERVIEW, ws.person("Omar Diaz"), at="2026-03-09 09:00")
    first = ws.agenda("2026-03-09 12:00")
    ws.agenda("2026-03-20 12:00")
    ws.agenda("2026-03-01 12:00")
    assert ws.agenda("2026-03-09 12:00") == first


def test_an_item_due_today_is_listed_all_day_from_midnight() -> None:
    ws, dana = applied()
    assert ws.nothing_for("2026-03-08 23:59", dana)
    assert ws.only("2026-03-09 00:00", dana).due == ws.t("2026-03-09 09:00")


def test_an_item_stays_on_the_agenda_until_the_touch_that_satisfies_it_is_logged() -> None:
    ws, dana = applied()
    assert ws.first_day(dana, Purpose.NUDGE, "2026-03-09", days=30) == d("2026-03-09")
    assert ws.only("2026-03-27 10:00", dana).due_day == d("2026-03-09")  # still there, overdue


def test_a_thank_you_two_weeks_past_its_deadline_is_no_longer_suggested() -> None:
    ws = Workspace()
    dana = ws.person("Dana Lee")
    job_org = ws.org("Acme")
    job = ws.opp("Data Engineer", org=job_org, stage=Stage.INTERVIEWING, people={dana: [Role.INTERVIEWER]})
    ws.log(Kind.INTERVIEW, dana, at="2026-03-02 10:00", opp=job)
    assert any(s.purpose is Purpose.THANK_YOU for s in ws.for_person("2026-03-17 09:00", dana))
    assert not any(s.purpose is Purpose.THANK_YOU for s in ws.for_person("2026-03-17 11:00", dana))


def test_every_person_keyed_suggestion_names_its_person_third_in_its_key() -> None:
    """A merge of two people re-keys the follow-ups you acted on by that position
    (crm/services/people.py); R4 (keyed by opening) and R15 (by employer) are the exceptions."""
    from engine_helpers import Workspace

    from topofmind.engine.types import Kind, Role, Stage

    ws = Workspace(tz="UTC")
    acme = ws.org("Acme", target=True)
    dana = ws.person("Dana Lee", org=acme, roles=[Role.HIRING_MANAGER], linkedin=True)
    rita = ws.person("Rita Roe", org=acme, roles=[Role.RECRUITER])
    kim = ws.person("Kim Ode", roles=[Role.REFERRER])
    job = ws.opp("Data Engineer", org=acme, stage=Stage.INTERVIEWING, people={dana: [Role.HIRING_MANAGER]})
    ws.log(Kind.INTERVIEW, dana, at="2026-03-02 10:00", opp=job)
    ws.log(Kind.APPLICATION, rita, at="2026-03-02 11:00", opp=job)
    ws.log(Kind.REPLY, kim, at="2026-03-03 09:00")
    planned = [s for s in ws.plan() if s.person_id is not None]
    assert {s.rule for s in planned} >= {"R1", "R3", "R7"}
    for s in planned:
        if s.rule not in ("R4", "R15"):
            assert s.key.split(":")[2] == str(s.person_id), s.key
