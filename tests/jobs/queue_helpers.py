"""What the queue tests share besides fixtures: the Redis they use, the queue a test makes, real
consumer processes, and waiting for something to happen. Imported as ``tests.jobs.queue_helpers``
(the fixtures that use it are in this folder's conftest.py).

The sample jobs are imported by their top-level name, ``queue_sample_jobs``, here, in the tests
and in the consumer processes alike: a job is named by its module, so all must agree."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import redis

HERE = Path(__file__).parent
SRC = HERE.parent.parent / "src"
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))  # the sample jobs module, under the name the consumers import it by

import queue_sample_jobs as sample_jobs  # noqa: E402

from topofmind.jobs import make_queue  # noqa: E402

__all__ = ["REDIS_URL", "SRC", "Consumers", "QueueSpec", "in_ci", "require_redis", "sample_jobs", "wait_for"]

REDIS_URL = os.environ.get("TOPOFMIND_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in ("1", "true", "yes")


def require_redis(url: str = REDIS_URL) -> None:
    """Skip a Redis test when no server answers - but fail it in CI, where a missing Redis is a broken set-up."""
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.RedisError as exc:
        message = f"Redis at {url} is unreachable ({exc}); the Redis queue tests need a server there."
        if in_ci():
            pytest.fail(message)
        pytest.skip(message)


@dataclass
class QueueSpec:
    """How to make the test's queue, in this process or in a consumer process."""

    url: str
    name: str
    prefix: str
    queue: Any = None

    def make(self) -> Any:
        return make_queue(self.url, name=self.name, prefix=self.prefix)


@dataclass
class Consumers:
    spec: QueueSpec
    logs: Path
    started: list[subprocess.Popen[bytes]] = field(default_factory=list)

    def start(self, *, workers: int = 2, periodic_check: int = 0, stale_after: float = 5.0) -> subprocess.Popen[bytes]:
        """A consumer process. It enqueues periodic jobs only if given `periodic_check` (seconds between
        looks); `stale_after` is short only where a test kills one and waits for the others to notice."""
        log = self.logs / f"consumer-{len(self.started)}.log"
        env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(SRC), str(HERE)])}
        command = [
            sys.executable,
            str(HERE / "run_sample_consumer.py"),
            self.spec.url,
            self.spec.name,
            self.spec.prefix,
            f"--workers={workers}",
            f"--periodic-check={periodic_check}",
            f"--stale-after={stale_after}",
        ]
        with log.open("wb") as out:
            process = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT)
        self.started.append(process)
        return process

    def log_text(self) -> str:
        return "".join(p.read_text(errors="replace") for p in sorted(self.logs.glob("consumer-*.log")))

    def stop_all(self) -> None:
        for process in self.started:
            if process.poll() is None:
                process.send_signal(signal.SIGINT)  # graceful: running jobs get the shutdown timeout
        for process in self.started:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def wait_for(what: str, check: Callable[[], bool], *, timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up after {timeout:g} s waiting for {what}")
        time.sleep(0.05)
