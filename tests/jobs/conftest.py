"""Fixtures of the queue tests: the queue a test uses - a SQLite file in a temporary folder, or
Redis on 127.0.0.1:6379 under a key prefix of this run's own - the folder the sample jobs report
to, and real consumer processes, started by the test and stopped after it. The helpers behind
them are in queue_helpers.py."""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
from tests.jobs.queue_helpers import REDIS_URL, Consumers, QueueSpec, require_redis, sample_jobs

from topofmind.jobs import clear_queue


@pytest.fixture(params=["sqlite", "redis"])
def spec(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[QueueSpec]:
    if request.param == "redis":
        require_redis()
        prefix = f"topofmind-test-{os.getpid()}-{secrets.token_hex(4)}:"
        made = QueueSpec(url=REDIS_URL, name="jobs", prefix=prefix)
    else:
        made = QueueSpec(url=f"sqlite:///{tmp_path / 'queue.db'}", name="jobs", prefix="")
    made.queue = made.make()
    sample_jobs.registry.bind(made.queue)
    yield made
    clear_queue(made.queue)
    if request.param == "redis":
        leftovers = list(redis.Redis.from_url(REDIS_URL).scan_iter(match=f"{made.prefix}*"))
        assert leftovers == [], f"the test run left Redis keys behind: {leftovers[:5]}"


@pytest.fixture
def events_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "events"
    folder.mkdir()
    monkeypatch.setenv(sample_jobs.EVENTS_ENV, str(folder))
    return folder


@pytest.fixture
def consumers(spec: QueueSpec, events_dir: Path, tmp_path: Path) -> Iterator[Consumers]:
    running = Consumers(spec=spec, logs=tmp_path)
    yield running
    running.stop_all()
