"""What the day's follow-ups carry (R10-R11), chosen when the agenda is read.

The stored plan knows nothing of the value library: an item is chosen for the day's items
only, when Today (or the CLI, the API, the digest) reads them, so a library of thousands of
items costs the day's dozen people a few indexed queries, never a re-plan of everyone.

``carried`` reads, once per read and in one query, what was already shared with the day's
people and the part of the library that can fit them (fresh news of their employers, articles
whose tags name one of their interests, the newest achievements and materials, and whatever
item the user chose by hand); their interests come with the agenda's rows (read here first for
a caller that has not read them). It then asks ``engine.value`` for each item's pick and
honours the user's choice (``FollowUp.value_choice``: "" the engine's pick, "item" theirs,
"none" nothing). Whether a touch of theirs gave permission for materials (R11) is read only
for the people it can change anything for (see ``carried``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Hashable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from django.db import connection

from topofmind.crm.models import FollowUp
from topofmind.crm.sql import aware, day_of, fetch, marks, sliced
from topofmind.drafting import Shared, ValueSnap
from topofmind.drafting.words import first_name
from topofmind.engine.types import Policy, Purpose, Suggestion
from topofmind.engine.value import (
    Library,
    LibraryItem,
    Recipient,
    ValueKind,
    allowed,
    carries_value,
    ranked,
    ranking_key,
    tags_of,
)

# How many other items the picker offers beside the pick.
ALTERNATIVES = 6
# What the day's read loads at most: the newest articles naming an interest of the day's
# people, the newest achievements and materials (the library can hold thousands of items;
# a day's dozen follow-ups need a few of them).
ARTICLES = 60
NEWEST = 12
CHOICE_ITEM, CHOICE_NONE = "item", "none"


@dataclass(frozen=True)
class Carried:
    """What one follow-up carries, and what Today's picker and the checker need beside it."""

    item: LibraryItem | None
    choice: str = ""  # "" = the engine's pick, "item" = the user's, "none" = nothing
    note: str = ""  # "nothing new to share with Priya: add an article or an achievement"
    alternatives: tuple[LibraryItem, ...] = ()
    shared: tuple[Shared, ...] = field(default=(), compare=False)

    def note_sentence(self) -> str:
        """The note shown on its own, capitalised ("Nothing new to share with Priya: ..."), or ""."""
        return f"{self.note[:1].upper()}{self.note[1:]}"

    def value_snap(self) -> ValueSnap | None:
        """The item as the composer takes it."""
        if self.item is None:
            return None
        return ValueSnap(kind=self.item.kind, title=self.item.title, url=self.item.url, summary=self.item.summary)


@dataclass(frozen=True)
class Wanted:
    """One of the day's follow-ups: its suggestion and the user's choice for it."""

    suggestion: Suggestion
    choice: str = ""
    item_id: int | None = None


def nothing_to_share(name: str | None) -> str:
    who = first_name(name) or "them"
    return f"nothing new to share with {who}: add an article or an achievement"


def carried(
    workspace_id: int,
    wanted: Sequence[Wanted],
    *,
    organization_of: dict[int, int | None],
    policy: Policy,
    now: datetime,
    interests_of: Mapping[int, str] | None = None,
) -> dict[str, Carried]:
    """Suggestion key -> what it carries, for the follow-ups that carry something (R10).

    ``organization_of``: person id -> their employer's id (the agenda has read it already);
    ``interests_of``: person id -> their interests as stored, for the people the caller has
    read them for (the agenda's rows carry them: the read is then one query); ``now`` in the
    user's zone (news is fresh by their calendar).
    """
    if not policy.enabled("R10"):
        return {}
    todo = [w for w in wanted if w.suggestion.person_id is not None and carries_value(w.suggestion.purpose)]
    if not todo:
        return {}
    people = {w.suggestion.person_id for w in todo if w.suggestion.person_id is not None}
    given = interests_of or {}
    interests = {pid: tags_of(given[pid] or "") for pid in people if pid in given}
    unknown = people - interests.keys()
    if unknown:
        for person_id, text in _read(_INTERESTS, "id", [workspace_id], unknown):
            interests[person_id] = tags_of(text or "")
    library, shared_ids, shared_items = _library(
        workspace_id,
        people=people,
        organizations={org for pid in people if (org := organization_of.get(pid)) is not None},
        interests=set().union(*interests.values()) if interests else set(),
        chosen={w.item_id for w in todo if w.choice == CHOICE_ITEM and w.item_id is not None},
        policy=policy,
        now=now,
    )

    def recipient(pid: int, permitted: bool) -> Recipient:
        return Recipient(
            person_id=pid,
            organization_id=organization_of.get(pid),
            interests=interests.get(pid, frozenset()),
            materials_permission=permitted,
        )

    ranking: dict[Hashable, list[LibraryItem]] = {}

    def options(w: Wanted, who: Recipient) -> list[LibraryItem]:
        """Their best ALTERNATIVES + 1 items; ranked once for all who rank alike (``ranking_key``)."""
        s = w.suggestion
        pinned = _int(s.extra.get("achievement")) if s.purpose is Purpose.ACHIEVEMENT_UPDATE else None
        shared = shared_ids.get(who.person_id, set())
        key = ranking_key(purpose=s.purpose, recipient=who, library=library, shared=shared, pinned=pinned)
        found = ranking.get(key)
        if found is None:
            items = ranked(
                purpose=s.purpose, recipient=who, library=library, shared=shared, policy=policy, now=now, pinned=pinned
            )
            found = ranking[key] = [item for _, item in zip(range(ALTERNATIVES + 1), items, strict=False)]
        return found

    # Materials come last in the ranking and only with a permission (R11): ranked without
    # one first; whether a touch gave it is read only for the people whose best items run out
    # before the materials, or whose chosen item is a material - most days nobody's.
    best: dict[str, list[LibraryItem]] = {}
    ask: set[int] = set()
    for w in todo:
        pid = w.suggestion.person_id
        assert pid is not None
        best[w.suggestion.key] = options(w, recipient(pid, False))
        if not policy.enabled("R11"):
            continue
        mine = library.get(w.item_id) if w.choice == CHOICE_ITEM else None
        if (mine is not None and mine.kind is ValueKind.MATERIAL) or (
            len(best[w.suggestion.key]) <= ALTERNATIVES and library.materials
        ):
            ask.add(pid)
    permitted = {pid for (pid,) in _read(_PERMITTED, "q.person_id", [], ask, True)} if ask else set()
    out: dict[str, Carried] = {}
    for w in todo:
        s = w.suggestion
        pid = s.person_id
        assert pid is not None
        who = recipient(pid, pid in permitted or not policy.enabled("R11"))
        first = best[s.key] if pid not in permitted else options(w, who)
        out[s.key] = _carried(
            w, who, first, library, shared_ids.get(pid, set()), tuple(shared_items.get(pid, ())), policy
        )
    return out


def _carried(
    w: Wanted,
    who: Recipient,
    best: list[LibraryItem],
    library: Library,
    shared_ids: set[int],
    shared: tuple[Shared, ...],
    policy: Policy,
) -> Carried:
    """What one follow-up carries: the user's choice, else the best item (``best``: the best
    ALTERNATIVES + 1 items the engine ranked for them)."""
    s = w.suggestion
    top = best[0] if best else None
    if len(best) <= ALTERNATIVES:
        # the picker also offers the newest articles, on their interests or not
        taken = shared_ids | {item.id for item in best}
        best = best + [a for a in library.recent_articles if a.id not in taken][: ALTERNATIVES + 1 - len(best)]
    if w.choice == CHOICE_NONE:
        return Carried(item=None, choice=CHOICE_NONE, alternatives=tuple(best), shared=shared)
    mine = library.get(w.item_id) if w.choice == CHOICE_ITEM else None
    if mine is not None and allowed(mine, who, policy):
        others = tuple(item for item in best if item.id != mine.id)[:ALTERNATIVES]
        return Carried(item=mine, choice=CHOICE_ITEM, alternatives=others, shared=shared)
    return Carried(
        item=top,
        note="" if top is not None else nothing_to_share(s.person_name),
        alternatives=tuple(best[1:] if top is not None else best),
        shared=shared,
    )


def _int(text: str | None) -> int | None:
    try:
        return int(text) if text else None
    except ValueError:
        return None


# Id lists: one array parameter on PostgreSQL (``= ANY(%s)``: the same query text whatever the
# ids, so neither psycopg nor the server parses hundreds of placeholders, and the planner sees
# one array), ``IN (%s, ...)`` in slices on SQLite.
# Rows met are looked up by key (scalar subqueries), never joined: PostgreSQL would hash-join
# the whole touch table for a join (see loader.py).
_INTERESTS = "SELECT id, interests FROM crm_person WHERE workspace_id = %s AND {ids}"  # primary key
# A touch of theirs that gave permission for materials (R11), by the participant (person,
# interaction) index: an EXISTS over the participants was planned by PostgreSQL as a merge
# semi-join walking the whole index (220 ms at 1M touches with stale statistics).
_PERMITTED = """SELECT DISTINCT q.person_id FROM crm_interactionparticipant q WHERE {ids}
    AND (SELECT i.permission_materials FROM crm_interaction i WHERE i.id = q.interaction_id) = %s"""
# What was already shared with them, in the library's row shape (what, person, item columns):
# (1, person, item id, -, title, url, -, -, share id, -, -); the library's rows are (0, 0, ...).
_SHARED = """SELECT 1, s.person_id, s.value_item_id, NULL,
    (SELECT v.title FROM crm_valueitem v WHERE v.id = s.value_item_id),
    (SELECT v.url FROM crm_valueitem v WHERE v.id = s.value_item_id), NULL, NULL, s.id, NULL, NULL
    FROM crm_valueshare s WHERE {ids}"""  # value share (person)
_ITEM = "id, kind, title, url, summary, tags, organization_id, happened_on, created_at"
_NEWS = f"""
SELECT 0, 0, {_ITEM} FROM crm_valueitem WHERE workspace_id = %s AND kind = %s
AND (happened_on >= %s OR (happened_on IS NULL AND created_at >= %s)) AND {{ids}}
"""  # (workspace, organization)
_NEWEST = (
    f"SELECT 0, 0, {_ITEM} FROM crm_valueitem WHERE workspace_id = %s AND kind = %s"  # (workspace, kind, created_at)
)
_LIMIT = " ORDER BY created_at DESC, id DESC LIMIT %s"
_BY_ID = f"SELECT 0, 0, {_ITEM} FROM crm_valueitem WHERE workspace_id = %s AND {{ids}}"  # primary key
# SQLite builds before 3.32 allow 999 parameters in one statement.
_MOST_PARAMS = 999


def _arrays() -> bool:
    return connection.vendor == "postgresql"


def _id_parts(sql: str, column: str, ids: Collection[int]) -> Iterator[tuple[str, list[Any]]]:
    """``sql`` with its ``{ids}`` condition on ``column``: one part (PostgreSQL), else one per slice."""
    if _arrays():
        # typed as psycopg types a list of ints (the narrowest that holds them): compared with
        # a bigint[], PostgreSQL costs a walk of every value share as cheaper than the person
        # index (0.6 ms against 0.06 ms for 10 000 shares)
        ordered = sorted(ids)
        kind = "integer" if not ordered or (ordered[0] >= -(2**31) and ordered[-1] < 2**31) else "bigint"
        yield sql.format(ids=f"{column} = ANY(%s::{kind}[])"), [_array(str(int(i)) for i in ordered)]
        return
    for part in sliced(ids):
        yield sql.format(ids=f"{column} IN ({marks(part)})"), list(part)


def _array(elements: Iterable[str]) -> str:
    """A PostgreSQL array literal, sent as one text parameter (psycopg adapts a list element by
    element in Python: a third of a millisecond for a day's ids)."""
    return "{" + ",".join(elements) + "}"


def _quoted(text: str) -> str:
    """One element of a text array literal: double-quoted, backslash and quote escaped."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _read(sql: str, column: str, before: Sequence[Any], ids: Collection[int], *after: Any) -> list[tuple[Any, ...]]:
    """Rows of ``sql`` (one ``{ids}`` condition on ``column``) for ``ids``."""
    rows: list[tuple[Any, ...]] = []
    for text, values in _id_parts(sql, column, ids):
        rows.extend(fetch(text, [*before, *values, *after]))
    return rows


class _Union:
    """Independent parts read together: one UNION ALL, as few statements as SQLite allows."""

    def __init__(self) -> None:
        self.statements: list[tuple[list[str], list[Any]]] = [([], [])]

    def add(self, sql: str, params: Sequence[Any], *, wrap: bool = True) -> None:
        parts, values = self.statements[-1]
        if parts and not _arrays() and len(values) + len(params) > _MOST_PARAMS:
            self.statements.append(([], []))
            parts, values = self.statements[-1]
        n = sum(len(p) for p, _ in self.statements)
        parts.append(f"SELECT * FROM ({sql}) AS p{n}" if wrap else sql)
        values.extend(params)

    def rows(self) -> list[tuple[Any, ...]]:
        return [row for parts, values in self.statements if parts for row in fetch(" UNION ALL ".join(parts), values)]


def _library(
    workspace_id: int,
    *,
    people: Collection[int],
    organizations: Collection[int],
    interests: Collection[str],
    chosen: Collection[int],
    policy: Policy,
    now: datetime,
) -> tuple[Library, dict[int, set[int]], dict[int, list[Shared]]]:
    """The part of the library that can fit the day's people (see the module docstring), and
    what was shared with each of them: one query."""
    ws = workspace_id
    cutoff = now.date() - timedelta(days=policy.news_fresh_days)
    read = _Union()
    if organizations:
        since = connection.ops.adapt_datetimefield_value(
            datetime.combine(cutoff, datetime.min.time(), tzinfo=now.tzinfo) - timedelta(days=1)
        )
        day = connection.ops.adapt_datefield_value(cutoff)
        for sql, ids in _id_parts(_NEWS, "organization_id", organizations):
            read.add(sql, [ws, ValueKind.NEWS.value, day, since, *ids])
    # The newest articles naming one of their interests (a rough cut in SQL: the tags text
    # names it somewhere; engine.value then matches whole tags and ranks by overlap). Tags are
    # comma-separated text, so no index narrows them: one walk of the articles, newest first,
    # stops at the limit.
    if interests:
        likes = [f"%{w.lower()}%" for w in sorted(interests)]
        if _arrays():
            pattern = _array(_quoted(like) for like in likes)
            read.add(
                _NEWEST + " AND LOWER(tags) LIKE ANY(%s::text[])" + _LIMIT,
                [ws, ValueKind.ARTICLE.value, pattern, ARTICLES],
            )
        else:
            match = " OR ".join(["LOWER(tags) LIKE %s"] * len(likes))
            read.add(_NEWEST + f" AND ({match})" + _LIMIT, [ws, ValueKind.ARTICLE.value, *likes, ARTICLES])
    read.add(_NEWEST + _LIMIT, [ws, ValueKind.ARTICLE.value, ALTERNATIVES])  # the picker offers the newest too
    read.add(_NEWEST + _LIMIT, [ws, ValueKind.ACHIEVEMENT.value, NEWEST])
    # the newest materials whatever the permissions: R11 is checked per person, when it matters
    read.add(_NEWEST + _LIMIT, [ws, ValueKind.MATERIAL.value, NEWEST])
    if chosen:
        for sql, ids in _id_parts(_BY_ID, "id", chosen):
            read.add(sql, [ws, *ids])
    for sql, ids in _id_parts(_SHARED, "s.person_id", people):
        read.add(sql, ids, wrap=False)
    items: list[tuple[Any, ...]] = []
    shares: list[tuple[int, int, int, str, str]] = []
    for what, person_id, *row in read.rows():
        if what == 0:
            items.append(tuple(row))
        else:
            item_id, _, title, url, _, _, share_id = row[:7]
            shares.append((share_id, person_id, item_id, title, url))
    shared_ids: dict[int, set[int]] = defaultdict(set)
    shared_items: dict[int, list[Shared]] = defaultdict(list)
    for _, person_id, item_id, title, url in sorted(shares):
        shared_ids[person_id].add(item_id)
        shared_items[person_id].append(Shared(title=title, url=url))
    found = Library(library_items(items))
    found.recent_articles = sorted(found.articles, key=_added, reverse=True)[:ALTERNATIVES]
    return found, shared_ids, shared_items


def _added(item: LibraryItem) -> tuple[datetime, int]:
    return (item.created_at or datetime.min.replace(tzinfo=UTC), item.id)


def library_items(rows: Iterable[tuple[Any, ...]]) -> list[LibraryItem]:
    seen: dict[int, LibraryItem] = {}
    for row in rows:
        if row[0] not in seen:
            seen[row[0]] = _item_of(tuple(row))
    return list(seen.values())


@lru_cache(maxsize=4096)  # the same rows come back on every read of the day (an edit is a new row)
def _item_of(row: tuple[Any, ...]) -> LibraryItem:
    pk, kind, title, url, summary, tags, org, happened_on, created_at = row
    return LibraryItem(
        id=pk,
        kind=ValueKind(kind),
        title=title,
        url=url,
        summary=summary,
        tags=tags_of(tags or ""),
        organization_id=org,
        on=day_of(happened_on),
        created_at=aware(created_at),
    )


def carried_by_followup(row: FollowUp, *, now: datetime) -> tuple[Carried | None, str]:
    """What a stored follow-up carries now, and the body it goes out with (the user's wording,
    else the generated draft): what a send records as shared (R10)."""
    from topofmind.crm.planning.loader import PeopleLoader
    from topofmind.crm.planning.reader import compose_draft
    from topofmind.crm.planning.snapshot import context_of, policy_of, settings_and_plan, to_suggestion

    if row.person_id is None or not carries_value(Purpose(row.purpose)):
        return None, row.draft_body  # a thank-you, a reply, an invite: it carries nothing
    ws_settings, _ = settings_and_plan(row.workspace)
    policy = policy_of(ws_settings)
    suggestion = to_suggestion(row)
    if suggestion.person_id is None:
        return None, row.draft_body
    loader = PeopleLoader(row.workspace_id)
    loader.add_people([suggestion.person_id])
    person = loader.addressees().get(suggestion.person_id)
    found = carried(
        row.workspace_id,
        [Wanted(suggestion, row.value_choice, row.value_item_id)],
        organization_of={suggestion.person_id: person.organization_id if person is not None else None},
        policy=policy,
        now=now.astimezone(ZoneInfo(context_of(ws_settings).timezone)),
    ).get(suggestion.key)
    body = row.draft_body
    if not body:
        value = found.value_snap() if found is not None else None
        body = compose_draft(suggestion, person=person, ws_settings=ws_settings, policy=policy, value=value).body
    return found, body
