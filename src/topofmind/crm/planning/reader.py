"""Reading the agenda from the stored FollowUp rows.

``agenda`` only reads: the same history, settings and moment always give the same agenda,
whatever was asked before. It reads the stored rows through an index, never a history, and
only as many as the order of the day needs (see ``_Reader``): its cost depends on the
daily cap, not on the size of the workspace.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from math import ceil
from typing import Any
from zoneinfo import ZoneInfo

from django.db import connection

from topofmind import engine
from topofmind.crm.models import FollowUp, Workspace, WorkspaceSettings
from topofmind.crm.planning import library
from topofmind.crm.planning.library import Carried
from topofmind.crm.planning.loader import PeopleLoader
from topofmind.crm.planning.snapshot import (
    COLUMNS,
    Viewer,
    context_of,
    decode_stored_values,
    policy_of,
    settings_and_plan,
    suggestion_from,
)
from topofmind.crm.sql import fetch, marks, sliced
from topofmind.drafting import Draft, Finding, ValueSnap, check, compose
from topofmind.engine.agenda import BUCKET, is_actionable, stale_before, wins_over
from topofmind.engine.types import (
    DEADLINE_PURPOSES,
    EXEMPT_PURPOSES,
    LIVE_STATES,
    PersonSnap,
    Policy,
    Purpose,
    State,
    Suggestion,
)
from topofmind.engine.value import LibraryItem


@dataclass(frozen=True)
class AgendaItem:
    followup_id: int
    suggestion: Suggestion
    state: str  # pending or snoozed
    draft: Draft
    draft_edited: bool  # the user rewrote the generated draft
    # R10: what it carries (None: a follow-up that carries nothing, e.g. a thank-you)
    carried: Carried | None = None
    findings: tuple[Finding, ...] = ()  # the draft checker's, on the draft as it stands

    @property
    def value(self) -> LibraryItem | None:
        return self.carried.item if self.carried is not None else None


def agenda(*, workspace: Workspace, at: datetime, viewer: Viewer | None = None) -> list[AgendaItem]:
    """What to do at moment ``at``, in the order of the day, as ``viewer`` sees it (their day,
    their holidays, drafts signed with their name). Never writes."""
    ws_settings, plan = settings_and_plan(workspace)
    context = context_of(ws_settings, viewer)
    policy = policy_of(ws_settings)
    reader = _Reader(workspace.pk, at=at, tz=ZoneInfo(context.timezone), policy=policy)
    rows = reader.candidates()
    chosen = engine.select([row.suggestion for row in rows.values()], now=at, context=context, policy=policy, plan=plan)
    # a draft reads its addressee's name and employer, nothing else: the rows carry both
    people = {pid: reader.addressees[pid] for s in chosen if (pid := s.person_id) in reader.addressees}
    missing = {s.person_id for s in chosen if s.person_id is not None and s.person_id not in people}
    if missing:
        loader = PeopleLoader(workspace.pk)
        loader.add_people(missing)
        people.update(loader.addressees())
    values = library.carried(
        workspace.pk,
        [library.Wanted(s, rows[s.key].value_choice, rows[s.key].value_item_id) for s in chosen],
        organization_of={pid: p.organization_id for pid, p in people.items()},
        policy=policy,
        now=at.astimezone(ZoneInfo(context.timezone)),
        interests_of=reader.interests,
    )
    items = []
    for suggestion in chosen:
        row = rows[suggestion.key]
        person = people.get(suggestion.person_id) if suggestion.person_id is not None else None
        items.append(
            agenda_item(
                row.id,
                suggestion,
                state=row.state,
                person=person,
                edited=(row.draft_subject, row.draft_body),
                carried=values.get(suggestion.key),
                ws_settings=ws_settings,
                policy=policy,
                viewer=viewer,
            )
        )
    return items


def agenda_item(
    followup_id: int,
    suggestion: Suggestion,
    *,
    state: str,
    person: PersonSnap | None,
    edited: tuple[str, str],
    carried: library.Carried | None,
    ws_settings: WorkspaceSettings,
    policy: Policy,
    viewer: Viewer | None,
) -> AgendaItem:
    """One item as the agenda shows it: the draft (the user's wording where they gave one),
    what it carries and the checker's findings on it."""
    value = carried.value_snap() if carried is not None else None
    draft = compose_draft(
        suggestion, person=person, ws_settings=ws_settings, policy=policy, viewer=viewer, value=value
    )
    subject, body = edited
    if subject or body:
        draft = Draft(subject=subject or draft.subject, body=body or draft.body)
    findings = check(draft.body, max_words=policy.max_words, shared=carried.shared if carried is not None else ())
    return AgendaItem(
        followup_id=followup_id,
        suggestion=suggestion,
        state=state,
        draft=draft,
        draft_edited=bool(subject or body),
        carried=carried,
        findings=tuple(findings),
    )


@dataclass(frozen=True)
class _Row:
    id: int
    state: str
    draft_subject: str
    draft_body: str
    suggestion: Suggestion
    value_choice: str = ""
    value_item_id: int | None = None


# The order of the day (engine.agenda.BUCKET); its first two keys are (bucket, due).
_BUCKET = BUCKET
# Purposes read a stream at a time, oldest due day first (deadline items are read whole).
_STREAMED = [p for p in Purpose if p not in DEADLINE_PURPOSES and p is not Purpose.PROSPECT_OUTREACH]
_BY_VALUE = {p.value: p for p in Purpose}
# The fewest people loaded at a time: a round trip costs more than a few people's rows, and
# near the end of a read each batch settles only about one more person (items due on the same
# day as the next row read are not yet certainly first).
_BATCH = 8


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
        self.addressees: dict[int, PersonSnap] = {}  # name and employer of the people met
        self.interests: dict[int, str] = {}  # and their interests, for what a follow-up carries

    def candidates(self) -> dict[str, _Row]:
        ops = connection.ops
        at, today = ops.adapt_datetimefield_value(self.at), ops.adapt_datefield_value(self.today)
        live = [s.value for s in LIVE_STATES]
        deadline = [p.value for p in DEADLINE_PURPOSES]
        streamed = [p.value for p in _STREAMED]
        ws = self.workspace_id
        self._add(
            _ROWS.format(where=f"f.state IN (%s, %s) AND f.purpose IN ({marks(deadline)}) AND f.due_day >= %s")
            + " AND f.due_day <= %s AND f.actionable_from <= %s AND f.due >= %s UNION ALL "
            + _ROWS.format(where=f"f.state = %s AND f.purpose IN ({marks(streamed)}) AND f.due_day <= %s")
            + " AND f.actionable_from <= %s",
            [ws, *live, *deadline, ops.adapt_datefield_value(self.earliest_deadline_day), today, at,
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
                [ws, *live, Purpose.PROSPECT_OUTREACH.value, today, at],
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
        # Twice the room: a workspace that sat unused has its streams full of overdue rows, and
        # with room + 8 the first full stream's edge was reached before the day was settled,
        # costing a second read and a load (7 queries six months on, against the day's 5); 2x
        # settles it in the first read at 10k and 100k people (the day reads ~130 rows more).
        limit = 2 * room + 8
        carried = set(first)  # loaded with the first batch (one query fewer)
        heads: dict[Purpose, list[tuple[int, int | None, date]]] = {p: [] for p in _STREAMED}
        # the streams that may hold rows not read yet, each with the earliest such a row can be
        edges: dict[Purpose, tuple[int, datetime]] = {}
        wanted: list[Purpose] = list(_STREAMED)  # the streams to read (further) down this round
        while True:
            more = self._heads(limit, wanted, after={p: heads[p][-1] for p in wanted if heads[p]})
            for purpose in wanted:
                heads[purpose].extend(more[purpose])
                edges.pop(purpose, None)
                if len(more[purpose]) == limit:
                    edges[purpose] = (_BUCKET[purpose], self._start_of(heads[purpose][-1][2]))
            unread = min(edges.values(), default=None)  # the earliest a stream's unreturned rows can be
            merged = sorted((_BUCKET[p], day, pk, pid) for p, rows in heads.items() for pk, pid, day in rows)
            batch, carried = carried, set()
            wanted = list(edges)  # (the loop below always narrows this down before it ends)
            if not merged:
                self._load_people(batch)
            # people to gather before the next load: about as many as are still missing
            need = max(_BATCH, room - self._ahead(None, owed))
            for n, (bucket, day, _, pid) in enumerate(merged):
                here = (bucket, self._start_of(day))
                if unread is not None and here >= unread:
                    # past the end of what a full stream returned: rows it did not return may
                    # come first, so read further down that stream before loading anyone here
                    # (a workspace that sat unused has every stream full of overdue rows). Only
                    # the streams whose unread rows may come before this row are read again: the
                    # others' edges still hold, and a later round reads them if it gets there.
                    # The people gathered so far may settle it first (nothing unread comes
                    # before that edge); if they cannot, they go with the next round's batch.
                    settled = self._ahead(unread, owed)
                    if batch and settled + len(batch) >= room:
                        self._load_people(batch)
                        if self._ahead(unread, owed) >= room:
                            return False
                    else:
                        carried = batch
                    wanted = [p for p, edge in edges.items() if edge <= here]
                    break
                if pid is not None and pid not in self.loaded and pid not in owed:
                    batch.add(pid)
                last = n == len(merged) - 1
                if not last and len(batch) < need:
                    continue
                self._load_people(batch)
                batch = set()
                bound = unread
                if not last:
                    bucket, day = merged[n + 1][0], merged[n + 1][1]
                    following = (bucket, self._start_of(day))
                    bound = following if bound is None or following < bound else bound
                first_ones = self._ahead(bound, owed)  # (all loaded people when nothing is left unread)
                if bound is not None and first_ones >= room:
                    return False
                need = max(_BATCH, room - first_ones)
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

    def _heads(
        self, limit: int, streams: list[Purpose], *, after: dict[Purpose, tuple[int, int | None, date]]
    ) -> dict[Purpose, list[tuple[int, int | None, date]]]:
        """The next ``limit`` pending rows of each of ``streams`` (id, person id, due day), in
        (due day, id) order, after the row given for it (a workspace that sat unused reads a
        stream more than once: each read goes on from where the last stopped)."""
        table = FollowUp._meta.db_table
        ops = connection.ops
        parts: list[str] = []
        params: list[Any] = []
        for purpose in streams:
            params += [self.workspace_id, State.PENDING.value, purpose.value]
            params += [ops.adapt_datefield_value(self.today), ops.adapt_datetimefield_value(self.at)]
            onward = ""
            if purpose in after:
                last_id, _, last_day = after[purpose]
                onward = "AND (due_day, id) > (%s, %s) "  # a row value: both databases seek the index to it
                params += [ops.adapt_datefield_value(last_day), last_id]
            parts.append(
                f"SELECT * FROM (SELECT id, person_id, due_day, purpose FROM {table} "
                "WHERE workspace_id = %s AND state = %s AND purpose = %s AND due_day <= %s "
                f"AND actionable_from <= %s {onward}ORDER BY due_day, id LIMIT %s) AS s" + str(len(parts))
            )
            params.append(limit)
        heads: dict[Purpose, list[tuple[int, int | None, date]]] = {p: [] for p in streams}
        if not parts:
            return heads
        with connection.cursor() as cursor:
            cursor.execute(" UNION ALL ".join(parts), params)
            for pk, person_id, due_day, purpose in cursor.fetchall():
                day = due_day if isinstance(due_day, date) else date.fromisoformat(str(due_day))
                heads[_BY_VALUE[purpose]].append((pk, person_id, day))
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
            decode_stored_values(row)
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
                value_choice=row["value_choice"],
                value_item_id=row["value_item_id"],
            )
            self.rows[found.id] = found
            pid = suggestion.person_id
            if pid is not None and pid not in self.addressees:
                self.addressees[pid] = PersonSnap(
                    id=pid,
                    name=row["person_name"],
                    organization_id=row["person_organization_id"],
                    organization_name=row["person_organization_name"],
                )
                self.interests[pid] = row["person_interests"] or ""
            if suggestion.person_id is not None and suggestion.purpose is not Purpose.PROSPECT_OUTREACH:
                self.person_rows[suggestion.person_id].append(found)


# A FollowUp row with the names the agenda shows, joined in (one query per kind of read).
_ROW_FIELDS = (
    *COLUMNS, "engine_fields", "id", "state", "draft_subject", "draft_body", "value_choice", "value_item_id",
    "person_name", "organization_name", "opportunity_title", "opportunity_organization_name",
    "person_organization_id", "person_organization_name", "person_interests",
)  # fmt: skip
_ROWS = (
    "SELECT "
    + ", ".join(
        f"f.{c}"
        for c in (*COLUMNS, "engine_fields", "id", "state", "draft_subject", "draft_body", "value_choice", "value_item_id")
    )
    + ", (SELECT name FROM crm_person WHERE id = f.person_id)"
    ", (SELECT name FROM crm_organization WHERE id = f.organization_id)"
    ", (SELECT title FROM crm_opportunity WHERE id = f.opportunity_id)"
    ", (SELECT o.name FROM crm_opportunity op JOIN crm_organization o ON o.id = op.organization_id"
    " WHERE op.id = f.opportunity_id)"
    ", (SELECT organization_id FROM crm_person WHERE id = f.person_id)"  # the addressee's employer,
    ", (SELECT o.name FROM crm_person pe JOIN crm_organization o ON o.id = pe.organization_id"  # for drafts
    " WHERE pe.id = f.person_id)"
    ", (SELECT interests FROM crm_person WHERE id = f.person_id)"  # what the value read needs (R10)
    " FROM crm_followup f WHERE f.workspace_id = %s AND {where}"
)  # names by scalar subqueries on each row's keys (see loader.py: no hash joins of whole tables)


def compose_draft(
    suggestion: Suggestion,
    *,
    person: PersonSnap | None,
    ws_settings: WorkspaceSettings,
    policy: Policy,
    viewer: Viewer | None = None,
    value: ValueSnap | None = None,
) -> Draft:
    """The generated draft for a suggestion (topofmind.drafting writes the words), signed by
    the acting user (the workspace's stored name where no user acts), carrying ``value`` (R10)."""
    return compose(
        suggestion,
        person=person,
        user_name=viewer.name if viewer is not None else ws_settings.user_name,
        max_words=policy.max_words,
        value=value,
    )
