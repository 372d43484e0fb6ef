"""Keeping FollowUp rows in step with the engine's plan, and reading the agenda.

``replan`` runs after every write, inside the writer's transaction. It re-plans only the
people the write concerns - the people of a touch, an edited person, everyone an opening
or an employer concerns - from a snapshot of their corner of the workspace
(``topofmind.crm.corner``), and upserts their FollowUp rows by key. Settings and anything
else that touches everyone re-plan the whole workspace, a slice of people at a time.

``agenda`` only reads: the same history, settings and moment always give the same agenda,
whatever was asked before. It reads the stored rows through an index, never a history, and
only as many as the order of the day needs (see ``_Reader``): its cost depends on the
daily cap, not on the size of the workspace.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from math import ceil
from typing import Any
from zoneinfo import ZoneInfo

from django.db import connection

from topofmind import engine
from topofmind.crm.corner import (
    OPPS_AT,
    PEOPLE_AT,
    SLICE,
    PeopleLoader,
    aware,
    day_of,
    fetch,
    fetch_in,
    json_value,
    load_corner,
    marks,
    settings_and_plan,
    sliced,
)
from topofmind.crm.models import (
    FollowUp,
    Interaction,
    OpportunityParticipant,
    Person,
    Workspace,
    WorkspaceSettings,
)
from topofmind.crm.snapshot import (
    COLUMNS,
    LIVE_STATES,
    context_of,
    policy_of,
    row_values,
    suggestion_from,
)
from topofmind.drafting import Draft, compose
from topofmind.engine.agenda import BUCKET, is_actionable, stale_before, wins_over
from topofmind.engine.types import (
    DEADLINE_PURPOSES,
    EXEMPT_PURPOSES,
    PRECEDENCE,
    PersonSnap,
    PlanSnap,
    Policy,
    Purpose,
    Role,
    Stage,
    State,
    Suggestion,
)

LIVE = [s.value for s in LIVE_STATES]
# Columns the planner owns (every stored suggestion column but the key, which names the row);
# the user's state and draft edits are never overwritten.
PLANNED_COLUMNS = [name for name in COLUMNS if name != "key"] + ["engine_fields"]
# How many people a whole-workspace re-plan takes at a time (bounds its memory).
SLICE_OF_PEOPLE = 2000


@dataclass(frozen=True)
class ReplanResult:
    created: int = 0
    updated: int = 0
    revived: int = 0
    cancelled: int = 0

    def __add__(self, other: ReplanResult) -> ReplanResult:
        return ReplanResult(
            created=self.created + other.created,
            updated=self.updated + other.updated,
            revived=self.revived + other.revived,
            cancelled=self.cancelled + other.cancelled,
        )


def replan(
    *,
    workspace: Workspace,
    now: datetime,
    person_ids: Iterable[int] | None = None,
    opportunity_ids: Iterable[int] = (),
    organization_ids: Iterable[int] = (),
    employer_ids: Iterable[int] = (),
) -> ReplanResult:
    """Bring the FollowUp rows of the people a write concerns in line with ``engine.plan``.

    What the write concerns (ids as they were *before* it, plus as they are after):

    * ``person_ids``: people whose own details or touches changed;
    * ``opportunity_ids``: openings whose details, parts or touches changed - everyone taking
      part in them or touched about them re-plans, and so do the employer-wide items there;
    * ``organization_ids``: employers whose details changed - everyone there re-plans;
    * ``employer_ids``: employers whose employer-wide items (R13 referral asks) may have
      changed, e.g. a person moved away from there.

    Nothing given means everything (settings, the plan): the whole workspace re-plans.
    New keys become pending rows; pending and snoozed rows take the planned fields; a
    cancelled row whose key is planned again is pending again (a deleted touch restored, a
    person who may be contacted again); live rows of the re-planned people whose key is no
    longer planned are cancelled. Done and skipped rows are the user's word and stay.
    """
    ws_settings, plan = settings_and_plan(workspace)
    policy = policy_of(ws_settings)
    everything = person_ids is None and not opportunity_ids and not organization_ids and not employer_ids
    people = (
        None
        if everything
        else _concerned(
            workspace.pk,
            policy,
            people=set(person_ids or ()),
            opportunities=set(opportunity_ids),
            organizations=set(organization_ids),
            employers=set(employer_ids),
        )
    )
    result = ReplanResult()
    if people is None:
        for part, planned, first in plan_everyone(workspace=workspace):
            # the first slice owns every prospect row: planned again, or cancelled
            result += _store(workspace, now, planned, people=part, prospects=first, whole=True)
        return result
    prospects = policy.enabled("R15")
    planned = plan_people(workspace=workspace, ws_settings=ws_settings, plan=plan, people=people, prospects=prospects)
    return _store(workspace, now, planned, people=people, prospects=prospects)


def plan_people(
    *,
    workspace: Workspace,
    ws_settings: WorkspaceSettings,
    plan: PlanSnap | None,
    people: Collection[int],
    prospects: bool,
) -> list[Suggestion]:
    """``engine.plan``'s suggestions for ``people`` (and every R15 prospect, if asked)."""
    corner = load_corner(
        workspace_id=workspace.pk,
        people=people,
        context=context_of(ws_settings),
        policy=policy_of(ws_settings),
        plan=plan,
        prospects=prospects,
    )
    return corner.planned_for(engine.plan(corner.snapshot))


def plan_everyone(
    *, workspace: Workspace, size: int = SLICE_OF_PEOPLE
) -> Iterator[tuple[set[int], list[Suggestion], bool]]:
    """The whole workspace's plan, a slice of people at a time: (people, suggestions, first?).

    The first slice also carries every R15 prospect (when the playbook has R15).
    """
    ws_settings, plan = settings_and_plan(workspace)
    prospects = policy_of(ws_settings).enabled("R15")
    ids = list(Person.objects.filter(workspace=workspace).order_by("id").values_list("id", flat=True))
    for start in range(0, max(len(ids), 1), size):
        part = set(ids[start : start + size])
        first = start == 0
        planned = plan_people(
            workspace=workspace, ws_settings=ws_settings, plan=plan, people=part, prospects=prospects and first
        )
        yield part, planned, first


_OPP_CLOSURE = """
SELECT 0, person_id FROM crm_opportunityparticipant WHERE opportunity_id IN ({ids})
UNION ALL SELECT 0, q.person_id FROM crm_interaction i JOIN crm_interactionparticipant q ON q.interaction_id = i.id
    WHERE i.opportunity_id IN ({ids})
UNION ALL SELECT 1, organization_id FROM crm_opportunity WHERE id IN ({ids})
"""
_WAS_ACCEPTED = """
SELECT id FROM crm_opportunity WHERE id IN ({ids}) AND stage = %s
UNION ALL SELECT opportunity_id FROM crm_stagechange WHERE opportunity_id IN ({ids}) AND (from_stage = %s OR to_stage = %s)
"""
_ASKERS = """
SELECT p.id FROM crm_person p JOIN crm_personrole r ON r.person_id = p.id
    WHERE p.workspace_id = %s AND p.organization_id IN ({ids}) AND r.role IN (%s, %s)
UNION SELECT p.id FROM crm_person p JOIN crm_opportunityparticipant r ON r.person_id = p.id
    WHERE p.workspace_id = %s AND p.organization_id IN ({ids}) AND r.role IN (%s, %s)
"""


def _concerned(
    workspace_id: int,
    policy: Policy,
    *,
    people: set[int],
    opportunities: set[int],
    organizations: set[int],
    employers: set[int],
) -> set[int] | None:
    """Everyone whose plan a write may have changed; None when that is everyone."""
    ws = workspace_id
    if organizations:
        people |= {row[0] for row in fetch_in(PEOPLE_AT, organizations, before=[ws])}
        opportunities |= {row[0] for row in fetch_in(OPPS_AT, organizations, before=[ws])}
        employers |= organizations
    if opportunities:
        if policy.accepted_ends_search:
            accepted = Stage.ACCEPTED.value
            for part in sliced(opportunities):
                sql = _WAS_ACCEPTED.format(ids=marks(part))
                if fetch(sql, [*part, accepted, *part, accepted, accepted]):
                    return None  # an accepted offer ends (or no longer ends) the whole search (R9)
        for part in sliced(opportunities):
            for kind, value in fetch(_OPP_CLOSURE.format(ids=marks(part)), [*part, *part, *part]):
                if value is not None:
                    (people if kind == 0 else employers).add(value)
    if policy.enabled("R13"):
        # R13 looks at the whole employer: who applied there, which openings are prospects
        employers |= {row[2] for row in fetch_in(_ORG_OF, people, before=[ws]) if row[2] is not None}
        askers = [Role.REFERRER.value, Role.PEER.value]
        for part in sliced(employers):
            sql = _ASKERS.format(ids=marks(part))
            people |= {row[0] for row in fetch(sql, [ws, *part, *askers, ws, *part, *askers])}
    return people


_ORG_OF = "SELECT id, workspace_id, organization_id FROM crm_person WHERE workspace_id = %s AND id IN ({ids})"


def opportunities_around(person_ids: Iterable[int]) -> set[int]:
    """Openings whose plans read these people: the ones they take part in or were touched about.

    A person who stops (or resumes) contact changes who is asked about those openings (R9).
    """
    ids = set(person_ids)
    found = set(OpportunityParticipant.objects.filter(person_id__in=ids).values_list("opportunity_id", flat=True))
    found |= set(
        Interaction.objects.filter(participants__person_id__in=ids, opportunity__isnull=False).values_list(
            "opportunity_id", flat=True
        )
    )
    return found


def _store(
    workspace: Workspace,
    now: datetime,
    planned_list: list[Suggestion],
    *,
    people: Collection[int],
    prospects: bool,
    whole: bool = False,
) -> ReplanResult:
    planned = {s.key: s for s in planned_list}
    rows = _stored_rows(workspace.pk, people=people, keys=list(planned), prospects=prospects, whole=whole)
    created: list[FollowUp] = []
    changed: list[tuple[int, dict[str, Any]]] = []
    revived = cancelled = 0
    for key, suggestion in planned.items():
        values = row_values(suggestion)
        row = rows.get(key)
        if row is None:
            created.append(
                FollowUp(
                    workspace=workspace,
                    state=State.PENDING.value,
                    state_at=now,
                    created_at=now,
                    updated_at=now,
                    **values,
                )
            )
            continue
        update: dict[str, Any] = {}
        if row["state"] == State.CANCELLED.value:
            update.update(state=State.PENDING.value, state_at=now, snoozed_until=None)
            revived += 1
        elif row["state"] not in LIVE:
            continue  # done / skipped: the engine should not plan it; the user's word stands
        for name in PLANNED_COLUMNS:
            if row[name] != values[name]:
                update[name] = values[name]
        if update:
            update["updated_at"] = now
            changed.append((row["id"], update))
    for key, row in rows.items():
        if key in planned or row["state"] not in LIVE:
            continue
        in_scope = prospects if row["purpose"] == Purpose.PROSPECT_OUTREACH.value else row["person_id"] in people
        if in_scope:
            changed.append((row["id"], {"state": State.CANCELLED.value, "state_at": now, "updated_at": now}))
            cancelled += 1
    # New rows get their ids in the order of the day, so the ids a user reads are in order too.
    created.sort(key=lambda r: (r.due_day, PRECEDENCE[Purpose(r.purpose)], planned[r.key].person_name or "", r.key))
    FollowUp.objects.bulk_create(created, batch_size=500)
    _update(changed)
    return ReplanResult(
        created=len(created), updated=len(changed) - revived - cancelled, revived=revived, cancelled=cancelled
    )


_STORED = "SELECT id, key, state, " + ", ".join(PLANNED_COLUMNS) + " FROM crm_followup WHERE workspace_id = %s AND "


def _decode_stored_values(row: dict[str, Any]) -> None:
    """A follow-up row read with raw SQL: its times, day, flag and JSON as the ORM would give them
    (SQLite hands back text and naive datetimes)."""
    for name in ("due", "actionable_from"):
        row[name] = aware(row[name])
    row["due_day"] = day_of(row["due_day"])
    row["expects_answer"] = bool(row["expects_answer"])
    row["extra"] = json_value(row["extra"])
    row["engine_fields"] = json_value(row["engine_fields"])


def _stored_rows(
    workspace_id: int, *, people: Collection[int], keys: list[str], prospects: bool, whole: bool
) -> dict[str, dict[str, Any]]:
    """The rows a re-plan of ``people`` may touch: theirs, the planned keys, the prospects."""
    found: list[tuple[Any, ...]] = []
    if whole and people:  # a slice of the whole workspace: ids in one range
        found += fetch(_STORED + "person_id BETWEEN %s AND %s", [workspace_id, min(people), max(people)])
    else:
        found += fetch_in(_STORED + "person_id IN ({ids})", people, before=[workspace_id])
    for start in range(0, len(keys), SLICE):
        part = sorted(keys)[start : start + SLICE]
        found += fetch(_STORED + f"key IN ({marks(part)})", [workspace_id, *part])
    if prospects:
        found += fetch(_STORED + "purpose = %s", [workspace_id, Purpose.PROSPECT_OUTREACH.value])
    names = ["id", "key", "state", *PLANNED_COLUMNS]
    rows: dict[str, dict[str, Any]] = {}
    for values in found:
        row = dict(zip(names, values, strict=True))
        if row["purpose"] == Purpose.PROSPECT_OUTREACH.value and not prospects and row["key"] not in keys:
            continue
        _decode_stored_values(row)
        rows[row["key"]] = row
    return rows


def _update(changed: list[tuple[int, dict[str, Any]]]) -> None:
    """A few rows: one UPDATE each; many: bulk updates grouped by the columns they change."""
    if len(changed) <= 8:
        for pk, update in changed:
            FollowUp.objects.filter(pk=pk).update(**update)
        return
    groups: dict[tuple[str, ...], list[FollowUp]] = defaultdict(list)
    for pk, update in changed:
        names = tuple(sorted(update))
        groups[names].append(FollowUp(pk=pk, **update))
    for names, objs in groups.items():
        FollowUp.objects.bulk_update(objs, list(names), batch_size=300)


# -- reading the agenda --------------------------------------------------------------------


@dataclass(frozen=True)
class AgendaItem:
    followup_id: int
    suggestion: Suggestion
    state: str  # pending or snoozed
    draft: Draft
    draft_edited: bool  # the user rewrote the generated draft


def agenda(*, workspace: Workspace, at: datetime) -> list[AgendaItem]:
    """What to do at moment ``at``, in the order of the day. Never writes."""
    ws_settings, plan = settings_and_plan(workspace)
    context = context_of(ws_settings)
    policy = policy_of(ws_settings)
    reader = _Reader(workspace.pk, at=at, tz=ZoneInfo(context.timezone), policy=policy)
    rows = reader.candidates()
    chosen = engine.select([row.suggestion for row in rows.values()], now=at, context=context, policy=policy, plan=plan)
    loader = PeopleLoader(workspace.pk)
    loader.add_people({s.person_id for s in chosen if s.person_id is not None})
    people = {p.id: p for p in loader.person_snaps()}
    items = []
    for suggestion in chosen:
        row = rows[suggestion.key]
        edited = bool(row.draft_subject or row.draft_body)
        person = people.get(suggestion.person_id) if suggestion.person_id is not None else None
        draft = compose_draft(suggestion, person=person, ws_settings=ws_settings, policy=policy)
        if edited:
            draft = Draft(subject=row.draft_subject or draft.subject, body=row.draft_body or draft.body)
        items.append(
            AgendaItem(followup_id=row.id, suggestion=suggestion, state=row.state, draft=draft, draft_edited=edited)
        )
    return items


@dataclass(frozen=True)
class _Row:
    id: int
    state: str
    draft_subject: str
    draft_body: str
    suggestion: Suggestion


# The order of the day (engine.agenda.BUCKET); its first two keys are (bucket, due).
_BUCKET = BUCKET
# Purposes read a stream at a time, oldest due day first (deadline items are read whole).
_STREAMED = [p for p in Purpose if p not in DEADLINE_PURPOSES and p is not Purpose.PROSPECT_OUTREACH]


class _Reader:
    """Reads just the rows ``engine.select`` needs to give the agenda of one moment.

    ``select`` lists every owed item (thank-yous, replies), then the best item of each other
    person up to the daily cap, in the order of the day, which starts (bucket, due); new
    prospects come last. So the reader takes:

    1. every actionable deadline item (thank-you, reply, intake follow-up): they are few,
       since they go stale after ``overdue_deadline_days``; and every snoozed item;
    2. for the other purposes, one indexed stream each, oldest due day first; each person met
       in a stream brings all of their actionable rows (their best item needs them all);
    3. and stops once the cap is filled by people whose best item comes before anything the
       streams have not read yet: an item's due is never before the start of its due day,
       so a stream stopped at due day D holds nothing before (bucket, start of D - 1 day);
    4. prospects only when the streams ran dry before the cap was filled.

    ``select`` then runs on these rows exactly as it would on every row.
    """

    def __init__(self, workspace_id: int, *, at: datetime, tz: ZoneInfo, policy: Policy) -> None:
        self.workspace_id = workspace_id
        self.at = at
        self.tz = tz
        self.policy = policy
        self.today = at.astimezone(tz).date()
        self.stale = stale_before(at, policy)
        # a deadline item's due day is its cause's day: at most this long before its deadline
        span = ceil(policy.thank_you_hours / 24) + 2 * max(
            policy.reply_business_days, policy.intake_follow_up_business_days, 2
        )
        self.earliest_deadline_day = self.stale.astimezone(tz).date() - timedelta(days=span + 7)
        self.rows: dict[int, _Row] = {}
        self.person_rows: dict[int, list[_Row]] = defaultdict(list)
        self.loaded: set[int] = set()  # people whose every actionable row is read
        self.best: dict[int, Suggestion | None] = {}  # their best item (R6), as select() picks it

    def candidates(self) -> dict[str, _Row]:
        ops = connection.ops
        at, today = ops.adapt_datetimefield_value(self.at), ops.adapt_datefield_value(self.today)
        deadline = [p.value for p in DEADLINE_PURPOSES]
        streamed = [p.value for p in _STREAMED]
        ws = self.workspace_id
        self._add(
            _ROWS.format(where=f"f.state IN (%s, %s) AND f.purpose IN ({marks(deadline)}) AND f.due_day >= %s")
            + " AND f.due_day <= %s AND f.actionable_from <= %s AND f.due >= %s UNION ALL "
            + _ROWS.format(where=f"f.state = %s AND f.purpose IN ({marks(streamed)}) AND f.due_day <= %s")
            + " AND f.actionable_from <= %s",
            [ws, *LIVE, *deadline, ops.adapt_datefield_value(self.earliest_deadline_day), today, at,
             ops.adapt_datetimefield_value(self.stale), ws, State.SNOOZED.value, *streamed, today, at],
        )  # fmt: skip
        owed = {pid for pid, rows in self.person_rows.items() if any(self._owed(r.suggestion) for r in rows)}
        room = max(0, self.policy.daily_cap - len(owed))
        exhausted = True
        if room:
            # the people met so far may have other rows: their best item may be any of them
            exhausted = self._stream(room, owed, first=set(self.person_rows) - owed)
        if exhausted:
            self._add(
                _ROWS.format(where="f.state IN (%s, %s) AND f.purpose = %s AND f.due_day <= %s")
                + " AND f.actionable_from <= %s",
                [ws, *LIVE, Purpose.PROSPECT_OUTREACH.value, today, at],
            )
        return {row.suggestion.key: row for row in self.rows.values()}

    def _owed(self, s: Suggestion) -> bool:
        return s.purpose in EXEMPT_PURPOSES and self._actionable(s)

    def _stream(self, room: int, owed: set[int], *, first: set[int]) -> bool:
        """Read the streams until ``room`` people are certainly first; True if they ran dry.

        The heads of all streams are merged in (bucket, due day) order and their people loaded
        a few at a time; after each batch, the rows not looked at yet - the rest of the merged
        heads and whatever the streams did not return - all come at or after ``bound``.
        """
        limit = room + 8
        carried = set(first)  # loaded with the first batch (one query fewer)
        while True:
            heads = self._heads(limit)
            unread: tuple[int, datetime] | None = None  # the earliest a stream's unreturned rows can be
            for purpose, rows in heads.items():
                if len(rows) == limit:
                    edge = (_BUCKET[purpose], self._start_of(rows[-1][2]))
                    unread = edge if unread is None or edge < unread else unread
            merged = sorted((_BUCKET[p], day, pk, pid) for p, rows in heads.items() for pk, pid, day in rows)
            batch, carried = carried, set()
            if not merged:
                self._load_people(batch)
            for n, (_, _, _, pid) in enumerate(merged):
                if pid is not None and pid not in self.loaded and pid not in owed:
                    batch.add(pid)
                last = n == len(merged) - 1
                if not last and len(batch) < max(4, room - self._ahead(None, owed)):
                    continue
                self._load_people(batch)
                batch = set()
                bound = unread
                if not last:
                    bucket, day = merged[n + 1][0], merged[n + 1][1]
                    following = (bucket, self._start_of(day))
                    bound = following if bound is None or following < bound else bound
                if bound is not None and self._ahead(bound, owed) >= room:
                    return False
            if unread is None:
                return True
            limit *= 4

    def _start_of(self, day: date) -> datetime:
        """No item due on ``day`` is due before this (a day of slack for zones and DST)."""
        return datetime.combine(day, time(0, 0), tzinfo=self.tz) - timedelta(days=1)

    def _ahead(self, bound: tuple[int, datetime] | None, owed: set[int]) -> int:
        """People loaded whose best item comes before ``bound`` (None: all loaded people)."""
        count = 0
        for pid, best in self.best.items():
            if pid in owed or best is None:
                continue
            if bound is None or (_BUCKET[best.purpose], best.due) < bound:
                count += 1
        return count

    def _heads(self, limit: int) -> dict[Purpose, list[tuple[int, int | None, date]]]:
        """The first ``limit`` pending rows of each stream: (id, person id, due day)."""
        table = FollowUp._meta.db_table
        parts: list[str] = []
        params: list[Any] = []
        for purpose in _STREAMED:
            parts.append(
                f"SELECT * FROM (SELECT id, person_id, due_day, purpose FROM {table} "
                "WHERE workspace_id = %s AND state = %s AND purpose = %s AND due_day <= %s "
                "AND actionable_from <= %s ORDER BY due_day, id LIMIT %s) AS s" + str(len(parts))
            )
            params += [
                self.workspace_id,
                State.PENDING.value,
                purpose.value,
                connection.ops.adapt_datefield_value(self.today),
                connection.ops.adapt_datetimefield_value(self.at),
                limit,
            ]
        heads: dict[Purpose, list[tuple[int, int | None, date]]] = {p: [] for p in _STREAMED}
        with connection.cursor() as cursor:
            cursor.execute(" UNION ALL ".join(parts), params)
            for pk, person_id, due_day, purpose in cursor.fetchall():
                day = due_day if isinstance(due_day, date) else date.fromisoformat(str(due_day))
                heads[Purpose(purpose)].append((pk, person_id, day))
        for rows in heads.values():
            rows.sort(key=lambda r: (r[2], r[0]))
        return heads

    def _load_people(self, people: set[int]) -> None:
        if not people:
            return
        ops = connection.ops
        streamed = [p.value for p in _STREAMED]
        for ids in sliced(people):
            self._add(
                _ROWS.format(where=f"f.state = %s AND f.purpose IN ({marks(streamed)}) AND f.due_day <= %s")
                + f" AND f.actionable_from <= %s AND f.person_id IN ({marks(ids)})",
                [
                    self.workspace_id,
                    State.PENDING.value,
                    *streamed,
                    ops.adapt_datefield_value(self.today),
                    ops.adapt_datetimefield_value(self.at),
                    *ids,
                ],
            )
        self.loaded |= people
        for pid in people:
            self.best[pid] = self._best(self.person_rows.get(pid, []))

    def _best(self, rows: list[_Row]) -> Suggestion | None:
        best: Suggestion | None = None
        for row in rows:
            s = row.suggestion
            if s.purpose is Purpose.PROSPECT_OUTREACH or not self._actionable(s):
                continue
            if best is None or wins_over(s, best):
                best = s
        return best

    def _actionable(self, s: Suggestion) -> bool:
        return is_actionable(s, now=self.at, today=self.today, stale=self.stale)

    def _add(self, sql: str, params: list[Any]) -> None:
        for values in fetch(sql, params):
            row = dict(zip(_ROW_FIELDS, values, strict=True))
            if row["id"] in self.rows:
                continue
            _decode_stored_values(row)
            suggestion = suggestion_from(
                row,
                person_name=row["person_name"],
                organization_name=row["organization_name"] or row["opportunity_organization_name"],
                opportunity_title=row["opportunity_title"],
            )
            found = _Row(
                id=row["id"],
                state=row["state"],
                draft_subject=row["draft_subject"],
                draft_body=row["draft_body"],
                suggestion=suggestion,
            )
            self.rows[found.id] = found
            if suggestion.person_id is not None and suggestion.purpose is not Purpose.PROSPECT_OUTREACH:
                self.person_rows[suggestion.person_id].append(found)


# A FollowUp row with the names the agenda shows, joined in (one query per kind of read).
_ROW_FIELDS = (
    *COLUMNS, "engine_fields", "id", "state", "draft_subject", "draft_body",
    "person_name", "organization_name", "opportunity_title", "opportunity_organization_name",
)  # fmt: skip
_ROWS = (
    "SELECT "
    + ", ".join(f"f.{c}" for c in (*COLUMNS, "engine_fields", "id", "state", "draft_subject", "draft_body"))
    + ", (SELECT name FROM crm_person WHERE id = f.person_id)"
    ", (SELECT name FROM crm_organization WHERE id = f.organization_id)"
    ", (SELECT title FROM crm_opportunity WHERE id = f.opportunity_id)"
    ", (SELECT o.name FROM crm_opportunity op JOIN crm_organization o ON o.id = op.organization_id"
    " WHERE op.id = f.opportunity_id)"
    " FROM crm_followup f WHERE f.workspace_id = %s AND {where}"
)  # names by scalar subqueries on each row's keys (see corner.py: no hash joins of whole tables)


def compose_draft(
    suggestion: Suggestion, *, person: PersonSnap | None, ws_settings: WorkspaceSettings, policy: Policy
) -> Draft:
    """The generated draft for a suggestion (topofmind.drafting writes the words)."""
    return compose(
        suggestion,
        person=person,
        user_name=ws_settings.user_name,
        max_words=policy.max_words,
    )
