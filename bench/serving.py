"""What the served benchmarks share (bench.web, bench.load, bench.api): a signed-in owner for the
benchmark workspace, gunicorn started on 127.0.0.1 with its clock at the workspace's moment and
stopped afterwards, N keep-alive clients hammering it for S seconds, and the percentiles.

Everything talks to 127.0.0.1 only, and every run stops by itself.
"""

from __future__ import annotations

import http.client
import os
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
HOST = "127.0.0.1"


# -- the benchmark's user -----------------------------------------------------------------------


def bench_owner(workspace_id: int, username: str = "bench") -> Any:
    """An account that owns the workspace and has answered the first-start questions in the
    workspace's own zone and country (so its Today is the workspace's agenda, not a welcome page)."""
    from django.contrib.auth import get_user_model

    from topofmind.crm.models import Membership, UserSettings, Workspace, WorkspaceSettings

    users = get_user_model().objects
    user = users.filter(username=username).first() or users.create_user(
        username=username, password="bench-password-not-secret"
    )
    workspace = Workspace.objects.get(pk=workspace_id)
    if workspace.owner_id is None or username == "bench":
        workspace.owner = user
        workspace.save(update_fields=["owner"])
    Membership.objects.get_or_create(user=user, workspace=workspace, defaults={"role": "owner"})
    ws = WorkspaceSettings.objects.filter(workspace=workspace).first()
    UserSettings.objects.update_or_create(
        user=user,
        defaults={"timezone": ws.timezone if ws else "UTC", "country": ws.country if ws else "", "name": ""},
    )
    return user


def signed_in_cookie(workspace_id: int) -> str:
    """The session cookie a browser of the workspace's owner would send."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    user = bench_owner(workspace_id)
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return f"sessionid={session.session_key}"


def drop(url: str) -> None:
    """Close this process's connections, then drop the benchmark database (bench.databases)."""
    from django.db import connections

    from bench.databases import drop_database

    connections.close_all()
    drop_database(url)


# -- the server ---------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def get(port: int, cookie: str, path: str = "/", timeout: float = 30) -> tuple[int, str]:
    conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        conn.request("GET", path, headers={"Cookie": cookie, "Host": HOST})
        response = conn.getresponse()
        return response.status, response.read().decode("utf-8", "replace")
    finally:
        conn.close()


def wait_until_up(port: int, server: subprocess.Popen[bytes], deadline_s: float = 90) -> None:
    end = time.monotonic() + deadline_s
    while time.monotonic() < end:
        if server.poll() is not None:
            raise RuntimeError(f"the server exited with code {server.returncode} before answering")
        try:
            status, _ = get(port, "", "/signin/", timeout=2)
            if status == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"the server did not answer on {HOST}:{port} within {deadline_s:.0f} s")


@contextmanager
def served(
    url: str,
    *,
    workers: int,
    threads: int,
    page_cache: bool = True,
    extra_env: dict[str, str] | None = None,
) -> Iterator[int]:
    """gunicorn (``python -m bench.web serve``) on a free port of 127.0.0.1, clock at the
    benchmark's moment, this checkout's code first; yields the port once it answers, and
    stops the whole process group on the way out."""
    from django.db import connections

    from bench.generate import BENCH_NOW, django_env

    connections.close_all()  # the forked workers must not share this process's connection
    port = free_port()
    env = {
        **os.environ,
        **django_env(url),
        "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)]),
        **(extra_env or {}),
    }
    command = [sys.executable, "-m", "bench.web", "serve", "--at", BENCH_NOW.isoformat(), "--port", str(port),
               "--workers", str(workers), "--threads", str(threads), *([] if page_cache else ["--no-page-cache"])]  # fmt: skip
    server = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)
    try:
        wait_until_up(port, server)
        yield port
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(5)


# -- the clients --------------------------------------------------------------------------------

# One request on a keep-alive connection: (client number, its step) -> an outcome label;
# "ok" is a success, anything else is counted as that kind of error.
Request = Callable[[http.client.HTTPConnection, int, int], str]


def drive(port: int, request: Request, *, clients: int, seconds: float, timeout: float = 30) -> dict[str, Any]:
    """``clients`` threads, each on its own keep-alive connection, sending ``request`` until the
    time is up. A broken connection counts as the outcome "broken" and is opened again."""
    latencies: list[float] = []
    outcomes: Counter[str] = Counter()
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds

    def client(n: int) -> None:
        conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
        mine: list[float] = []
        tally: Counter[str] = Counter()
        step = 0
        while time.monotonic() < stop_at:
            started = time.perf_counter()
            try:
                tally[request(conn, n, step)] += 1
            except (OSError, http.client.HTTPException):
                tally["broken"] += 1
                conn.close()
                conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
            mine.append(time.perf_counter() - started)
            step += 1
        conn.close()
        with lock:
            latencies.extend(mine)
            outcomes.update(tally)

    started = time.monotonic()
    workers = [threading.Thread(target=client, args=(n,), daemon=True) for n in range(clients)]
    for t in workers:
        t.start()
    for t in workers:
        t.join(seconds + 2 * timeout + 30)
    elapsed = time.monotonic() - started
    return {
        "requests": len(latencies),
        "errors": sum(count for label, count in outcomes.items() if label != "ok"),
        "outcomes": dict(outcomes),
        **latency_ms(latencies),
        "rps": len(latencies) / elapsed if elapsed > 0 else 0.0,
    }


def finish(conn: http.client.HTTPConnection, response: http.client.HTTPResponse) -> bytes:
    """Read the answer and close the connection if the server said so."""
    body = response.read()
    if (response.getheader("Connection") or "").lower() == "close":
        conn.close()
    return body


def latency_ms(samples: Sequence[float]) -> dict[str, float]:
    """p50 / p95 / p99 of latencies in seconds, in milliseconds."""
    cuts = statistics.quantiles(samples, n=100) if len(samples) > 1 else [samples[0] if samples else 0.0] * 99
    return {"p50_ms": cuts[49] * 1000, "p95_ms": cuts[94] * 1000, "p99_ms": cuts[98] * 1000}
