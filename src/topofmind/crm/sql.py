"""Helpers for the hand-written SQL of the hot paths (re-planning after a write, the agenda).

Both backends: ``%s`` placeholders as Django's cursors take them; values read back are
normalised here (SQLite hands back text and naive datetimes where PostgreSQL gives objects).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, date, datetime
from typing import Any

from django.db import connection

# Long id lists are sent in slices: SQLite builds before 3.32 allow 999 parameters.
SLICE = 900


def sliced(ids: Iterable[int]) -> Iterator[list[int]]:
    """Sorted slices of at most SLICE ids (sorted: the same query text for the same ids)."""
    ordered = sorted(set(ids))
    for start in range(0, len(ordered), SLICE):
        yield ordered[start : start + SLICE]


def marks(ids: Sequence[object]) -> str:
    return ", ".join(["%s"] * len(ids))


def fetch(sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
    """Rows of one hand-written query (``%s`` placeholders, as Django's cursors take them)."""
    with connection.cursor() as cursor:
        cursor.execute(sql, list(params))
        return list(cursor.fetchall())


def fetch_in(
    sql: str, ids: Iterable[int], before: Sequence[Any] = (), after: Sequence[Any] = ()
) -> list[tuple[Any, ...]]:
    """Run ``sql`` (with one ``{ids}`` list) for every slice of ``ids``."""
    rows: list[tuple[Any, ...]] = []
    for part in sliced(ids):
        rows.extend(fetch(sql.format(ids=marks(part)), [*before, *part, *after]))
    return rows


def aware(value: datetime | str | None) -> datetime | None:
    """A stored UTC moment as an aware datetime (SQLite hands back naive ones)."""
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def day_of(value: Any) -> Any:
    """A stored date as a date (SQLite hands back text)."""
    if isinstance(value, str):
        return date.fromisoformat(value)
    return value


def json_value(value: Any) -> Any:
    """A JSON column read with raw SQL (both backends hand back text)."""
    return json.loads(value) if isinstance(value, str) else value
