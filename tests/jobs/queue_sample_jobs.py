"""Jobs the queue tests run on real consumers; each writes what it did as a small file in the events folder.

Imported by the tests (to enqueue) and by run_sample_consumer.py (to run), under the same module
name, as the app's tasks module will be.
"""

from __future__ import annotations

import json
import os
import time
import uuid
from pathlib import Path
from typing import Any

from topofmind.jobs import JobRegistry, cron, queue_lock

EVENTS_ENV = "TOPOFMIND_JOBS_TEST_EVENTS"

registry = JobRegistry()


def events_dir() -> Path:
    return Path(os.environ[EVENTS_ENV])


def record(kind: str, **fields: Any) -> None:
    # One file per event: several consumer processes write at once without sharing a file.
    data = {"kind": kind, "pid": os.getpid(), "t": time.time(), **fields}
    name = f"{time.time_ns()}-{uuid.uuid4().hex}.json"
    (events_dir() / f".{name}").write_text(json.dumps(data))
    (events_dir() / f".{name}").rename(events_dir() / name)  # appear whole or not at all


def events(kind: str | None = None, **match: Any) -> list[dict[str, Any]]:
    found = [json.loads(p.read_text()) for p in sorted(events_dir().glob("[0-9]*.json"))]
    return [e for e in found if (kind is None or e["kind"] == kind) and all(e.get(k) == v for k, v in match.items())]


@registry.job()
def add(a: int, b: int) -> int:
    record("add", a=a, b=b)
    return a + b


@registry.job(priority=10)
def urgent(n: int) -> int:
    return n


@registry.job(retries=3, retry_delay=0.5, backoff=3.0)
def flaky(key: str, failures: int) -> str:
    attempt = len(events("attempt", key=key)) + 1
    record("attempt", key=key)
    if attempt <= failures:
        raise RuntimeError(f"attempt {attempt} failed on purpose")
    return f"succeeded on attempt {attempt}"


@registry.job(retries=2, retry_delay=0.1, backoff=1.0)
def hopeless(key: str) -> None:
    attempt = len(events("attempt", key=key)) + 1
    record("attempt", key=key)
    raise RuntimeError(f"attempt {attempt} failed on purpose")


@registry.periodic(cron())  # every minute
def tick() -> None:
    record("tick")


@registry.job(lock=True, lock_retry_in=0.2)
def exclusive(n: int) -> int:
    record("start", job="exclusive", n=n)
    time.sleep(0.3)
    record("end", job="exclusive", n=n)
    return n


@registry.job()
def sync_account(account: int, n: int) -> int:
    with queue_lock(registry.queue, f"mail-account-{account}", retry_in=0.2):
        record("start", job="sync_account", account=account, n=n)
        time.sleep(0.3)
        record("end", job="sync_account", account=account, n=n)
    return n


@registry.job()
def long_sync(marker: str) -> str:
    """Hangs on its first run (for the test to kill its consumer), finishes on the next."""
    first = not events("start", job="long_sync", marker=marker)
    with queue_lock(registry.queue, f"mail-account-{marker}", retry_in=0.2):
        record("start", job="long_sync", marker=marker)
        if first:
            time.sleep(120)
        record("end", job="long_sync", marker=marker)
    return f"synced {marker}"


@registry.job()
def nap(seconds: float) -> float:
    record("start", job="nap")
    time.sleep(seconds)
    record("end", job="nap")
    return seconds


@registry.job(if_abandoned="report")
def send_once(marker: str) -> None:
    record("start", job="send_once", marker=marker)
    time.sleep(120)
