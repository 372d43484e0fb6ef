"""Benchmark: the JSON API on the 10k-people workspace, beside the query each route wraps.

    python -m bench.api [--db sqlite|postgresql|URL] [--people 10000] [--touches 100000]
                        [--repeat 15] [--load-db postgresql] [--clients 16] [--seconds 20]
                        [--workers 4] [--no-load]

1. One client, in process (Django's test client, no network): the p50 of GET /api/agenda beside
   ``queries.agenda`` (what it wraps; target <= 1.5x), and of GET /api/people (page 1, 50 rows)
   beside the web's People page (target <= 2x) and ``queries.people`` itself.
2. Load: gunicorn with 4 workers (bench.web's server, clock at the workspace's moment) on
   PostgreSQL, 16 clients alternating /api/agenda and /api/people with a Bearer token:
   requests per second, p50 / p95, errors (target: 0).
Everything runs on 127.0.0.1 and the databases are dropped afterwards.
"""

from __future__ import annotations

import argparse
import http.client
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from typing import Any

from bench.serving import HOST, ROOT, bench_owner, drive, finish, served

TARGET_AGENDA_RATIO = 1.5
TARGET_PEOPLE_RATIO = 2.0


def p50_ms(fn: Callable[[], Any], repeat: int) -> float:
    fn()  # warm
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def owner_and_token(workspace_id: int) -> tuple[Any, str]:
    from bench.generate import BENCH_NOW
    from topofmind.crm import services
    from topofmind.crm.models import Workspace

    user = bench_owner(workspace_id)
    workspace = Workspace.objects.get(pk=workspace_id)
    secret = services.create_token(user_id=user.pk, workspace=workspace, scope="api", now=BENCH_NOW).secret
    return user, secret


def single_client(url: str, *, people: int, touches: int, repeat: int) -> list[str]:
    import time_machine

    from bench.generate import BENCH_NOW, build_workspace, setup_django

    print(f"building {people} people / {touches} touches ...", file=sys.stderr, flush=True)
    built = build_workspace(people=people, touches=touches, database_url=url)
    setup_django(url)
    from django.test import Client

    from topofmind.crm import queries
    from topofmind.crm.models import Workspace

    user, secret = owner_and_token(built.workspace_id)
    workspace = Workspace.objects.select_related("settings", "plan").get(pk=built.workspace_id)
    rows = []
    with time_machine.travel(BENCH_NOW, tick=True):
        api = Client(HTTP_HOST=HOST, headers={"Authorization": f"Bearer {secret}"})
        web = Client(HTTP_HOST=HOST)
        web.force_login(user)

        def api_get(path: str) -> None:
            response = api.get(path)
            if response.status_code != 200:
                raise RuntimeError(f"{path} answered {response.status_code}: {response.content[:200]!r}")

        def web_people() -> None:
            if web.get("/people/").status_code != 200:
                raise RuntimeError("/people/ did not answer 200")

        items = len(queries.agenda(workspace=workspace, at=BENCH_NOW))
        query_agenda = p50_ms(lambda: queries.agenda(workspace=workspace, at=BENCH_NOW), repeat)
        api_agenda = p50_ms(lambda: api_get("/api/agenda"), repeat)
        query_people = p50_ms(
            lambda: list(queries.people(workspace, now=BENCH_NOW, filters=queries.PeopleFilter()).object_list), repeat
        )
        page_people = p50_ms(web_people, repeat)
        api_people = p50_ms(lambda: api_get("/api/people"), repeat)
    kind = "postgresql" if "://" in url else "sqlite"
    ratio_a = api_agenda / query_agenda
    ratio_p = api_people / page_people
    rows.append(
        f"api agenda | {kind} | {people} people | {items} items | one client p50 | API {api_agenda:.1f} ms | "
        f"queries.agenda {query_agenda:.1f} ms | {ratio_a:.2f}x | target <= {TARGET_AGENDA_RATIO}x: "
        f"{'PASS' if ratio_a <= TARGET_AGENDA_RATIO else 'FAIL'}"
    )
    rows.append(
        f"api people | {kind} | {people} people | page 1 (50) | one client p50 | API {api_people:.1f} ms | "
        f"web People page {page_people:.1f} ms | queries.people {query_people:.1f} ms | {ratio_p:.2f}x the page | "
        f"target <= {TARGET_PEOPLE_RATIO}x: {'PASS' if ratio_p <= TARGET_PEOPLE_RATIO else 'FAIL'}"
    )
    return rows


def load(url: str, *, people: int, touches: int, clients: int, seconds: int, workers: int) -> str:
    from bench.generate import build_workspace, setup_django

    print(f"building {people} people / {touches} touches for the load run ...", file=sys.stderr, flush=True)
    built = build_workspace(people=people, touches=touches, database_url=url)
    setup_django(url)
    _user, secret = owner_and_token(built.workspace_id)
    headers = {"Authorization": f"Bearer {secret}", "Host": HOST}
    with served(url, workers=workers, threads=1, extra_env={"TOPOFMIND_API_RATE": "1000000/m"}) as port:
        for path_ in ("/api/agenda", "/api/people"):  # the run must measure real answers
            conn = http.client.HTTPConnection(HOST, port, timeout=60)
            conn.request("GET", path_, headers=headers)
            answer = conn.getresponse()
            body = answer.read()
            conn.close()
            if answer.status != 200 or b'"items"' not in body:
                raise RuntimeError(f"{path_} answered {answer.status}: {body[:200]!r}")

        def one(conn: http.client.HTTPConnection, n: int, step: int) -> str:
            conn.request("GET", ("/api/agenda", "/api/people")[(n + step) % 2], headers=headers)
            response = conn.getresponse()
            finish(conn, response)
            return "ok" if response.status == 200 else f"status {response.status}"

        result = drive(port, one, clients=clients, seconds=seconds, timeout=30)
    errors = result["errors"]
    kind = "postgresql" if "://" in url else "sqlite"
    return (
        f"api load | {kind} | {people} people | {clients} clients x {seconds} s | gunicorn {workers} workers | "
        f"/api/agenda + /api/people | {result['rps']:.1f} req/s | p50 {result['p50_ms']:.0f} ms | "
        f"p95 {result['p95_ms']:.0f} ms | errors {errors} | load {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores | "
        f"target errors 0: {'PASS' if errors == 0 and result['requests'] else 'FAIL'}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.api", description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="sqlite", help="one-client rows: sqlite, postgresql or a URL")
    parser.add_argument("--load-db", default="postgresql", help="the load run's database")
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--touches", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--no-load", action="store_true", help="only the one-client rows")
    args = parser.parse_args(argv)
    from bench.databases import drop_database, new_database

    rows: list[str] = []
    url = args.db if args.db not in ("sqlite", "postgresql") else new_database(args.db, "api")
    try:
        rows += single_client(url, people=args.people, touches=args.touches, repeat=args.repeat)
    finally:
        from django.db import connections

        connections.close_all()
        if args.db in ("sqlite", "postgresql"):
            drop_database(url)
    for row in rows:
        print(row, flush=True)
    if not args.no_load:
        # a fresh process for the second database: Django is configured once per process
        return subprocess.run(
            [
                sys.executable,
                "-m",
                "bench.api",
                "_load",
                args.load_db,
                str(args.people),
                str(args.touches),
                str(args.clients),
                str(args.seconds),
                str(args.workers),
            ],
            cwd=ROOT,
            check=False,
        ).returncode
    return 0


def _load_main(argv: list[str]) -> int:
    from bench.databases import drop_database, new_database

    db, people, touches, clients, seconds, workers = argv
    url = db if db not in ("sqlite", "postgresql") else new_database(db, "apiload")
    try:
        row = load(
            url,
            people=int(people),
            touches=int(touches),
            clients=int(clients),
            seconds=int(seconds),
            workers=int(workers),
        )
    finally:
        from django.db import connections

        connections.close_all()
        if db in ("sqlite", "postgresql"):
            drop_database(url)
    print(row, flush=True)
    return 0 if " errors 0 " in row else 1


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "_load":
        sys.exit(_load_main(sys.argv[2:]))
    sys.exit(main())
