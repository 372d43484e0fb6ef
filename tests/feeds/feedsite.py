"""The scripted loopback site the feed tests talk to (``http.server`` in a thread).

A test gives it routes (a path and a function that answers) and reads back what was
asked; the helpers below are the answers the tests need: a fixture file, a redirect,
a 50 MB stream, a slow or trickling server.
"""

from __future__ import annotations

import contextlib
import gzip
import ipaddress
import ssl
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "feeds"
LOOPBACK = ipaddress.ip_address("127.0.0.1")

Handler = Callable[[BaseHTTPRequestHandler], None]


@dataclass
class Seen:
    """One request the site received."""

    path: str
    headers: dict[str, str]


@dataclass
class Site:
    """The routes a test scripted, and what the server saw and sent."""

    base: str = ""
    routes: dict[str, Handler] = field(default_factory=dict)
    requests: list[Seen] = field(default_factory=list)
    bytes_sent: int = 0

    def url(self, path: str) -> str:
        return f"{self.base}{path}"

    def route(self, path: str, handler: Handler) -> str:
        self.routes[path] = handler
        return self.url(path)

    def paths(self) -> list[str]:
        return [seen.path for seen in self.requests]

    # Scripted answers, so a test reads "the site serves X at /path".

    def serves(self, path: str, body: bytes, **options: Any) -> str:
        return self.route(path, answer(body, **options))

    def serves_fixture(self, path: str, name: str, **options: Any) -> str:
        return self.route(path, answer(fixture_bytes(name), **options))

    def redirects(self, path: str, location: str, status: int = 302) -> str:
        return self.route(path, redirect(location, status))

    def streams(self, path: str, total: int, *, declare_length: bool) -> str:
        return self.route(path, stream(self, total, declare_length=declare_length))

    def is_slow(self, path: str, delay: float) -> str:
        return self.route(path, slow(delay))

    def trickles(self, path: str, interval: float, count: int) -> str:
        return self.route(path, trickle(interval, count))


def fixture_bytes(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def answer(
    body: bytes,
    *,
    status: int = 200,
    content_type: str = "application/rss+xml; charset=utf-8",
    headers: dict[str, str] | None = None,
    compress: bool = False,
) -> Handler:
    """A route that answers ``body`` with a Content-Length."""

    def handle(request: BaseHTTPRequestHandler) -> None:
        payload = gzip.compress(body) if compress else body
        request.send_response(status)
        request.send_header("Content-Type", content_type)
        request.send_header("Content-Length", str(len(payload)))
        if compress:
            request.send_header("Content-Encoding", "gzip")
        for name, value in (headers or {}).items():
            request.send_header(name, value)
        request.end_headers()
        request.wfile.write(payload)

    return handle


def redirect(location: str, status: int = 302) -> Handler:
    def handle(request: BaseHTTPRequestHandler) -> None:
        request.send_response(status)
        request.send_header("Location", location)
        request.send_header("Content-Length", "0")
        request.end_headers()

    return handle


def stream(site: Site, total: int, *, declare_length: bool, chunk: int = 64 * 1024) -> Handler:
    """A route that sends ``total`` bytes of a feed-like body, counting what got out."""

    def handle(request: BaseHTTPRequestHandler) -> None:
        request.send_response(200)
        request.send_header("Content-Type", "application/rss+xml")
        if declare_length:
            request.send_header("Content-Length", str(total))
        request.end_headers()
        block = b"<!-- padding -->" * (chunk // 16)
        sent = 0
        while sent < total:
            request.wfile.write(block)
            sent += len(block)
            site.bytes_sent = sent

    return handle


def slow(delay: float, body: bytes = b"late") -> Handler:
    """A route that thinks for ``delay`` seconds before answering."""

    def handle(request: BaseHTTPRequestHandler) -> None:
        time.sleep(delay)
        answer(body)(request)

    return handle


def trickle(interval: float, count: int) -> Handler:
    """A route that answers at once, then sends one byte every ``interval`` seconds."""

    def handle(request: BaseHTTPRequestHandler) -> None:
        request.send_response(200)
        request.send_header("Content-Type", "text/html")
        request.end_headers()
        request.wfile.flush()
        for _ in range(count):
            request.wfile.write(b".")
            request.wfile.flush()
            time.sleep(interval)

    return handle


@contextmanager
def running_site(tls: ssl.SSLContext | None = None, name: str = "127.0.0.1") -> Iterator[Site]:
    """Start a site on a free loopback port; stop it on the way out.

    With ``tls`` it speaks HTTPS (the handshake happens as a connection is accepted) and
    its addresses use ``name``, the host its certificate is for.
    """
    state = Site()

    class Handle(BaseHTTPRequestHandler):
        # HTTP/1.0: a body without Content-Length ends when the server closes, as a
        # streaming server's would.
        protocol_version = "HTTP/1.0"

        def do_GET(self) -> None:
            state.requests.append(Seen(path=self.path, headers={k.lower(): v for k, v in self.headers.items()}))
            handler = state.routes.get(self.path.split("?", 1)[0])
            if handler is None:
                answer(b"no such page", status=404, content_type="text/plain")(self)
                return
            # The client may hang up mid-answer, as a fetcher refusing a body should.
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                handler(self)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handle)
    server.daemon_threads = True
    if tls is not None:
        server.socket = tls.wrap_socket(server.socket, server_side=True)
    state.base = f"{'https' if tls else 'http'}://{name}:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
