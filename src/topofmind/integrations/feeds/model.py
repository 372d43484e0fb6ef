"""The plain records a feed becomes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal


@dataclass(frozen=True, slots=True)
class FeedEntry:
    """One news item. ``id`` is the feed's own guid / id when it has one (stable across
    fetches, so the services can tell a new item from one already seen), else its link,
    else a digest of its title, date and summary. ``published`` is aware (UTC) or None."""

    id: str
    title: str
    link: str | None
    published: datetime | None
    summary: str


@dataclass(frozen=True, slots=True)
class Feed:
    """A parsed feed. ``notes`` are problems that were worked around (a wrong character
    set, entries beyond the cap), each a sentence; the entries are still good."""

    title: str
    link: str | None
    format: str
    entries: tuple[FeedEntry, ...]
    notes: tuple[str, ...] = ()


FeedStatus = Literal["updated", "not_modified", "no_entries"]


@dataclass(frozen=True, slots=True)
class FeedFetch:
    """The outcome of fetching a feed: what to store next time and what, if anything, is new.

    ``status`` is "not_modified" (the server said 304: keep what you have, ``feed`` is None),
    "no_entries" (a valid feed with nothing in it yet) or "updated"; ``message`` says it in
    a sentence. ``etag`` / ``last_modified`` are the validators for the next fetch.
    """

    url: str
    final_url: str
    status: FeedStatus
    message: str
    feed: Feed | None
    etag: str | None
    last_modified: str | None
