"""What the current worker thread is doing: which consumer it belongs to and which job it runs.

Kept per thread because one process may run several consumers (tests do) and each worker
thread belongs to exactly one of them.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class CurrentRun:
    queue: Any  # the huey instance the job was taken from
    task_id: str
    recorded: bool  # whether the job has a started/finished record to note its locks in


_local = threading.local()


def set_consumer(consumer_id: str | None) -> None:
    _local.consumer = consumer_id


def current_consumer() -> str | None:
    consumer: str | None = getattr(_local, "consumer", None)
    return consumer


def set_run(run: CurrentRun | None) -> CurrentRun | None:
    """Make `run` the current job and return the one it replaces, for the caller to put back."""
    previous: CurrentRun | None = getattr(_local, "run", None)
    _local.run = run
    return previous


def current_run() -> CurrentRun | None:
    run: CurrentRun | None = getattr(_local, "run", None)
    return run
