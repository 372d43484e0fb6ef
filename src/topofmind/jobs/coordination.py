"""Small shared state beside the queue: claims (locks, once-per-period marks, consumer heartbeats)
and two tables of job records.

huey's own key/value store cannot list keys or compare-and-delete, and its lock time-outs need a
newer Redis than Debian ships, so the few operations the queue layer needs are written here once
per backend, in the same SQLite file or the same Redis database as the queue itself.
"""

from __future__ import annotations

import sqlite3
import time
from abc import ABC, abstractmethod
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

_HDEL_IF_EQUAL = """
if redis.call('hget', KEYS[1], ARGV[1]) == ARGV[2] then return redis.call('hdel', KEYS[1], ARGV[1]) end
return 0
"""
_RELEASE_IF_OWNER = """
if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end
return 0
"""


class Coordination(ABC):
    """Claims are held by an owner (a string) until released or, if given a time to live, until they expire."""

    @abstractmethod
    def claim(self, key: str, owner: str, *, ttl_seconds: float | None) -> bool:
        """Take `key` for `owner` unless someone else holds it; True when `owner` holds it afterwards."""

    @abstractmethod
    def refresh(self, key: str, owner: str, *, ttl_seconds: float) -> None:
        """Hold `key` for `owner` for another `ttl_seconds`, whoever held it before (heartbeats)."""

    @abstractmethod
    def release(self, key: str, owner: str) -> bool:
        """Let go of `key` if `owner` still holds it; a claim someone else took since is left alone."""

    @abstractmethod
    def holder(self, key: str) -> str | None: ...

    @abstractmethod
    def put(self, table: str, key: str, value: str) -> None: ...

    @abstractmethod
    def get(self, table: str, key: str) -> str | None: ...

    @abstractmethod
    def take(self, table: str, key: str) -> str | None:
        """Remove and return a row; of several callers racing for one row, exactly one gets it."""

    @abstractmethod
    def take_if(self, table: str, key: str, value: str) -> bool:
        """Remove a row only if it still holds `value`: of several callers, at most one succeeds."""

    @abstractmethod
    def items(self, table: str) -> dict[str, str]: ...

    @abstractmethod
    def clear(self) -> None:
        """Forget everything this queue stored here, and nothing of any other queue."""


class SqliteCoordination(Coordination):
    def __init__(self, path: Path, queue: str) -> None:
        self._path = path
        self._queue = queue
        with self._connection() as db:
            db.execute(
                "create table if not exists topofmind_jobs_claims (queue text not null, key text not null, "
                "owner text not null, expires_at real, primary key (queue, key))"
            )
            db.execute(
                "create table if not exists topofmind_jobs_rows (queue text not null, tbl text not null, "
                "key text not null, value text not null, primary key (queue, tbl, key))"
            )

    @contextmanager
    def _connection(self) -> Iterator[sqlite3.Connection]:
        # A connection per call: worker threads, the heartbeat thread and the web server share
        # the file, and sqlite3 connections must not be shared between threads mid-transaction.
        db = sqlite3.connect(self._path, timeout=10, isolation_level=None)
        try:
            yield db
        finally:
            db.close()

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        with self._connection() as db:
            db.execute("begin immediate")  # take the write lock first, so read-then-write is atomic
            try:
                yield db
            except BaseException:
                db.execute("rollback")
                raise
            db.execute("commit")

    def claim(self, key: str, owner: str, *, ttl_seconds: float | None) -> bool:
        now = time.time()
        expires = None if ttl_seconds is None else now + ttl_seconds
        with self._transaction() as db:
            db.execute(
                "delete from topofmind_jobs_claims where queue = ? and expires_at is not null and expires_at <= ?",
                (self._queue, now),
            )
            db.execute(
                "insert or ignore into topofmind_jobs_claims (queue, key, owner, expires_at) values (?, ?, ?, ?)",
                (self._queue, key, owner, expires),
            )
            row = db.execute(
                "select owner from topofmind_jobs_claims where queue = ? and key = ?", (self._queue, key)
            ).fetchone()
        return row is not None and row[0] == owner

    def refresh(self, key: str, owner: str, *, ttl_seconds: float) -> None:
        with self._transaction() as db:
            db.execute(
                "insert or replace into topofmind_jobs_claims (queue, key, owner, expires_at) values (?, ?, ?, ?)",
                (self._queue, key, owner, time.time() + ttl_seconds),
            )

    def release(self, key: str, owner: str) -> bool:
        with self._transaction() as db:
            cursor = db.execute(
                "delete from topofmind_jobs_claims where queue = ? and key = ? and owner = ?", (self._queue, key, owner)
            )
            return cursor.rowcount == 1

    def holder(self, key: str) -> str | None:
        with self._connection() as db:
            row = db.execute(
                "select owner from topofmind_jobs_claims where queue = ? and key = ? "
                "and (expires_at is null or expires_at > ?)",
                (self._queue, key, time.time()),
            ).fetchone()
        return None if row is None else str(row[0])

    def put(self, table: str, key: str, value: str) -> None:
        with self._transaction() as db:
            db.execute(
                "insert or replace into topofmind_jobs_rows (queue, tbl, key, value) values (?, ?, ?, ?)",
                (self._queue, table, key, value),
            )

    def get(self, table: str, key: str) -> str | None:
        with self._connection() as db:
            row = db.execute(
                "select value from topofmind_jobs_rows where queue = ? and tbl = ? and key = ?",
                (self._queue, table, key),
            ).fetchone()
        return None if row is None else str(row[0])

    def take(self, table: str, key: str) -> str | None:
        with self._transaction() as db:
            row = db.execute(
                "select value from topofmind_jobs_rows where queue = ? and tbl = ? and key = ?",
                (self._queue, table, key),
            ).fetchone()
            if row is None:
                return None
            db.execute(
                "delete from topofmind_jobs_rows where queue = ? and tbl = ? and key = ?", (self._queue, table, key)
            )
        return str(row[0])

    def take_if(self, table: str, key: str, value: str) -> bool:
        with self._transaction() as db:
            cursor = db.execute(
                "delete from topofmind_jobs_rows where queue = ? and tbl = ? and key = ? and value = ?",
                (self._queue, table, key, value),
            )
            return cursor.rowcount == 1

    def items(self, table: str) -> dict[str, str]:
        with self._connection() as db:
            rows = db.execute(
                "select key, value from topofmind_jobs_rows where queue = ? and tbl = ?", (self._queue, table)
            ).fetchall()
        return {str(key): str(value) for key, value in rows}

    def clear(self) -> None:
        with self._transaction() as db:
            db.execute("delete from topofmind_jobs_claims where queue = ?", (self._queue,))
            db.execute("delete from topofmind_jobs_rows where queue = ?", (self._queue,))


class RedisCoordination(Coordination):
    """Every key starts with `base` (the run's prefix, then topofmind.jobs.<queue name>)."""

    def __init__(self, conn: Any, base: str) -> None:
        self._conn = conn  # the redis.Redis client huey's storage already holds
        self._base = base
        self._release = conn.register_script(_RELEASE_IF_OWNER)
        self._hdel_if_equal = conn.register_script(_HDEL_IF_EQUAL)

    def _claim_key(self, key: str) -> str:
        return f"{self._base}.claim.{key}"

    def _table_key(self, table: str) -> str:
        return f"{self._base}.rows.{table}"

    def claim(self, key: str, owner: str, *, ttl_seconds: float | None) -> bool:
        px = None if ttl_seconds is None else max(1, int(ttl_seconds * 1000))
        if self._conn.set(self._claim_key(key), owner, nx=True, px=px):
            return True
        return self.holder(key) == owner

    def refresh(self, key: str, owner: str, *, ttl_seconds: float) -> None:
        self._conn.set(self._claim_key(key), owner, px=max(1, int(ttl_seconds * 1000)))

    def release(self, key: str, owner: str) -> bool:
        return bool(self._release(keys=[self._claim_key(key)], args=[owner]))

    def holder(self, key: str) -> str | None:
        value = self._conn.get(self._claim_key(key))
        return None if value is None else bytes(value).decode()

    def put(self, table: str, key: str, value: str) -> None:
        self._conn.hset(self._table_key(table), key, value)

    def get(self, table: str, key: str) -> str | None:
        value = self._conn.hget(self._table_key(table), key)
        return None if value is None else bytes(value).decode()

    def take(self, table: str, key: str) -> str | None:
        pipe = self._conn.pipeline(transaction=True)
        pipe.hget(self._table_key(table), key)
        pipe.hdel(self._table_key(table), key)
        value, deleted = pipe.execute()
        return bytes(value).decode() if value is not None and deleted == 1 else None

    def take_if(self, table: str, key: str, value: str) -> bool:
        return bool(self._hdel_if_equal(keys=[self._table_key(table)], args=[key, value]))

    def items(self, table: str) -> dict[str, str]:
        rows = self._conn.hgetall(self._table_key(table))
        return {bytes(k).decode(): bytes(v).decode() for k, v in rows.items()}

    def clear(self) -> None:
        # SCAN our own pattern only: other apps and test runs share this Redis.
        for key in self._conn.scan_iter(match=f"{self._base}.*", count=500):
            self._conn.delete(key)
