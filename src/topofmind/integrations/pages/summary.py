"""An article's title and short summary, from its HTML or from its address."""

from __future__ import annotations

import re
import ssl
from urllib.parse import urljoin, urlsplit

from topofmind.integrations.fetch import DEFAULT_TIMEOUT, FetchError, decode, fetch
from topofmind.integrations.pages.errors import PageError
from topofmind.integrations.pages.extract import PageFacts, collect
from topofmind.integrations.pages.model import PageSummary
from topofmind.integrations.pages.text import shorten

SUMMARY_CHARS = 300
TITLE_CHARS = 200
# The head and the first paragraphs of an article are at the top; past this we stop reading.
MAX_PAGE_BYTES = 2 * 1024 * 1024
_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml", ""})
ACCEPT = "text/html, application/xhtml+xml;q=0.9, */*;q=0.1"
# <meta charset="…"> or <meta http-equiv="Content-Type" content="text/html; charset=…">,
# looked for where browsers look: the first few kilobytes.
_META_CHARSET = re.compile(rb"<meta[^>]+?charset\s*=\s*[\"']?\s*([A-Za-z0-9._:-]+)", re.IGNORECASE)
_SNIFF_BYTES = 4096
_TITLE_KEYS = ("og:title", "twitter:title")
_SUMMARY_KEYS = ("og:description", "twitter:description", "description")


def summarize_page(
    data: bytes,
    *,
    url: str,
    charset: str | None = None,
    summary_chars: int = SUMMARY_CHARS,
    truncated: bool = False,
) -> PageSummary:
    """Title and summary of the HTML page ``data`` fetched from ``url``.

    Title: og:title, twitter:title, <title>, then the first <h1>. Summary: og:description,
    twitter:description, the description meta tag, then the first substantial paragraph
    outside navigation, headers and footers. Only the first 2 MB are read (``truncated``:
    ``data`` is already only the beginning of the page). Raises PageError("no_content") when the page
    has neither a title nor any text.
    """
    sniffed = _META_CHARSET.search(data[:_SNIFF_BYTES])
    truncated = truncated or len(data) > MAX_PAGE_BYTES
    decoded = decode(
        data[:MAX_PAGE_BYTES],
        declared=charset,
        embedded=sniffed.group(1).decode("ascii") if sniffed else None,
        where=f"the page at {url}",
        truncated=truncated,
    )
    facts = collect(decoded.text)
    title = _first(facts, _TITLE_KEYS) or facts.title or facts.first_heading
    summary = _first(facts, _SUMMARY_KEYS) or facts.first_paragraph
    if not title and not summary:
        raise PageError(
            f"The page at {url} has no title and no text that topofmind can read.", code="no_content", url=url
        )
    notes = [decoded.note] if decoded.note else []
    if truncated:
        notes.append(f"The page at {url} is long; only its beginning was read.")
    return PageSummary(
        url=_canonical(facts, url),
        title=shorten(title, TITLE_CHARS),
        summary=shorten(summary, summary_chars),
        site_name=facts.meta.get("og:site_name", "") or facts.meta.get("application-name", ""),
        feeds=tuple(dict.fromkeys(link for link in (_absolute(href, url) for href in facts.feeds) if link)),
        notes=tuple(notes),
    )


def fetch_page(
    url: str,
    *,
    allow_private_addresses: bool = False,
    timeout: float = DEFAULT_TIMEOUT,
    max_bytes: int = MAX_PAGE_BYTES,
    summary_chars: int = SUMMARY_CHARS,
    tls: ssl.SSLContext | None = None,
) -> PageSummary:
    """Fetch the article at ``url`` (its first ``max_bytes`` at most) and summarise it.

    Raises only PageError, with a sentence naming the address.
    """
    try:
        got = fetch(
            url,
            allow_private_addresses=allow_private_addresses,
            timeout=timeout,
            max_bytes=max_bytes,
            accept=ACCEPT,
            what="page",
            tls=tls,
            truncate=True,
        )
    except FetchError as error:
        raise PageError(error.message, code=error.code, url=error.url, status=error.status) from error
    if got.content_type not in _HTML_TYPES:
        raise PageError(
            f"The page at {got.url} is not a web page (it is {got.content_type}).", code="not_html", url=got.url
        )
    return summarize_page(
        got.body, url=got.final_url, charset=got.charset, summary_chars=summary_chars, truncated=got.truncated
    )


def _first(facts: PageFacts, keys: tuple[str, ...]) -> str:
    return next((facts.meta[key] for key in keys if facts.meta.get(key)), "")


def _absolute(href: str, base: str) -> str | None:
    absolute = urljoin(base, href.strip())
    return absolute if urlsplit(absolute).scheme in ("http", "https") else None


def _canonical(facts: PageFacts, url: str) -> str:
    # Tracking parameters and mobile hosts differ; the canonical address is the one to store.
    for candidate in (facts.canonical, facts.meta.get("og:url", "")):
        absolute = _absolute(candidate, url) if candidate else None
        if absolute:
            return absolute
    return url
