"""Benchmark: fetch 200 company news feeds from a local server (issue 16).

    python -m bench.feeds [--db sqlite|postgresql|URL] [--feeds 200] [--entries 20]

A ThreadingHTTPServer on 127.0.0.1 serves ``--feeds`` distinct RSS 2.0 feeds of ``--entries``
entries each, with an ETag. A fresh database holds one workspace with one organization and one
feed per organization. Measured, wall time:

1. the first fetch of every feed (every entry new: ``feeds x entries`` news items written);
2. the second fetch (conditional GET: every server answer is a 304, nothing written).

Bounded: the feeds are small (20 entries, ~6 KB), the fetch is the one the periodic job and
``topofmind feeds fetch`` run (8 at a time), and the database is dropped afterwards.
"""

from __future__ import annotations

import argparse
import os
import sys
import threading
import time
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from bench.databases import drop_database, new_database

TARGET_FIRST_S = 20.0  # 200 feeds, 4,000 new items
TARGET_SECOND_S = 10.0  # 200 answers of 304


def feed_body(number: int, entries: int) -> bytes:
    start = datetime(2030, 3, 1, tzinfo=UTC)
    items = "".join(
        f"<item><guid>feed{number}-entry{n}</guid><title>Company {number} news {n}</title>"
        f"<link>https://company{number}.example/news/{n}</link>"
        f"<pubDate>{(start - timedelta(days=n)).strftime('%a, %d %b %Y %H:%M:%S +0000')}</pubDate>"
        f"<description>What company {number} announced, item {n}: a new office, a product, a result.</description></item>"
        for n in range(entries)
    )
    return (
        f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Company {number}</title>'
        f"<link>https://company{number}.example/</link><description>News</description>{items}</channel></rss>"
    ).encode()


def serve(feeds: int, entries: int) -> tuple[ThreadingHTTPServer, str, dict[str, int]]:
    bodies = {f"/feed/{n}.xml": feed_body(n, entries) for n in range(feeds)}
    counts = {"200": 0, "304": 0}

    class Handle(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.0"

        def do_GET(self) -> None:
            body = bodies.get(self.path)
            if body is None:
                self.send_response(404)
                self.end_headers()
                return
            etag = f'"{self.path}-v1"'
            if self.headers.get("If-None-Match") == etag:
                counts["304"] += 1
                self.send_response(304)
                self.send_header("ETag", etag)
                self.end_headers()
                return
            counts["200"] += 1
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.send_header("ETag", etag)
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handle)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}", counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.feeds")
    parser.add_argument("--db", default="sqlite", help="sqlite, postgresql or a database URL")
    parser.add_argument("--feeds", type=int, default=200)
    parser.add_argument("--entries", type=int, default=20)
    args = parser.parse_args(argv)
    url = new_database(args.db, "feeds") if args.db in ("sqlite", "postgresql") else args.db
    os.environ["TOPOFMIND_FETCH_PRIVATE_ADDRESSES"] = "true"  # the local server is on loopback
    server, base, counts = serve(args.feeds, args.entries)
    try:
        from bench.generate import setup_django

        setup_django(url)
        from django.core.management import call_command

        call_command("migrate", verbosity=0, interactive=False)
        from topofmind.crm import services
        from topofmind.crm.models import Feed, Organization, ValueItem

        now = datetime(2030, 3, 4, 8, 0, tzinfo=UTC)
        workspace = services.create_workspace(name="Feeds bench", now=now)
        orgs = Organization.objects.bulk_create(
            Organization(workspace=workspace, name=f"Company {n}", created_at=now, updated_at=now)
            for n in range(args.feeds)
        )
        Feed.objects.bulk_create(
            Feed(workspace=workspace, organization=org, url=f"{base}/feed/{n}.xml", created_at=now)
            for n, org in enumerate(orgs)
        )
        started = time.perf_counter()
        first = services.fetch_feeds(workspace=workspace, now=now)
        first_s = time.perf_counter() - started
        items = ValueItem.objects.filter(workspace=workspace, kind="news").count()
        started = time.perf_counter()
        second = services.fetch_feeds(workspace=workspace, now=now + timedelta(hours=6))
        second_s = time.perf_counter() - started
        ok_first = sum(o.ok for o in first)
        ok_second = sum(o.ok and o.status.startswith("not changed") for o in second)
        print(f"\nfetch {args.feeds} feeds from the local server ({args.db}, {args.entries} entries each)")
        print(f"{'row':<44} {'wall s':>8} {'target s':>9} {'feeds ok':>9} {'news items':>11} {'answers':>9}")
        print(
            f"{'first fetch (every entry new)':<44} {first_s:>8.2f} {TARGET_FIRST_S:>9.1f} "
            f"{ok_first:>9} {items:>11} {counts['200']:>6}x200"
        )
        print(
            f"{'second fetch (conditional GET)':<44} {second_s:>8.2f} {TARGET_SECOND_S:>9.1f} "
            f"{ok_second:>9} {ValueItem.objects.filter(kind='news').count() - items:>11} {counts['304']:>6}x304"
        )
        good = (
            first_s <= TARGET_FIRST_S
            and second_s <= TARGET_SECOND_S
            and ok_first == ok_second == args.feeds
            and items == args.feeds * args.entries
        )
        return 0 if good else 1
    finally:
        server.shutdown()
        server.server_close()
        from django.db import connections

        connections.close_all()
        if args.db in ("sqlite", "postgresql"):
            drop_database(url)


if __name__ == "__main__":
    sys.exit(main())
