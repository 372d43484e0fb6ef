"""When periodic jobs are due: huey's cron-like schedule, with types."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from topofmind.jobs._huey import crontab


def cron(
    minute: str = "*", hour: str = "*", day: str = "*", month: str = "*", day_of_week: str = "*"
) -> Callable[[datetime], bool]:
    """A schedule in cron's fields (``cron(minute="0", hour="*/2")``), read in UTC.

    The queue runs in UTC because one queue serves users in many zones: a morning digest at each
    user's 7:00 is an hourly job that picks the users whose local hour it is.
    """
    schedule: Callable[[datetime], bool] = crontab(minute, hour, day, month, day_of_week)
    return schedule
