"""Running the jobs: beside the web server on a laptop, or as a long-running command on a server.

Both run huey's consumer with worker threads (jobs here wait on the network - SMTP, IMAP,
feeds - so threads suffice; run more consumers for more parallelism), plus a watchman thread
that sends this consumer's heartbeat and sweeps for jobs cut off by a dead consumer.
"""

from __future__ import annotations

import atexit
import logging
import os
import socket
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from topofmind.jobs import context
from topofmind.jobs._huey import Consumer, Huey, Scheduler, Worker
from topofmind.jobs.errors import QueueError
from topofmind.jobs.queues import coordination_of, ping_queue
from topofmind.jobs.recovery import heartbeat_key, recover_abandoned

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ConsumerSettings:
    heartbeat_seconds: float = 5.0  # how often a consumer says it is alive and sweeps for lost jobs
    stale_after_seconds: float = 30.0  # silence after which a consumer counts as dead and its jobs as cut off
    periodic_check_seconds: int = 60  # how often the scheduler asks which periodic jobs are due
    enqueue_periodic: bool = True  # False: this consumer leaves periodic jobs to the others
    shutdown_timeout_seconds: float = 30.0  # how long stopping waits for running jobs before cutting them off
    poll_max_delay_seconds: float = 1.0  # longest pause between looks at an idle SQLite queue

    def __post_init__(self) -> None:
        if self.heartbeat_seconds <= 0 or self.stale_after_seconds < 2 * self.heartbeat_seconds:
            raise QueueError(
                "A consumer's stale_after_seconds must be at least twice its heartbeat_seconds, "
                "or a living consumer could be taken for dead."
            )
        if self.periodic_check_seconds < 1:
            raise QueueError("A consumer's periodic_check_seconds must be at least 1.")


class _Worker(Worker):  # type: ignore[misc]
    consumer_id: str | None = None

    def initialize(self) -> None:
        super().initialize()
        context.set_consumer(self.consumer_id)  # runs in the worker's own thread


class _Consumer(Consumer):  # type: ignore[misc]
    worker_class = _Worker
    scheduler_class = Scheduler

    def __init__(
        self, queue: Huey, *, workers: int, consumer_id: str, settings: ConsumerSettings, signals: bool
    ) -> None:
        # Set before huey's __init__, which already creates the workers and the scheduler.
        self._consumer_id = consumer_id
        self._settings = settings
        self._signals = signals
        super().__init__(
            queue,
            workers=workers,
            periodic=settings.enqueue_periodic,
            worker_type="thread",
            max_delay=settings.poll_max_delay_seconds,
            shutdown_timeout=settings.shutdown_timeout_seconds,
        )

    def _create_worker(self) -> Any:
        worker = super()._create_worker()
        worker.consumer_id = self._consumer_id
        return worker

    def _create_scheduler(self) -> Any:
        scheduler = super()._create_scheduler()
        scheduler.periodic_task_seconds = self._settings.periodic_check_seconds
        return scheduler

    def jobs_still_running(self) -> bool:
        return any(thread.is_alive() for _, thread in self.worker_threads)

    def _set_signal_handlers(self) -> None:
        # Beside a web server the signals belong to the server (and only the main thread may set them).
        if self._signals:
            super()._set_signal_handlers()


class _Watchman:
    def __init__(self, queue: Huey, consumer_id: str, settings: ConsumerSettings) -> None:
        self._queue = queue
        self._store = coordination_of(queue)
        self._consumer_id = consumer_id
        self._settings = settings
        self._stop = threading.Event()
        self._jobs_running: Callable[[], bool] = lambda: False
        self._thread = threading.Thread(target=self._loop, name=f"jobs-watchman-{consumer_id}", daemon=True)

    def start(self) -> None:
        self._beat()  # before any worker starts: the records they write must belong to a live consumer
        self._sweep()
        self._thread.start()

    def _beat(self) -> None:
        try:
            self._store.refresh(
                heartbeat_key(self._consumer_id), self._consumer_id, ttl_seconds=self._settings.stale_after_seconds
            )
        except Exception:  # tried again next beat; a few missed ones are what stale_after allows for
            logger.exception("Consumer %s could not send its heartbeat.", self._consumer_id)

    def _sweep(self) -> None:
        try:
            recover_abandoned(self._queue)
        except Exception:  # a sweep that fails now is tried again next beat; the consumer carries on
            logger.exception("Sweeping for jobs cut off by a stopped consumer failed.")

    def _loop(self) -> None:
        while not self._stop.wait(self._settings.heartbeat_seconds):
            self._beat()
            self._sweep()
        # Jobs that outlived the shutdown timeout are still ours while this process lives: keep
        # beating so no one puts them back and runs them twice. If the process exits first, the
        # beat lapses and another consumer puts them back.
        while self._jobs_running():
            self._beat()
            time.sleep(self._settings.heartbeat_seconds)
        self._store.release(heartbeat_key(self._consumer_id), self._consumer_id)

    def stop(self, *, jobs_running: Callable[[], bool] | None = None) -> None:
        """Stop sweeping; the heartbeat ends now, or when `jobs_running()` turns false."""
        if jobs_running is not None:
            self._jobs_running = jobs_running
        self._stop.set()
        if not self._thread.is_alive():
            self._store.release(heartbeat_key(self._consumer_id), self._consumer_id)
        elif not self._jobs_running():
            self._thread.join()


def new_consumer_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


class ConsumerHandle:
    """An in-process consumer; `stop()` lets running jobs finish (up to the shutdown timeout) and returns."""

    def __init__(self, consumer: _Consumer, watchman: _Watchman, consumer_id: str) -> None:
        self._consumer = consumer
        self._watchman = watchman
        self.consumer_id = consumer_id
        self._stopped = False
        self._lock = threading.Lock()

    @property
    def running(self) -> bool:
        return not self._stopped

    def stop(self) -> None:
        with self._lock:
            if self._stopped:
                return
            self._stopped = True
        atexit.unregister(self.stop)
        self._consumer.stop(graceful=True)  # waits for running jobs, up to the shutdown timeout
        self._watchman.stop(jobs_running=self._consumer.jobs_still_running)
        logger.info("Consumer %s stopped.", self.consumer_id)


def start_consumer(queue: Huey, workers: int = 1, *, settings: ConsumerSettings | None = None) -> ConsumerHandle:
    """Start a consumer in background threads of this process (the laptop: no second command).

    Call it once in the process that serves requests; the handle's `stop()` runs at interpreter
    exit too, so the consumer stops with the server.
    """
    settings = settings or ConsumerSettings()
    _check_workers(workers)
    ping_queue(queue)
    consumer_id = new_consumer_id()
    watchman = _Watchman(queue, consumer_id, settings)
    watchman.start()
    try:
        consumer = _Consumer(queue, workers=workers, consumer_id=consumer_id, settings=settings, signals=False)
        consumer.start()
    except BaseException:
        watchman.stop()
        raise
    handle = ConsumerHandle(consumer, watchman, consumer_id)
    atexit.register(handle.stop)
    logger.info("Consumer %s started in-process with %d worker(s) on %s.", consumer_id, workers, queue.name)
    return handle


def run_consumer(queue: Huey, workers: int = 1, *, settings: ConsumerSettings | None = None) -> None:
    """Run a consumer in the foreground until SIGINT (finish running jobs) or SIGTERM (stop now:
    running jobs are cut off and, once this consumer's heartbeat lapses, recovered by another).

    For the server's worker command; call it from the main thread, which owns the signals.
    """
    settings = settings or ConsumerSettings()
    _check_workers(workers)
    ping_queue(queue)
    consumer_id = new_consumer_id()
    watchman = _Watchman(queue, consumer_id, settings)
    watchman.start()
    consumer: _Consumer | None = None
    try:
        consumer = _Consumer(queue, workers=workers, consumer_id=consumer_id, settings=settings, signals=True)
        logger.info("Consumer %s running with %d worker(s) on %s.", consumer_id, workers, queue.name)
        consumer.run()
    finally:
        # After SIGTERM (or a shutdown timeout) jobs may still be running in threads that die
        # with the process: their records stay, and another consumer puts them back.
        watchman.stop(jobs_running=None if consumer is None else consumer.jobs_still_running)


def _check_workers(workers: int) -> None:
    if workers < 1:
        raise QueueError(f"A consumer needs at least one worker; {workers} were asked for.")
