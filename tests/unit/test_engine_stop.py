"""R9: stop. Do-not-contact, a dropped opening, a rejection, an accepted offer."""

from __future__ import annotations

from engine_helpers import Workspace, d, describe

from topofmind.engine.types import Channel, Direction, Kind, Purpose, Role, Stage


def test_a_do_not_contact_person_gets_nothing_ever_not_even_a_thank_you_or_a_reply() -> None:
    ws = Workspace()
    acme = ws.org("Acme", target=True)
    dana = ws.person("Dana Lee", org=acme, roles=[Role.HIRING_MANAGER], dnc=True)
    job = ws.opp("Data Engineer", org=acme, stage=Stage.INTERVIEWING, people={dana: [Role.HIRING_MANAGER]})
    ws.log(Kind.APPLICATION, dana, at="2026-03-02 10:00", opp=job)
    ws.log(Kind.INTERVIEW, dana, at="2026-03-04 10:00", opp=job)
    ws.log(Kind.REPLY, dana, at="2026-03-05 10:00", opp=job)
    assert not ws.between(dana, "2026-03-02", "2026-06-30")
    assert not [s for s in ws.plan() if s.person_id == dana.id]


def test_asking_not_to_be_contacted_cancels_what_was_pending() -> None:
    ws = Workspace()
    dana = ws.person("Dana Lee")
    ws.log(Kind.APPLICATION, dana, at="2026-03-02 10:00")
    assert ws.only("2026-03-09 10:00", dana).purpose is Purpose.NUDGE
    ws.update(dana, do_not_contact=True)
    assert ws.nothing_for("2026-03-09 10:00", dana)


def test_the_status_inquiry_skips_a_hiring_manager_who_asked_not_to_be_contacted() -> None:
    ws = Workspace()
    acme = ws.org("Acme")
    dana = ws.person("Dana Lee", org=acme, dnc=True)
    rob = ws.person("Rob Hale", org=acme)
    job = ws.opp(
        "Data Engineer",
        org=acme,
        stage=Stage.INTERVIEWING,
        people={dana: [Role.HIRING_MANAGER], rob: [Role.RECRUITER]},
    )
    ws.log(Kind.INTERVIEW, dana, at="2026-03-02 10:00", opp=job)
    items = [s for s in ws.agenda("2026-03-09 10:00") if s.purpose is Purpose.STATUS_INQUIRY]
    assert [s.person_name for s in items] == ["Rob Hale"]


def test_a_target_employer_is_approached_through_someone_else_than_a_do_not_contact_person() -> None:
    ws = Workspace()
    zeta = ws.org("Zeta", target=True)
    ws.person("Zoe Zed", org=zeta, roles=[Role.HIRING_MANAGER], dnc=True)
    ws.person("Yan Yu", org=zeta, roles=[Role.INTERVIEWER])
    [s] = [s for s in ws.agenda("2026-03-02 10:00") if s.purpose is Purpose.PROSPECT_OUTREACH]
    assert s.person_name == "Yan Yu"


def test_a_dropped_opening_stops_its_follow_ups() -> None:
    ws = Workspace()
    acme = ws.org("Acme")
    dana = ws.person("Dana Lee", org=acme)
    job = ws.opp("Data Engineer", org=acme, stage=Stage.INTERVIEWING, people={dana: [Role.HIRING_MANAGER]})
    ws.log(Kind.INTERVIEW, dana, at="2026-03-02 10:00", opp=job)
    ws.log(Kind.THANK_YOU, dana, at="2026-03-02 16:00", opp=job)
    ws.log(Kind.LINKEDIN_INVITE, dana, at="2026-03-02 16:00", channel=Channel.LINKEDIN)
    ws.move(job, Stage.WITHDRAWN, "2026-03-04 10:00")
    found = ws.between(dana, "2026-03-02", "2026-03-31")
    assert not [s for s in found if s.opportunity_id == job.id], describe(found)
    # Dana stays in the network: a keep-warm note a month after the last touch
    assert ws.first_day(dana, Purpose.KEEP_WARM, "2026-03-02") == d("2026-04-01")


def test_an_opening_on_hold_stops_its_nudges() -> None:
    ws = Workspace()
    acme = ws.org("Acme")
    dana = ws.person("Dana Lee", org=acme)
    job = ws.opp("Data Engineer", org=acme, stage=Stage.ON_HOLD, people={dana: [Role.HIRING_MANAGER]})
    ws.log(Kind.APPLICATION, dana, at="2026-03-02 10:00", opp=job)
    assert not [s for s in ws.between(dana, "2026-03-02", "2026-03-31") if s.purpose is Purpose.NUDGE]


def test_a_rejection_gets_one_gracious_reply_then_the_person_moves_to_keep_warm() -> None:
    ws = Workspace()
    acme = ws.org("Acme")
    dana = ws.person("Dana Lee", org=acme)
    job = ws.opp("Data Engineer", org=acme, stage=Stage.INTERVIEWING, people={dana: [Role.HIRING_MANAGER]})
    ws.log(Kind.INTERVIEW, dana, at="2026-03-02 10:00", opp=job)
    ws.log(Kind.THANK_YOU, dana, at="2026-03-02 16:00", opp=job)
    ws.log(Kind.LINKEDIN_INVITE, dana, at="2026-03-02 16:00", channel=Channel.LINKEDIN)
    ws.log(Kind.REJECTION, dana, at="2026-03-06 11:00", opp=job)  # stage left as it was
    s = ws.only("2026-03-06 12:00", dana)
    assert (s.purpose, s.rule, s.due) == (Purpose.REPLY, "R9", ws.t("2026-03-09 11:00"))
    assert s.why == (
        "a gracious reply to Dana Lee's decision of Fri 6 Mar 11:00 keeps the door open — due by Mon 9 Mar 11:00"
    )
    ws.log(Kind.REPLY, dana, at="2026-03-06 15:00", opp=job, direction=Direction.OUT)
    later = ws.between(dana, "2026-03-06", "2026-04-30")
    # a month, not a week: 30 days after Fri 6 Mar is Sun 5 Apr, and Mon 6 Apr is Easter Monday
    assert [(s.purpose, s.rule, s.due_day) for s in later][:1] == [(Purpose.KEEP_WARM, "R5", d("2026-04-07"))]
    assert all(s.opportunity_id is None for s in later)  # nothing more about the opening itself


def test_an_accepted_offer_winds_the_search_down_and_thanks_the_people_who_helped() -> None:
    ws = Workspace(tz="Europe/Berlin", country="DE")
    acme = ws.org("Acme")
    zeta = ws.org("Zeta", target=True)
    ws.person("Zoe Zed", org=zeta, roles=[Role.HIRING_MANAGER])  # a prospect never contacted
    dana = ws.person("Dana Lee", org=acme)
    rita = ws.person("Rita Ref", org=acme, roles=[Role.REFERRER])
    rob = ws.person("Rob Hale", roles=[Role.RECRUITER])
    bob = ws.person("Bob Other")
    pat = ws.person("Pat Peer", roles=[Role.PEER])
    job = ws.opp("Data Engineer", org=acme, stage=Stage.OFFER, people={dana: [Role.HIRING_MANAGER]})
    ws.log(Kind.REFERRAL_ASK, rita, at="2026-02-02 10:00")
    ws.log(Kind.REPLY, rita, at="2026-02-03 10:00")
    ws.log(Kind.REPLY, rita, at="2026-02-03 12:00", direction=Direction.OUT)
    ws.log(Kind.CALL, rob, at="2026-02-20 10:00", channel=Channel.PHONE)
    ws.log(Kind.CALL, pat, at="2026-02-20 10:00", channel=Channel.PHONE)
    ws.log(Kind.APPLICATION, bob, at="2026-03-02 10:00")  # elsewhere, unanswered
    ws.log(Kind.OFFER, dana, at="2026-03-04 10:00", opp=job)
    ws.log(Kind.REPLY, dana, at="2026-03-04 12:00", opp=job, direction=Direction.OUT)
    ws.move(job, Stage.ACCEPTED, "2026-03-05 10:00")
    day = ws.agenda("2026-03-05 11:00")
    thanks = sorted(s.person_name or "" for s in day if s.purpose is Purpose.THANK_YOU)
    assert thanks == ["Dana Lee", "Rita Ref", "Rob Hale"], describe(day)
    s = next(s for s in day if s.person_name == "Rita Ref")
    assert (s.rule, s.why) == ("R9", "you accepted Data Engineer at Acme — thank Rita Ref for the help along the way")
    assert s.due == ws.t("2026-03-09 10:00")  # two business days
    assert not [s for s in day if s.purpose is not Purpose.THANK_YOU], describe(day)
    after = [s for s in ws.agenda("2026-03-12 10:00") if s.purpose is not Purpose.THANK_YOU]
    assert not after, describe(after)  # no nudge for Bob, no prospect at Zeta, no weekly keep-warm
    assert ws.nothing_for("2026-03-30 10:00", bob)
    # the wider network is still kept warm, at its own pace
    assert ws.first_day(pat, Purpose.KEEP_WARM, "2026-03-05") == d("2026-03-23")


def test_an_offer_accepted_without_a_recorded_time_still_thanks_the_hiring_manager() -> None:
    ws = Workspace()
    acme = ws.org("Acme")
    dana = ws.person("Dana Lee", org=acme)
    job = ws.opp("Data Engineer", org=acme, stage=Stage.ACCEPTED, people={dana: [Role.HIRING_MANAGER]})
    ws.log(Kind.OFFER, dana, at="2026-03-04 10:00", opp=job)
    ws.log(Kind.REPLY, dana, at="2026-03-04 12:00", opp=job, direction=Direction.OUT)
    s = ws.only("2026-03-04 13:00", dana)
    assert (s.purpose, s.rule) == (Purpose.THANK_YOU, "R9")
