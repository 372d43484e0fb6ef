"""R13 referral asks before applying; R15 the quota of new employers and the day's call."""

from __future__ import annotations

import random

from engine_helpers import Workspace, calendar, d, describe

from topofmind.engine import plan, quota_today, select
from topofmind.engine.types import Channel, Kind, PlanSnap, Purpose, Role, Stage

# -- R13 -----------------------------------------------------------------------------------


def test_a_mutual_connection_at_a_target_employer_is_asked_for_advice_before_applying() -> None:
    ws = Workspace()
    acme = ws.org("Acme", target=True, created="2026-03-07 10:00")  # a Saturday
    pat = ws.person("Pat Kim", org=acme, roles=[Role.PEER], created="2026-03-07 10:00")
    assert ws.nothing_for("2026-03-07 12:00", pat)
    s = ws.only("2026-03-09 09:00", pat)
    assert (s.purpose, s.rule, s.organization_name) == (Purpose.REFERRAL_ASK, "R13", "Acme")
    assert s.why == (
        "you haven't applied to Acme (a target employer) yet — Pat Kim works there: ask for advice or a referral"
    )


def test_a_prospect_opening_names_itself_in_the_referral_ask() -> None:
    ws = Workspace()
    acme = ws.org("Acme")
    rita = ws.person("Rita Ref", org=acme, roles=[Role.REFERRER])
    ws.opp("Staff Engineer", org=acme, stage=Stage.PROSPECT, created="2026-03-02")
    ws.opp("Data Engineer", org=acme, stage=Stage.PROSPECT, created="2026-03-02")
    s = ws.only("2026-03-02 10:00", rita)
    assert (s.purpose, s.opportunity_title) == (Purpose.REFERRAL_ASK, "Staff Engineer")  # the first recorded
    assert "you haven't applied to Staff Engineer at Acme yet" in s.why


def test_the_referral_ask_names_the_same_opening_whatever_the_order_of_the_records() -> None:
    ws = Workspace()
    acme = ws.org("Acme")
    rita = ws.person("Rita Ref", org=acme, roles=[Role.REFERRER])
    for title in ("A", "B", "C", "D"):
        ws.opp(title, org=acme, stage=Stage.PROSPECT)
    snap = ws.snapshot()
    titles = set()
    for seed in range(6):
        opps = list(snap.opportunities)
        random.Random(seed).shuffle(opps)
        shuffled = type(snap)(**{**snap.__dict__, "opportunities": tuple(opps)})
        [s] = [s for s in plan(shuffled) if s.person_id == rita.id]
        titles.add(s.opportunity_title)
    assert titles == {"A"}


def test_no_referral_ask_once_applied_there() -> None:
    ws = Workspace()
    acme = ws.org("Acme", target=True)
    pat = ws.person("Pat Kim", org=acme, roles=[Role.PEER])
    dana = ws.person("Dana Lee", org=acme, roles=[Role.HIRING_MANAGER])
    ws.log(Kind.APPLICATION, dana, at="2026-03-02 10:00")
    assert not [s for s in ws.plan() if s.person_id == pat.id]


def test_no_referral_ask_once_an_opening_there_moved_past_prospect() -> None:
    ws = Workspace()
    acme = ws.org("Acme", target=True)
    pat = ws.person("Pat Kim", org=acme, roles=[Role.PEER])
    ws.opp("Data Engineer", org=acme, stage=Stage.APPLIED)
    assert not [s for s in ws.plan() if s.person_id == pat.id]


def test_a_referral_ask_is_asked_once_and_then_chased_by_r3() -> None:
    ws = Workspace()
    acme = ws.org("Acme", target=True)
    pat = ws.person("Pat Kim", org=acme, roles=[Role.PEER])
    ask = ws.log(Kind.REFERRAL_ASK, pat, at="2026-03-02 10:00")
    s = ws.only("2026-03-09 10:00", pat)
    assert (s.purpose, s.cause_interaction_id) == (Purpose.NUDGE, ask.id)
    assert "no answer to your referral ask of Mon 2 Mar" in s.why


def test_no_referral_ask_at_an_employer_that_is_neither_a_target_nor_has_an_opening() -> None:
    ws = Workspace()
    acme = ws.org("Acme")
    pat = ws.person("Pat Kim", org=acme, roles=[Role.PEER])
    assert not [s for s in ws.plan() if s.person_id == pat.id]


def test_hiring_managers_are_not_asked_for_referrals() -> None:
    ws = Workspace()
    acme = ws.org("Acme", target=True)
    dana = ws.person("Dana Lee", org=acme, roles=[Role.HIRING_MANAGER])
    assert not [s for s in ws.plan() if s.person_id == dana.id and s.purpose is Purpose.REFERRAL_ASK]


# -- R15 -----------------------------------------------------------------------------------


def targets(ws: Workspace, n: int, *, phones: bool = False) -> list[object]:
    orgs = []
    for k in range(n):
        org = ws.org(f"Target {k:02d}", target=True, priority=3, created="2026-02-01")
        ws.person(f"Manager {k:02d}", org=org, roles=[Role.HIRING_MANAGER], phone=phones)
        orgs.append(org)
    return orgs


def prospects_on(ws: Workspace, at: str) -> list[str]:
    return [s.organization_name or "" for s in ws.agenda(at) if s.purpose is Purpose.PROSPECT_OUTREACH]


def test_fifty_targets_over_ten_weeks_is_one_new_employer_a_business_day() -> None:
    ws = Workspace(tz="Europe/Berlin", country="DE")
    targets(ws, 12)
    ws.set_plan(50, 10, start="2026-03-30")
    assert prospects_on(ws, "2026-03-27 10:00") == []  # before the plan starts
    assert prospects_on(ws, "2026-03-30 10:00") == ["Target 00"]
    s = next(s for s in ws.agenda("2026-03-30 10:00") if s.purpose is Purpose.PROSPECT_OUTREACH)
    assert (s.rule, s.person_name) == ("R15", "Manager 00")
    assert s.why == "Target 00 is on your target list and you have not reached out yet — Manager 00 is your way in"
    assert prospects_on(ws, "2026-04-03 10:00") == []  # Good Friday
    assert prospects_on(ws, "2026-04-04 10:00") == []  # Saturday
    assert prospects_on(ws, "2026-04-06 10:00") == []  # Easter Monday


def test_a_missed_day_does_not_pile_up_on_the_next() -> None:
    ws = Workspace()
    targets(ws, 5)
    ws.set_plan(50, 10, start="2026-03-02")
    assert len(prospects_on(ws, "2026-03-02 10:00")) == 1  # not done on Monday
    assert len(prospects_on(ws, "2026-03-03 10:00")) == 1  # Tuesday: still one


def test_doing_the_days_prospect_brings_the_next_employer_tomorrow() -> None:
    ws = Workspace()
    targets(ws, 5)
    ws.set_plan(50, 10, start="2026-03-02")
    [s] = [s for s in ws.agenda("2026-03-02 10:00") if s.purpose is Purpose.PROSPECT_OUTREACH]
    ws.done(s, "2026-03-02 11:00")
    assert prospects_on(ws, "2026-03-02 12:00") == []
    assert prospects_on(ws, "2026-03-03 10:00") == ["Target 01"]


def test_a_fractional_rate_spreads_evenly_over_the_week() -> None:
    ws = Workspace(country=None)
    targets(ws, 10)
    ws.set_plan(20, 10, start="2026-03-02")  # 2 a week
    week = {day: len(prospects_on(ws, f"2026-03-{day:02d} 10:00")) for day in range(2, 9)}
    assert week == {2: 0, 3: 0, 4: 1, 5: 0, 6: 1, 7: 0, 8: 0}


def test_the_plan_ends_after_its_weeks() -> None:
    ws = Workspace(country=None)
    targets(ws, 3)
    ws.set_plan(10, 2, start="2026-03-02")
    assert prospects_on(ws, "2026-03-16 10:00") == []


def test_higher_priority_targets_come_first() -> None:
    ws = Workspace()
    ws.org("Later Co", target=True, priority=4, created="2026-02-01")
    ws.org("First Co", target=True, priority=1, created="2026-02-01")
    ws.set_plan(50, 10, start="2026-03-02")
    assert prospects_on(ws, "2026-03-02 10:00") == ["First Co"]


def test_an_employer_already_in_touch_is_not_a_prospect() -> None:
    ws = Workspace()
    [org] = targets(ws, 1)
    staff = next(p for p in ws.people.values() if p.organization_id == org.id)
    ws.log(Kind.CALL, staff, at="2026-02-20 10:00", channel=Channel.PHONE)
    assert prospects_on(ws, "2026-03-02 10:00") == []


def test_one_call_a_day() -> None:
    ws = Workspace()
    targets(ws, 6, phones=True)
    ws.set_plan(100, 10, start="2026-03-02")  # two a day
    day = [s for s in ws.agenda("2026-03-02 10:00") if s.purpose is Purpose.PROSPECT_OUTREACH]
    assert len(day) == 2
    assert [s.channel for s in day].count(Channel.PHONE) == 1
    call = next(s for s in day if s.channel is Channel.PHONE)
    assert call.why.endswith("today's call")
    assert call.call_window == "call between 09:00 and 17:00 your time"


def test_new_prospects_fill_the_day_only_after_time_critical_work() -> None:
    ws = Workspace(daily_cap=2)
    targets(ws, 3)
    ws.set_plan(100, 10, start="2026-03-02")
    nina = ws.person("Nina Nudge")
    ws.log(Kind.APPLICATION, nina, at="2026-02-23 10:00")
    kurt = ws.person("Kurt Keepwarm", cadence=7)
    ws.log(Kind.CALL, kurt, at="2026-02-23 10:00", channel=Channel.PHONE)
    day = ws.agenda("2026-03-02 10:00")
    assert [s.purpose for s in day] == [Purpose.NUDGE, Purpose.KEEP_WARM], describe(day)


def test_quota_today_counts_business_days_from_the_plan_start() -> None:
    cal = calendar("America/New_York", "US")
    p = PlanSnap(targets=50, weeks=10, start=d("2026-11-23"))
    assert [quota_today(d(f"2026-11-{n}"), p, cal) for n in range(23, 30)] == [1, 1, 1, 0, 1, 0, 0]
    assert quota_today(d("2026-11-23"), None, cal) == 1  # no plan yet: one a business day
    assert quota_today(d("2026-11-26"), None, cal) == 0


def test_select_alone_applies_the_quota_to_stored_candidates() -> None:
    ws = Workspace()
    targets(ws, 4)
    ws.set_plan(50, 10, start="2026-03-02")
    snap = ws.snapshot()
    day = select(plan(snap), now=ws.t("2026-03-02 10:00"), context=snap.context, policy=snap.policy, plan=snap.plan)
    assert [s.purpose for s in day] == [Purpose.PROSPECT_OUTREACH]
