"""Reading a response body within a size limit and a deadline, decompressing as it goes.

The body is read in chunks and counted as it arrives: a 50 MB answer is refused after
the first few megabytes, never held whole. A gzip body is counted *after* decompression,
so a small compressed file that inflates to gigabytes (a "zip bomb") is refused too.
"""

from __future__ import annotations

import http.client
import socket
import time
import zlib

from topofmind.integrations.fetch.errors import FetchError
from topofmind.integrations.fetch.limits import describe_size

CHUNK = 64 * 1024


class _Inflater:
    """Decompresses gzip or zlib ("deflate") data without ever producing more than asked."""

    def __init__(self) -> None:
        # 32 + 15: let zlib recognise a gzip or a zlib header by itself.
        self._decompressor = zlib.decompressobj(32 + zlib.MAX_WBITS)

    @property
    def finished(self) -> bool:
        """True once the compressed stream's end was seen (a cut-off stream never gets there)."""
        return self._decompressor.eof

    def feed(self, data: bytes, room: int) -> bytes:
        """Up to ``room + 1`` bytes of output for ``data``: one more than fits means too large."""
        out = bytearray()
        pending = data
        while pending and len(out) <= room:
            out += self._decompressor.decompress(pending, room + 1 - len(out))
            pending = self._decompressor.unconsumed_tail
        return bytes(out)


def read_body(
    response: http.client.HTTPResponse,
    *,
    sock: socket.socket | None,
    max_bytes: int,
    deadline: float,
    timeout: float,
    url: str,
    what: str,
    truncate: bool = False,
) -> tuple[bytes, bool]:
    """The (decompressed) body and whether it was cut at ``max_bytes``.

    Past ``max_bytes`` the body is refused (FetchError "too_large"), or, with ``truncate``,
    its first ``max_bytes`` are kept and the rest is never read. Also FetchError "timeout"
    and "bad_response".
    """
    too_large = FetchError(
        f"The {what} at {url} is larger than {describe_size(max_bytes)}, so it was not read.", code="too_large", url=url
    )
    declared = response.getheader("Content-Length")
    encoding = (response.getheader("Content-Encoding") or "identity").strip().lower()
    if encoding not in ("identity", "gzip", "x-gzip", "deflate"):
        raise FetchError(
            f"The {what} at {url} was sent compressed as {encoding!r}, which topofmind cannot read.",
            code="bad_response",
            url=url,
        )
    inflater = None if encoding == "identity" else _Inflater()
    # The size the server announces lets us refuse before reading a byte.
    if (
        not truncate
        and inflater is None
        and declared is not None
        and declared.strip().isdigit()
        and int(declared) > max_bytes
    ):
        raise too_large
    body = bytearray()
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise FetchError(f"The {what} at {url} did not arrive within {timeout:g} seconds.", code="timeout", url=url)
        if sock is not None:
            # The socket's own timeout is per read; bound it by what is left of the whole,
            # so a server that trickles one byte a second still ends at the deadline.
            sock.settimeout(remaining)
        chunk = response.read1(CHUNK)
        if not chunk:
            break
        try:
            body += inflater.feed(chunk, max_bytes - len(body)) if inflater is not None else chunk
        except zlib.error as error:
            raise FetchError(
                f"The {what} at {url} was sent compressed but does not decompress.", code="bad_response", url=url
            ) from error
        if len(body) > max_bytes:
            if truncate:
                return bytes(body[:max_bytes]), True
            raise too_large
    if inflater is not None and not inflater.finished:
        raise FetchError(
            f"The {what} at {url} stopped sending part-way through its answer.", code="bad_response", url=url
        )
    return bytes(body), False
