"""Feed bytes to a ``Feed``: RSS 2.0, RSS 1.0 and Atom through feedparser.

The bytes are decoded here first (``fetch.decoding``: the label checked against the
bytes) and handed to feedparser as UTF-8, so a mislabelled feed reads correctly and the
only problems feedparser reports are real XML ones. feedparser gets a stream, never a
string: given a string it would open a URL or a local file of that name.
"""

from __future__ import annotations

import calendar
import hashlib
import io
import re
import time
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

import feedparser  # type: ignore[import-untyped]

from topofmind.integrations.feeds.errors import FeedError
from topofmind.integrations.feeds.model import Feed, FeedEntry
from topofmind.integrations.fetch.decoding import decode
from topofmind.integrations.pages.extract import collect
from topofmind.integrations.pages.text import collapse, html_to_text, shorten

MAX_ENTRIES = 200
SUMMARY_CHARS = 400
TITLE_CHARS = 300
# A feed is parsed in memory; the fetcher caps what arrives, this caps what a caller hands in.
MAX_FEED_BYTES = 10 * 1024 * 1024

_XML_DECLARATION = re.compile(rb"^\s*<\?xml[^>]*?encoding\s*=\s*[\"']([A-Za-z0-9._:-]+)[\"']")
_XML_ENCODING_ATTRIBUTE = re.compile(r"^(\s*<\?xml[^>]*?encoding\s*=\s*)([\"'])[A-Za-z0-9._:-]+\2")
_LOOKS_LIKE_HTML = re.compile(
    r"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*(?:<!doctype\s+html|<html[\s>])", re.IGNORECASE | re.DOTALL
)
_FORMATS = {
    "rss20": "RSS 2.0",
    "rss10": "RSS 1.0",
    "rss090": "RSS 0.90",
    "rss091u": "RSS 0.91",
    "rss091n": "RSS 0.91",
    "rss092": "RSS 0.92",
    "rss093": "RSS 0.93",
    "rss094": "RSS 0.94",
    "atom10": "Atom 1.0",
    "atom03": "Atom 0.3",
}


def parse_feed(
    data: bytes,
    *,
    url: str,
    charset: str | None = None,
    max_entries: int = MAX_ENTRIES,
    summary_chars: int = SUMMARY_CHARS,
) -> Feed:
    """Parse feed bytes fetched from ``url`` (``charset``: the HTTP label, if any).

    Raises FeedError ("empty", "not_a_feed", "malformed") with a sentence naming ``url``;
    nothing else escapes.
    """
    where = f"the feed at {url}"
    if not data.strip():
        raise FeedError(f"The feed at {url} is empty: the server sent no content.", code="empty", url=url)
    if len(data) > MAX_FEED_BYTES:
        raise FeedError(
            f"The feed at {url} is too large to read ({len(data) // (1024 * 1024)} MB).", code="malformed", url=url
        )
    embedded = _XML_DECLARATION.match(data[:512])
    decoded = decode(
        data, declared=charset, embedded=embedded.group(1).decode("ascii") if embedded else None, where=where
    )
    if _LOOKS_LIKE_HTML.match(decoded.text[:4096]):
        raise _not_a_feed_but_a_page(decoded.text, url)
    # The text is UTF-8 from here on; the declaration must say so or expat would re-decode it.
    utf8 = _XML_ENCODING_ATTRIBUTE.sub(r"\1\2utf-8\2", decoded.text, count=1).encode("utf-8")
    try:
        parsed = feedparser.parse(
            io.BytesIO(utf8),
            response_headers={"content-type": "application/xml; charset=utf-8"},
            resolve_relative_uris=False,
            sanitize_html=False,
        )
    except Exception as error:  # feedparser is lenient; anything it still throws is a broken feed
        raise FeedError(
            f"The feed at {url} could not be read ({type(error).__name__}).", code="malformed", url=url
        ) from error
    if parsed.get("bozo"):
        raise _malformed(parsed.get("bozo_exception"), url)
    version = str(parsed.get("version") or "")
    if not version:
        raise FeedError(
            f"The address {url} is not a feed (RSS or Atom): its content is some other XML.", code="not_a_feed", url=url
        )
    return _feed(
        parsed, url=url, version=version, max_entries=max_entries, summary_chars=summary_chars, note=decoded.note
    )


def _not_a_feed_but_a_page(text: str, url: str) -> FeedError:
    feeds = tuple(link for link in (_http_link(href, url) for href in collect(text).feeds) if link)
    if feeds:
        where = feeds[0] if len(feeds) == 1 else ", ".join(feeds)
        message = f"The address {url} is a web page, not a feed; the page names its feed at {where}."
    else:
        message = f"The address {url} is a web page, not a feed (RSS or Atom)."
    return FeedError(message, code="not_a_feed", url=url, discovered=feeds)


def _malformed(problem: object, url: str) -> FeedError:
    line = getattr(problem, "getLineNumber", None)
    message = getattr(problem, "getMessage", None)
    detail = str(message()) if callable(message) else str(problem or "unknown problem")
    where = f" on line {line()}" if callable(line) else ""
    return FeedError(
        f"The feed at {url} is not well-formed XML{where} ({detail}); nothing was read from it.",
        code="malformed",
        url=url,
    )


def _feed(parsed: Any, *, url: str, version: str, max_entries: int, summary_chars: int, note: str | None) -> Feed:
    channel = parsed.get("feed", {})
    entries: list[FeedEntry] = []
    seen: set[str] = set()
    notes = [note] if note else []
    truncated = False
    for raw in parsed.get("entries", []):
        if len(entries) == max_entries:
            truncated = True
            break
        entry = _entry(raw, url=url, summary_chars=summary_chars)
        if entry.id not in seen:  # a feed that repeats an item shows it once
            seen.add(entry.id)
            entries.append(entry)
    if truncated:
        notes.append(f"The feed at {url} has more than {max_entries} entries; only the first {max_entries} were read.")
    return Feed(
        title=shorten(_text(channel, "title"), TITLE_CHARS),
        link=_http_link(str(channel.get("link") or ""), url),
        format=_FORMATS.get(version, version),
        entries=tuple(entries),
        notes=tuple(notes),
    )


def _entry(raw: Any, *, url: str, summary_chars: int) -> FeedEntry:
    title = shorten(_text(raw, "title"), TITLE_CHARS)
    raw_link = str(raw.get("link") or "")
    if raw.get("guidislink") and not _is_absolute(raw_link):
        # RSS lets a guid double as the link; "item-42" is a label, not an address to open.
        raw_link = ""
    link = _http_link(raw_link, _base(raw, url))
    published = _when(raw.get("published_parsed")) or _when(raw.get("updated_parsed"))
    # Summaries are read as HTML whatever their declared type: RSS descriptions are HTML by
    # definition and feeds often mislabel them; literal "<" in plain text is rare.
    summary = html_to_text(str(raw.get("summary") or ""))
    if not summary and raw.get("content"):
        summary = html_to_text(str(raw["content"][0].get("value") or ""))
    identity = collapse(str(raw.get("id") or "")) or link
    if not identity:
        # No guid and no link: the content is all that tells the item apart.
        digest = hashlib.sha256(
            "\x1f".join((title, published.isoformat() if published else "", summary)).encode()
        ).hexdigest()
        identity = f"sha256:{digest[:32]}"
    return FeedEntry(id=identity, title=title, link=link, published=published, summary=shorten(summary, summary_chars))


def _text(element: Any, key: str) -> str:
    detail = element.get(f"{key}_detail") or {}
    return _html_or_text(str(element.get(key) or ""), str(detail.get("type") or ""))


def _html_or_text(value: str, kind: str) -> str:
    # "html", "text/html", "application/xhtml+xml": markup; anything else is plain text.
    return html_to_text(value) if "html" in kind else collapse(value)


def _base(raw: Any, url: str) -> str:
    # xml:base on the entry (Atom) says what its relative links are relative to.
    detail = raw.get("title_detail") or raw.get("summary_detail") or {}
    base = str(detail.get("base") or "")
    return urljoin(url, base) if base else url


def _is_absolute(href: str) -> bool:
    return urlsplit(href.strip()).scheme in ("http", "https")


def _http_link(href: str, base: str) -> str | None:
    href = href.strip()
    if not href:
        return None
    absolute = urljoin(base, href)
    # javascript:, data: and mailto: links are not articles to open.
    return absolute if urlsplit(absolute).scheme in ("http", "https") else None


def _when(parsed: Any) -> datetime | None:
    if not isinstance(parsed, time.struct_time):
        return None
    try:
        # feedparser hands dates back as UTC struct_time.
        return datetime.fromtimestamp(calendar.timegm(parsed), tz=UTC)
    except (OverflowError, ValueError, OSError):
        return None
