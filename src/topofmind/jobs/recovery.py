"""Finding jobs cut off mid-run (their consumer was killed) and putting them back or reporting them.

Every consumer started by this package sends a heartbeat; each consumer also sweeps the job
records now and then. A record whose consumer's heartbeat has lapsed belongs to a dead consumer.
The sweeper that takes the record (only one can) frees the locks the job held and then, as the
job asked when it was declared:

* ``if_abandoned="requeue"`` (the default): puts the same job back on the queue, so it runs again
  from the start - at-least-once, for jobs that are safe to repeat (a mailbox sync, a news fetch);
  after `max_recoveries` returns it is reported instead, so a job that kills its consumer every
  time (say, by running out of memory) does not loop forever;
* ``if_abandoned="report"``: lists it in `abandoned_jobs()` for a person to decide - for jobs that
  must not run twice (sending a mail: it may already have left).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace

from topofmind.jobs._huey import Huey
from topofmind.jobs.coordination import Coordination
from topofmind.jobs.ledger import ABANDONED, RUNS, AbandonedJob, RunRecord, abandon
from topofmind.jobs.queues import coordination_of

logger = logging.getLogger(__name__)


def heartbeat_key(consumer_id: str) -> str:
    return f"consumer:{consumer_id}"


@dataclass(frozen=True)
class RecoveryReport:
    requeued: tuple[str, ...]  # task ids put back on the queue
    abandoned: tuple[AbandonedJob, ...]  # jobs now waiting for a person


def recover_abandoned(queue: Huey) -> RecoveryReport:
    """Deal with every job whose consumer died mid-run; safe to call from several consumers at once."""
    store = coordination_of(queue)
    alive: dict[str, bool] = {}
    requeued: list[str] = []
    abandoned: list[AbandonedJob] = []
    for text in store.items(RUNS).values():
        record = RunRecord.from_json(text)
        if record.consumer is None:
            continue  # already put back and waiting in the queue
        if record.consumer not in alive:
            alive[record.consumer] = store.holder(heartbeat_key(record.consumer)) is not None
        if alive[record.consumer]:
            continue
        # Only the record exactly as read: another sweeper may already have put the job back
        # and rewritten its record, and that one must not be put back a second time.
        if not store.take_if(RUNS, record.task_id, text):
            continue
        _free_locks(store, record)
        if record.if_abandoned == "requeue" and record.recoveries < record.max_recoveries:
            _requeue(queue, store, record)
            requeued.append(record.task_id)
        else:
            reason = (
                f"its consumer {record.consumer} stopped while it ran, and it may not run twice"
                if record.if_abandoned == "report"
                else f"its consumer {record.consumer} stopped while it ran, {record.recoveries + 1} times"
            )
            abandoned.append(abandon(store, record, reason))
            logger.warning(
                "Job %s (%s) was cut off mid-run and needs a person: %s.", record.summary, record.task_id, reason
            )
    return RecoveryReport(requeued=tuple(requeued), abandoned=tuple(abandoned))


def _free_locks(store: Coordination, record: RunRecord) -> None:
    for key, owner in record.locks:
        store.release(key, owner)


def _requeue(queue: Huey, store: Coordination, record: RunRecord) -> None:
    # Written before the job goes back, so the next run counts this return.
    waiting = replace(record, consumer=None, recoveries=record.recoveries + 1, locks=())
    store.put(RUNS, record.task_id, waiting.to_json())
    queue.storage.enqueue(record.message, record.priority)
    logger.warning(
        "Job %s (%s) was cut off mid-run by a stopped consumer; it is queued again.", record.summary, record.task_id
    )


def abandoned_jobs(queue: Huey) -> list[AbandonedJob]:
    """Jobs cut off mid-run that were not put back, oldest first."""
    store = coordination_of(queue)
    jobs = [AbandonedJob.from_json(text) for text in store.items(ABANDONED).values()]
    return sorted(jobs, key=lambda job: (job.started_at, job.task_id))


def forget_abandoned(queue: Huey, task_id: str) -> bool:
    """Drop an abandoned job from the list once a person has dealt with it."""
    return coordination_of(queue).take(ABANDONED, task_id) is not None
