"""Recovery on its own: records left by a consumer that is gone, swept by one or several sweepers."""

from __future__ import annotations

import threading
import time

from queue_sample_jobs import add
from tests.jobs.queue_helpers import QueueSpec

from topofmind.jobs import abandoned_jobs, recover_abandoned
from topofmind.jobs.ledger import RUNS, RunRecord
from topofmind.jobs.queues import coordination_of
from topofmind.jobs.recovery import heartbeat_key


def _left_behind(spec: QueueSpec, n: int, *, consumer: str, recoveries: int = 0) -> RunRecord:
    """What a consumer killed while running add(n, n) leaves: a record, and the job no longer queued."""
    handle = add.enqueue(n, n)
    message = spec.queue.storage.dequeue()  # as a worker would, before being killed
    record = RunRecord(
        task_id=handle.id,
        job="queue_sample_jobs.add",
        summary=f"queue_sample_jobs.add({n}, {n})",
        consumer=consumer,
        started_at=time.time(),
        message=bytes(message),
        priority=0,
        if_abandoned="requeue",
        max_recoveries=3,
        recoveries=recoveries,
    )
    coordination_of(spec.queue).put(RUNS, record.task_id, record.to_json())
    return record


def test_a_job_of_a_living_consumer_is_left_alone(spec: QueueSpec) -> None:
    coordination_of(spec.queue).refresh(heartbeat_key("alive"), "alive", ttl_seconds=30)
    _left_behind(spec, 1, consumer="alive")

    report = recover_abandoned(spec.queue)

    assert report.requeued == () and report.abandoned == ()
    assert spec.queue.pending_count() == 0


def test_a_job_cut_off_too_many_times_is_reported_instead_of_requeued(spec: QueueSpec) -> None:
    record = _left_behind(spec, 1, consumer="gone", recoveries=3)

    report = recover_abandoned(spec.queue)

    assert report.requeued == ()
    [reported] = abandoned_jobs(spec.queue)
    assert reported.task_id == record.task_id
    assert reported.reason == "its consumer gone stopped while it ran, 4 times"
    assert spec.queue.pending_count() == 0


def test_several_sweepers_at_once_put_each_lost_job_back_exactly_once(spec: QueueSpec) -> None:
    lost = {_left_behind(spec, n, consumer="gone").task_id for n in range(12)}
    requeued: list[str] = []
    start = threading.Barrier(4)

    def sweep() -> None:
        start.wait()
        requeued.extend(recover_abandoned(spec.queue).requeued)

    sweepers = [threading.Thread(target=sweep) for _ in range(4)]
    for sweeper in sweepers:
        sweeper.start()
    for sweeper in sweepers:
        sweeper.join()

    assert sorted(requeued) == sorted(lost)
    assert spec.queue.pending_count() == 12
    waiting = [RunRecord.from_json(text) for text in coordination_of(spec.queue).items(RUNS).values()]
    assert {(r.consumer, r.recoveries) for r in waiting} == {(None, 1)}
