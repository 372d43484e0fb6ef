"""Locks shared by every consumer of one queue: one holder per key at a time.

Inside a job, a busy lock puts the job back to try again a little later (it does not use up
the job's retries); outside a job it raises LockBusy. A lock taken by a job whose consumer is
killed is freed by recovery, so a crash never leaves a key locked for good.
"""

from __future__ import annotations

import os
import socket
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from topofmind.jobs import context
from topofmind.jobs._huey import Huey, RetryTask
from topofmind.jobs.errors import LockBusy
from topofmind.jobs.ledger import note_lock
from topofmind.jobs.queues import coordination_of


def _claim_key(key: str) -> str:
    return f"lock:{key}"


@contextmanager
def queue_lock(queue: Huey, key: str, *, retry_in: float | None = 5.0) -> Iterator[None]:
    """Hold `key` (say ``f"mail-account-{account_id}"``) for the duration of the block.

    When the key is busy: inside a job with `retry_in` set, the job is run again in `retry_in`
    seconds; otherwise LockBusy is raised. (A command outside the queue takes `command_lock`.)
    """
    store = coordination_of(queue)
    run = context.current_run()
    in_this_queue = run is not None and run.queue is queue
    # A fresh owner per acquisition: releasing must never free a lock someone else holds now.
    owner = f"{run.task_id if run is not None else 'outside-a-job'}:{uuid.uuid4().hex}"
    claim = _claim_key(key)
    if run is not None and in_this_queue and run.recorded:
        note_lock(store, run.task_id, claim, owner)  # noted first: a crash right after claiming is covered
    if not store.claim(claim, owner, ttl_seconds=None):
        if in_this_queue and retry_in is not None:
            raise RetryTask(f"the lock {key} is held by another job", delay=retry_in)
        raise LockBusy(f"Another job holds the lock “{key}”; try again when it has finished.")
    try:
        yield
    finally:
        store.release(claim, owner)


@contextmanager
def command_lock(queue: Huey, key: str, *, ttl_seconds: float) -> Iterator[None]:
    """Hold `key` from a command run outside the queue (say ``topofmind mail sync``), or raise
    LockBusy. Nothing records such a holder for recovery, so the key says which process holds
    it: a holder on this machine whose process is gone (killed) is taken over at once, and one
    elsewhere is free again after `ttl_seconds` at the latest."""
    store = coordination_of(queue)
    claim = _claim_key(key)
    owner = f"command:{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex}"
    if not store.claim(claim, owner, ttl_seconds=ttl_seconds):
        holder = store.holder(claim)
        if holder is not None and _gone(holder):
            store.release(claim, holder)  # its process was killed: nothing else would let go
        if not store.claim(claim, owner, ttl_seconds=ttl_seconds):
            raise LockBusy(f"Another job holds the lock “{key}”; try again when it has finished.")
    try:
        yield
    finally:
        store.release(claim, owner)


def _gone(holder: str) -> bool:
    """A command of this machine whose process has ended."""
    kind, _, rest = holder.partition(":")
    host, _, pid = rest.partition(":")
    if kind != "command" or host != socket.gethostname():
        return False
    try:
        os.kill(int(pid.partition(":")[0]), 0)
    except ProcessLookupError:
        return True
    except (ValueError, PermissionError):
        return False
    return False


def is_locked(queue: Huey, key: str) -> bool:
    return coordination_of(queue).holder(_claim_key(key)) is not None
