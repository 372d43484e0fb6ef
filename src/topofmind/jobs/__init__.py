"""The background queue every later job runs on (mail send, mailbox sync, company news, the digest).

Built on huey. Nothing here imports Django or the rest of topofmind; it takes and returns plain
values, and problems a user or an operator can fix raise QueueError with one clear sentence.

Where the queue lives - ``make_queue(url, *, name, prefix="")``:
    ``sqlite:////path/queue.db`` (or a plain path) gives a SQLite file, for a laptop, next to the
    app's database; ``redis://host:6379/0`` gives a Redis queue with priorities, for a team
    server. `prefix` goes before every Redis key so apps and test runs can share one server;
    ``clear_queue(queue)`` removes this queue's keys and nothing else's. A bad URL raises
    QueueError naming TOPOFMIND_QUEUE_URL.

Declaring jobs - a registry, not a global huey:
    A tasks module declares its jobs on a JobRegistry at import time, before anyone knows the
    queue URL; the app's start-up code binds the registry to the queue it made::

        jobs = JobRegistry()                              # tasks.py, at import time

        @jobs.job(retries=4, retry_delay=30, backoff=2, if_abandoned="report")
        def send_mail(draft_id: int) -> None: ...

        @jobs.periodic(cron(minute="0"))                  # hourly, in UTC; once per period
        def morning_digest() -> None: ...

        jobs.bind(make_queue(settings.QUEUE_URL, name="topofmind"))   # start-up
        send_mail.enqueue(42)                              # a service; returns a JobHandle

    So no module binds to a queue made with the wrong URL, each test binds to its own queue, and
    enqueueing before start-up is a clear error. Calling a job (``send_mail(42)``) runs it here.

Retries, periods, locks:
    `retries`, `retry_delay` and `backoff` are huey's: each retry waits `backoff` times longer.
    A periodic job runs once per period however many consumers' schedulers enqueue it: the
    first copy claims the period (the minute of the scheduler's tick, so the consumers' clocks
    must agree, as NTP makes them), the others do nothing. ``lock=True`` (or a function of the
    arguments giving a key) lets one run of a job go at a time across every consumer;
    ``with queue_lock(jobs.queue, f"mail-account-{id}"):`` does the same for a block inside a
    job. A locked-out job tries again later without using up its retries. ``priority=`` puts a
    job ahead of ordinary ones (a mail to send before a news fetch).

Running the jobs:
    ``start_consumer(queue, workers=1) -> ConsumerHandle`` runs a consumer in background threads
    beside the web server (``handle.stop()``, also run at interpreter exit);
    ``run_consumer(queue, workers)`` runs one in the foreground for the server's worker command
    (SIGINT finishes running jobs, SIGTERM stops now and leaves them to recovery). A job that
    outlives the shutdown timeout keeps its consumer's heartbeat going while the process lives,
    so it is never put back while it still runs.

A consumer killed mid-job (kill -9, power cut):
    huey takes a job off the queue when a worker picks it up, so a killed job would be lost.
    Here every job run by our consumers writes a started record (with its queue message and the
    locks it takes) and removes it when it ends; consumers send heartbeats and sweep the records.
    A record whose consumer's heartbeat has lapsed (``stale_after_seconds``) is a job cut off
    mid-run: its locks are freed and, as the job declared, it is put back on the queue
    (``if_abandoned="requeue"``, the default: at least once, up to `max_recoveries` times) or
    listed by ``abandoned_jobs(queue)`` for a person (``"report"``: for jobs that must not run
    twice, such as sending mail). A job is only unprotected in the instant between huey taking
    it off the queue and its record being written (and huey's own hand-over of a delayed job from
    its schedule to the queue). Consumers are taken for dead only by their silence (Redis times
    the heartbeat itself; SQLite lives on one machine), so a `stale_after_seconds` well above
    any pause of a living consumer matter; a consumer wrongly taken for dead means a "requeue"
    job may run twice, which is why jobs that must not are declared "report".

How the next step wires it (nothing here reads settings):
    * settings: TOPOFMIND_QUEUE_URL, by default a ``queue.db`` beside the app's SQLite database;
    * ``topofmind/tasks.py`` declares ``jobs = JobRegistry()`` and the jobs, which call services;
    * start-up (the web server's and the worker command's) calls
      ``jobs.bind(make_queue(url, name="topofmind"))``; the laptop's server then calls
      ``start_consumer(jobs.queue)`` once, in the process that serves (not in an autoreloader's
      parent), and the team's ``topofmind worker`` command calls ``run_consumer(jobs.queue, n)``;
    * services enqueue after their transaction commits (``transaction.on_commit``), so a job
      never looks for a row that is not there yet; a page of cut-off jobs reads
      ``abandoned_jobs(jobs.queue)`` and ``forget_abandoned(...)``.
    * ``JobHandle.result(timeout=...)`` waits for a job's return value; a job that returns None
      stores nothing (huey's default, so fire-and-forget jobs leave no results behind).
    * Jobs run in worker threads (huey's "thread" workers): the per-consumer heartbeat and the
      thread-local job context rely on it; more throughput means more consumers.
"""

from __future__ import annotations

from topofmind.jobs.consumer import ConsumerHandle, ConsumerSettings, run_consumer, start_consumer
from topofmind.jobs.errors import LockBusy, QueueError
from topofmind.jobs.ledger import AbandonedJob
from topofmind.jobs.locks import command_lock, is_locked, queue_lock
from topofmind.jobs.queues import clear_queue, make_queue, ping_queue
from topofmind.jobs.recovery import RecoveryReport, abandoned_jobs, forget_abandoned, recover_abandoned
from topofmind.jobs.registry import Job, JobHandle, JobOptions, JobRegistry
from topofmind.jobs.schedules import cron
from topofmind.jobs.urls import SETTING

__all__ = [
    "SETTING",
    "AbandonedJob",
    "ConsumerHandle",
    "ConsumerSettings",
    "Job",
    "JobHandle",
    "JobOptions",
    "JobRegistry",
    "LockBusy",
    "QueueError",
    "RecoveryReport",
    "abandoned_jobs",
    "clear_queue",
    "command_lock",
    "cron",
    "forget_abandoned",
    "is_locked",
    "make_queue",
    "ping_queue",
    "queue_lock",
    "recover_abandoned",
    "run_consumer",
    "start_consumer",
]
