"""GET one user-given URL, safely: the fetcher's entry point."""

from __future__ import annotations

import http.client
import ssl
import time
from collections.abc import Collection
from email.message import Message
from http import HTTPStatus
from urllib.parse import urljoin

from topofmind.integrations.fetch.addresses import IPAddress, resolve
from topofmind.integrations.fetch.body import read_body
from topofmind.integrations.fetch.connection import PinnedConnection
from topofmind.integrations.fetch.errors import FetchError
from topofmind.integrations.fetch.limits import (
    DEFAULT_MAX_BYTES,
    DEFAULT_MAX_REDIRECTS,
    DEFAULT_TIMEOUT,
    USER_AGENT,
)
from topofmind.integrations.fetch.result import FetchResult
from topofmind.integrations.fetch.urls import Target, parse_target

_REDIRECTS = frozenset({301, 302, 303, 307, 308})


def fetch(
    url: str,
    *,
    etag: str | None = None,
    last_modified: str | None = None,
    allow_private_addresses: bool = False,
    trusted_addresses: Collection[IPAddress] = (),
    timeout: float = DEFAULT_TIMEOUT,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_redirects: int = DEFAULT_MAX_REDIRECTS,
    accept: str = "*/*",
    what: str = "page",
    tls: ssl.SSLContext | None = None,
    truncate: bool = False,
) -> FetchResult:
    """GET ``url`` and return its body, or "not modified"; every failure is a FetchError.

    ``etag`` / ``last_modified`` are the validators of the copy the caller has; they are
    sent as If-None-Match / If-Modified-Since and a 304 comes back as ``not_modified``.
    ``timeout`` bounds the whole fetch, redirects included. ``what`` ("feed", "article")
    names the thing in error sentences. ``trusted_addresses`` are private addresses let
    through anyway (every other private address stays refused). ``tls`` replaces the system's certificate store
    (tests use it to trust a local authority). With ``truncate`` a body past ``max_bytes``
    is cut there (``FetchResult.truncated``) instead of refused: an article's title and
    first paragraphs are at the top.
    """
    deadline = time.monotonic() + timeout
    first = parse_target(url, what=what)
    shown = first.url
    target = first
    seen = {target.url}
    redirects = 0
    while True:
        status, response_headers, body, truncated = _get_once(
            target,
            shown=shown,
            etag=etag,
            last_modified=last_modified,
            allow_private_addresses=allow_private_addresses,
            trusted_addresses=frozenset(trusted_addresses),
            deadline=deadline,
            timeout=timeout,
            max_bytes=max_bytes,
            accept=accept,
            what=what,
            tls=tls,
            truncate=truncate,
        )
        if status in _REDIRECTS:
            location = response_headers.get("Location")
            if not location:
                raise FetchError(
                    f"The {what} at {shown} answered {status} (a redirect) without saying where to.",
                    code="bad_response",
                    url=shown,
                    status=status,
                )
            redirects += 1
            if redirects > max_redirects:
                raise FetchError(
                    f"The {what} at {shown} redirected more than {max_redirects} times.",
                    code="too_many_redirects",
                    url=shown,
                    status=status,
                )
            target = parse_target(urljoin(target.url, location.strip()), what=what)
            if target.url in seen:
                raise FetchError(
                    f"The {what} at {shown} redirects in a loop (back to {target.url}).",
                    code="redirect_loop",
                    url=shown,
                    status=status,
                )
            seen.add(target.url)
            continue
        return _result(
            first.url,
            target.url,
            status,
            response_headers,
            body,
            truncated,
            etag=etag,
            last_modified=last_modified,
            what=what,
        )


def _get_once(
    target: Target,
    *,
    shown: str,
    etag: str | None,
    last_modified: str | None,
    allow_private_addresses: bool,
    trusted_addresses: frozenset[IPAddress],
    deadline: float,
    timeout: float,
    max_bytes: int,
    accept: str,
    what: str,
    tls: ssl.SSLContext | None,
    truncate: bool,
) -> tuple[int, Message, bytes, bool]:
    """One request, no redirect followed: (status, headers, body, whether the body was cut)."""
    # A redirect to a private address is refused like a private address typed in.
    where = shown if target.url == shown else f"{shown} (redirected to {target.url})"
    addresses = resolve(
        target.host,
        target.port,
        url=where,
        what=what,
        allow_private_addresses=allow_private_addresses,
        trusted_addresses=trusted_addresses,
    )
    headers = {
        "User-Agent": USER_AGENT,
        "Accept": accept,
        "Accept-Encoding": "gzip",
        "Connection": "close",
    }
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    context = (tls or ssl.create_default_context()) if target.scheme == "https" else None
    last_error: OSError | None = None
    for address in addresses:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            break
        connection = PinnedConnection(target.host, target.port, address=address, timeout=remaining, tls=context)
        response: http.client.HTTPResponse | None = None
        try:
            try:
                connection.request("GET", target.request_path, headers=headers)
            except ssl.SSLError as error:
                raise _tls_error(error, where, what) from error
            except TimeoutError as error:
                raise _timeout_error(where, what, timeout) from error
            except OSError as error:
                last_error = error  # try the host's next address
                continue
            try:
                # Kept before getresponse(): with "Connection: close" the connection lets go
                # of its socket as soon as the answer starts, and the body reader needs it.
                sock = connection.sock
                if sock is not None:
                    sock.settimeout(max(deadline - time.monotonic(), 0.001))
                response = connection.getresponse()
                status = response.status
                body, truncated = b"", False
                if status not in _REDIRECTS and status != HTTPStatus.NOT_MODIFIED and status < 400:
                    body, truncated = read_body(
                        response,
                        sock=sock,
                        max_bytes=max_bytes,
                        deadline=deadline,
                        timeout=timeout,
                        url=where,
                        what=what,
                        truncate=truncate,
                    )
                return status, response.msg, body, truncated
            except TimeoutError as error:
                raise _timeout_error(where, what, timeout) from error
            except (http.client.HTTPException, OSError) as error:
                raise FetchError(
                    f"The {what} at {where} {_describe_broken(error)}.", code="bad_response", url=where
                ) from error
        finally:
            # With "Connection: close" the response owns the socket once it is read from;
            # closing only the connection would leave the socket to the garbage collector.
            if response is not None:
                response.close()
            connection.close()
    if deadline - time.monotonic() <= 0:
        raise _timeout_error(where, what, timeout)
    reason = last_error.strerror if last_error is not None and last_error.strerror else "the connection failed"
    raise FetchError(f"The {what} at {where} cannot be reached: {reason.lower()}.", code="connect", url=where)


def _result(
    url: str,
    final_url: str,
    status: int,
    headers: Message,
    body: bytes,
    truncated: bool,
    *,
    etag: str | None,
    last_modified: str | None,
    what: str,
) -> FetchResult:
    if status == HTTPStatus.NOT_MODIFIED:
        return FetchResult(
            url=url,
            final_url=final_url,
            status=status,
            not_modified=True,
            body=b"",
            truncated=False,
            content_type=headers.get_content_type() if headers.get("Content-Type") else "",
            charset=None,
            etag=headers.get("ETag") or etag,
            last_modified=headers.get("Last-Modified") or last_modified,
        )
    if not 200 <= status < 300:
        raise FetchError(
            f"The {what} at {url} answered {_describe_status(status)}.", code="http_status", url=url, status=status
        )
    charset = headers.get_content_charset()
    return FetchResult(
        url=url,
        final_url=final_url,
        status=status,
        not_modified=False,
        body=body,
        truncated=truncated,
        content_type=headers.get_content_type() if headers.get("Content-Type") else "",
        charset=charset,
        etag=headers.get("ETag"),
        last_modified=headers.get("Last-Modified"),
    )


def _describe_status(status: int) -> str:
    try:
        phrase = HTTPStatus(status).phrase
    except ValueError:
        return str(status)
    hint = "; try again later" if status >= 500 or status == HTTPStatus.TOO_MANY_REQUESTS else ""
    return f"{status} ({phrase}){hint}"


def _describe_broken(error: Exception) -> str:
    if isinstance(error, (http.client.RemoteDisconnected, ConnectionResetError)):
        return "closed the connection without answering"
    if isinstance(error, http.client.IncompleteRead):
        return "stopped sending part-way through its answer"
    if isinstance(error, ssl.SSLError):
        return "broke off the secure connection"
    return "sent an answer that is not valid HTTP"


def _timeout_error(where: str, what: str, timeout: float) -> FetchError:
    return FetchError(f"The {what} at {where} did not answer within {timeout:g} seconds.", code="timeout", url=where)


def _tls_error(error: ssl.SSLError, where: str, what: str) -> FetchError:
    detail = (
        error.verify_message
        if isinstance(error, ssl.SSLCertVerificationError) and error.verify_message
        else error.reason or "handshake failed"
    )
    reason = str(detail).rstrip(".").lower()
    return FetchError(f"The {what} at {where} could not be reached securely: {reason}.", code="tls", url=where)
