"""Checking and normalising a user-given address before anything goes on the wire."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote, urlsplit, urlunsplit

from topofmind.integrations.fetch.errors import FetchError

# Characters that may stay as they are in a path or query; everything else is %-encoded,
# so an address pasted with spaces or accents still makes a valid request line.
_SAFE = "/%:@!$&'()*+,;=-._~?"


@dataclass(frozen=True, slots=True)
class Target:
    """A checked http(s) address, split the way a connection needs it."""

    url: str
    scheme: str
    host: str
    port: int
    request_path: str


def parse_target(url: str, *, what: str) -> Target:
    """Check ``url`` is a plain http(s) address with a host; raise FetchError otherwise."""
    shown = url.strip()
    if not shown or any(ord(char) < 33 for char in shown):
        raise FetchError(
            f"The {what} address {shown!r} is not a web address: it is empty or contains spaces or control characters.",
            code="bad_url",
            url=shown,
        )
    try:
        parts = urlsplit(shown)
        port = parts.port
    except ValueError as error:
        raise FetchError(
            f"The {what} address {shown} is not a web address ({error}).", code="bad_url", url=shown
        ) from error
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise FetchError(
            f"The {what} address {shown} is not fetched: only http and https addresses are.", code="scheme", url=shown
        )
    if not parts.hostname:
        raise FetchError(f"The {what} address {shown} has no host name.", code="bad_url", url=shown)
    if parts.username is not None or parts.password is not None:
        raise FetchError(
            f"The {what} address {shown} contains a user name or password; remove it and try again.",
            code="bad_url",
            url=shown,
        )
    try:
        host = parts.hostname.encode("idna").decode("ascii") if not parts.hostname.isascii() else parts.hostname
    except UnicodeError as error:
        raise FetchError(
            f"The {what} address {shown} has a host name that is not valid: {parts.hostname}.",
            code="bad_url",
            url=shown,
        ) from error
    path = quote(parts.path or "/", safe=_SAFE)
    query = quote(parts.query, safe=_SAFE)
    netloc = f"[{host}]" if ":" in host else host
    if port is not None:
        netloc = f"{netloc}:{port}"
    normal = urlunsplit((scheme, netloc, path, query, ""))
    return Target(
        url=normal,
        scheme=scheme,
        host=host,
        port=port if port is not None else (443 if scheme == "https" else 80),
        request_path=path + (f"?{query}" if query else ""),
    )
