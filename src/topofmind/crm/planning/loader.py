"""One corner of a workspace: just enough of the store for the engine to plan some people.

``engine.plan(snapshot)`` plans every person in a snapshot from their history alone, but a
person's plan also reads a few facts about others: the touches and parts of the openings
they take part in (R4 status inquiries, the recruiter's feedback requests), whether the
contact of such an opening asked not to be contacted (R9), whether anyone applied at their
employer and which openings there are still prospects (R13), the accepted offer that ends
a search (R9), an opening closed by a logged rejection, and the user's word on each key.

``load_corner(people=...)`` reads exactly those facts for a set of people - a handful of
indexed queries, whatever the size of the workspace - and returns a Snapshot in which the
plan of each of those people is the plan the whole-workspace snapshot would give. People
and touches that ride along only to supply a fact (a do-not-contact interviewer, a
colleague's application) are planned by the engine too; ``planned_for`` keeps only the
suggestions of the people asked for (and, with ``prospects=True``, the R15 prospects of
every target employer, which need all of their staff).

``load_openings`` reads, with the same queries, the openings R17 flags as ghosted and every
touch about them (the board and the opening page).

The queries are hand-written SQL (both backends): they run on every write, where the ORM's
query building cost more than the database, and each one says which index it starts from.
The rows become snaps exactly as ``snapshot.build_snapshot`` makes them; the equivalence
tests (tests/integration/test_incremental_*.py) hold the two together.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import UTC, date
from typing import Any

from topofmind.crm.sql import SLICE, aware, day_of, fetch, fetch_in, marks, sliced
from topofmind.engine.types import (
    USER_STATES,
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

ACHIEVEMENT = "achievement"  # ValueItem.ValueKind.ACHIEVEMENT (the loader reads raw rows)
_TOUCH = "i.id, i.at, i.kind, i.direction, i.channel, i.opportunity_id, i.points, i.ooo_until, i.permission_materials"
_WHO = 9  # a touch row's columns end here: then its participant (and their do-not-contact flag)


@dataclass(frozen=True)
class Corner:
    snapshot: Snapshot
    people: frozenset[int]  # whose plans this snapshot gets right
    prospects: bool  # whether it also gets every R15 prospect right

    def planned_for(self, suggestions: Iterable[Suggestion]) -> list[Suggestion]:
        out = []
        for s in suggestions:
            if s.purpose is Purpose.PROSPECT_OUTREACH:
                if self.prospects:
                    out.append(s)
            elif s.person_id in self.people:
                out.append(s)
        return out


def load_corner(
    *,
    workspace_id: int,
    people: Collection[int],
    context: Context,
    policy: Policy,
    plan: PlanSnap | None,
    prospects: bool = False,
) -> Corner:
    """The snapshot that plans ``people`` (and, with ``prospects``, every R15 prospect) exactly."""
    ws = workspace_id
    loader = PeopleLoader(ws)
    wanted = set(people)
    loader.add_people(wanted)
    own_orgs = {org for pid in wanted if pid in loader.person_rows and (org := loader.person_rows[pid][2]) is not None}
    # their touches; the openings they take part in, with every touch about those openings
    loader.add_touches_of(wanted)
    mine = {row[0] for row in fetch_in(_MINE, wanted)}
    loader.add_touches_about(mine)
    opps = set(mine) | {t[5] for t in loader.touches.values() if t[5] is not None}
    if policy.accepted_ends_search:
        accepted = {row[0] for row in fetch(_ACCEPTED, [ws, Stage.ACCEPTED.value])}
        loader.add_touches_about(accepted - mine)
        opps |= accepted
    if policy.enabled("R13") and own_orgs:
        # R13: the openings at their employers, and every application made there
        opps |= {row[0] for row in fetch_in(OPPS_AT, own_orgs, before=[ws])}
        applied = fetch_in(_APPLIED_BY_STAFF, own_orgs, before=[Kind.APPLICATION.value, ws, ws])
        applied += fetch_in(_APPLIED_AT, own_orgs, before=[Kind.APPLICATION.value, ws])
        loader.add_touch_rows(applied)
        loader.add_people({row[_WHO] for row in applied if row[_WHO] is not None})  # whose employer applied
    targets: set[int] = set()
    if prospects:
        target_rows = fetch(_TARGETS, [ws])
        targets = {row[0] for row in target_rows}
        loader.add_organizations(target_rows)
        staff = {row[0] for row in fetch_in(PEOPLE_AT, targets, before=[ws])}
        loader.add_people(staff)
        # R15 asks whether anyone there was ever in touch: their touches other than connections
        loader.add_touches_of(staff, but_not=Kind.CONNECTION)
        opps |= {row[0] for row in fetch_in(OPPS_AT, targets, before=[ws])}
    if policy.rejection_closes_opening:
        # R9: a rejection logged on an opening closes it, for everyone who refers to it
        loader.add_touches_about(opps - mine, kind=Kind.REJECTION)
    loader.add_opportunities(opps)
    # R9: contacts of their openings who asked not to be contacted are passed over (the
    # queries above read the flag of every participant and every person touched about them)
    around = {pid for opp in mine for pid, _ in loader.parts.get(opp, ())} | {
        pid for tid, t in loader.touches.items() if t[5] in mine for pid in loader.who.get(tid, ())
    }
    loader.add_people(around & loader.unreachable)
    achievements, shared = load_achievements(ws, people=wanted) if policy.enabled("R12") else ((), frozenset())
    snapshot = Snapshot(
        context=context,
        policy=policy,
        people=loader.person_snaps(),
        organizations=loader.organization_snaps(own_orgs | targets),
        opportunities=loader.opportunity_snaps(),
        interactions=loader.interaction_snaps(),
        actions=_actions(ws, people=wanted, opportunities=mine, prospects=prospects),
        plan=plan,
        linkedin_connected=frozenset(pid for pid, row in loader.person_rows.items() if row[11]),
        achievements=achievements,
        achievements_shared=shared,
    )
    return Corner(snapshot=snapshot, people=frozenset(wanted), prospects=prospects)


_ACHIEVEMENTS = "SELECT id, title, happened_on, created_at FROM crm_valueitem WHERE workspace_id = %s AND kind = %s"
# (workspace, kind, created_at)
_ACHIEVEMENTS_SHARED = "SELECT person_id, value_item_id FROM crm_valueshare WHERE person_id IN ({{ids}}) AND value_item_id IN ({items})"
# (person)


def load_achievements(
    workspace_id: int, *, people: Collection[int]
) -> tuple[tuple[AchievementSnap, ...], frozenset[tuple[int, int]]]:
    """R12: the workspace's achievements (a user adds a few dozen in a search, not thousands),
    and which of them were already shared with ``people``."""
    rows = fetch(_ACHIEVEMENTS, [workspace_id, ACHIEVEMENT])
    achievements = tuple(
        AchievementSnap(id=pk, title=title, on=achievement_day(happened_on, created_at))
        for pk, title, happened_on, created_at in sorted(rows)
    )
    if not achievements:
        return (), frozenset()
    items = ", ".join(str(int(a.id)) for a in achievements)  # ids read just now: numbers, not user text
    shared = frozenset(
        (person_id, item_id) for person_id, item_id in fetch_in(_ACHIEVEMENTS_SHARED.format(items=items), people)
    )
    return achievements, shared


def achievement_day(happened_on: Any, created_at: Any) -> date:
    """The day an achievement happened: its date, else the (UTC) day it was added."""
    day: date | None = day_of(happened_on)
    if day is not None:
        return day
    moment = aware(created_at)
    assert moment is not None
    return moment.astimezone(UTC).date()


def load_openings(
    *,
    workspace_id: int,
    stages: Collection[Stage],
    context: Context,
    policy: Policy,
    opportunity_ids: Iterable[int] | None = None,
) -> Snapshot:
    """The openings at ``stages`` (all of them, or those of ``opportunity_ids``) with every
    touch about them: what R17's ghosted flags read (no people, plan or user actions)."""
    loader = PeopleLoader(workspace_id)
    wanted = [s.value for s in stages]
    if opportunity_ids is None:
        rows = fetch(_OPPORTUNITIES_AT.format(stages=marks(wanted)), [workspace_id, *wanted])
    else:
        rows = fetch_in(_OPPORTUNITIES, opportunity_ids, before=[workspace_id])
    loader.add_opportunity_rows(row for row in rows if row[4] in wanted)
    if loader.opportunity_rows:
        loader.add_touches_about(loader.opportunity_rows)
    return Snapshot(
        context=context,
        policy=policy,
        opportunities=loader.opportunity_snaps(),
        interactions=loader.interaction_snaps(),
    )


# Each query starts from an index on the ids it is given (named in the comment). A field of a
# row a query finds is read with a scalar subquery on that row's key, not a join: for a few
# dozen rows PostgreSQL would hash-join the whole other table (5000 employers: 1.3 ms).
def _of_org(column: str, key: str) -> str:
    return f"(SELECT {column} FROM crm_organization WHERE id = {key})"


_PEOPLE = f"""
SELECT p.id, p.name, p.organization_id, {_of_org("name", "p.organization_id")}, p.title, p.linkedin_url,
       p.prefers, p.timezone, p.do_not_contact, p.cadence_days, p.created_at, p.linkedin_connected,
       {_of_org("target", "p.organization_id")}, {_of_org("priority", "p.organization_id")},
       {_of_org("created_at", "p.organization_id")}
FROM crm_person p
WHERE p.workspace_id = %s AND p.id IN ({{ids}})
"""  # primary key
_CHILDREN = """
SELECT 0, person_id, role, id FROM crm_personrole WHERE person_id IN ({ids})
UNION ALL SELECT 1, person_id, address, id FROM crm_personemail WHERE person_id IN ({ids}) AND NOT bad
UNION ALL SELECT 2, person_id, number, id FROM crm_personphone WHERE person_id IN ({ids})
"""  # person_id of each
_TOUCHES_OF = f"""
SELECT {_TOUCH}, q.person_id
FROM crm_interactionparticipant s
JOIN crm_interaction i ON i.id = s.interaction_id
JOIN crm_interactionparticipant q ON q.interaction_id = i.id
WHERE s.person_id IN ({{ids}}) AND i.workspace_id = %s
"""  # participant (person, interaction)
_TOUCHES_ABOUT = f"""
SELECT {_TOUCH}, q.person_id, (SELECT do_not_contact FROM crm_person WHERE id = q.person_id)
FROM crm_interaction i
LEFT JOIN crm_interactionparticipant q ON q.interaction_id = i.id
WHERE i.opportunity_id IN ({{ids}}) AND i.workspace_id = %s
"""  # interaction.opportunity_id
_MINE = "SELECT DISTINCT opportunity_id FROM crm_opportunityparticipant WHERE person_id IN ({ids})"  # (person)
_ACCEPTED = "SELECT id FROM crm_opportunity WHERE workspace_id = %s AND stage = %s"  # (workspace, stage)
OPPS_AT = "SELECT id FROM crm_opportunity WHERE workspace_id = %s AND organization_id IN ({ids})"
PEOPLE_AT = "SELECT id FROM crm_person WHERE workspace_id = %s AND organization_id IN ({ids})"
_TARGETS = "SELECT id, name, target, priority, created_at FROM crm_organization WHERE workspace_id = %s AND target"
_APPLIED_BY_STAFF = f"""
SELECT {_TOUCH}, q.person_id
FROM crm_person sp
JOIN crm_interactionparticipant s ON s.person_id = sp.id
JOIN crm_interaction i ON i.id = s.interaction_id AND i.kind = %s AND i.workspace_id = %s
JOIN crm_interactionparticipant q ON q.interaction_id = i.id
WHERE sp.workspace_id = %s AND sp.organization_id IN ({{ids}})
"""  # (workspace, organization) of person
_APPLIED_AT = f"""
SELECT {_TOUCH}, q.person_id
FROM crm_opportunity o
JOIN crm_interaction i ON i.opportunity_id = o.id AND i.kind = %s
LEFT JOIN crm_interactionparticipant q ON q.interaction_id = i.id
WHERE o.workspace_id = %s AND o.organization_id IN ({{ids}})
"""  # (workspace, organization) of opportunity
_OPPORTUNITIES = f"""
SELECT o.id, o.title, o.organization_id, {_of_org("name", "o.organization_id")}, o.stage, o.decision_date,
       o.stage_changed_at, o.created_at, p.person_id, p.role,
       (SELECT do_not_contact FROM crm_person WHERE id = p.person_id)
FROM crm_opportunity o
LEFT JOIN crm_opportunityparticipant p ON p.opportunity_id = o.id
WHERE o.workspace_id = %s AND o.id IN ({{ids}})
"""  # primary key
_OPPORTUNITIES_AT = _OPPORTUNITIES.replace("o.id IN ({ids})", "o.stage IN ({stages})")  # (workspace, stage)
_ACTIONS = """
SELECT id, key, state, state_at, updated_at, snoozed_until FROM crm_followup
WHERE workspace_id = %s AND state IN ({states}) AND {which} IN ({{ids}})
"""  # (workspace, person) / opportunity_id
_ACTIONS_EITHER = """
SELECT id, key, state, state_at, updated_at, snoozed_until FROM crm_followup
WHERE workspace_id = %s AND state IN ({states}) AND (person_id IN ({people}) OR opportunity_id IN ({opportunities}))
"""  # (workspace, person) or opportunity_id
_ACTIONS_R15 = """
SELECT id, key, state, state_at, updated_at, snoozed_until FROM crm_followup
WHERE workspace_id = %s AND state IN ({states}) AND purpose = %s
"""


def _actions(
    workspace_id: int, *, people: Collection[int], opportunities: Collection[int], prospects: bool
) -> tuple[UserAction, ...]:
    """The user's word (done / skipped / snoozed) on every key these people's plans may make."""
    states = [s.value for s in USER_STATES]
    found: dict[int, tuple[Any, ...]] = {}
    if 0 < len(people) + len(opportunities) <= SLICE:
        who, about = sorted(people) or [0], sorted(opportunities) or [0]
        sql = _ACTIONS_EITHER.format(states=marks(states), people=marks(who), opportunities=marks(about))
        for row in fetch(sql, [workspace_id, *states, *who, *about]):
            found[row[0]] = row
    else:
        for which, ids in (("person_id", people), ("opportunity_id", opportunities)):
            sql = _ACTIONS.format(states=marks(states), which=which)
            for row in fetch_in(sql, ids, before=[workspace_id, *states]):
                found[row[0]] = row
    if prospects:
        sql = _ACTIONS_R15.format(states=marks(states))
        for row in fetch(sql, [workspace_id, *states, Purpose.PROSPECT_OUTREACH.value]):
            found[row[0]] = row
    return tuple(
        UserAction(key=key, state=State(state), at=aware(state_at or updated_at), until=aware(until))  # type: ignore[arg-type]
        for _, key, state, state_at, updated_at, until in (found[pk] for pk in sorted(found))
    )


class PeopleLoader:
    """Accumulates rows by id (a row met twice is read once) and turns them into snaps.

    The agenda uses it too, to read the people its drafts address.
    """

    def __init__(self, workspace_id: int) -> None:
        self.workspace_id = workspace_id
        self.person_rows: dict[int, tuple[Any, ...]] = {}
        self.organization_rows: dict[int, tuple[Any, ...]] = {}
        self.touches: dict[int, tuple[Any, ...]] = {}
        self.who: dict[int, list[int]] = {}
        self.opportunity_rows: dict[int, tuple[Any, ...]] = {}
        self.parts: dict[int, list[tuple[int, str]]] = {}
        self.unreachable: set[int] = set()  # do-not-contact people met in touches and parts

    def add_people(self, ids: Iterable[int]) -> None:
        new = set(ids) - self.person_rows.keys()
        for row in fetch_in(_PEOPLE, new, before=[self.workspace_id]):
            self.person_rows[row[0]] = row
            if row[2] is not None:
                self.organization_rows.setdefault(row[2], (row[2], row[3], row[12], row[13], row[14]))

    def add_organizations(self, rows: Iterable[tuple[Any, ...]]) -> None:
        for row in rows:
            self.organization_rows[row[0]] = row

    def add_touches_of(self, people: Iterable[int], *, but_not: Kind | None = None) -> None:
        rows = fetch_in(_TOUCHES_OF, people, after=[self.workspace_id])
        if but_not is not None:
            rows = [row for row in rows if row[2] != but_not.value]
        self.add_touch_rows(rows)

    def add_touches_about(self, opportunities: Iterable[int], *, kind: Kind | None = None) -> None:
        if kind is None:
            rows = fetch_in(_TOUCHES_ABOUT, opportunities, after=[self.workspace_id])
        else:
            rows = fetch_in(_TOUCHES_ABOUT + " AND i.kind = %s", opportunities, after=[self.workspace_id, kind.value])
        self.add_touch_rows(rows)

    def add_touch_rows(self, rows: Iterable[tuple[Any, ...]]) -> None:
        """Rows of (touch columns..., participant[, their do-not-contact flag])."""
        new: set[int] = set()
        for row in rows:
            pk = row[0]
            if len(row) > _WHO + 1 and row[_WHO + 1]:
                self.unreachable.add(row[_WHO])
            if pk in self.touches and pk not in new:
                continue  # met before, with all of its participants
            if pk not in self.touches:
                self.touches[pk] = row[:_WHO]
                self.who[pk] = []
                new.add(pk)
            if row[_WHO] is not None and row[_WHO] not in self.who[pk]:
                self.who[pk].append(row[_WHO])

    def add_opportunities(self, ids: Iterable[int]) -> None:
        new = set(ids) - self.opportunity_rows.keys()
        self.add_opportunity_rows(fetch_in(_OPPORTUNITIES, new, before=[self.workspace_id]))

    def add_opportunity_rows(self, rows: Iterable[tuple[Any, ...]]) -> None:
        """Rows of (opening columns..., participant, role, their do-not-contact flag)."""
        for row in rows:
            pk = row[0]
            if pk not in self.opportunity_rows:
                self.opportunity_rows[pk] = row[:8]
                self.parts[pk] = []
            if row[8] is not None:
                self.parts[pk].append((row[8], row[9]))
                if row[10]:
                    self.unreachable.add(row[8])

    # -- snaps, exactly as snapshot.build_snapshot makes them --------------------------------
    def addressees(self) -> dict[int, PersonSnap]:
        """The people loaded, with just what a draft reads of them (name and employer): no
        roles, addresses or phones, so no second query."""
        return {
            pid: PersonSnap(id=pid, name=row[1], organization_id=row[2], organization_name=row[3])
            for pid, row in self.person_rows.items()
        }

    def person_snaps(self) -> tuple[PersonSnap, ...]:
        ids = sorted(self.person_rows)
        roles: dict[int, set[Role]] = defaultdict(set)
        emails: dict[int, list[tuple[int, str]]] = defaultdict(list)
        phones: dict[int, list[tuple[int, str]]] = defaultdict(list)
        for part in sliced(ids):
            sql = _CHILDREN.format(ids=marks(part))
            for kind, pid, value, pk in fetch(sql, [*part, *part, *part]):
                if kind == 0:
                    roles[pid].add(Role(value))
                else:
                    (emails if kind == 1 else phones)[pid].append((pk, value))
        out = []
        for pid in ids:
            _, name, org_id, org_name, title, linkedin, prefers, tz, dnc, cadence, created, *_ = self.person_rows[pid]
            out.append(
                PersonSnap(
                    id=pid,
                    name=name,
                    organization_id=org_id,
                    organization_name=org_name,
                    title=title,
                    roles=frozenset(roles.get(pid, ())),
                    emails=tuple(v for _, v in sorted(emails.get(pid, ()))),
                    phones=tuple(v for _, v in sorted(phones.get(pid, ()))),
                    linkedin_url=linkedin,
                    prefers=Channel(prefers) if prefers else None,
                    timezone=tz or None,
                    do_not_contact=bool(dnc),
                    cadence_days=cadence,
                    created_at=aware(created),
                )
            )
        return tuple(out)

    def organization_snaps(self, ids: Collection[int]) -> tuple[OrganizationSnap, ...]:
        out = []
        for pk in sorted(set(ids) & self.organization_rows.keys()):
            _, name, target, priority, created = self.organization_rows[pk]
            out.append(
                OrganizationSnap(id=pk, name=name, target=bool(target), priority=priority, created_at=aware(created))
            )
        return tuple(out)

    def opportunity_snaps(self) -> tuple[OpportunitySnap, ...]:
        out = []
        for pk in sorted(self.opportunity_rows):
            _, title, org_id, org_name, stage, decision, changed, created = self.opportunity_rows[pk]
            parts: dict[int, set[Role]] = defaultdict(set)
            for person_id, role in self.parts.get(pk, ()):
                found = parts[person_id]
                if role:
                    found.add(Role(role))
            out.append(
                OpportunitySnap(
                    id=pk,
                    title=title,
                    organization_id=org_id,
                    organization_name=org_name,
                    stage=Stage(stage),
                    decision_date=day_of(decision),
                    participants=tuple((person_id, frozenset(part)) for person_id, part in sorted(parts.items())),
                    stage_changed_at=aware(changed),
                    created_at=aware(created),
                )
            )
        return tuple(out)

    def interaction_snaps(self) -> tuple[InteractionSnap, ...]:
        out = []
        for pk, at, kind, direction, channel, opportunity_id, points, ooo_until, permission in self.touches.values():
            out.append(
                InteractionSnap(
                    id=pk,
                    at=aware(at),  # type: ignore[arg-type]
                    kind=Kind(kind),
                    direction=Direction(direction),
                    channel=Channel(channel) if channel else None,
                    person_ids=tuple(sorted(self.who.get(pk, ()))),
                    opportunity_id=opportunity_id,
                    points=points,
                    ooo_until=day_of(ooo_until),
                    permission_materials=bool(permission),
                )
            )
        out.sort(key=lambda i: (i.at, i.id))
        return tuple(out)
