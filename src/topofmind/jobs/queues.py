"""Making the queue from TOPOFMIND_QUEUE_URL, reaching its shared state, and cleaning it up."""

from __future__ import annotations

import re
import sqlite3
from datetime import datetime
from typing import Any

from redis.exceptions import RedisError

from topofmind.jobs._huey import Huey, PriorityRedisHuey, PriorityRedisStorage, SqliteHuey
from topofmind.jobs.coordination import Coordination, RedisCoordination, SqliteCoordination
from topofmind.jobs.errors import QueueError
from topofmind.jobs.urls import SETTING, SqliteTarget, parse_queue_url

# The scheduler's tick is stamped on every periodic job it enqueues, under this keyword; the job
# wrapper takes it off again and uses it to run the job once per period across all consumers.
PERIOD_KWARG = "_topofmind_period"

_NAME = re.compile(r"[A-Za-z0-9_]+")
_PREFIX = re.compile(r"[A-Za-z0-9_.:-]*")


class _PrefixedRedisStorage(PriorityRedisStorage):  # type: ignore[misc]
    """huey's priority Redis storage with every key under `key_prefix`."""

    def __init__(self, name: str = "huey", key_prefix: str = "", **kwargs: Any) -> None:
        super().__init__(name, **kwargs)
        for attribute in ("queue_key", "schedule_key", "result_key", "counter_key", "notify_prefix"):
            setattr(self, attribute, key_prefix + getattr(self, attribute))


def _stamp_period(tasks: list[Any], timestamp: datetime) -> list[Any]:
    # huey checks periodic jobs against the minute of the tick, so the minute is the period:
    # every consumer that enqueues the job for that minute stamps the same value.
    period = timestamp.replace(second=0, microsecond=0).isoformat()
    for task in tasks:
        task.kwargs = {**task.kwargs, PERIOD_KWARG: period}
    return tasks


class SqliteQueue(SqliteHuey):  # type: ignore[misc]
    """A SQLite-backed huey that also carries the queue layer's shared state."""

    coordination: Coordination
    shown: str

    def read_periodic(self, timestamp: datetime | None) -> list[Any]:
        moment = timestamp if timestamp is not None else self._get_timestamp()
        return _stamp_period(super().read_periodic(moment), moment)


class RedisQueue(PriorityRedisHuey):  # type: ignore[misc]
    """A Redis-backed huey (with priorities) that also carries the queue layer's shared state."""

    coordination: Coordination
    shown: str
    key_prefix: str

    def read_periodic(self, timestamp: datetime | None) -> list[Any]:
        moment = timestamp if timestamp is not None else self._get_timestamp()
        return _stamp_period(super().read_periodic(moment), moment)


def make_queue(url: str, *, name: str, prefix: str = "") -> Huey:
    """The app's queue: a SQLite file for `sqlite:///…` or a plain path, a Redis server for `redis://…`.

    `name` tells apart several queues in one store; `prefix` is put before every Redis key (and
    the SQLite queue name) so that test runs and apps sharing one server never touch each other.
    """
    if not _NAME.fullmatch(name):
        raise QueueError(f"The queue name “{name}” may hold only letters, digits and underscores.")
    if not _PREFIX.fullmatch(prefix):
        raise QueueError(f"The queue prefix “{prefix}” may hold only letters, digits and the characters _ . : -")
    target = parse_queue_url(url)
    common: dict[str, Any] = {
        # A job that fails and will be retried has not failed yet: whoever waits for its
        # result should see the final outcome, not the first error.
        "store_intermediate_errors": False,
        "utc": True,
    }
    if isinstance(target, SqliteTarget):
        queue_name = re.sub(r"[^A-Za-z0-9_]", "_", prefix) + name
        sqlite_queue = SqliteQueue(queue_name, filename=str(target.path), **common)
        sqlite_queue.coordination = SqliteCoordination(target.path, queue_name)
        sqlite_queue.shown = str(target.path)
        return sqlite_queue
    redis_queue = RedisQueue(
        name,
        storage_class=_PrefixedRedisStorage,
        url=target.url,
        key_prefix=prefix,
        **common,
    )
    redis_queue.coordination = RedisCoordination(redis_queue.storage.conn, f"{prefix}topofmind.jobs.{name}")
    redis_queue.shown = target.shown
    redis_queue.key_prefix = prefix
    return redis_queue


def coordination_of(queue: Huey) -> Coordination:
    coordination = getattr(queue, "coordination", None)
    if not isinstance(coordination, Coordination):
        raise QueueError(
            "This queue was not made by topofmind.jobs.make_queue, so it has no place for locks and job records."
        )
    return coordination


def describe(queue: Huey) -> str:
    """Where the queue lives, without secrets: for messages and logs."""
    return str(getattr(queue, "shown", queue.name))


def ping_queue(queue: Huey) -> None:
    """Check that the queue's store answers, so a wrong setting fails at start-up and says so."""
    try:
        if isinstance(queue, RedisQueue):
            queue.storage.conn.ping()
        else:
            queue.pending_count()
    except (OSError, sqlite3.Error, RedisError) as exc:
        raise QueueError(f"The queue at {describe(queue)} ({SETTING}) does not answer: {exc}.") from None


def clear_queue(queue: Huey) -> None:
    """Remove this queue's jobs, schedule, results, locks and records, and nothing else's.

    For tests and for an operator starting over; never a FLUSHALL, since others share the server.
    """
    queue.flush()
    coordination_of(queue).clear()
    if isinstance(queue, RedisQueue):
        conn = queue.storage.conn
        for key in conn.scan_iter(match=f"{queue.storage.notify_prefix}*", count=500):
            conn.delete(key)
