"""Benchmark: 16 clients logging touches at once, served by gunicorn, on a 10k-people workspace.

    python -m bench.load [--db sqlite|postgresql|both|URL] [--people 10000] [--touches 100000]
                         [--clients 16] [--seconds 30] [--workers 3] [--threads 2] [--hot 24] [--json]

It builds the synthetic workspace (bench.generate.build_workspace) in a fresh database, signs
an owner in (bench.web), starts gunicorn on 127.0.0.1 with its clock at the workspace's moment,
and for S seconds has N clients POST the quick "log a touch" form as fast as they can: an
interview with two people, a message, a reply, a check-in, always about a small hot set of
people, so the writers keep colliding on the same people and follow-up rows (the case that
used to give "deadlock detected", duplicate follow-up keys and "database is locked").

A request counts as an error unless it is the form's redirect (302) to Today; a "topofmind
is busy" answer is counted as an error too, and reported on its own. Afterwards the touches
in the database are counted: every redirect must have stored exactly one (lost writes: 0).
Prints requests per second, p50 / p95 latency and the errors. Target (issue 10): 0 errors.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import subprocess
import sys
from dataclasses import asdict, dataclass
from urllib.parse import urlencode

from bench.serving import HOST, ROOT, Request, drive, drop, finish, served, signed_in_cookie

KINDS = ("interview", "message", "reply", "check_in")
TARGET_ERRORS = 0


@dataclass
class Result:
    database: str
    people: int
    touches: int
    clients: int
    seconds: float
    workers: int
    threads: int
    requests: int
    saved: int
    errors: int
    busy: int
    server_errors: int
    lost: int
    p50_ms: float
    p95_ms: float
    rps: float
    load_average: float

    def row(self) -> str:
        ok = "PASS" if self.errors == TARGET_ERRORS and self.lost == 0 else "FAIL"
        return (
            f"web log-a-touch load | {self.database} | {self.people} people | {self.clients} clients x "
            f"{self.seconds:.0f} s | gunicorn {self.workers}x{self.threads} | {self.rps:.1f} req/s | "
            f"p50 {self.p50_ms:.0f} ms | p95 {self.p95_ms:.0f} ms | errors {self.errors} "
            f"(busy {self.busy}, 5xx {self.server_errors}) | lost writes {self.lost} | "
            f"load {self.load_average:.1f} on {os.cpu_count()} cores | target 0 errors: {ok}"
        )


def csrf(port: int, cookie: str) -> tuple[str, str]:
    """The CSRF cookie and form token a browser would have after opening the log form."""
    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    try:
        conn.request("GET", "/log/", headers={"Cookie": cookie, "Host": HOST})
        response = conn.getresponse()
        body = response.read().decode()
        jar = response.getheader("Set-Cookie") or ""
    finally:
        conn.close()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body)
    cookie_token = re.search(r"csrftoken=([^;]+)", jar)
    if response.status != 200 or token is None or cookie_token is None:
        raise RuntimeError(f"GET /log/ answered {response.status} without a CSRF token: is the session accepted?")
    return f"{cookie}; csrftoken={cookie_token.group(1)}", token.group(1)


def log_touches(cookie: str, token: str, hot: list[int], *, clients: int, port: int) -> Request:
    """Each client's n-th POST of the quick form: its kind and people rotate over the hot set."""

    def one(conn: http.client.HTTPConnection, n: int, step: int) -> str:
        k = n + step * clients
        kind = KINDS[k % len(KINDS)]
        first, second = hot[k % len(hot)], hot[(k * 7 + 1) % len(hot)]
        people = f"#{first}, #{second}" if kind == "interview" and first != second else f"#{first}"
        body = urlencode({"csrfmiddlewaretoken": token, "people": people, "kind": kind, "at": ""})
        conn.request(
            "POST",
            "/log/quick/",
            body=body,
            headers={
                "Cookie": cookie,
                "Host": HOST,
                "Content-Type": "application/x-www-form-urlencoded",
                "Referer": f"http://{HOST}:{port}/",
            },
        )
        response = conn.getresponse()
        page = finish(conn, response)
        if response.status == 302:
            return "ok"
        if b"topofmind is busy" in page:
            return "busy"
        return "5xx" if response.status >= 500 else f"status {response.status}"

    return one


def run(kind: str, args: argparse.Namespace) -> Result:
    from bench.databases import kind_of, new_database
    from bench.generate import build_workspace

    url = kind if kind not in ("sqlite", "postgresql") else new_database(kind, "load")
    print(f"building {args.people} people / {args.touches} touches in {kind_of(url)} ...", file=sys.stderr, flush=True)
    built = build_workspace(people=args.people, touches=args.touches, database_url=url)
    from topofmind.crm.models import Interaction, Person

    cookie = signed_in_cookie(built.workspace_id)
    hot = list(
        Person.objects.filter(workspace_id=built.workspace_id, do_not_contact=False)
        .order_by("id")
        .values_list("id", flat=True)[: args.hot]
    )
    before = Interaction.objects.filter(workspace_id=built.workspace_id).count()
    with served(url, workers=args.workers, threads=args.threads) as port:
        full_cookie, token = csrf(port, cookie)
        print(f"server up on {HOST}:{port}; {args.clients} clients logging for {args.seconds} s ...", file=sys.stderr)
        one = log_touches(full_cookie, token, hot, clients=args.clients, port=port)
        load = drive(port, one, clients=args.clients, seconds=args.seconds, timeout=60)
        load_average = os.getloadavg()[0]
    stored = Interaction.objects.filter(workspace_id=built.workspace_id).count() - before
    if not args.keep and kind in ("sqlite", "postgresql"):
        drop(url)
    return Result(
        database=kind_of(url),
        people=args.people,
        touches=built.touches,
        clients=args.clients,
        seconds=args.seconds,
        workers=args.workers,
        threads=args.threads,
        requests=int(load["requests"]),
        saved=int(load["outcomes"].get("ok", 0)),
        errors=int(load["errors"]),
        busy=int(load["outcomes"].get("busy", 0)),
        server_errors=int(load["outcomes"].get("5xx", 0)),
        lost=abs(stored - int(load["outcomes"].get("ok", 0))),
        p50_ms=load["p50_ms"],
        p95_ms=load["p95_ms"],
        rps=load["rps"],
        load_average=load_average,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.load", description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="both", help="sqlite, postgresql, both, or a database URL / SQLite path")
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--touches", type=int, default=100_000)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--workers", type=int, default=3, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=2, help="threads per worker")
    parser.add_argument("--hot", type=int, default=24, help="how many people every touch is about")
    parser.add_argument("--keep", action="store_true", help="keep the database")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    args = parser.parse_args(argv)
    kinds = ["sqlite", "postgresql"] if args.db == "both" else [args.db]
    failed = False
    for kind in kinds:
        if len(kinds) > 1:  # each database in a process of its own: Django binds to one database
            done = subprocess.run([sys.executable, "-m", "bench.load", *_own_args(argv), "--db", kind], cwd=ROOT)
            failed |= done.returncode != 0
            continue
        result = run(kind, args)
        print(json.dumps(asdict(result)) if args.json else result.row(), flush=True)
        failed |= result.errors != 0 or result.lost != 0
    return 1 if failed else 0


def _own_args(argv: list[str] | None) -> list[str]:
    """The command line without its --db (the per-database runs add their own)."""
    args = list(sys.argv[1:] if argv is None else argv)
    out: list[str] = []
    skip = False
    for arg in args:
        if skip:
            skip = False
        elif arg == "--db":
            skip = True
        elif not arg.startswith("--db="):
            out.append(arg)
    return out


if __name__ == "__main__":
    sys.exit(main())
