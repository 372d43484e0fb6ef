"""Search: one box over people, organizations, openings and touch notes.

Each word of the text must appear somewhere in a row's searched text (any case, anywhere in a
word: "ann" finds "Joanna"). The indexes come from migration 0011_search: SQLite FTS5 tables
with the trigram tokenizer, PostgreSQL pg_trgm GIN indexes that ILIKE uses. A trigram index
cannot serve a word of one or two letters, so such a word only narrows a search that has a
longer word; a search of short words alone looks at names (people, organizations, openings)
starting with it, which needs no full-text index.

Each kind gives at most ``limit`` rows and says whether there were more: people,
organizations and openings by name, touches newest first. A word found in more than ``PROBES``
rows of a kind shows the first ``limit`` an index gives in order without sorting them all
(the first added; the newest touches) - see ``_rows``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import connection, transaction

from topofmind.crm.models import Workspace
from topofmind.crm.queries.serialize import when
from topofmind.crm.search_index import SEARCHED
from topofmind.crm.sql import aware, fetch
from topofmind.crm.validation import search_term
from topofmind.engine.labels import kind_label, stage_label

LIMIT = 20
# Fewer matches than this are sorted whole; more walk an index in order. About sqrt(20 x rows)
# at 100k people and a million touches: collecting that many matches costs about what the
# walk to the first 20 of them does.
PROBES = {"crm_person": 1500, "crm_organization": 500, "crm_opportunity": 500, "crm_interaction": 5000}
SQLITE_PROBE = 500
MIN_INDEXED = 3  # the shortest word a trigram index can look up


@dataclass(frozen=True)
class Hit:
    """One row found: what it is, its id, its name or date line, and a line of detail."""

    kind: str  # person | organization | opening | touch
    id: int
    title: str
    detail: str = ""
    at: datetime | None = None
    person_id: int | None = None  # a touch: its first person (the link from a result)


@dataclass(frozen=True)
class Found:
    hits: list[Hit] = field(default_factory=list)
    more: bool = False


@dataclass(frozen=True)
class SearchResults:
    term: str
    people: Found = field(default_factory=Found)
    organizations: Found = field(default_factory=Found)
    openings: Found = field(default_factory=Found)
    touches: Found = field(default_factory=Found)

    @property
    def total(self) -> int:
        return sum(len(f.hits) for f in (self.people, self.organizations, self.openings, self.touches))

    @property
    def empty(self) -> bool:
        return self.total == 0


def search_words(text: str) -> list[str]:
    """The words a search looks for (at most 8: a pasted paragraph is not a search)."""
    return search_term(text).split()[:8]


def _like(word: str) -> str:
    escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _text(alias: str, table: str) -> str:
    """A row's searched text: on PostgreSQL the very expression migration 0011 indexed, so
    ILIKE uses the trigram index."""
    return "(" + " || ' ' || ".join(f"{alias}.{c}" for c in SEARCHED[table]) + ")"


def _match(table: str, alias: str, words: list[str]) -> tuple[str, str, list[Any]]:
    """(FROM addition, WHERE part, parameters) that keep the rows of ``alias`` holding every word."""
    long_words = [w for w in words if len(w) >= MIN_INDEXED]
    short = [w for w in words if len(w) < MIN_INDEXED]
    params: list[Any] = []
    if connection.vendor == "sqlite":
        fts = f"{table}_fts"
        join = f" JOIN {fts} ON {fts}.rowid = {alias}.id"
        query = " ".join('"' + w.replace('"', '""') + '"' for w in long_words)
        where = [f"{fts} MATCH %s"]
        params.append(query)
        for w in short:  # LIKE on the FTS table's columns: already narrowed by MATCH
            where.append("(" + " OR ".join(f"{fts}.{c} LIKE %s ESCAPE '\\'" for c in SEARCHED[table]) + ")")
            params += [_like(w)] * len(SEARCHED[table])
        return join, " AND ".join(where), params
    text = _text(alias, table)
    where = []
    for w in words:
        where.append(f"{text} ILIKE %s")
        params.append(_like(w))
    return "", " AND ".join(where), params


def _names_starting(table: str, alias: str, column: str, words: list[str]) -> tuple[str, list[Any]]:
    """Short words only: names that start with the first word and hold the others (PostgreSQL:
    ``lower(name) LIKE 'ma%'``, which migration 0011's text_pattern_ops index answers)."""
    escaped = [w.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") for w in words]
    name = f"{alias}.{column}" if connection.vendor == "sqlite" else f"lower({alias}.{column})"
    where = [f"{name} LIKE %s ESCAPE '\\'"]  # SQLite's LIKE ignores ASCII case by itself
    params: list[Any] = [f"{escaped[0]}%"]
    for w in escaped[1:]:
        where.append(f"{name} LIKE %s ESCAPE '\\'")
        params.append(f"%{w}%")
    return " AND ".join(where), params


def _rows(
    table: str,
    probe: str,
    matches: str,
    details: str,
    params: Sequence[Any],
    limit: int,
    *,
    key: Callable[[tuple[Any, ...]], Any],
    fast: str,
    newest: bool = False,
) -> tuple[list[tuple[Any, ...]], bool]:
    """At most ``limit`` matching rows in the order ``key`` gives, and whether there were more.

    ``probe`` names the columns ``key`` reads (the id first), ``matches`` is the FROM and WHERE
    that find the rows, ``details`` the query of a row's columns by id (``{ids}``). First up
    to ``PROBES[table]`` matches are read in whatever order the index hands them out (no sort). Fewer
    than that is every match: sorted here, a search shows the first by name (touches: the
    newest). A word in more rows takes the first ``limit`` by ``fast``, an order an index
    gives without collecting every match (the order added; touches newest first).
    """
    # SQLite's full-text table hands out matches in rowid order and stops when asked: a few
    # hundred are read cheaply, and a common word's first ``limit`` cost nothing more
    most = PROBES[table] if connection.vendor == "postgresql" else SQLITE_PROBE
    # PostgreSQL's trigram statistics say how many rows a word is in, closely enough: a common
    # word walks the index at once, without reading its matches first
    common = connection.vendor == "postgresql" and _estimate(f"SELECT {probe} {matches}", params) >= most
    found = [] if common else fetch(f"SELECT {probe} {matches} LIMIT {most}", params)
    if common or len(found) >= most:
        found = _in_index_order(f"SELECT {probe} {matches} ORDER BY {fast} LIMIT {limit + 1}", params)
    else:
        found.sort(key=key, reverse=newest)  # every match: the first by ``key``
    more = len(found) > limit
    ids = [int(r[0]) for r in sorted(found[:limit], key=key, reverse=newest)]
    if not ids:
        return [], more
    rows = fetch(details.format(ids=", ".join(["%s"] * len(ids))), ids)
    place = {pk: n for n, pk in enumerate(ids)}
    return sorted(rows, key=lambda r: place[int(r[0])]), more


def _estimate(sql: str, params: Sequence[Any]) -> int:
    """How many rows PostgreSQL's planner expects ``sql`` to give (no row is read)."""
    found = fetch(f"EXPLAIN (FORMAT JSON) {sql}", params)
    plan = found[0][0]
    if isinstance(plan, str):
        plan = json.loads(plan)
    return int(plan[0]["Plan"]["Plan Rows"])


def _in_index_order(sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
    """Rows of an ORDER BY ... LIMIT that an index answers in order.

    PostgreSQL's planner cannot tell how many rows a trigram ILIKE keeps and may collect every
    match through the trigram index to sort them (seconds, for a word in a hundred thousand
    touches); with bitmap and sequential scans off for this one query it walks the ordered
    index and stops after ``limit`` matches, which for a word this common comes soon.
    """
    if connection.vendor != "postgresql":
        return fetch(sql, params)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        cursor.execute("SET LOCAL enable_seqscan = off")
        try:
            cursor.execute(sql, list(params))
            return list(cursor.fetchall())
        finally:
            cursor.execute("SET LOCAL enable_bitmapscan = on")
            cursor.execute("SET LOCAL enable_seqscan = on")


def _filter(table: str, alias: str, name_column: str, words: list[str]) -> tuple[str, str, list[Any], str]:
    """(FROM addition, WHERE part, parameters, an order an index gives: the order added)."""
    if any(len(w) >= MIN_INDEXED for w in words):
        join, where, params = _match(table, alias, words)
        return join, where, params, (f"{table}_fts.rowid" if join else f"{alias}.id")
    where, params = _names_starting(table, alias, name_column, words)
    return "", where, params, f"{alias}.id"


def _by_name(row: tuple[Any, ...]) -> tuple[str, int]:
    return (str(row[1]).casefold(), int(row[0]))


def _people(workspace_id: int, words: list[str], limit: int) -> Found:
    join, where, params, order = _filter("crm_person", "p", "name", words)
    rows, more = _rows(
        "crm_person",
        "p.id, p.name",
        f"FROM crm_person p{join} WHERE p.workspace_id = %s AND {where}",
        "SELECT p.id, p.name, p.title, o.name FROM crm_person p"
        " LEFT JOIN crm_organization o ON o.id = p.organization_id WHERE p.id IN ({ids})",
        [workspace_id, *params],
        limit,
        key=_by_name,
        fast=order,
    )
    hits = [Hit("person", pk, name, " · ".join(x for x in (title, org or "") if x)) for pk, name, title, org in rows]
    return Found(hits, more)


def _organizations(workspace_id: int, words: list[str], limit: int) -> Found:
    join, where, params, order = _filter("crm_organization", "o", "name", words)
    rows, more = _rows(
        "crm_organization",
        "o.id, o.name",
        f"FROM crm_organization o{join} WHERE o.workspace_id = %s AND {where}",
        "SELECT o.id, o.name, o.industry FROM crm_organization o WHERE o.id IN ({ids})",
        [workspace_id, *params],
        limit,
        key=_by_name,
        fast=order,
    )
    return Found([Hit("organization", pk, name, industry) for pk, name, industry in rows], more)


def _openings(workspace_id: int, words: list[str], limit: int) -> Found:
    join, where, params, order = _filter("crm_opportunity", "op", "title", words)
    rows, more = _rows(
        "crm_opportunity",
        "op.id, op.title",
        f"FROM crm_opportunity op{join} WHERE op.workspace_id = %s AND {where}",
        "SELECT op.id, op.title, o.name, op.stage FROM crm_opportunity op"
        " JOIN crm_organization o ON o.id = op.organization_id WHERE op.id IN ({ids})",
        [workspace_id, *params],
        limit,
        key=_by_name,
        fast=order,
    )
    hits = [Hit("opening", pk, title, f"{org} · {stage_label(stage)}") for pk, title, org, stage in rows]
    return Found(hits, more)


def _snippet(summary: str, points: str, notes: str, words: list[str]) -> str:
    """The first of the touch's texts that holds a word, cut around it."""
    lowered = [w.lower() for w in words]
    for text in (summary, notes, points):
        low = text.lower()
        spots = [low.find(w) for w in lowered if w in low]
        if spots:
            start = max(0, min(spots) - 60)
            piece = " ".join(text[start : start + 200].split())
            return ("…" if start else "") + piece + ("…" if start + 200 < len(text) else "")
    return " ".join(summary.split())[:200]


def _touches(workspace_id: int, words: list[str], limit: int) -> Found:
    if not any(len(w) >= MIN_INDEXED for w in words):
        return Found()  # notes are looked into with a word of three letters or more
    join, where, params = _match("crm_interaction", "i", words)
    # a common word: PostgreSQL walks the (workspace, at) index backwards; SQLite takes the last
    # logged (its full-text table hands rowids out in order), the newest but for back-dated ones
    fast = "crm_interaction_fts.rowid DESC" if join else "i.at DESC, i.id DESC"
    rows, more = _rows(
        "crm_interaction",
        "i.id, i.at",
        f"FROM crm_interaction i{join} WHERE i.workspace_id = %s AND {where}",
        "SELECT i.id, i.at, i.kind, i.summary, i.points, i.notes FROM crm_interaction i WHERE i.id IN ({ids})",
        [workspace_id, *params],
        limit,
        key=lambda r: (aware(r[1]), int(r[0])),
        fast=fast,
        newest=True,
    )
    if not rows:
        return Found()
    ids = [r[0] for r in rows]
    marks = ", ".join(["%s"] * len(ids))
    names: dict[int, tuple[int, str]] = {}
    for touch_id, person_id, name in fetch(
        "SELECT ip.interaction_id, p.id, p.name FROM crm_interactionparticipant ip"
        f" JOIN crm_person p ON p.id = ip.person_id WHERE ip.interaction_id IN ({marks}) ORDER BY ip.id",
        ids,
    ):
        names.setdefault(touch_id, (person_id, name))
    hits = []
    for pk, at, kind, summary, points, notes in rows:
        person_id, name = names.get(pk, (None, ""))
        title = kind_label(kind) + (f" · {name}" if name else "")
        hits.append(Hit("touch", pk, title, _snippet(summary, points, notes, words), aware(at), person_id))
    return Found(hits, more)


def search(workspace: Workspace, text: str, *, limit: int = LIMIT) -> SearchResults:
    """Everything in the workspace that holds every word of ``text`` (nothing for an empty text)."""
    words = search_words(text)
    term = " ".join(words)
    if not words:
        return SearchResults(term)
    ws = workspace.pk
    return SearchResults(
        term,
        people=_people(ws, words, limit),
        organizations=_organizations(ws, words, limit),
        openings=_openings(ws, words, limit),
        touches=_touches(ws, words, limit),
    )


def search_dict(results: SearchResults, *, tz: str) -> dict[str, Any]:
    """The JSON shape of a search (CLI --json and GET /api/search)."""

    def found(f: Found) -> dict[str, Any]:
        return {
            "more": f.more,
            "results": [
                {
                    "id": h.id,
                    "title": h.title,
                    "detail": h.detail,
                    **({"at": when(h.at, tz), "person_id": h.person_id} if h.kind == "touch" else {}),
                }
                for h in f.hits
            ],
        }

    return {
        "q": results.term,
        "people": found(results.people),
        "organizations": found(results.organizations),
        "openings": found(results.openings),
        "touches": found(results.touches),
    }
