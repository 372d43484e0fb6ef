"""R3 nudges, the rest and the check-in; R7 replies owed, auto-replies, bounces, out-of-office."""

from __future__ import annotations

from engine_helpers import Workspace, d, describe

from topofmind.engine.types import Channel, Direction, Kind, Purpose, Role, Stage


def applied(tz: str = "Europe/Berlin", country: str = "DE", **person: object):  # type: ignore[no-untyped-def]
    ws = Workspace(tz=tz, country=country)
    acme = ws.org("Acme", target=True)
    dana = ws.person("Dana Lee", org=acme, roles=[Role.HIRING_MANAGER], **person)  # type: ignore[arg-type]
    job = ws.opp("Data Engineer", org=acme, stage=Stage.APPLIED, people={dana: [Role.HIRING_MANAGER]})
    return ws, dana, job


def test_an_unanswered_application_gets_a_first_nudge_on_the_seventh_day() -> None:
    ws, dana, job = applied()
    app = ws.log(Kind.APPLICATION, dana, at="2026-03-02 10:00", opp=job)  # Monday
    assert ws.nothing_for("2026-03-08 12:00", dana)
    s = ws.only("2026-03-09 08:00", dana)
    assert (s.purpose, s.rule, s.due_day, s.cause_interaction_id) == (
        Purpose.NUDGE,
        "R3",
        d("2026-03-09"),
        app.id,
    )
    assert s.why == "no answer to your application of Mon 2 Mar — a short note to check it arrived"
    assert s.expects_answer


def test_a_first_nudge_due_on_thanksgiving_waits_for_friday() -> None:
    ws, dana, job = applied(tz="America/New_York", country="US")
    ws.log(Kind.APPLICATION, dana, at="2026-11-19 10:00", opp=job)
    assert ws.first_day(dana, Purpose.NUDGE, "2026-11-19") == d("2026-11-27")


def test_the_second_nudge_comes_seven_days_after_the_first_on_another_channel() -> None:
    ws, dana, job = applied(linkedin=True)
    ws.log(Kind.APPLICATION, dana, at="2026-03-02 10:00", opp=job)
    ws.log(Kind.NUDGE, dana, at="2026-03-10 11:00", opp=job)  # sent a day late, by e-mail
    assert ws.nothing_for("2026-03-16 12:00", dana)
    s = ws.only("2026-03-17 08:00", dana)
    assert (s.purpose, s.channel, s.extra["nudge"]) == (Purpose.NUDGE, Channel.LINKEDIN, "2")
    assert s.why == (
        "still no answer to your application of Mon 2 Mar or your follow-up of Tue 10 Mar"
        " — a second, last nudge by linkedin this time"
    )


def test_the_second_nudge_keeps_the_channel_they_asked_for() -> None:
    ws, dana, job = applied(linkedin=True, prefers=Channel.EMAIL)
    ws.log(Kind.APPLICATION, dana, at="2026-03-02 10:00", opp=job)
    ws.log(Kind.NUDGE, dana, at="2026-03-09 10:00", opp=job)
    s = ws.only("2026-03-16 10:00", dana)
    assert (s.purpose, s.channel) == (Purpose.NUDGE, Channel.EMAIL)
    assert "this time" not in s.why


def test_the_second_nudge_stays_on_the_only_channel_known() -> None:
    ws, dana, job = applied()
    ws.log(Kind.APPLICATION, dana, at="2026-03-02 10:00", opp=job)
    ws.log(Kind.NUDGE, dana, at="2026-03-09 10:00", opp=job)
    assert ws.only("2026-03-16 10:00", dana).channel is Channel.EMAIL


def rested() -> tuple[Workspace, object, object]:
    ws, dana, job = applied(linkedin=True)
    ws.log(Kind.APPLICATION, dana, at="2026-03-02 10:00", opp=job)
    ws.log(Kind.NUDGE, dana, at="2026-03-09 10:00", opp=job)
    ws.log(Kind.NUDGE, dana, at="2026-03-16 10:00", opp=job, channel=Channel.LINKEDIN)
    return ws, dana, job


def test_second_unanswered_nudge_starts_the_rest() -> None:
    ws, dana, _ = rested()
    # 30 days from Mon 16 Mar is Wed 15 Apr; nothing at all in between, keep-warm included
    quiet = ws.between(dana, "2026-03-17", "2026-04-14")
    assert not quiet, describe(quiet)
    s = ws.only("2026-04-15 08:00", dana)
    assert (s.purpose, s.rule, s.due_day) == (Purpose.CHECK_IN, "R3", d("2026-04-15"))
    assert "30-day rest after two unanswered follow-ups ends Wed 15 Apr" in s.why


def test_the_check_in_after_the_rest_restarts_the_cycle_at_nudge_one() -> None:
    ws, dana, job = rested()
    check_in = ws.log(Kind.CHECK_IN, dana, at="2026-04-15 10:00", opp=job)
    s = ws.only("2026-04-22 10:00", dana)
    assert (s.purpose, s.cause_interaction_id, s.extra["nudge"]) == (Purpose.NUDGE, check_in.id, "1")


def test_an_answer_during_the_rest_ends_it() -> None:
    ws, dana, _ = rested()
    ws.log(Kind.REPLY, dana, at="2026-03-20 09:00")
    s = ws.only("2026-03-20 10:00", dana)
    assert (s.purpose, s.rule) == (Purpose.REPLY, "R7")


def test_their_reply_cancels_the_pending_nudge_and_a_reply_is_owed_instead() -> None:
    ws, dana, job = applied()
    ws.log(Kind.APPLICATION, dana, at="2026-03-02 10:00", opp=job)
    ws.log(Kind.REPLY, dana, at="2026-03-06 16:00", opp=job)  # Friday afternoon
    s = ws.only("2026-03-09 08:00", dana)
    assert (s.purpose, s.rule) == (Purpose.REPLY, "R7")
    assert s.due == ws.t("2026-03-09 16:00")  # one business day: Monday at the same time
    assert s.why == "Dana Lee wrote to you on Fri 6 Mar 16:00 — reply due by Mon 9 Mar 16:00"


def test_a_reply_owed_is_actionable_the_moment_their_message_arrives() -> None:
    ws, dana, _ = applied()
    ws.log(Kind.REPLY, dana, at="2026-03-07 11:00")  # a Saturday
    assert ws.nothing_for("2026-03-07 10:59", dana)
    s = ws.only("2026-03-07 11:00", dana)
    assert s.due == ws.t("2026-03-09 11:00")


def test_a_reply_owed_on_christmas_eve_in_germany_is_due_after_the_holidays() -> None:
    ws, dana, _ = applied()
    ws.log(Kind.REPLY, dana, at="2026-12-24 15:00")
    assert ws.only("2026-12-24 16:00", dana).due == ws.t("2026-12-28 15:00")


def test_our_reply_settles_what_we_owed() -> None:
    ws, dana, _ = applied()
    ws.log(Kind.REPLY, dana, at="2026-03-06 16:00")
    ws.log(Kind.REPLY, dana, at="2026-03-06 18:00", direction=Direction.OUT)
    assert ws.nothing_for("2026-03-07 10:00", dana)


def test_an_auto_reply_is_not_an_answer() -> None:
    ws, dana, job = applied()
    ws.log(Kind.APPLICATION, dana, at="2026-03-02 10:00", opp=job)
    ws.log(Kind.AUTO_REPLY, dana, at="2026-03-02 10:01", opp=job)
    assert ws.nothing_for("2026-03-02 12:00", dana)  # no reply owed to a robot
    assert ws.only("2026-03-09 10:00", dana).purpose is Purpose.NUDGE


def test_a_bounce_is_not_an_answer() -> None:
    ws, dana, job = applied()
    ws.log(Kind.APPLICATION, dana, at="2026-03-02 10:00", opp=job)
    ws.log(Kind.BOUNCE, dana, at="2026-03-02 10:01", opp=job)
    assert ws.only("2026-03-09 10:00", dana).purpose is Purpose.NUDGE


def test_an_out_of_office_pauses_the_nudge_until_their_return_date() -> None:
    ws, dana, job = applied()
    ws.log(Kind.APPLICATION, dana, at="2026-03-02 10:00", opp=job)
    ws.log(Kind.OUT_OF_OFFICE, dana, at="2026-03-02 10:01", opp=job, ooo_until="2026-03-20")
    assert ws.first_day(dana, Purpose.NUDGE, "2026-03-02") == d("2026-03-20")


def test_an_out_of_office_returning_on_a_sunday_pauses_until_monday() -> None:
    ws, dana, job = applied()
    ws.log(Kind.APPLICATION, dana, at="2026-03-02 10:00", opp=job)
    ws.log(Kind.OUT_OF_OFFICE, dana, at="2026-03-02 10:01", opp=job, ooo_until="2026-03-22")
    assert ws.first_day(dana, Purpose.NUDGE, "2026-03-02") == d("2026-03-23")


def test_a_conversation_counts_as_an_answer() -> None:
    ws, dana, job = applied()
    ws.log(Kind.APPLICATION, dana, at="2026-03-02 10:00", opp=job)
    ws.log(Kind.CALL, dana, at="2026-03-04 15:00", opp=job, channel=Channel.PHONE)
    assert all(s.purpose is not Purpose.NUDGE for s in ws.between(dana, "2026-03-04", "2026-04-30"))


def test_a_status_inquiry_counts_as_the_first_nudge_of_the_open_ask() -> None:
    ws, dana, job = applied(linkedin=True)
    ws.log(Kind.APPLICATION, dana, at="2026-03-02 10:00", opp=job)
    ws.log(Kind.STATUS_INQUIRY, dana, at="2026-03-09 10:00", opp=job)
    assert ws.only("2026-03-16 10:00", dana).extra["nudge"] == "2"


def test_a_reply_owed_over_the_autumn_clock_change_keeps_its_clock_time() -> None:
    ws, dana, _ = applied()
    ws.log(Kind.REPLY, dana, at="2026-10-23 16:00")  # Friday; Berlin falls back on Sunday the 25th
    s = ws.only("2026-10-23 17:00", dana)
    assert s.due == ws.t("2026-10-26 16:00")
    assert s.due.utcoffset() is not None
    assert ws.local(s.due).utcoffset().total_seconds() == 3600  # type: ignore[union-attr]
    assert s.why.endswith("reply due by Mon 26 Oct 16:00")


def test_a_nudge_in_new_york_across_the_spring_change_is_still_due_on_the_seventh_day() -> None:
    ws, dana, job = applied(tz="America/New_York", country="US")
    ws.log(Kind.APPLICATION, dana, at="2026-03-02 23:30", opp=job)  # late evening, local time
    assert ws.first_day(dana, Purpose.NUDGE, "2026-03-02", hour=0) == d("2026-03-09")
    assert ws.nothing_for("2026-03-08 23:59", dana)
    assert ws.only("2026-03-09 00:00", dana).purpose is Purpose.NUDGE


def test_a_nudge_due_on_the_uk_early_may_bank_holiday_waits_for_tuesday() -> None:
    ws, dana, job = applied(tz="Europe/London", country="GB")
    ws.log(Kind.APPLICATION, dana, at="2026-04-27 10:00", opp=job)
    assert ws.first_day(dana, Purpose.NUDGE, "2026-04-27") == d("2026-05-05")


def test_a_nudge_due_on_german_unity_day_a_saturday_waits_for_monday() -> None:
    ws, dana, job = applied(tz="Europe/Berlin", country="DE")
    ws.log(Kind.APPLICATION, dana, at="2026-09-26 10:00", opp=job)  # a Saturday application
    assert ws.first_day(dana, Purpose.NUDGE, "2026-09-26") == d("2026-10-05")


def test_a_first_nudge_left_as_a_voicemail_is_followed_by_a_nudge_off_the_phone() -> None:
    ws, dana, job = applied(phone=True, linkedin=True)
    ws.log(Kind.APPLICATION, dana, at="2026-03-02 10:00", opp=job)
    ws.log(Kind.NUDGE, dana, at="2026-03-09 10:00", opp=job, channel=Channel.VOICEMAIL)
    assert ws.only("2026-03-16 10:00", dana).channel is Channel.LINKEDIN


# -- R3 with several openings and one recruiter: only nudges count, the rest is per person --


def two_openings() -> tuple[Workspace, object, object, object]:
    ws = Workspace(tz="Europe/Berlin", country="DE")
    acme = ws.org("Acme", target=True)
    rita = ws.person("Rita Recruiter", org=acme, roles=[Role.RECRUITER], linkedin=True)
    data = ws.opp("Data Engineer", org=acme, stage=Stage.APPLIED, people={rita: [Role.RECRUITER]})
    ml = ws.opp("ML Engineer", org=acme, stage=Stage.APPLIED, people={rita: [Role.RECRUITER]})
    return ws, rita, data, ml


def test_a_second_application_to_the_same_recruiter_waits_for_its_own_answer() -> None:
    ws, rita, data, ml = two_openings()
    ws.log(Kind.APPLICATION, rita, at="2026-03-02 10:00", opp=data)  # Monday
    second = ws.log(Kind.APPLICATION, rita, at="2026-03-04 10:00", opp=ml)  # Wednesday: not a nudge
    first_nudge = ws.only("2026-03-11 10:00", rita)  # the pacing guard holds both until 11 Mar
    assert (first_nudge.purpose, first_nudge.extra["nudge"]) == (Purpose.NUDGE, "1")
    ws.log(Kind.NUDGE, rita, at="2026-03-11 10:00", opp=data)  # one real nudge: no rest yet
    s = ws.only("2026-03-18 10:00", rita)
    assert s.purpose is Purpose.NUDGE  # not the rest: one nudge went unanswered, not two
    waiting = {(x.cause_interaction_id, x.extra["nudge"]): x for x in ws.plan() if x.person_id == rita.id}
    assert set(waiting) == {(second.id, "1"), (s.cause_interaction_id, "2")}
    s = waiting[(second.id, "1")]
    assert s.opportunity_id == ml.id
    assert s.why == "no answer to your application of Wed 4 Mar — a short note to check it arrived"


def test_two_unanswered_nudges_about_different_openings_start_the_rest_for_the_person() -> None:
    ws, rita, data, ml = two_openings()
    ws.log(Kind.APPLICATION, rita, at="2026-03-02 10:00", opp=data)
    ws.log(Kind.APPLICATION, rita, at="2026-03-04 10:00", opp=ml)
    ws.log(Kind.NUDGE, rita, at="2026-03-11 10:00", opp=data)
    ws.log(Kind.NUDGE, rita, at="2026-03-18 10:00", opp=ml)
    # 30 days from Wed 18 Mar is Fri 17 Apr: nothing at all for Rita in between
    quiet = ws.between(rita, "2026-03-19", "2026-04-16")
    assert not quiet, describe(quiet)
    s = ws.only("2026-04-17 10:00", rita)
    assert (s.purpose, s.rule, s.opportunity_id) == (Purpose.CHECK_IN, "R3", ml.id)


def test_an_application_sent_after_the_first_nudge_does_not_postpone_the_rest() -> None:
    ws, rita, data, ml = two_openings()
    ws.log(Kind.APPLICATION, rita, at="2026-03-02 10:00", opp=data)
    ws.log(Kind.NUDGE, rita, at="2026-03-09 10:00", opp=data)
    ws.log(Kind.APPLICATION, rita, at="2026-03-10 10:00", opp=ml)  # its own wait, not nudge 2
    nudges_due = [s for s in ws.plan() if s.person_id == rita.id and s.purpose is Purpose.NUDGE]
    assert sorted((s.opportunity_id, s.extra["nudge"]) for s in nudges_due) == sorted(
        [(data.id, "2"), (ml.id, "1")]
    )
    ws.log(Kind.NUDGE, rita, at="2026-03-17 10:00", opp=data)  # the second nudge to Rita, whatever the opening
    quiet = ws.between(rita, "2026-03-18", "2026-04-15")
    assert not quiet, describe(quiet)
    assert ws.only("2026-04-16 10:00", rita).purpose is Purpose.CHECK_IN


def test_an_answer_about_one_opening_resets_the_count_for_every_opening() -> None:
    ws, rita, data, ml = two_openings()
    ws.log(Kind.APPLICATION, rita, at="2026-03-02 10:00", opp=data)
    ws.log(Kind.APPLICATION, rita, at="2026-03-04 10:00", opp=ml)
    ws.log(Kind.NUDGE, rita, at="2026-03-11 10:00", opp=data)
    ws.log(Kind.REPLY, rita, at="2026-03-12 09:00", opp=ml)  # she answers about the other opening
    assert ws.only("2026-03-12 10:00", rita).purpose is Purpose.REPLY
    ws.log(Kind.REPLY, rita, at="2026-03-12 11:00", opp=ml, direction=Direction.OUT)
    assert not [s for s in ws.plan() if s.person_id == rita.id and s.rule == "R3"]
    third = ws.log(Kind.APPLICATION, rita, at="2026-03-23 10:00", opp=data)
    ws.log(Kind.NUDGE, rita, at="2026-03-30 10:00", opp=data)
    # the nudge of 11 Mar was answered: this is Rita's first unanswered nudge, so a second follows
    s = ws.only("2026-04-07 10:00", rita)  # 6 Apr is Easter Monday in Germany
    assert (s.purpose, s.cause_interaction_id, s.extra["nudge"]) == (Purpose.NUDGE, third.id, "2")
