"""Benchmark: the Today page under load, served by gunicorn, on a 10k-people workspace.

    python -m bench.web [--db sqlite|postgresql|URL] [--people 10000] [--touches 100000]
                        [--clients 16] [--seconds 30] [--workers 3] [--threads 2] [--no-page-cache] [--json]

It builds the synthetic workspace (bench.generate.build_workspace) in a fresh database, makes
an owner account and a signed-in session for it, starts gunicorn (topofmind.web.serve) on
127.0.0.1 with its clock set to the moment the workspace is shaped around, checks that Today
shows a full agenda, then drives GET / with N concurrent clients for S seconds - with wrk
(Debian's package) when it is installed, else a Python load generator - and prints p50 / p95
latency, requests per second and errors. The server and the database are removed afterwards
(--keep keeps the database). Traffic goes to 127.0.0.1 only, and the run stops by itself.

Target (issue 4): p95 <= 150 ms, zero errors.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from bench.serving import HOST, drive, drop, finish, get, served, signed_in_cookie

TARGET_P95_MS = 150.0

WRK_SCRIPT = r"""
local errors = 0
response = function(status, headers, body)
  if status ~= 200 or not string.find(body, 'class="item"', 1, true) then errors = errors + 1 end
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "p50_us": %d, "p95_us": %d, "p99_us": %d, "max_us": %d, ' ..
    '"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), latency.max, e.connect, e.read, e.write, e.status, e.timeout))
end
"""
# The per-thread `errors` counter above cannot be summed across wrk threads from done();
# non-200 answers are counted by wrk itself (summary.errors.status), and the page check runs
# once before the load (see check_page).


@dataclass
class Result:
    database: str
    people: int
    touches: int
    clients: int
    seconds: float
    workers: int
    threads: int
    generator: str
    requests: int
    errors: int
    p50_ms: float
    p95_ms: float
    p99_ms: float
    rps: float
    agenda_items: int
    build_seconds: float
    load_average: float = 0.0  # the machine's 1-minute load when the run ended (2 cores here)
    page_cache: bool = True

    def row(self) -> str:
        ok = "PASS" if self.p95_ms <= TARGET_P95_MS and self.errors == 0 else "FAIL"
        return (
            f"web Today{'' if self.page_cache else ' (no page cache)'} | {self.database} | "
            f"{self.people} people, {self.touches} touches | "
            f"{self.clients} clients x {self.seconds:.0f} s | gunicorn {self.workers}x{self.threads} | "
            f"p50 {self.p50_ms:.1f} ms | p95 {self.p95_ms:.1f} ms | {self.rps:.1f} req/s | "
            f"errors {self.errors} | {self.generator} | load {self.load_average:.1f} on {os.cpu_count()} cores | "
            f"target p95 <= {TARGET_P95_MS:.0f} ms: {ok}"
        )


# -- the server side (run in a child: `python -m bench.web serve ...`) ------------------------


def serve(*, at: datetime, port: int, workers: int, threads: int, page_cache: bool = True) -> None:
    """gunicorn on 127.0.0.1:port with the clock moved to ``at`` (ticking from there)."""
    import time_machine

    time_machine.travel(at, tick=True).start()  # inherited by the forked workers
    from bench.generate import setup_django

    setup_django(None)
    if not page_cache:  # Today's HTML is never kept: every request reads and renders the agenda
        from django.core.cache.backends.dummy import DummyCache

        from topofmind.web.views import today

        today.cache = DummyCache("", {})  # type: ignore[assignment]
    from topofmind.web.serve import serve_wsgi

    serve_wsgi(host=HOST, port=port, workers=workers, threads=threads, extra={"loglevel": "error"})


# -- the load side ----------------------------------------------------------------------------


def check_page(port: int, cookie: str) -> int:
    """Today answers 200 with a full agenda (the benchmark must measure real work)."""
    status, body = get(port, cookie)
    if status != 200:
        raise RuntimeError(f"GET / answered {status}, not 200: is the session accepted?")
    items = body.count('class="item"')
    if items == 0:
        raise RuntimeError("Today shows no agenda items: the clock or the workspace is off")
    return items


def load_with_wrk(port: int, cookie: str, *, clients: int, seconds: int) -> dict[str, Any]:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_SCRIPT)
    try:
        out = subprocess.run(
            [
                "wrk",
                f"-t{min(clients, 4)}",
                f"-c{clients}",
                f"-d{seconds}s",
                "--timeout",
                "10s",
                "-H",
                f"Cookie: {cookie}",
                "-s",
                script.name,
                f"http://{HOST}:{port}/",
            ],
            check=True,
            capture_output=True,
            text=True,
            timeout=seconds + 60,
        ).stdout
    finally:
        os.unlink(script.name)
    data = json.loads([line for line in out.splitlines() if line.startswith("{")][-1])
    errors = sum(data[k] for k in ("connect", "read", "write", "status", "timeout"))
    return {
        "generator": "wrk",
        "requests": data["requests"],
        "errors": errors,
        "p50_ms": data["p50_us"] / 1000,
        "p95_ms": data["p95_us"] / 1000,
        "p99_ms": data["p99_us"] / 1000,
        "rps": data["requests"] / (data["duration_us"] / 1e6),
    }


def load_with_python(port: int, cookie: str, *, clients: int, seconds: int) -> dict[str, Any]:
    """N keep-alive clients GET / in a loop until the time is up (bench.serving.drive)."""

    def today(conn: http.client.HTTPConnection, _client: int, _step: int) -> str:
        conn.request("GET", "/", headers={"Cookie": cookie, "Host": HOST})
        response = conn.getresponse()
        body = finish(conn, response)
        return "ok" if response.status == 200 and b'class="item"' in body else "bad page"

    load = drive(port, today, clients=clients, seconds=seconds, timeout=10)
    return {"generator": "python", **{k: load[k] for k in ("requests", "errors", "p50_ms", "p95_ms", "p99_ms", "rps")}}


def run(args: argparse.Namespace) -> Result:
    from bench.databases import kind_of, new_database
    from bench.generate import build_workspace

    url = args.db if args.db not in ("sqlite", "postgresql") else new_database(args.db, "web")
    kind = kind_of(url)
    if args.reuse:  # a database an earlier run kept (--keep): skip the build
        from bench.generate import setup_django

        setup_django(url)
        from topofmind.crm.models import Interaction, Person, Workspace

        first = Workspace.objects.order_by("pk").first()
        if first is None:
            raise SystemExit(f"--reuse: no workspace in {url}")
        workspace_id, build_seconds = first.pk, 0.0
        people = Person.objects.filter(workspace=first).count()
        touches = Interaction.objects.filter(workspace=first).count()
    else:
        print(f"building {args.people} people / {args.touches} touches in {kind} ...", file=sys.stderr, flush=True)
        built = build_workspace(people=args.people, touches=args.touches, database_url=url)
        workspace_id, build_seconds = built.workspace_id, built.seconds.get("total", 0.0)
        people, touches = args.people, built.touches
    cookie = signed_in_cookie(workspace_id)
    try:
        with served(url, workers=args.workers, threads=args.threads, page_cache=args.page_cache) as port:
            items = check_page(port, cookie)
            for _ in range(2 * args.workers * args.threads):  # warm every worker up
                get(port, cookie)
            use_wrk = shutil.which("wrk") is not None and not args.python_client
            print(
                f"server up on {HOST}:{port}; Today shows {items} items; "
                f"{args.clients} clients for {args.seconds} s with {'wrk' if use_wrk else 'python'} ...",
                file=sys.stderr,
                flush=True,
            )
            load = (load_with_wrk if use_wrk else load_with_python)(
                port, cookie, clients=args.clients, seconds=args.seconds
            )
            load["load_average"] = os.getloadavg()[0]
    finally:
        if not args.keep and not args.reuse and args.db in ("sqlite", "postgresql"):
            drop(url)
    return Result(
        database=kind,
        people=people,
        touches=touches,
        clients=args.clients,
        seconds=args.seconds,
        workers=args.workers,
        threads=args.threads,
        agenda_items=items,
        build_seconds=build_seconds,
        page_cache=args.page_cache,
        **load,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.web", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command")
    serve_p = sub.add_parser("serve", help="(internal) run gunicorn with the clock moved")
    serve_p.add_argument("--at", required=True)
    serve_p.add_argument("--port", type=int, required=True)
    serve_p.add_argument("--workers", type=int, default=3)
    serve_p.add_argument("--threads", type=int, default=2)
    serve_p.add_argument("--no-page-cache", dest="page_cache", action="store_false")
    parser.add_argument("--db", default="sqlite", help="sqlite, postgresql, or a database URL / SQLite path")
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--touches", type=int, default=100_000)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--workers", type=int, default=3, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=2, help="threads per worker")
    parser.add_argument(
        "--python-client", action="store_true", help="use the Python load generator even if wrk is here"
    )
    parser.add_argument(
        "--no-page-cache", dest="page_cache", action="store_false", help="serve Today without its HTML cache"
    )
    parser.add_argument("--keep", action="store_true", help="keep the database")
    parser.add_argument("--reuse", action="store_true", help="--db names a database a --keep run left: no build")
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    args = parser.parse_args(argv)
    if args.command == "serve":
        serve(
            at=datetime.fromisoformat(args.at),
            port=args.port,
            workers=args.workers,
            threads=args.threads,
            page_cache=args.page_cache,
        )
        return 0
    result = run(args)
    print(json.dumps(asdict(result)) if args.json else result.row())
    return 0 if result.errors == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
