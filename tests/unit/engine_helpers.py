"""Small factories for engine tests: build a workspace the way a user would, then ask for the agenda.

No database and no Django: a ``Workspace`` is a list of people, employers, openings and touches
that turns into an ``engine.types.Snapshot``. Times are written the way a person reads them,
``"2026-03-02 10:00"``, in the user's time zone unless they carry an offset.

    ws = Workspace(tz="Europe/Berlin", country="DE")
    acme = ws.org("Acme", target=True)
    dana = ws.person("Dana Lee", org=acme, roles=[Role.HIRING_MANAGER])
    ws.log(Kind.INTERVIEW, dana, at="2026-03-03 10:00")
    items = ws.agenda("2026-03-03 12:00")
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from topofmind.crm.planning.holidays import holidays_of
from topofmind.engine import agenda as engine_agenda
from topofmind.engine import ghosted as engine_ghosted
from topofmind.engine import plan as engine_plan
from topofmind.engine.calendar import BusinessCalendar
from topofmind.engine.types import (
    DEFAULT_DIRECTION,
    PURPOSE_KIND,
    AchievementSnap,
    Channel,
    Context,
    Direction,
    InteractionSnap,
    Kind,
    OpportunitySnap,
    OrganizationSnap,
    PersonSnap,
    PlanSnap,
    Policy,
    Purpose,
    Role,
    Snapshot,
    Stage,
    State,
    Suggestion,
    UserAction,
)
from topofmind.playbooks import load_policy

Moment = str | datetime | date


class Workspace:
    """A workspace under construction, in one user's zone and holiday country."""

    def __init__(
        self,
        tz: str = "Europe/Berlin",
        country: str | None = "DE",
        playbook: str = "jobseeker",
        **overrides: object,
    ) -> None:
        self.context = Context(timezone=tz, holidays=holidays_of(country))
        self.tz = ZoneInfo(tz)
        self.policy: Policy = load_policy(playbook, overrides)
        self.people: dict[int, PersonSnap] = {}
        self.orgs: dict[int, OrganizationSnap] = {}
        self.opps: dict[int, OpportunitySnap] = {}
        self.touches: list[InteractionSnap] = []
        self.actions: dict[str, UserAction] = {}
        self.plan_snap: PlanSnap | None = None
        self.connected: set[int] = set()
        self.achievements: list[AchievementSnap] = []
        self.shared: set[tuple[int, int]] = set()
        self._ids = itertools.count(1)

    # -- moments -------------------------------------------------------------------------
    def t(self, moment: Moment) -> datetime:
        """'2026-03-02 10:00' (or a date, or a datetime) as an aware datetime in the user's zone."""
        if isinstance(moment, datetime):
            return moment if moment.tzinfo else moment.replace(tzinfo=self.tz)
        if isinstance(moment, date):
            return datetime.combine(moment, time(9), tzinfo=self.tz)
        parsed = datetime.fromisoformat(moment)
        if len(moment) <= 10:
            parsed = parsed.replace(hour=9)
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=self.tz)

    def local(self, moment: datetime) -> datetime:
        return moment.astimezone(self.tz)

    # -- things ----------------------------------------------------------------------------
    def org(
        self,
        name: str,
        *,
        target: bool = False,
        priority: int = 3,
        created: Moment | None = None,
    ) -> OrganizationSnap:
        o = OrganizationSnap(
            id=next(self._ids),
            name=name,
            target=target,
            priority=priority,
            created_at=self.t(created) if created is not None else None,
        )
        self.orgs[o.id] = o
        return o

    def person(
        self,
        name: str,
        *,
        org: OrganizationSnap | None = None,
        roles: Iterable[Role] = (),
        email: bool | str = True,
        phone: bool | str = False,
        linkedin: bool | str = False,
        prefers: Channel | None = None,
        tz: str | None = None,
        dnc: bool = False,
        cadence: int | None = None,
        created: Moment | None = None,
    ) -> PersonSnap:
        slug = name.lower().replace(" ", ".")
        p = PersonSnap(
            id=next(self._ids),
            name=name,
            organization_id=org.id if org else None,
            organization_name=org.name if org else None,
            roles=frozenset(roles),
            emails=((email if isinstance(email, str) else f"{slug}@example.com"),) if email else (),
            phones=((phone if isinstance(phone, str) else "+49 30 1234567"),) if phone else (),
            linkedin_url=(
                (linkedin if isinstance(linkedin, str) else f"https://www.linkedin.com/in/{slug}") if linkedin else ""
            ),
            prefers=prefers,
            timezone=tz,
            do_not_contact=dnc,
            cadence_days=cadence,
            created_at=self.t(created) if created is not None else None,
        )
        self.people[p.id] = p
        return p

    def update(self, person: PersonSnap, **changes: object) -> PersonSnap:
        p = replace(self.people[person.id], **changes)  # type: ignore[arg-type]
        self.people[p.id] = p
        return p

    def opp(
        self,
        title: str,
        *,
        org: OrganizationSnap,
        stage: Stage = Stage.APPLIED,
        decision: date | str | None = None,
        people: Mapping[PersonSnap, Iterable[Role]] | None = None,
        changed: Moment | None = None,
        created: Moment | None = None,
    ) -> OpportunitySnap:
        o = OpportunitySnap(
            id=next(self._ids),
            title=title,
            organization_id=org.id,
            organization_name=org.name,
            stage=stage,
            decision_date=date.fromisoformat(decision) if isinstance(decision, str) else decision,
            participants=tuple((p.id, frozenset(r)) for p, r in (people or {}).items()),
            stage_changed_at=self.t(changed) if changed is not None else None,
            created_at=self.t(created) if created is not None else None,
        )
        self.opps[o.id] = o
        return o

    def move(self, opp: OpportunitySnap, stage: Stage, at: Moment) -> OpportunitySnap:
        """The user moves an opening to another stage at ``at``."""
        o = replace(self.opps[opp.id], stage=stage, stage_changed_at=self.t(at))
        self.opps[o.id] = o
        return o

    def log(
        self,
        kind: Kind,
        *people: PersonSnap,
        at: Moment,
        opp: OpportunitySnap | None = None,
        channel: Channel | None = Channel.EMAIL,
        direction: Direction | None = None,
        points: str = "",
        ooo_until: date | str | None = None,
    ) -> InteractionSnap:
        if kind in (Kind.INTERVIEW, Kind.INTAKE_CALL) and channel is Channel.EMAIL:
            channel = Channel.VIDEO
        i = InteractionSnap(
            id=next(self._ids),
            at=self.t(at),
            kind=kind,
            direction=direction or DEFAULT_DIRECTION[kind],
            channel=channel,
            person_ids=tuple(p.id for p in people),
            opportunity_id=opp.id if opp else None,
            points=points,
            ooo_until=date.fromisoformat(ooo_until) if isinstance(ooo_until, str) else ooo_until,
        )
        self.touches.append(i)
        return i

    def achieve(self, title: str, on: date | str) -> AchievementSnap:
        """The user adds an achievement of theirs (R12)."""
        a = AchievementSnap(id=next(self._ids), title=title, on=date.fromisoformat(on) if isinstance(on, str) else on)
        self.achievements.append(a)
        return a

    def share(self, person: PersonSnap, achievement: AchievementSnap) -> None:
        """A share of ``achievement`` with ``person`` was recorded (R10)."""
        self.shared.add((person.id, achievement.id))

    def set_plan(self, targets: int, weeks: int, *, start: date | str, calls: int = 1) -> None:
        self.plan_snap = PlanSnap(
            targets=targets,
            weeks=weeks,
            calls_per_day=calls,
            start=date.fromisoformat(start) if isinstance(start, str) else start,
        )

    # -- the user's word on a suggestion --------------------------------------------------
    def done(self, s: Suggestion, at: Moment) -> InteractionSnap | None:
        """What `topofmind done ID --at` does: mark it done and log the touch it stands for."""
        moment = self.t(at)
        self.actions[s.key] = UserAction(key=s.key, state=State.DONE, at=moment)
        if s.person_id is None:
            return None
        kind = PURPOSE_KIND[s.purpose]
        return self.log(
            kind,
            self.people[s.person_id],
            at=moment,
            opp=self.opps.get(s.opportunity_id) if s.opportunity_id is not None else None,
            channel=s.channel,
            direction=Direction.OUT,
        )

    def skip(self, s: Suggestion, at: Moment) -> None:
        self.actions[s.key] = UserAction(key=s.key, state=State.SKIPPED, at=self.t(at))

    def snooze(self, s: Suggestion, until: Moment, at: Moment | None = None) -> None:
        self.actions[s.key] = UserAction(key=s.key, state=State.SNOOZED, at=self.t(at or until), until=self.t(until))

    # -- asking the engine ----------------------------------------------------------------
    def snapshot(self) -> Snapshot:
        return Snapshot(
            context=self.context,
            policy=self.policy,
            people=tuple(self.people.values()),
            organizations=tuple(self.orgs.values()),
            opportunities=tuple(self.opps.values()),
            interactions=tuple(self.touches),
            actions=tuple(self.actions.values()),
            plan=self.plan_snap,
            linkedin_connected=frozenset(self.connected),
            achievements=tuple(self.achievements),
            achievements_shared=frozenset(self.shared),
        )

    def plan(self) -> list[Suggestion]:
        return engine_plan(self.snapshot())

    def agenda(self, at: Moment) -> list[Suggestion]:
        return engine_agenda(self.snapshot(), self.t(at))

    def ghosted(self, at: Moment) -> dict[int, str]:
        return engine_ghosted(self.snapshot(), self.t(at))

    def for_person(self, at: Moment, person: PersonSnap) -> list[Suggestion]:
        return [s for s in self.agenda(at) if s.person_id == person.id]

    def only(self, at: Moment, person: PersonSnap) -> Suggestion:
        """The one item the agenda at ``at`` holds for ``person`` (R6: one item per person)."""
        items = self.for_person(at, person)
        assert len(items) == 1, f"expected one item for {person.name} at {at}, got {describe(items)}"
        return items[0]

    def nothing_for(self, at: Moment, person: PersonSnap) -> bool:
        return not self.for_person(at, person)

    def between(self, person: PersonSnap, first: str, last: str, *, hour: int = 12) -> list[Suggestion]:
        """Everything the agenda holds for ``person`` on each day from ``first`` to ``last`` (inclusive)."""
        return [
            s
            for day in each_day(first, last)
            for s in self.for_person(datetime.combine(day, time(hour), tzinfo=self.tz), person)
        ]

    def first_day(
        self,
        person: PersonSnap,
        purpose: Purpose,
        start: Moment,
        *,
        days: int = 120,
        hour: int = 12,
    ) -> date | None:
        """The first local day from ``start`` on which ``person`` has a ``purpose`` item at ``hour``."""
        day = self.t(start).astimezone(self.tz).date()
        for n in range(days):
            d = date.fromordinal(day.toordinal() + n)
            moment = datetime.combine(d, time(hour), tzinfo=self.tz)
            if any(s.purpose is purpose for s in self.for_person(moment, person)):
                return d
        return None


def calendar(tz: str = "UTC", country: str | None = None) -> BusinessCalendar:
    """Business days in ``tz`` with ``country``'s real public holidays (as the store hands them in)."""
    return BusinessCalendar(tz, holidays_of(country))


def describe(items: Sequence[Suggestion]) -> str:
    return "; ".join(f"{s.person_name}/{s.purpose.value}/{s.rule}@{s.due_day}" for s in items) or "nothing"


def purposes(items: Sequence[Suggestion]) -> list[tuple[str | None, Purpose]]:
    return [(s.person_name, s.purpose) for s in items]


def each_day(first: str, last: str) -> list[date]:
    start, end = date.fromisoformat(first), date.fromisoformat(last)
    return [date.fromordinal(n) for n in range(start.toordinal(), end.toordinal() + 1)]


def d(text: str) -> date:
    return date.fromisoformat(text)
