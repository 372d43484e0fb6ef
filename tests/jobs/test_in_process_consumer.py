"""A consumer started beside the web server, in the same process."""

from __future__ import annotations

import dataclasses
import threading
import time
from pathlib import Path

from queue_sample_jobs import add, events, nap, urgent
from tests.jobs.queue_helpers import QueueSpec, wait_for

from topofmind.jobs import ConsumerSettings, recover_abandoned, start_consumer
from topofmind.jobs.ledger import RUNS
from topofmind.jobs.queues import coordination_of
from topofmind.jobs.recovery import heartbeat_key

FAST = ConsumerSettings(
    heartbeat_seconds=0.2,
    stale_after_seconds=1.0,
    poll_max_delay_seconds=0.2,
    shutdown_timeout_seconds=5,
    enqueue_periodic=False,
)


def test_an_in_process_consumer_runs_jobs_and_stops_cleanly_with_the_server(spec: QueueSpec, events_dir: Path) -> None:
    before = set(threading.enumerate())
    handle = start_consumer(spec.queue, workers=1, settings=FAST)
    try:
        assert add.enqueue(20, 22).result(timeout=15) == 42
        assert coordination_of(spec.queue).holder(heartbeat_key(handle.consumer_id)) == handle.consumer_id
    finally:
        handle.stop()

    assert not handle.running
    assert [t for t in threading.enumerate() if t not in before and t.is_alive()] == []
    assert coordination_of(spec.queue).holder(heartbeat_key(handle.consumer_id)) is None
    add.enqueue(1, 1)
    assert spec.queue.pending_count() == 1  # nobody runs jobs once the consumer has stopped
    assert len(events("add")) == 1
    handle.stop()  # stopping twice (say, again at exit) is harmless


def test_two_in_process_consumers_share_the_work_without_running_a_job_twice(spec: QueueSpec, events_dir: Path) -> None:
    first = start_consumer(spec.queue, workers=2, settings=FAST)
    second = start_consumer(spec.queue, workers=2, settings=FAST)
    try:
        handles = [add.enqueue(n, 0) for n in range(10)]
        assert sorted(h.result(timeout=15) for h in handles) == list(range(10))
    finally:
        first.stop()
        second.stop()

    assert sorted(e["a"] for e in events("add")) == list(range(10))


def test_a_job_queued_for_later_waits_before_it_runs(spec: QueueSpec, events_dir: Path) -> None:
    handle = start_consumer(spec.queue, workers=1, settings=FAST)
    try:
        queued = time.time()
        assert add.enqueue_in(1.0, 1, 2).result(timeout=15) == 3
    finally:
        handle.stop()

    [ran] = events("add")
    assert ran["t"] - queued >= 1.0


def test_an_urgent_job_is_taken_before_ordinary_ones_queued_earlier(spec: QueueSpec) -> None:
    add.enqueue(1, 1)
    add.enqueue(2, 2)
    urgent.enqueue(3)

    taken = [spec.queue.dequeue().name for _ in range(3)]

    assert taken == ["urgent", "add", "add"]


def test_a_job_outlasting_the_shutdown_timeout_is_not_put_back_while_it_still_runs(
    spec: QueueSpec, events_dir: Path
) -> None:
    impatient = dataclasses.replace(FAST, shutdown_timeout_seconds=0.3)
    handle = start_consumer(spec.queue, workers=1, settings=impatient)
    nap.enqueue(2.5)
    wait_for("the job to start", lambda: bool(events("start", job="nap")))
    store = coordination_of(spec.queue)

    handle.stop()
    time.sleep(1.5)  # longer than the 1 s after which a silent consumer counts as dead

    assert not events("end", job="nap")
    assert store.holder(heartbeat_key(handle.consumer_id)) == handle.consumer_id
    assert recover_abandoned(spec.queue).requeued == ()
    wait_for("the job to finish", lambda: bool(events("end", job="nap")), timeout=10)
    wait_for("the heartbeat to end", lambda: store.holder(heartbeat_key(handle.consumer_id)) is None)
    assert store.items(RUNS) == {}
