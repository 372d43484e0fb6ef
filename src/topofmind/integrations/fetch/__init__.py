"""The safe HTTP fetcher: GET a URL a user gave us, without letting that URL hurt the server.

What it offers::

    fetch(url, *, etag=None, last_modified=None, allow_private_addresses=False,
          trusted_addresses=(), timeout=10.0, max_bytes=5 MB, max_redirects=5, accept="*/*", what="page",
          tls=None, truncate=False) -> FetchResult
    FetchResult(url, final_url, status, not_modified, body, truncated, content_type,
                charset, etag, last_modified)
    decode(data, *, declared, embedded=None, where=..., truncated=False) -> Decoded(text, encoding, note)
    FetchError(message, code=..., url=..., status=None)   # str(error) is the sentence

Guarantees: only http and https; the host is resolved once and every address checked
(private, loopback, link-local, multicast, reserved, unspecified, shared and IPv4
addresses hidden in IPv6 are refused before any connection unless
``allow_private_addresses``), then the connection goes to the checked address; every
redirect hop is checked the same way; at most ``max_redirects`` hops and no loops;
``timeout`` bounds the whole fetch; the body is counted as it streams in (after gzip
decompression) and refused past ``max_bytes`` (or cut there, with ``truncate``); conditional GET from the caller's
validators, a 304 is ``not_modified``; the User-Agent names topofmind.

Built on the standard library's ``http.client`` rather than urllib or httpx: it lets us
connect to the exact address we checked (no second DNS lookup), read the body in bounded
chunks with a deadline, and follow redirects ourselves so each hop is checked; no new
dependency. Proxies from the environment are not used (a proxy would defeat the address
check).

How the services call it: the feed and page fetchers (``integrations.feeds``,
``integrations.pages``) call ``fetch`` with ``what="feed"`` / ``"page"`` and
``allow_private_addresses`` taken from the TOPOFMIND_FETCH_PRIVATE_ADDRESSES setting;
services catch FeedError / PageError, show ``str(error)`` and branch on ``error.code``.
"""

from __future__ import annotations

from topofmind.integrations.fetch.addresses import is_public
from topofmind.integrations.fetch.client import fetch
from topofmind.integrations.fetch.decoding import Decoded, decode
from topofmind.integrations.fetch.errors import FetchError, FetchErrorCode
from topofmind.integrations.fetch.limits import DEFAULT_MAX_BYTES, DEFAULT_MAX_REDIRECTS, DEFAULT_TIMEOUT, USER_AGENT
from topofmind.integrations.fetch.result import FetchResult

__all__ = [
    "DEFAULT_MAX_BYTES",
    "DEFAULT_MAX_REDIRECTS",
    "DEFAULT_TIMEOUT",
    "USER_AGENT",
    "Decoded",
    "FetchError",
    "FetchErrorCode",
    "FetchResult",
    "decode",
    "fetch",
    "is_public",
]
