"""Declaring jobs once, at import time, and binding them to the queue chosen at start-up.

A tasks module must not create the huey instance itself: at import time the settings (and so
TOPOFMIND_QUEUE_URL) may not be known yet, tests want a fresh queue each, and a global built
too early silently points at the wrong store. So jobs are declared on a JobRegistry, which
only collects functions and options; `registry.bind(queue)` - called once by the app's
start-up code, or by a test - registers them all on that huey instance (and any job declared
later is registered as soon as it is declared). Enqueueing before the registry is bound is a
clear error, not a job sent into the void.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, ParamSpec, TypedDict, TypeVar, Unpack

from topofmind.jobs import context
from topofmind.jobs._huey import Huey, Result, ResultTimeout, TaskException
from topofmind.jobs.errors import QueueError
from topofmind.jobs.ledger import IfAbandoned, RunRecord, record_end, record_start
from topofmind.jobs.locks import queue_lock
from topofmind.jobs.queues import PERIOD_KWARG, coordination_of

P = ParamSpec("P")
R = TypeVar("R")

logger = logging.getLogger(__name__)

# How long a "this period has run" mark is kept: far longer than any two consumers' schedulers
# can disagree about which minute it is, short enough that the marks never pile up.
PERIOD_MARK_SECONDS = 24 * 3600.0


@dataclass(frozen=True)
class JobOptions:
    retries: int = 0
    retry_delay: float = 1.0  # seconds before the first retry
    backoff: float = 2.0  # each further retry waits this many times longer
    priority: int = 0  # higher runs first
    lock: bool | Callable[..., str] = False  # True: one run of the job at a time; a function: a key per arguments
    lock_retry_in: float = 5.0  # a locked-out run tries again after this many seconds
    if_abandoned: IfAbandoned = "requeue"
    max_recoveries: int = 3

    def __post_init__(self) -> None:
        if self.retries < 0 or self.retry_delay < 0 or self.backoff < 1 or self.max_recoveries < 0:
            raise QueueError(
                "A job's retries, retry_delay and max_recoveries cannot be negative, nor its backoff below 1."
            )


class JobOptionsGiven(TypedDict, total=False):
    """JobOptions as keywords of `job()` and `periodic()`, so a misspelt option fails type checking."""

    retries: int
    retry_delay: float
    backoff: float
    priority: int
    lock: bool | Callable[..., str]
    lock_retry_in: float
    if_abandoned: IfAbandoned
    max_recoveries: int


class JobHandle(Generic[R]):
    """A queued job: its id, and a way to wait for what it returned."""

    def __init__(self, job: str, result: Result) -> None:
        self._job = job
        self._result = result

    @property
    def id(self) -> str:
        return str(self._result.id)

    def result(self, *, timeout: float) -> R:
        """Wait up to `timeout` seconds for the job's return value (a job returning None has none to wait for)."""
        try:
            value: R = self._result.get(blocking=True, timeout=timeout)
        except ResultTimeout:
            raise QueueError(f"The job {self._job} ({self.id}) has not finished after {timeout:g} s.") from None
        except TaskException as exc:
            raise QueueError(f"The job {self._job} ({self.id}) failed: {exc}.") from None
        return value


class Job(Generic[P, R]):
    """A declared job. Call it to run it here and now; `enqueue` it to run it on a consumer."""

    def __init__(
        self,
        registry: JobRegistry,
        func: Callable[P, R],
        *,
        name: str,
        options: JobOptions,
        schedule: Callable[[datetime], bool] | None,
    ) -> None:
        self._registry = registry
        self._func = func
        self.name = name
        self.options = options
        self.schedule = schedule
        self._task: Any = None  # huey's TaskWrapper on the bound queue
        # Every queue this job was ever bound to, with its TaskWrapper there: huey refuses to
        # register a name twice, so going back to an earlier queue reuses the first wrapper.
        self._tasks: dict[int, tuple[Huey, Any]] = {}

    def __call__(self, *args: P.args, **kwargs: P.kwargs) -> R:
        return self._func(*args, **kwargs)

    def enqueue(self, *args: P.args, **kwargs: P.kwargs) -> JobHandle[R]:
        return JobHandle(self.name, self._bound()(*args, **kwargs))

    def enqueue_in(self, delay_seconds: float, /, *args: P.args, **kwargs: P.kwargs) -> JobHandle[R]:
        return JobHandle(self.name, self._bound().schedule(args=args, kwargs=kwargs, delay=delay_seconds))

    def _bound(self) -> Any:
        if self._task is None:
            raise QueueError(
                f"The job {self.name} cannot be queued yet: no queue was chosen at start-up "
                "(call bind(make_queue(...)) on its registry first)."
            )
        return self._task

    def bind(self, queue: Huey) -> None:
        if id(queue) in self._tasks:
            self._task = self._tasks[id(queue)][1]
            return
        options = self.options
        settings: dict[str, Any] = {
            "retries": options.retries,
            "retry_delay": options.retry_delay,
            "retry_backoff": options.backoff if options.retries else 0,
            "priority": options.priority,
            "context": True,
            "name": self._func.__name__,
        }

        def run(*args: Any, task: Any, **kwargs: Any) -> Any:
            return self._run(queue, task, args, kwargs)

        # huey names a job by module and name: keep the declaring module's, so producers and
        # consumers agree whatever process they run in.
        run.__module__ = self._func.__module__
        run.__name__ = self._func.__name__
        if self.schedule is None:
            self._task = queue.task(**settings)(run)
        else:
            self._task = queue.periodic_task(self.schedule, **settings)(run)
        self._tasks[id(queue)] = (queue, self._task)

    def _run(self, queue: Huey, task: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
        store = coordination_of(queue)
        period = kwargs.pop(PERIOD_KWARG, None)
        # Each consumer's scheduler enqueues a periodic job for the same tick; the first copy to
        # run claims the period, the others see the claim and stop here. A retry or a recovered
        # copy of the winner carries the same task id, so it may go on.
        if period is not None and not store.claim(
            f"period:{self.name}:{period}", task.id, ttl_seconds=PERIOD_MARK_SECONDS
        ):
            logger.info(
                "Periodic job %s already ran for the period starting %s; this copy does nothing.", self.name, period
            )
            return None
        consumer = context.current_consumer()
        if consumer is not None:
            record_start(store, self._record(queue, task, consumer, args, kwargs))
        previous = context.set_run(context.CurrentRun(queue=queue, task_id=task.id, recorded=consumer is not None))
        try:
            if self.options.lock is False:
                return self._func(*args, **kwargs)
            key = self.name if self.options.lock is True else self.options.lock(*args, **kwargs)
            with queue_lock(queue, key, retry_in=self.options.lock_retry_in):
                return self._func(*args, **kwargs)
        finally:
            context.set_run(previous)
            if consumer is not None:
                record_end(store, task.id)

    def _record(
        self, queue: Huey, task: Any, consumer: str, args: tuple[Any, ...], kwargs: dict[str, Any]
    ) -> RunRecord:
        shown = ", ".join([*(repr(a) for a in args), *(f"{k}={v!r}" for k, v in kwargs.items())])
        summary = f"{self.name}({shown})"
        return RunRecord(
            task_id=task.id,
            job=self.name,
            summary=summary if len(summary) <= 200 else summary[:199] + "…",
            consumer=consumer,
            started_at=time.time(),
            message=queue.serialize_task(task),
            priority=task.priority or 0,
            if_abandoned=self.options.if_abandoned,
            max_recoveries=self.options.max_recoveries,
        )


class JobRegistry:
    """The app's jobs, declared at import time and bound to one queue at start-up."""

    def __init__(self) -> None:
        self._jobs: dict[str, Job[Any, Any]] = {}
        self._queue: Huey | None = None

    @property
    def queue(self) -> Huey:
        """The bound queue: jobs use it for `queue_lock`."""
        if self._queue is None:
            raise QueueError("No queue was chosen at start-up: call bind(make_queue(...)) on the job registry first.")
        return self._queue

    @property
    def jobs(self) -> dict[str, Job[Any, Any]]:
        return dict(self._jobs)

    def job(self, **options: Unpack[JobOptionsGiven]) -> Callable[[Callable[P, R]], Job[P, R]]:
        """Declare a job; `options` are JobOptions' fields (retries, retry_delay, backoff, lock, …)."""
        return self._declare(None, JobOptions(**options))

    def periodic(
        self, schedule: Callable[[datetime], bool], **options: Unpack[JobOptionsGiven]
    ) -> Callable[[Callable[P, R]], Job[P, R]]:
        """Declare a job the consumers run once for each minute that `schedule` (say huey's crontab) accepts."""
        return self._declare(schedule, JobOptions(**options))

    def _declare(
        self, schedule: Callable[[datetime], bool] | None, options: JobOptions
    ) -> Callable[[Callable[P, R]], Job[P, R]]:
        def declare(func: Callable[P, R]) -> Job[P, R]:
            name = f"{func.__module__}.{func.__name__}"
            if name in self._jobs:
                raise QueueError(f"The job {name} is declared twice.")
            job: Job[P, R] = Job(self, func, name=name, options=options, schedule=schedule)
            self._jobs[name] = job
            if self._queue is not None:
                job.bind(self._queue)
            return job

        return declare

    def bind(self, queue: Huey) -> None:
        """Register every job on `queue`; binding again to another queue (a test's) moves them all there."""
        for job in self._jobs.values():
            job.bind(queue)
        self._queue = queue
