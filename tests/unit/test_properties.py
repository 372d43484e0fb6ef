"""Property tests over random histories: the promises that matter most.

(a) never two messages suggested-and-sent to one person inside the pacing guard (thank-yous
    and replies aside), day after day, whatever the user does with the suggestions;
(b) never anything for a do-not-contact person;
(c) a message from someone always cancels the pending nudges to them;
(d) the same history, settings and moment always give the same agenda, whatever was asked
    before and in whatever order the records come; agenda == select(plan).

Hypothesis profiles ("ci": few examples, no deadline; "dev") are registered in tests/conftest.py
and chosen by HYPOTHESIS_PROFILE or CI=true.
"""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date, datetime, time, timedelta

from engine_helpers import Workspace, describe
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from topofmind.engine import agenda, plan, select
from topofmind.engine.calendar import BusinessCalendar
from topofmind.engine.types import (
    EXEMPT_PURPOSES,
    Channel,
    Direction,
    InteractionSnap,
    Kind,
    Purpose,
    Role,
    Snapshot,
    Stage,
    Suggestion,
)

ZONES = ["Europe/Berlin", "America/New_York", "Asia/Tokyo", "UTC", "Pacific/Auckland", "Europe/London"]
COUNTRIES = [None, "DE", "US", "GB"]
# Days the simulations start on: spring DST changes, Thanksgiving, Christmas.
STARTS = [date(2026, 3, 2), date(2026, 10, 19), date(2026, 11, 16), date(2026, 12, 14)]
CHANNELS = [Channel.EMAIL, Channel.LINKEDIN, Channel.PHONE, Channel.TEXT, Channel.VOICEMAIL, None]
HISTORY_DAYS = 60

common = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@st.composite
def workspaces(draw: st.DrawFn, *, playbook: str | None = None) -> tuple[Workspace, date]:
    """A random workspace: people with roles and ways to reach them, employers, openings and a
    history of touches of every kind on random days (weekends and holidays included)."""
    tz = draw(st.sampled_from(ZONES))
    country = draw(st.sampled_from(COUNTRIES))
    book = playbook or draw(st.sampled_from(["jobseeker", "recruiter"]))
    cap = draw(st.sampled_from([None, 3, 15]))
    ws = Workspace(tz=tz, country=country, playbook=book, daily_cap=cap)
    start = draw(st.sampled_from(STARTS))
    origin = datetime.combine(start, time(0), tzinfo=ws.tz) - timedelta(days=HISTORY_DAYS)

    def moment() -> datetime:
        return origin + timedelta(minutes=draw(st.integers(0, HISTORY_DAYS * 24 * 60 - 1)))

    orgs = [
        ws.org(f"Org {k}", target=draw(st.booleans()), priority=draw(st.integers(1, 5)), created=moment())
        for k in range(draw(st.integers(1, 4)))
    ]
    people = []
    for k in range(draw(st.integers(1, 7))):
        people.append(
            ws.person(
                f"Person {k}",
                org=draw(st.sampled_from([None, *orgs])),
                roles=draw(st.frozensets(st.sampled_from(list(Role)), max_size=2)),
                email=draw(st.booleans()),
                phone=draw(st.booleans()),
                linkedin=draw(st.booleans()),
                prefers=draw(st.sampled_from([None, None, Channel.EMAIL, Channel.LINKEDIN, Channel.PHONE])),
                tz=draw(st.sampled_from([None, *ZONES])),
                dnc=draw(st.integers(0, 9)) == 0,
                cadence=draw(st.sampled_from([None, None, 7, 14])),
                created=moment(),
            )
        )
    opps = []
    for k in range(draw(st.integers(0, 4))):
        parts = draw(st.lists(st.sampled_from(people), max_size=3, unique_by=lambda p: p.id))
        opps.append(
            ws.opp(
                f"Opening {k}",
                org=draw(st.sampled_from(orgs)),
                stage=draw(st.sampled_from(list(Stage))),
                decision=draw(st.sampled_from([None, start, start + timedelta(days=4)])),
                people={p: draw(st.frozensets(st.sampled_from(list(Role)), min_size=1, max_size=2)) for p in parts},
                changed=moment(),
                created=moment(),
            )
        )
    for _ in range(draw(st.integers(0, 25))):
        kind = draw(st.sampled_from(list(Kind)))
        who = draw(st.lists(st.sampled_from(people), min_size=1, max_size=2, unique_by=lambda p: p.id))
        direction = None
        if kind is Kind.REPLY:
            direction = draw(st.sampled_from([Direction.IN, Direction.OUT]))
        ws.log(
            kind,
            *who,
            at=moment(),
            opp=draw(st.sampled_from([None, *opps])),
            channel=draw(st.sampled_from(CHANNELS)),
            direction=direction,
            points="",
            ooo_until=start + timedelta(days=draw(st.integers(-5, 20))) if kind is Kind.OUT_OF_OFFICE else None,
        )
    if draw(st.booleans()):
        ws.set_plan(draw(st.sampled_from([10, 50, 100])), draw(st.sampled_from([2, 10])), start=start)
    ws.connected = {p.id for p in people if draw(st.booleans())}
    return ws, start


def guard_end(cal: BusinessCalendar, ws: Workspace, day: date) -> date:
    """The first day another message may go to the person after a message on ``day`` (R6)."""
    if ws.policy.guard_in_business_days:
        return cal.add_business_days(day, ws.policy.guard_days)
    return cal.roll_forward(day + timedelta(days=ws.policy.guard_days))


def guarded(i: InteractionSnap) -> bool:
    """A message for the pacing guard: something we sent, but not a thank-you or a reply."""
    return i.direction is Direction.OUT and i.kind not in (Kind.THANK_YOU, Kind.REPLY, Kind.CONNECTION)


def dnc_ids(ws: Workspace) -> set[int]:
    return {p.id for p in ws.people.values() if p.do_not_contact}


def simulate(ws: Workspace, start: date, rng: random.Random, days: int) -> list[tuple[Suggestion, InteractionSnap]]:
    """Live ``days`` days: each morning take the agenda, act on some of it, sometimes hear back."""
    sent: list[tuple[Suggestion, InteractionSnap]] = []
    people = sorted(ws.people.values(), key=lambda p: p.id)
    for n in range(days):
        day = start + timedelta(days=n)
        now = datetime.combine(day, time(rng.choice([0, 8, 10, 13, 17])), tzinfo=ws.tz)
        items = ws.agenda(now)
        # (b) never anything for a do-not-contact person
        assert not [s for s in items if s.person_id in dnc_ids(ws)], describe(items)
        # one item per person a day (R6)
        named = [s.person_id for s in items if s.person_id is not None]
        assert len(named) == len(set(named)), describe(items)
        for k, s in enumerate(items):
            roll = rng.random()
            at = now + timedelta(minutes=5 + k)
            if roll < 0.6:
                touch = ws.done(s, at)
                if touch is not None:
                    sent.append((s, touch))
            elif roll < 0.7:
                ws.skip(s, at)
            elif roll < 0.8:
                ws.snooze(s, until=at + timedelta(days=rng.randint(1, 5)), at=at)
        # sometimes someone writes, or a robot does; sometimes someone asks to be left alone
        if rng.random() < 0.25:
            p = rng.choice(people)
            kind = rng.choice([Kind.REPLY, Kind.REPLY, Kind.AUTO_REPLY, Kind.BOUNCE, Kind.OUT_OF_OFFICE])
            ws.log(
                kind,
                p,
                at=now + timedelta(hours=2),
                channel=rng.choice([Channel.EMAIL, Channel.LINKEDIN, Channel.VOICEMAIL]),
                ooo_until=day + timedelta(days=rng.randint(1, 10)) if kind is Kind.OUT_OF_OFFICE else None,
            )
        # and sometimes something happens that the rules react to: an interview, an intake
        # call, a submission, an application
        if rng.random() < 0.2:
            kind = rng.choice([Kind.INTERVIEW, Kind.INTAKE_CALL, Kind.SUBMISSION, Kind.APPLICATION])
            who = rng.sample(people, k=min(len(people), rng.randint(1, 2)))
            opp = rng.choice([None, *sorted(ws.opps.values(), key=lambda o: o.id)])
            ws.log(kind, *who, at=now + timedelta(hours=3), opp=opp)
        if rng.random() < 0.03:
            p = rng.choice(people)
            ws.update(p, do_not_contact=True)
    return sent


def check_guard(ws: Workspace, sent: list[tuple[Suggestion, InteractionSnap]]) -> int:
    """No suggested-and-sent message to a person inside the guard of their previous message."""
    cal = BusinessCalendar(ws.context.timezone, ws.context.holidays)
    checked = 0
    for s, touch in sent:
        if s.purpose in EXEMPT_PURPOSES:
            continue
        assert s.person_id is not None
        day = cal.local_day(touch.at)
        earlier = [
            i for i in ws.touches if guarded(i) and s.person_id in i.person_ids and i.at < touch.at and i.id != touch.id
        ]
        if not earlier:
            continue
        last = max(earlier, key=lambda i: (i.at, i.id))
        allowed = guard_end(cal, ws, cal.local_day(last.at))
        assert day >= allowed, (
            f"{s.purpose.value} ({s.rule}) sent to {s.person_name} on {day} but the last message "
            f"({last.kind.value}) went on {cal.local_day(last.at)}: the guard holds until {allowed}"
        )
        checked += 1
    return checked


@common
@given(world=workspaces(), seed=st.integers(0, 2**32 - 1))
def test_never_two_messages_to_one_person_inside_the_guard(world: tuple[Workspace, date], seed: int) -> None:
    ws, start = world
    sent = simulate(ws, start, random.Random(seed), days=40)
    check_guard(ws, sent)


@common
@given(world=workspaces())
def test_never_anything_for_a_do_not_contact_person(world: tuple[Workspace, date]) -> None:
    ws, start = world
    people = sorted(ws.people.values(), key=lambda p: p.id)
    ws.update(people[0], do_not_contact=True)
    dnc = dnc_ids(ws)
    assert not [s for s in ws.plan() if s.person_id in dnc]
    for n in range(0, 60, 3):
        moment = datetime.combine(start + timedelta(days=n), time(10), tzinfo=ws.tz)
        assert not [s for s in ws.agenda(moment) if s.person_id in dnc]


@common
@given(world=workspaces(), who=st.integers(0, 10), channel=st.sampled_from([Channel.EMAIL, Channel.TEXT, None]))
def test_a_message_from_someone_cancels_every_nudge_to_them(
    world: tuple[Workspace, date], who: int, channel: Channel | None
) -> None:
    ws, start = world
    people = sorted(ws.people.values(), key=lambda p: p.id)
    p = people[who % len(people)]
    last = max((i.at for i in ws.touches), default=ws.t(start))
    ws.log(Kind.REPLY, p, at=last + timedelta(minutes=1), channel=channel)
    r3 = [s for s in ws.plan() if s.person_id == p.id and s.rule == "R3"]
    assert not r3, describe(r3)
    for n in range(0, 90, 2):
        moment = datetime.combine(start + timedelta(days=n), time(12), tzinfo=ws.tz)
        assert not [s for s in ws.for_person(moment, p) if s.purpose in (Purpose.NUDGE, Purpose.CHECK_IN)]


@common
@given(world=workspaces(), seed=st.integers(0, 2**32 - 1))
def test_a_message_from_someone_stops_the_nudges_until_a_new_ask(world: tuple[Workspace, date], seed: int) -> None:
    """Living through the days: after P writes, no nudge for P until we ask P something again."""
    ws, start = world
    rng = random.Random(seed)
    simulate(ws, start, rng, days=10)
    people = sorted(ws.people.values(), key=lambda p: p.id)
    p = rng.choice(people)
    wrote = ws.log(Kind.REPLY, p, at=datetime.combine(start + timedelta(days=10), time(9), tzinfo=ws.tz))
    for n in range(10, 50):
        now = datetime.combine(start + timedelta(days=n), time(10), tzinfo=ws.tz)
        asked_since = [
            i
            for i in ws.touches
            if p.id in i.person_ids
            and i.at > wrote.at
            and i.direction is Direction.OUT
            and i.kind
            in (
                Kind.APPLICATION,
                Kind.NUDGE,
                Kind.STATUS_INQUIRY,
                Kind.REFERRAL_ASK,
                Kind.FEEDBACK_REQUEST,
                Kind.INTAKE_FOLLOW_UP,
                Kind.CHECK_IN,
            )
        ]
        items = ws.for_person(now, p)
        if not asked_since:
            assert not [s for s in items if s.purpose is Purpose.NUDGE], describe(items)
        for k, s in enumerate(items):
            if rng.random() < 0.7:
                ws.done(s, now + timedelta(minutes=k + 1))


def shuffled(snap: Snapshot, rng: random.Random) -> Snapshot:
    def mix(items: tuple[object, ...]) -> tuple[object, ...]:
        out = list(items)
        rng.shuffle(out)
        return tuple(out)

    return replace(
        snap,
        people=mix(snap.people),  # type: ignore[arg-type]
        organizations=mix(snap.organizations),  # type: ignore[arg-type]
        opportunities=mix(snap.opportunities),  # type: ignore[arg-type]
        interactions=mix(snap.interactions),  # type: ignore[arg-type]
        actions=mix(snap.actions),  # type: ignore[arg-type]
    )


def full(items: list[Suggestion]) -> list[tuple[Suggestion, dict[str, str]]]:
    return [(s, s.extra) for s in items]


@common
@given(
    world=workspaces(),
    seed=st.integers(0, 2**32 - 1),
    offsets=st.lists(st.integers(-20 * 24 * 60, 60 * 24 * 60), min_size=1, max_size=4),
)
def test_same_history_and_moment_give_the_same_agenda(
    world: tuple[Workspace, date], seed: int, offsets: list[int]
) -> None:
    ws, start = world
    rng = random.Random(seed)
    simulate(ws, start, rng, days=rng.randint(0, 12))
    snap = ws.snapshot()
    base = datetime.combine(start, time(0), tzinfo=ws.tz)
    moments = [base + timedelta(minutes=m) for m in offsets]
    first = [full(agenda(snap, t)) for t in moments]
    # ask about other moments in between, in another order, with the records shuffled
    for t in reversed(moments):
        agenda(shuffled(snap, rng), t + timedelta(days=3))
    for t, expected in zip(moments, first, strict=True):
        mixed = shuffled(snap, rng)
        assert full(agenda(mixed, t)) == expected
        candidates = plan(mixed)
        rng.shuffle(candidates)
        assert full(select(candidates, now=t, context=snap.context, policy=snap.policy, plan=snap.plan)) == expected


@common
@given(world=workspaces(), day=st.integers(0, 40))
def test_the_cap_never_drops_an_owed_thank_you_or_reply(world: tuple[Workspace, date], day: int) -> None:
    ws, start = world
    now = datetime.combine(start + timedelta(days=day), time(11), tzinfo=ws.tz)
    snap = ws.snapshot()
    cal = BusinessCalendar(ws.context.timezone, ws.context.holidays)
    stale = now - timedelta(days=ws.policy.overdue_deadline_days)
    owed = {
        s.person_id for s in plan(snap) if s.purpose in EXEMPT_PURPOSES and s.actionable_from <= now and s.due >= stale
    }
    items = agenda(snap, now)
    listed = {s.person_id for s in items if s.purpose in EXEMPT_PURPOSES}
    assert owed == listed, describe(items)
    assert len([s for s in items if s.purpose not in EXEMPT_PURPOSES]) <= ws.policy.daily_cap
    assert all(s.due_day <= cal.local_day(now) or s.purpose in EXEMPT_PURPOSES for s in items)
