"""Company news (R10): an organization's RSS and Atom feeds, and reading them.

Reading a feed happens outside any transaction (a slow or hostile server never holds a lock),
through ``integrations.feeds`` (the hardened fetcher: private addresses refused unless
TOPOFMIND_FETCH_PRIVATE_ADDRESSES, a timeout, a size limit, conditional GET). Then one short
transaction per feed records what came of it: the validators for next time, a status in
words, and each entry not seen before as a ``news`` item of the library (once each: the
feed's own entry id is the key). A feed that fails changes nothing but its own status.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction

from topofmind.crm.errors import Conflict, Invalid
from topofmind.crm.models import Feed, Organization, ValueItem, Workspace, WorkspaceSettings
from topofmind.crm.services._fields import get_row, web_url
from topofmind.crm.services.transactions import atomic_with_retry
from topofmind.integrations.feeds import FeedError, FeedFetch, fetch_feed
from topofmind.integrations.fetch import DEFAULT_TIMEOUT
from topofmind.integrations.fetch.limits import describe_size

# Feeds read at the same time by one fetch (network waits overlap; the writes stay one by one).
PARALLEL = 8
BATCH = 64
_LINE = re.compile(r"on line (\d+)")


@dataclass(frozen=True)
class FeedOutcome:
    """What one fetch of one feed came to, as the CLI, the API and the page show it."""

    feed_id: int
    organization: str
    url: str
    ok: bool
    status: str
    entries: int
    new: int


@atomic_with_retry("feed")
def add_feed(*, workspace: Workspace, organization_id: int, url: str, now: datetime) -> Feed:
    """A news feed for an organization (http or https); read at the next fetch."""
    org = get_row(Organization.objects.all(), workspace, organization_id, "organization")
    address = web_url(url, field="url")
    if not address:
        raise Invalid("url", "must not be empty", "give the feed's address, e.g. https://example.com/feed.xml")
    if Feed.objects.filter(workspace=workspace, organization=org, url=address).exists():
        raise Conflict(f"{org.name} already has the feed {address}", "see it with: topofmind feeds list")
    return Feed.objects.create(
        workspace=workspace, organization=org, url=address, status="not fetched yet", created_at=now
    )


@atomic_with_retry("feed")
def remove_feed(*, workspace: Workspace, feed_id: int) -> Feed:
    """Stop reading a feed; the news already read from it stays in the library."""
    feed = get_row(Feed.objects.select_related("organization"), workspace, feed_id, "feed")
    feed.delete()
    return feed


def set_feeds(*, workspace: Workspace, organization_id: int, urls: Iterable[str], now: datetime) -> list[Feed]:
    """Make an organization's feeds exactly ``urls`` (the organization form's one-a-line box)."""
    wanted: list[str] = []
    for line in urls:
        address = web_url(line, field="feeds")
        if address and address not in wanted:
            wanted.append(address)
    return _set_feeds(workspace=workspace, organization_id=organization_id, wanted=wanted, now=now)


@atomic_with_retry("feed")
def _set_feeds(*, workspace: Workspace, organization_id: int, wanted: list[str], now: datetime) -> list[Feed]:
    org = get_row(Organization.objects.all(), workspace, organization_id, "organization")
    current = {feed.url: feed for feed in Feed.objects.filter(workspace=workspace, organization=org)}
    for url, feed in current.items():
        if url not in wanted:
            feed.delete()
    return [
        current.get(url)
        or Feed.objects.create(workspace=workspace, organization=org, url=url, status="not fetched yet", created_at=now)
        for url in wanted
    ]


def fetch_feeds(
    *, now: datetime, workspace: Workspace | None = None, feed_ids: Iterable[int] | None = None
) -> list[FeedOutcome]:
    """Read feeds now: a workspace's (or every workspace's, for the periodic job), or just ``feed_ids``
    of that workspace. Returns one outcome per feed, in organization then address order."""
    rows = Feed.objects.select_related("organization").order_by("organization__name", "url", "pk")
    if workspace is not None:
        rows = rows.filter(workspace=workspace)
    if feed_ids is not None:
        rows = rows.filter(pk__in=list(feed_ids))
    feeds = list(rows)
    if not feeds:
        return []
    allow_private = bool(settings.FETCH_PRIVATE_ADDRESSES)
    max_bytes = int(settings.FEED_MAX_BYTES)

    def read(feed: Feed) -> FeedFetch | FeedError:
        try:
            return fetch_feed(
                feed.url,
                feed.etag or None,
                feed.last_modified or None,
                allow_private_addresses=allow_private,
                max_bytes=max_bytes,
            )
        except FeedError as error:
            return error

    zones = dict(
        WorkspaceSettings.objects.filter(workspace_id__in={f.workspace_id for f in feeds}).values_list(
            "workspace_id", "timezone"
        )
    )
    outcomes: list[FeedOutcome] = []
    with ThreadPoolExecutor(max_workers=min(PARALLEL, len(feeds))) as pool:
        # A batch at a time: the parsed feeds waiting to be recorded stay few, however many there are.
        for first in range(0, len(feeds), BATCH):
            batch = feeds[first : first + BATCH]
            for feed, answer in zip(batch, pool.map(read, batch), strict=True):
                zone = zones.get(feed.workspace_id, "UTC")
                outcomes.append(_record(feed_id=feed.pk, answer=answer, now=now, zone=zone, max_bytes=max_bytes))
    return outcomes


@atomic_with_retry("feed")
def _record(*, feed_id: int, answer: FeedFetch | FeedError, now: datetime, zone: str, max_bytes: int) -> FeedOutcome:
    feed = Feed.objects.select_for_update().select_related("organization").filter(pk=feed_id).first()
    if feed is None:  # removed while it was being read
        return FeedOutcome(feed_id, "", "", False, "removed while it was read", 0, 0)
    at = now.astimezone(_zone(zone)).strftime("%H:%M")
    feed.last_fetch_at = now
    entries = new = 0
    if isinstance(answer, FeedError):
        feed.ok = False
        feed.status = error_words(answer, max_bytes=max_bytes)
        feed.save(update_fields=["last_fetch_at", "ok", "status"])
    else:
        feed.ok = True
        feed.last_ok_at = now
        feed.etag = (answer.etag or "")[:500]
        feed.last_modified = (answer.last_modified or "")[:100]
        if answer.status == "not_modified":
            feed.status = f"not changed since the last fetch (checked at {at})"
        elif answer.feed is None or not answer.feed.entries:
            feed.status = f"no entries yet (checked at {at})"
        else:
            entries = len(answer.feed.entries)
            new = _add_news(feed, answer, now=now)
            feed.status = f"{entries} {'entry' if entries == 1 else 'entries'}, {new} new at {at}"
        feed.save(update_fields=["last_fetch_at", "last_ok_at", "ok", "status", "etag", "last_modified"])
    return FeedOutcome(feed.pk, feed.organization.name, feed.url, feed.ok, feed.status, entries, new)


def _add_news(feed: Feed, answer: FeedFetch, *, now: datetime) -> int:
    assert answer.feed is not None
    seen = set(ValueItem.objects.filter(workspace_id=feed.workspace_id, feed=feed).values_list("guid", flat=True))
    fresh: list[ValueItem] = []
    for entry in answer.feed.entries:
        guid = _guid(entry.id)
        if guid in seen or not entry.title.strip():
            continue
        seen.add(guid)
        link = entry.link or ""
        fresh.append(
            ValueItem(
                workspace_id=feed.workspace_id,
                kind=ValueItem.ValueKind.NEWS,
                organization_id=feed.organization_id,
                feed=feed,
                guid=guid,
                title=entry.title.strip()[:300],
                url=link if len(link) <= 1000 else "",
                summary=entry.summary,
                happened_on=entry.published.date() if entry.published else None,
                created_at=now,
            )
        )
    with transaction.atomic():
        ValueItem.objects.bulk_create(fresh, ignore_conflicts=True)
    return len(fresh)


def _guid(raw: str) -> str:
    """The entry's own id, or its digest when too long to store."""
    text = raw.strip()
    return text if 0 < len(text) <= 500 else "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ValueError, KeyError, OSError):
        return ZoneInfo("UTC")


def error_words(error: FeedError, *, max_bytes: int) -> str:
    """A failed fetch in a few words: "the server answered 404", "too big: over 5 MB"."""
    code = error.code
    if code == "http_status":
        return f"the server answered {error.status}" if error.status else "the server answered with an error"
    if code == "malformed":
        line = _LINE.search(error.message)
        return f"not a feed: malformed XML at line {line.group(1)}" if line else "not a feed: malformed XML"
    if code == "not_a_feed":
        if error.discovered:
            return f"not a feed: a web page (its feed is at {error.discovered[0]})"
        return "not a feed: a web page or other XML"
    if code == "empty":
        return "not a feed: the server sent nothing"
    if code == "too_large":
        return f"too big: over {describe_size(max_bytes)}"
    if code == "redirect_loop":
        return "the address redirects in a loop"
    if code == "too_many_redirects":
        return "the address redirects too many times"
    if code == "timeout":
        return f"no answer within {DEFAULT_TIMEOUT:g} seconds"
    if code == "private_address":
        return "refused: a private or loopback address (TOPOFMIND_FETCH_PRIVATE_ADDRESSES is off)"
    if code == "dns":
        return "the server's name does not resolve"
    if code == "connect":
        return "the server could not be reached"
    if code == "tls":
        return "the server's certificate was not accepted"
    return error.message
