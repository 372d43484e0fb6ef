"""Company news feeds: RSS 2.0, RSS 1.0 and Atom into plain records.

What it offers::

    fetch_feed(url, etag=None, last_modified=None, *, allow_private_addresses=False,
               timeout=10.0, max_bytes=5 MB, max_entries=200, summary_chars=400,
               tls=None) -> FeedFetch
    parse_feed(data, *, url, charset=None, max_entries=200, summary_chars=400) -> Feed
    FeedFetch(url, final_url, status, message, feed, etag, last_modified)
        status: "updated" | "not_modified" | "no_entries"; message: the same in a sentence
    Feed(title, link, format, entries, notes)
    FeedEntry(id, title, link, published, summary)   # published aware UTC or None
    FeedError(message, code=..., url=..., discovered=())

Titles and summaries are plain text (tags dropped, entities decoded, one line), summaries
cut at a word boundary; links are absolute http(s) or None; entry ids are the feed's own
guid / id, so they stay the same from one fetch to the next. A feed labelled with the
wrong character set is read in the right one (and ``Feed.notes`` says so). An empty body,
a web page (with the feed it advertises, when it names one, in ``discovered``), other
XML and a malformed feed (feedparser's "bozo") are a FeedError: nothing half-read is
returned, so the caller changes nothing.

How the services will call it: a queue job per organisation feed does
``result = fetch_feed(feed.url, feed.etag, feed.last_modified,
allow_private_addresses=settings.FETCH_PRIVATE_ADDRESSES)``; on "not_modified" it only
stamps the time; on "updated" it stores ``result.etag`` / ``result.last_modified`` and
adds the entries whose ``id`` it has not seen; on FeedError it records ``str(error)`` as
the feed's status for the user and changes nothing else.
"""

from __future__ import annotations

from topofmind.integrations.feeds.errors import FeedError, FeedErrorCode
from topofmind.integrations.feeds.fetch import fetch_feed
from topofmind.integrations.feeds.model import Feed, FeedEntry, FeedFetch, FeedStatus
from topofmind.integrations.feeds.parse import parse_feed

__all__ = ["Feed", "FeedEntry", "FeedError", "FeedErrorCode", "FeedFetch", "FeedStatus", "fetch_feed", "parse_feed"]
