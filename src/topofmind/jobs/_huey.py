"""The one place that imports huey.

huey ships without type information, so its names reach the rest of the package through this
module only; everything else stays checkable by ``mypy --strict``.
"""

from __future__ import annotations

from huey import PriorityRedisHuey, SqliteHuey, crontab  # type: ignore[import-untyped]
from huey.api import Huey, Result, Task  # type: ignore[import-untyped]
from huey.consumer import Consumer, Scheduler, Worker  # type: ignore[import-untyped]
from huey.exceptions import ResultTimeout, RetryTask, TaskException  # type: ignore[import-untyped]
from huey.storage import PriorityRedisStorage  # type: ignore[import-untyped]

__all__ = [
    "Consumer",
    "Huey",
    "PriorityRedisHuey",
    "PriorityRedisStorage",
    "Result",
    "ResultTimeout",
    "RetryTask",
    "Scheduler",
    "SqliteHuey",
    "Task",
    "TaskException",
    "Worker",
    "crontab",
]
