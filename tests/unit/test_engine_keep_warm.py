"""R5 keep warm (any touch restarts the clock, never into a rest) and R14 recruiter updates."""

from __future__ import annotations

from engine_helpers import Workspace, d

from topofmind.engine.types import Channel, Kind, Purpose, Role, Stage


def test_people_in_an_open_opening_hear_from_you_weekly() -> None:
    ws = Workspace()
    acme = ws.org("Acme")
    dana = ws.person("Dana Lee", org=acme, roles=[Role.HIRING_MANAGER])
    job = ws.opp("Data Engineer", org=acme, stage=Stage.SCREENING, people={dana: [Role.HIRING_MANAGER]})
    ws.log(Kind.CALL, dana, at="2026-03-02 15:00", opp=job, channel=Channel.PHONE)
    assert ws.first_day(dana, Purpose.KEEP_WARM, "2026-03-02") == d("2026-03-09")
    s = ws.only("2026-03-09 09:00", dana)
    assert (s.rule, s.opportunity_title) == ("R5", "Data Engineer")
    assert s.why == (
        "part of Data Engineer at Acme — last touch Mon 2 Mar; people in an open opening hear from you every 7 days"
    )


def test_any_touch_in_either_direction_restarts_the_keep_warm_clock() -> None:
    ws = Workspace()
    acme = ws.org("Acme")
    dana = ws.person("Dana Lee", org=acme)
    job = ws.opp("Data Engineer", org=acme, stage=Stage.SCREENING, people={dana: [Role.HIRING_MANAGER]})
    ws.log(Kind.CALL, dana, at="2026-03-02 15:00", opp=job, channel=Channel.PHONE)
    ws.log(Kind.REPLY, dana, at="2026-03-05 09:00")
    ws.log(Kind.MESSAGE, dana, at="2026-03-05 11:00")  # our answer
    assert ws.first_day(dana, Purpose.KEEP_WARM, "2026-03-02") == d("2026-03-12")


def test_the_rest_of_the_network_hears_from_you_monthly_or_at_their_own_cadence() -> None:
    ws = Workspace()
    pat = ws.person("Pat Kim", roles=[Role.PEER])
    sam = ws.person("Sam Roe", roles=[Role.PEER], cadence=14)
    ws.log(Kind.CALL, pat, sam, at="2026-03-02 15:00", channel=Channel.PHONE)
    assert ws.first_day(pat, Purpose.KEEP_WARM, "2026-03-02") == d("2026-04-01")
    assert ws.first_day(sam, Purpose.KEEP_WARM, "2026-03-02") == d("2026-03-16")
    assert ws.only("2026-04-01 09:00", pat).why == "last touch Mon 2 Mar — keep warm every 30 days"


def test_a_keep_warm_day_on_easter_monday_waits_for_tuesday() -> None:
    ws = Workspace(tz="Europe/Berlin", country="DE")
    pat = ws.person("Pat Kim", roles=[Role.PEER], cadence=7)
    ws.log(Kind.CALL, pat, at="2026-03-30 15:00", channel=Channel.PHONE)
    assert ws.first_day(pat, Purpose.KEEP_WARM, "2026-03-30") == d("2026-04-07")


def test_nobody_is_kept_warm_before_the_first_touch() -> None:
    ws = Workspace()
    pat = ws.person("Pat Kim", roles=[Role.PEER])
    assert not ws.between(pat, "2026-03-02", "2026-05-30")


def test_keep_warm_never_breaks_into_a_rest() -> None:
    ws = Workspace()
    acme = ws.org("Acme")
    dana = ws.person("Dana Lee", org=acme, linkedin=True)
    job = ws.opp("Data Engineer", org=acme, stage=Stage.APPLIED, people={dana: [Role.HIRING_MANAGER]})
    ws.log(Kind.APPLICATION, dana, at="2026-03-02 10:00", opp=job)
    ws.log(Kind.NUDGE, dana, at="2026-03-09 10:00", opp=job)
    ws.log(Kind.NUDGE, dana, at="2026-03-16 10:00", opp=job, channel=Channel.LINKEDIN)
    assert not [s for s in ws.between(dana, "2026-03-17", "2026-05-30") if s.purpose is Purpose.KEEP_WARM]


def test_a_skipped_keep_warm_round_comes_back_a_cadence_later() -> None:
    ws = Workspace()
    pat = ws.person("Pat Kim", roles=[Role.PEER], cadence=14)
    ws.log(Kind.CALL, pat, at="2026-03-02 15:00", channel=Channel.PHONE)
    s = ws.only("2026-03-16 09:00", pat)
    ws.skip(s, "2026-03-16 09:05")
    assert ws.nothing_for("2026-03-16 09:10", pat)
    assert ws.first_day(pat, Purpose.KEEP_WARM, "2026-03-17") == d("2026-03-30")


# -- R14 -----------------------------------------------------------------------------------


def test_a_recruiter_gets_a_progress_update_every_two_weeks() -> None:
    ws = Workspace()
    rob = ws.person("Rob Hale", roles=[Role.RECRUITER])
    ws.log(Kind.CALL, rob, at="2026-03-02 15:00", channel=Channel.PHONE)
    assert ws.first_day(rob, Purpose.RECRUITER_UPDATE, "2026-03-02") == d("2026-03-16")
    s = ws.only("2026-03-16 09:00", rob)
    assert s.rule == "R14"
    assert s.why == "recruiters get a progress update every 14 days — last update Mon 2 Mar"


def test_a_recruiter_working_an_open_opening_still_hears_weekly_and_gets_updates_fortnightly() -> None:
    ws = Workspace()
    acme = ws.org("Acme")
    rob = ws.person("Rob Hale", org=acme, roles=[Role.RECRUITER])
    job = ws.opp("Data Engineer", org=acme, stage=Stage.SCREENING, people={rob: [Role.RECRUITER]})
    ws.log(Kind.CALL, rob, at="2026-03-02 15:00", opp=job, channel=Channel.PHONE)
    first = ws.only("2026-03-09 09:00", rob)
    assert (first.purpose, first.rule) == (Purpose.KEEP_WARM, "R5")
    ws.done(first, "2026-03-09 10:00")
    second = ws.only("2026-03-16 09:00", rob)
    assert (second.purpose, second.rule) == (Purpose.RECRUITER_UPDATE, "R14")


def test_skipping_a_nudge_ends_that_chase_and_keep_warm_resumes_from_the_skip() -> None:
    ws = Workspace()
    acme = ws.org("Acme")
    dana = ws.person("Dana Lee", org=acme)
    job = ws.opp("Data Engineer", org=acme, stage=Stage.APPLIED, people={dana: [Role.HIRING_MANAGER]})
    ws.log(Kind.APPLICATION, dana, at="2026-03-02 10:00", opp=job)
    nudge = ws.only("2026-03-09 09:00", dana)
    ws.skip(nudge, "2026-03-09 09:05")
    assert ws.nothing_for("2026-03-09 10:00", dana)
    assert ws.first_day(dana, Purpose.KEEP_WARM, "2026-03-09") == d("2026-03-16")
    assert not [s for s in ws.between(dana, "2026-03-09", "2026-04-30") if s.purpose is Purpose.NUDGE]


def test_a_person_whose_opening_was_dropped_goes_back_to_the_network_cadence() -> None:
    ws = Workspace()
    acme = ws.org("Acme")
    dana = ws.person("Dana Lee", org=acme)
    job = ws.opp("Data Engineer", org=acme, stage=Stage.APPLIED, people={dana: [Role.HIRING_MANAGER]})
    ws.log(Kind.APPLICATION, dana, at="2026-03-02 10:00", opp=job)
    ws.move(job, Stage.WITHDRAWN, "2026-03-04 10:00")
    assert ws.first_day(dana, Purpose.KEEP_WARM, "2026-03-02") == d("2026-04-01")
    assert not [s for s in ws.between(dana, "2026-03-02", "2026-04-30") if s.purpose is Purpose.NUDGE]


def test_skipping_the_check_in_still_honours_the_rest_then_normal_cadence_resumes() -> None:
    ws = Workspace()
    pat = ws.person("Pat Kim", roles=[Role.REFERRER], linkedin=True)
    ws.log(Kind.REFERRAL_ASK, pat, at="2026-03-02 10:00")
    ws.log(Kind.NUDGE, pat, at="2026-03-09 10:00")
    ws.log(Kind.NUDGE, pat, at="2026-03-16 10:00", channel=Channel.LINKEDIN)
    check_in = next(s for s in ws.plan() if s.purpose is Purpose.CHECK_IN)
    ws.skip(check_in, "2026-03-20 10:00")  # decided early: no check-in this time
    assert not ws.between(pat, "2026-03-17", "2026-04-14")
    s = ws.only("2026-04-20 09:00", pat)
    assert (s.purpose, s.due_day) == (Purpose.KEEP_WARM, d("2026-04-20"))  # 30 days after the skip


def test_an_imported_linkedin_connection_alone_starts_no_keep_warm_until_a_real_touch() -> None:
    ws = Workspace()
    pat = ws.person("Pat Kim", roles=[Role.PEER])
    ws.log(Kind.CONNECTION, pat, at="2025-12-04 12:00")
    assert ws.nothing_for("2026-03-02 09:00", pat)  # months later: still nothing pushed at you
    ws.log(Kind.MESSAGE, pat, at="2026-03-02 15:00")
    assert ws.first_day(pat, Purpose.KEEP_WARM, "2026-03-02") == d("2026-04-01")
