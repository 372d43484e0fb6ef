"""What a successful fetch hands back."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class FetchResult:
    """The answer to one GET, after redirects.

    ``not_modified`` is True when the server said 304 to our conditional GET; ``body`` is
    then empty and the caller keeps what it had. ``truncated``: the body is only the first
    ``max_bytes`` (the caller asked for ``truncate=True``). ``etag`` / ``last_modified`` are the
    validators to send next time (the new ones, or the ones passed in when a 304 named none).
    """

    url: str
    final_url: str
    status: int
    not_modified: bool
    body: bytes
    truncated: bool
    content_type: str
    charset: str | None
    etag: str | None
    last_modified: str | None
