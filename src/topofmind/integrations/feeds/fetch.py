"""Fetch a feed and parse it: the call the services make on a schedule."""

from __future__ import annotations

import ssl

from topofmind.integrations.feeds.errors import FeedError
from topofmind.integrations.feeds.model import FeedFetch
from topofmind.integrations.feeds.parse import MAX_ENTRIES, SUMMARY_CHARS, parse_feed
from topofmind.integrations.fetch import DEFAULT_MAX_BYTES, DEFAULT_TIMEOUT, FetchError, fetch

# What a feed reader says it takes; servers that negotiate pick a feed over an HTML page.
ACCEPT = "application/rss+xml, application/atom+xml, application/rdf+xml;q=0.9, application/xml;q=0.8, text/xml;q=0.8, */*;q=0.5"


def fetch_feed(
    url: str,
    etag: str | None = None,
    last_modified: str | None = None,
    *,
    allow_private_addresses: bool = False,
    timeout: float = DEFAULT_TIMEOUT,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_entries: int = MAX_ENTRIES,
    summary_chars: int = SUMMARY_CHARS,
    tls: ssl.SSLContext | None = None,
) -> FeedFetch:
    """Fetch the feed at ``url``, sending the validators of the last fetch.

    Returns "not_modified" (a 304), "no_entries" or "updated" with the feed; raises only
    FeedError, whose sentence names the feed and whose ``code`` says what went wrong.
    """
    try:
        got = fetch(
            url,
            etag=etag,
            last_modified=last_modified,
            allow_private_addresses=allow_private_addresses,
            timeout=timeout,
            max_bytes=max_bytes,
            accept=ACCEPT,
            what="feed",
            tls=tls,
        )
    except FetchError as error:
        raise FeedError(error.message, code=error.code, url=error.url, status=error.status) from error
    if got.not_modified:
        return FeedFetch(
            url=got.url,
            final_url=got.final_url,
            status="not_modified",
            message=f"The feed at {got.url} has not changed since it was last read.",
            feed=None,
            etag=got.etag,
            last_modified=got.last_modified,
        )
    feed = parse_feed(
        got.body, url=got.final_url, charset=got.charset, max_entries=max_entries, summary_chars=summary_chars
    )
    count = len(feed.entries)
    return FeedFetch(
        url=got.url,
        final_url=got.final_url,
        status="updated" if count else "no_entries",
        message=(
            f"The feed at {got.url} has {count} {'entry' if count == 1 else 'entries'}."
            if count
            else f"The feed at {got.url} has no entries yet."
        ),
        feed=feed,
        etag=got.etag,
        last_modified=got.last_modified,
    )
