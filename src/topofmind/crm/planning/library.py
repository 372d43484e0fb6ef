"""What the day's follow-ups carry (R10-R11), chosen when the agenda is read.

The stored plan knows nothing of the value library: an item is chosen for the day's items
only, when Today (or the CLI, the API, the digest) reads them, so a library of thousands of
items costs the day's dozen people a few indexed queries, never a re-plan of everyone.

``carried`` reads, once per read, what the day's people need: their interests, whether a
touch of theirs gave permission for materials (R11), what was already shared with them, and
the part of the library that can fit them (fresh news of their employers, articles whose tags
name one of their interests, the achievements, the materials if anyone may receive them, and
whatever item the user chose by hand), then asks ``engine.value`` for each item's pick and
honours the user's choice (``FollowUp.value_choice``: "" the engine's pick, "item" theirs,
"none" nothing).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.db import connection

from topofmind.crm.models import FollowUp
from topofmind.crm.sql import aware, day_of, fetch, marks, sliced
from topofmind.drafting import Shared, ValueSnap
from topofmind.drafting.words import first_name
from topofmind.engine.types import Policy, Purpose, Suggestion
from topofmind.engine.value import Library, LibraryItem, Recipient, ValueKind, allowed, carries_value, ranked, tags_of

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
) -> dict[str, Carried]:
    """Suggestion key -> what it carries, for the follow-ups that carry something (R10).

    ``organization_of``: person id -> their employer's id (the agenda has read it already);
    ``now`` in the user's zone (news is fresh by their calendar).
    """
    if not policy.enabled("R10"):
        return {}
    todo = [w for w in wanted if w.suggestion.person_id is not None and carries_value(w.suggestion.purpose)]
    if not todo:
        return {}
    people = {w.suggestion.person_id for w in todo if w.suggestion.person_id is not None}
    interests: dict[int, frozenset[str]] = {}
    permitted: set[int] = set()
    shared_ids: dict[int, set[int]] = defaultdict(set)
    shared_items: dict[int, list[Shared]] = defaultdict(list)
    for part in sliced(people):
        sql = _ABOUT_THEM.format(ids=marks(part))
        for kind, person_id, item_id, text, url in fetch(sql, [workspace_id, *part, *part, True, *part]):
            if kind == 0:
                interests[person_id] = tags_of(text or "")
            elif kind == 1:
                permitted.add(person_id)
            else:
                shared_ids[person_id].add(item_id)
                shared_items[person_id].append(Shared(title=text, url=url))
    library = _library(
        workspace_id,
        organizations={org for pid in people if (org := organization_of.get(pid)) is not None},
        interests=set().union(*interests.values()) if interests else set(),
        materials=bool(permitted) or not policy.enabled("R11"),
        chosen={w.item_id for w in todo if w.choice == CHOICE_ITEM and w.item_id is not None},
        policy=policy,
        now=now,
    )
    out: dict[str, Carried] = {}
    for w in todo:
        s = w.suggestion
        pid = s.person_id
        assert pid is not None
        recipient = Recipient(
            person_id=pid,
            organization_id=organization_of.get(pid),
            interests=interests.get(pid, frozenset()),
            materials_permission=pid in permitted,
        )
        pinned = _int(s.extra.get("achievement")) if s.purpose is Purpose.ACHIEVEMENT_UPDATE else None
        options = ranked(
            purpose=s.purpose,
            recipient=recipient,
            library=library,
            shared=shared_ids.get(pid, set()),
            policy=policy,
            now=now,
            pinned=pinned,
        )
        best = [item for _, item in zip(range(ALTERNATIVES + 1), options, strict=False)]
        top = best[0] if best else None
        if len(best) <= ALTERNATIVES:
            # the picker also offers the newest articles, on their interests or not
            taken = shared_ids.get(pid, set()) | {item.id for item in best}
            best += [a for a in library.recent_articles if a.id not in taken][: ALTERNATIVES + 1 - len(best)]
        shared = tuple(shared_items.get(pid, ()))
        if w.choice == CHOICE_NONE:
            out[s.key] = Carried(item=None, choice=CHOICE_NONE, alternatives=tuple(best), shared=shared)
            continue
        mine = library.get(w.item_id) if w.choice == CHOICE_ITEM else None
        if mine is not None and allowed(mine, recipient, policy):
            others = tuple(item for item in best if item.id != mine.id)[:ALTERNATIVES]
            out[s.key] = Carried(item=mine, choice=CHOICE_ITEM, alternatives=others, shared=shared)
            continue
        out[s.key] = Carried(
            item=top,
            note="" if top is not None else nothing_to_share(s.person_name),
            alternatives=tuple(best[1:] if top is not None else best),
            shared=shared,
        )
    return out


def _int(text: str | None) -> int | None:
    try:
        return int(text) if text else None
    except ValueError:
        return None


# What the day's people bring: their interests (0), a touch that gave permission for
# materials (1, R11), and what was shared with them (2). One query, three indexed parts; the
# rows met are looked up by key (scalar subqueries), never joined: PostgreSQL would hash-join
# the whole touch table for a join (see loader.py), and planned an EXISTS over the
# participants as a merge semi-join walking their whole index (220 ms at 1M touches with stale
# statistics): part 1 reads the day's people's participant rows by the (person, interaction)
# index instead.
_ABOUT_THEM = """
SELECT 0, id, 0, interests, '' FROM crm_person WHERE workspace_id = %s AND id IN ({ids})
UNION ALL SELECT DISTINCT 1, q.person_id, 0, '', '' FROM crm_interactionparticipant q
    WHERE q.person_id IN ({ids})
    AND (SELECT i.permission_materials FROM crm_interaction i WHERE i.id = q.interaction_id) = %s
UNION ALL SELECT 2, s.person_id, s.value_item_id,
    (SELECT v.title FROM crm_valueitem v WHERE v.id = s.value_item_id),
    (SELECT v.url FROM crm_valueitem v WHERE v.id = s.value_item_id)
    FROM crm_valueshare s WHERE s.person_id IN ({ids})
"""  # primary key; participant (person, interaction); value share (person)
_ITEM = "id, kind, title, url, summary, tags, organization_id, happened_on, created_at"
_NEWS = f"""
SELECT {_ITEM} FROM crm_valueitem WHERE workspace_id = %s AND kind = %s
AND (happened_on >= %s OR (happened_on IS NULL AND created_at >= %s)) AND organization_id IN ({{ids}})
"""  # (workspace, organization)
_NEWEST = f"SELECT {_ITEM} FROM crm_valueitem WHERE workspace_id = %s AND kind = %s"  # (workspace, kind, created_at)
_LIMIT = " ORDER BY created_at DESC, id DESC LIMIT %s"
_BY_ID = f"SELECT {_ITEM} FROM crm_valueitem WHERE workspace_id = %s AND id IN ({{ids}})"  # primary key


def _library(
    workspace_id: int,
    *,
    organizations: Collection[int],
    interests: Collection[str],
    materials: bool,
    chosen: Collection[int],
    policy: Policy,
    now: datetime,
) -> Library:
    """The part of the library that can fit the day's people (see the module docstring)."""
    ws = workspace_id
    cutoff = now.date() - timedelta(days=policy.news_fresh_days)
    parts: list[str] = []
    params: list[Any] = []

    def part(sql: str, *values: Any) -> None:
        parts.append(f"SELECT * FROM ({sql}) AS p{len(parts)}")
        params.extend(values)

    if organizations:
        since = connection.ops.adapt_datetimefield_value(
            datetime.combine(cutoff, datetime.min.time(), tzinfo=now.tzinfo) - timedelta(days=1)
        )
        day = connection.ops.adapt_datefield_value(cutoff)
        orgs = sorted(organizations)
        part(_NEWS.format(ids=marks(orgs)), ws, ValueKind.NEWS.value, day, since, *orgs)
    # The newest articles naming one of their interests (a rough cut in SQL: the tags text
    # names it somewhere; engine.value then matches whole tags and ranks by overlap). Tags are
    # comma-separated text, so no index narrows them: one walk of the articles, newest first,
    # stops at the limit.
    if interests:
        words = sorted(interests)
        likes = " OR ".join(["LOWER(tags) LIKE %s"] * len(words))
        part(
            _NEWEST + f" AND ({likes})" + _LIMIT,
            ws,
            ValueKind.ARTICLE.value,
            *(f"%{w.lower()}%" for w in words),
            ARTICLES,
        )
    part(_NEWEST + _LIMIT, ws, ValueKind.ARTICLE.value, ALTERNATIVES)  # the picker offers the newest too
    part(_NEWEST + _LIMIT, ws, ValueKind.ACHIEVEMENT.value, NEWEST)
    if materials:
        part(_NEWEST + _LIMIT, ws, ValueKind.MATERIAL.value, NEWEST)
    if chosen:
        part(_BY_ID.format(ids=marks(sorted(chosen))), ws, *sorted(chosen))
    rows = fetch(" UNION ALL ".join(parts), params)
    found = Library(library_items(rows))
    found.recent_articles = sorted(found.articles, key=_added, reverse=True)[:ALTERNATIVES]
    return found


def _added(item: LibraryItem) -> tuple[datetime, int]:
    return (item.created_at or datetime.min.replace(tzinfo=UTC), item.id)


def library_items(rows: Iterable[tuple[Any, ...]]) -> list[LibraryItem]:
    seen: dict[int, LibraryItem] = {}
    for pk, kind, title, url, summary, tags, org, happened_on, created_at in rows:
        if pk in seen:
            continue
        seen[pk] = LibraryItem(
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
    return list(seen.values())


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
