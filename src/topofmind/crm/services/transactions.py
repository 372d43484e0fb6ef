"""One transaction per use-case, re-run when the database says "try again".

Two writers can still collide in ways no lock order rules out: PostgreSQL may report a
deadlock or a serialization failure, two re-plans may insert the same follow-up key at once,
and SQLite may stay locked past its busy timeout while other processes write. None of these
is the user's fault and every one goes away if the whole transaction is run again, so each
use-case is wrapped in ``atomic_with_retry``: it opens the transaction and, on one of those
errors, rolls it back, waits a little (longer each time, with jitter so the colliding writers
do not meet again) and re-runs the use-case from the start. After the last attempt the user
gets ``Busy`` - "topofmind is busy, your touch was not saved: try again" - never a traceback.

Inside an outer transaction (a use-case calling another, or a test's transaction) the helper
is a plain ``atomic`` savepoint: only the outermost transaction can be re-run, so it does.
"""

from __future__ import annotations

import functools
import random
import time
from collections.abc import Callable
from typing import ParamSpec, TypeVar

from django.db import DatabaseError, IntegrityError, OperationalError, connection, transaction

from topofmind.crm.errors import Busy

P = ParamSpec("P")
T = TypeVar("T")

# Attempts in all, and the first back-off (doubled each time, jittered). A SQLite attempt may
# also wait up to its busy timeout (5 s, settings.SQLITE_OPTIONS) for the write lock first.
ATTEMPTS = 5
FIRST_BACKOFF_S = 0.02
# No new attempt starts this long after the first one began: a page (gunicorn gives it 60 s)
# answers "busy" in words well before a browser or a proxy gives up on it.
BUDGET_S = 15.0

# PostgreSQL SQLSTATEs worth a re-run: serialization failure, deadlock, lock not available,
# unique violation (two writers inserting the same follow-up key at the same moment).
_RETRY_STATES = {"40001", "40P01", "55P03", "23505"}
_RETRY_WORDS = ("database is locked", "database table is locked", "deadlock detected", "could not serialize")


def retryable(exc: DatabaseError) -> bool:
    """Whether running the same transaction again may well succeed."""
    cause = exc.__cause__
    state = getattr(cause, "sqlstate", None) or getattr(cause, "pgcode", None)
    if state is not None:
        return state in _RETRY_STATES
    text = str(exc).lower()
    if isinstance(exc, IntegrityError):
        return "unique constraint failed" in text
    return any(words in text for words in _RETRY_WORDS)


def atomic_with_retry(what: str) -> Callable[[Callable[P, T]], Callable[P, T]]:
    """Run the decorated use-case in one transaction, re-run on a collision (see above).

    ``what`` names the thing the user was saving, for the "not saved" message.
    """

    def decorate(use_case: Callable[P, T]) -> Callable[P, T]:
        @functools.wraps(use_case)
        def run(*args: P.args, **kwargs: P.kwargs) -> T:
            if connection.in_atomic_block:
                with transaction.atomic():
                    return use_case(*args, **kwargs)
            began = time.monotonic()
            for attempt in range(ATTEMPTS):
                if attempt and time.monotonic() - began > BUDGET_S:
                    break
                try:
                    with transaction.atomic():
                        return use_case(*args, **kwargs)
                except (OperationalError, IntegrityError) as exc:
                    if not retryable(exc):
                        raise
                    if attempt + 1 < ATTEMPTS:
                        pause = FIRST_BACKOFF_S * (2**attempt)
                        time.sleep(pause * random.uniform(0.5, 1.5))
            raise Busy(what)

        return run

    return decorate
