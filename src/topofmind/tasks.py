"""Background jobs on the queue (topofmind.jobs): thin, each one calls a service.

Declared at import time on ``jobs``; ``bind_queue()`` (the web server's start-up, the worker
command, ``topofmind send``) binds them to the queue TOPOFMIND_QUEUE_URL names. Entry points
call the functions below (``request_send``, ``mail_status``...) rather than enqueueing by hand,
so the outbox row is committed before its job can look for it.

Jobs:
  * ``send_outbox(outbox_id)``: send one approved draft. ``if_abandoned="report"``: a job cut
    off mid-run is never run again; ``settle_cut_off_sends`` marks its row "unknown" for the user.
    A server that says "try later" before taking the message is tried again after each wait of
    TOPOFMIND_SEND_RETRY_SECONDS (1, 5, 30 minutes), then the send is "failed".
  * ``morning_digests()``: every five minutes, once per period across consumers; each user's
    digest goes once per local business day, at their hour.
  * ``settle_sends()``: every minute, turns sends cut off by a dead consumer into "unknown".
  * ``fetch_news()``: every TOPOFMIND_FEEDS_EVERY_HOURS hours (6), once per period across
    consumers and never two at once, reads every workspace's company news feeds;
    ``request_news_fetch()`` ("Fetch now") queues one run for a workspace.
  * ``sync_mailboxes()``: every TOPOFMIND_MAIL_SYNC_MINUTES, queues ``sync_mailbox(user_id)``
    for each mail account; that job holds the lock ``mail-account-<user id>``, so one account
    is never read by two consumers at once (`topofmind mail sync` takes no lock: a process
    killed while holding one would block the queue, and the unique Message-ID already keeps
    two readers from logging a message twice).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db import close_old_connections, connection, transaction
from django.utils import timezone

from topofmind.crm import queries, services
from topofmind.crm.errors import Conflict
from topofmind.crm.models import OutboxMessage, Workspace
from topofmind.jobs import (
    ConsumerHandle,
    ConsumerSettings,
    JobRegistry,
    LockBusy,
    abandoned_jobs,
    command_lock,
    cron,
    forget_abandoned,
    make_queue,
    ping_queue,
    run_consumer,
    start_consumer,
)
from topofmind.jobs import QueueError as QueueError

logger = logging.getLogger(__name__)

QUEUE_NAME = "topofmind"

jobs = JobRegistry()
_bound_to: str | None = None
_bind_lock = threading.Lock()


def bind_queue(url: str | None = None, *, prefix: str | None = None) -> None:
    """Bind every job to the queue named by TOPOFMIND_QUEUE_URL (once per process and URL)."""
    global _bound_to
    wanted = url or str(settings.QUEUE_URL)
    prefix = str(settings.QUEUE_PREFIX) if prefix is None else prefix
    with _bind_lock:
        if _bound_to == wanted + "|" + prefix:
            return
        jobs.bind(make_queue(wanted, name=QUEUE_NAME, prefix=prefix))
        _bound_to = wanted + "|" + prefix


@contextmanager
def _django_job() -> Iterator[None]:
    """Around a job's use of the store. Consumer threads live long: connections that went stale
    between jobs are dropped on the way in and out. (Not inside a transaction: a job called
    directly, as a test does, keeps its caller's connection.)"""
    if not connection.in_atomic_block:
        close_old_connections()
    try:
        yield
    finally:
        if not connection.in_atomic_block:
            close_old_connections()


@jobs.job(if_abandoned="report", priority=10)
def send_outbox(outbox_id: int, attempt: int = 1) -> str:
    waits = tuple(settings.SEND_RETRY_SECONDS)  # one per further try, after a "try later"
    delay = waits[attempt - 1] if attempt <= len(waits) else None
    with _django_job():
        try:
            row = services.deliver(
                outbox_id=outbox_id, now=timezone.now(), retry_in=delay, attempt=attempt, attempts=len(waits) + 1
            )
        except services.TryLater as later:
            assert delay is not None  # deliver only asks to try later when a retry is left
            logger.warning("Send %s will be tried again in %g s: %s", outbox_id, delay, later)
            send_outbox.enqueue_in(delay, outbox_id, attempt + 1)
            return "queued"
    return row.state


@jobs.periodic(cron(minute="*/5"), retries=0)
def morning_digests() -> int:
    with _django_job():
        return services.send_due_digests(now=timezone.now(), base_url=base_url())


@jobs.periodic(cron(minute="*"))
def settle_sends() -> int:
    with _django_job():
        return settle_cut_off_sends()


def _feeds_schedule() -> str:
    hours = int(getattr(settings, "FEEDS_EVERY_HOURS", 6))
    return "*" if hours <= 1 else f"*/{min(hours, 24)}"


@jobs.periodic(cron(minute="7", hour=_feeds_schedule()), retries=0, lock=True)
def fetch_news() -> int:
    """Every workspace's feeds; the number of feeds read."""
    with _django_job():
        return len(services.fetch_feeds(now=timezone.now()))


@jobs.periodic(cron(minute="37", hour="3"), retries=0, lock=True)
def sweep_materials() -> int:
    """Once a day: delete material files left without their item by a crash mid-upload."""
    with _django_job():
        return len(services.sweep_material_orphans(now=timezone.now()))


def mail_account_lock(user_id: int) -> str:
    """The lock every reader of one mailbox takes: the queue's job and the command line alike."""
    return f"mail-account-{user_id}"


def _sync_period(moment: datetime) -> bool:
    """Due every TOPOFMIND_MAIL_SYNC_MINUTES minutes (counted from the epoch, so any number works)."""
    minutes = int(settings.MAIL_SYNC_MINUTES)
    return minutes > 0 and int(moment.timestamp() // 60) % minutes == 0


# A sync from the command line holds the queue job's lock for at most this long. A killed command
# on this machine frees it at once (the next command sees its process is gone); one killed on
# another machine cannot keep the queue's syncs away for longer (10,000 messages take seconds).
COMMAND_SYNC_HOLD_SECONDS = 30 * 60


@contextmanager
def holding_mailbox(user_id: int) -> Iterator[None]:
    """One reader of a mailbox at a time: a sync run outside the queue (``topofmind mail sync``)
    takes the lock the queue's sync job takes, or says a sync is running now."""
    bind_queue()
    with ExitStack() as stack:
        try:
            stack.enter_context(command_lock(jobs.queue, mail_account_lock(user_id), ttl_seconds=COMMAND_SYNC_HOLD_SECONDS))
        except LockBusy:
            raise Conflict(
                "a sync of this mailbox is running now (the queue's or another command's)",
                "try again when it has finished",
            ) from None
        yield


@jobs.periodic(_sync_period, retries=0)
def sync_mailboxes() -> int:
    """Queue one sync per mail account; returns how many were queued."""
    with _django_job():
        users = services.accounts_to_sync()
    for user_id in users:
        sync_mailbox.enqueue(user_id)
    return len(users)


@jobs.job(lock=mail_account_lock, retries=2, retry_delay=60)
def sync_mailbox(user_id: int) -> None:
    """Read one account's Sent and INBOX. Returns nothing, so the queue keeps no result every few
    minutes: the counts are on the account (``last_sync_report``), a failure is its last error."""
    with _django_job():
        try:
            services.sync_mailbox(user_id=user_id, now=timezone.now())
        except services.SyncError as error:
            logger.warning("Mail sync of user %s: %s", user_id, error.one_line())


@jobs.job(retries=0, lock=lambda workspace_id: f"fetch-news-{workspace_id}")
def fetch_news_now(workspace_id: int) -> int:
    """One workspace's feeds, asked for by "Fetch now"; the number of feeds read."""
    with _django_job():
        workspace = Workspace.objects.filter(pk=workspace_id).first()
        if workspace is None:
            return 0
        return len(services.fetch_feeds(now=timezone.now(), workspace=workspace))


def request_news_fetch(*, workspace: Workspace) -> str:
    """Queue a read of the workspace's feeds now; the job's id."""
    bind_queue()
    return str(fetch_news_now.enqueue(workspace.pk).id)


def request_sync(*, user_id: int) -> str:
    """ "Sync now": queue the account's sync (it waits for a sync already running). Returns the job id."""
    bind_queue()
    services.mail_account_of(user_id)  # NotFound before anything is queued
    return sync_mailbox.enqueue(user_id).id


def settle_cut_off_sends() -> int:
    """Sends whose job was cut off mid-run become "unknown" (the queue reports them, never re-runs them)."""
    cut_off = [job for job in abandoned_jobs(jobs.queue) if job.job == send_outbox.name]
    settled = services.settle_cut_off_sends(job_ids=[job.task_id for job in cut_off], now=timezone.now())
    for job in cut_off:
        forget_abandoned(jobs.queue, job.task_id)
    return settled


def base_url() -> str:
    """Where links in our mail point: TOPOFMIND_BASE_URL, else the local address `serve` listens on."""
    return str(settings.BASE_URL or getattr(settings, "LOCAL_BASE_URL", "") or "http://127.0.0.1:8000")


# --- what entry points call ---------------------------------------------------------------


def request_send(*, workspace: Workspace, user_id: int, followup_id: int, subject: str, body: str) -> OutboxMessage:
    """Check and record an approved draft, then queue its send once the record is committed."""
    bind_queue()
    moment = timezone.now()
    with transaction.atomic():
        row = services.queue_send(
            workspace=workspace, user_id=user_id, followup_id=followup_id, subject=subject, body=body, now=moment
        )
        transaction.on_commit(lambda: _enqueue(row.pk))
    return row


def _enqueue(outbox_id: int) -> None:
    try:
        handle = send_outbox.enqueue(outbox_id)
    except QueueError as exc:
        # Certainly not sent: say so on the row, so the user sees why and may press Send again.
        services.fail_send(outbox_id=outbox_id, error=f"It could not be queued: {exc}", now=timezone.now())
        return
    services.note_send_job(outbox_id=outbox_id, job_id=handle.id)


@dataclass(frozen=True)
class QueueState:
    where: str
    waiting: int
    error: str  # "" when the queue answers


def queue_state() -> QueueState:
    try:
        bind_queue()
        queue = jobs.queue
        ping_queue(queue)
        return QueueState(where=str(getattr(queue, "shown", queue.name)), waiting=queue.pending_count(), error="")
    except QueueError as exc:
        return QueueState(where=str(settings.QUEUE_URL).split("@")[-1], waiting=0, error=str(exc))


def mail_status(*, user_id: int, workspace: Workspace) -> queries.MailStatus:
    """The account, the queue, the last send and the last error, after settling cut-off sends."""
    state = queue_state()
    if not state.error:
        try:
            settle_cut_off_sends()
        except QueueError as exc:
            state = QueueState(state.where, state.waiting, str(exc))
    return queries.mail_status(
        user_id=user_id,
        workspace=workspace,
        queue_where=state.where,
        queue_waiting=state.waiting,
        queue_error=state.error,
    )


# --- consumers ----------------------------------------------------------------------------


def start_in_process_consumer(workers: int = 1) -> ConsumerHandle:
    """The laptop: a consumer in the serving process, so `topofmind serve` is the only command."""
    bind_queue()
    return start_consumer(jobs.queue, workers)


def run_worker(workers: int = 2, *, heartbeat_seconds: float = 5.0, stale_after_seconds: float = 30.0) -> None:
    """A server's `topofmind worker`: a consumer in the foreground until Ctrl+C or SIGTERM."""
    bind_queue()
    run_consumer(
        jobs.queue,
        workers,
        settings=ConsumerSettings(heartbeat_seconds=heartbeat_seconds, stale_after_seconds=stale_after_seconds),
    )
