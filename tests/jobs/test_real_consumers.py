"""The queue with real consumer processes, on a SQLite file and on Redis."""

from __future__ import annotations

import itertools
import signal
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pytest
from queue_sample_jobs import add, events, exclusive, flaky, hopeless, long_sync, nap, send_once, sync_account
from tests.jobs.queue_helpers import Consumers, QueueSpec, wait_for

from topofmind.jobs import QueueError, abandoned_jobs, forget_abandoned, is_locked
from topofmind.jobs.coordination import Coordination
from topofmind.jobs.ledger import RUNS
from topofmind.jobs.queues import coordination_of


def _never_overlap(runs: list[tuple[float, float]]) -> bool:
    ordered = sorted(runs)
    return all(earlier[1] <= later[0] for earlier, later in itertools.pairwise(ordered))


def _intervals(job: str, **match: object) -> list[tuple[float, float]]:
    starts = {e["n"]: e["t"] for e in events("start", job=job, **match)}
    ends = {e["n"]: e["t"] for e in events("end", job=job, **match)}
    return [(starts[n], ends[n]) for n in starts if n in ends]


def test_a_queued_job_runs_on_a_consumer_and_its_result_comes_back(
    spec: QueueSpec, consumers: Consumers, events_dir: Path
) -> None:
    consumers.start()

    assert add.enqueue(2, 3).result(timeout=15) == 5
    assert [(e["a"], e["b"]) for e in events("add")] == [(2, 3)]


def test_a_failing_job_is_retried_with_growing_waits_until_it_succeeds(
    spec: QueueSpec, consumers: Consumers, events_dir: Path
) -> None:
    consumers.start()

    outcome = flaky.enqueue("report-7", failures=2).result(timeout=20)

    assert outcome == "succeeded on attempt 3"
    first, second, third = (e["t"] for e in events("attempt", key="report-7"))
    # retry_delay 0.5 s, backoff 3: the first retry waits at least 0.5 s, the second at least 1.5 s.
    assert second - first >= 0.5
    assert third - second >= 1.5


def test_a_job_that_keeps_failing_reports_its_error_after_the_last_retry(
    spec: QueueSpec, consumers: Consumers, events_dir: Path
) -> None:
    consumers.start()

    handle = hopeless.enqueue("always")

    with pytest.raises(QueueError, match=r"failed: .*attempt 3 failed on purpose"):
        handle.result(timeout=25)
    assert len(events("attempt", key="always")) == 3  # the first run and two retries


def test_a_periodic_job_runs_once_per_period_with_two_consumers_enqueueing_it(
    spec: QueueSpec, consumers: Consumers, events_dir: Path
) -> None:
    # Each consumer's scheduler looks every second, so each enqueues the every-minute job
    # again and again; only one copy per minute may do the work.
    consumers.start(periodic_check=1)
    consumers.start(periodic_check=1)

    wait_for("the tick to run", lambda: bool(events("tick")))
    wait_for(
        "both schedulers to have enqueued duplicate copies",
        lambda: consumers.log_text().count("already ran for the period") >= 3,
    )

    per_minute = Counter(
        datetime.fromtimestamp(e["t"], tz=UTC).replace(second=0, microsecond=0) for e in events("tick")
    )
    assert set(per_minute.values()) == {1}, per_minute


def test_two_consumers_never_run_a_locked_job_at_the_same_time(
    spec: QueueSpec, consumers: Consumers, events_dir: Path
) -> None:
    consumers.start(workers=2)
    consumers.start(workers=2)

    handles = [exclusive.enqueue(n) for n in range(4)]

    assert sorted(h.result(timeout=30) for h in handles) == [0, 1, 2, 3]
    runs = _intervals("exclusive")
    assert len(runs) == 4
    assert _never_overlap(runs)


def test_a_lock_per_mail_account_keeps_two_syncs_of_one_account_apart(
    spec: QueueSpec, consumers: Consumers, events_dir: Path
) -> None:
    consumers.start(workers=2)
    consumers.start(workers=2)

    handles = [sync_account.enqueue(account, n) for n in range(3) for account in (7, 8)]

    assert sorted(h.result(timeout=30) for h in handles) == [0, 0, 1, 1, 2, 2]
    for account in (7, 8):
        runs = _intervals("sync_account", account=account)
        assert len(runs) == 3
        assert _never_overlap(runs)
    assert not is_locked(spec.queue, "mail-account-7")


def _unfinished(store: Coordination) -> dict[str, str]:
    return store.items(RUNS)


def test_a_job_cut_off_by_kill_9_is_run_again_by_another_consumer_and_its_lock_freed(
    spec: QueueSpec, consumers: Consumers, events_dir: Path
) -> None:
    doomed = consumers.start(workers=1, stale_after=1.0)
    handle = long_sync.enqueue("acct-3")
    wait_for("the job to start", lambda: bool(events("start", job="long_sync", marker="acct-3")))
    assert is_locked(spec.queue, "mail-account-acct-3")

    doomed.send_signal(signal.SIGKILL)
    doomed.wait(timeout=5)
    survivor = consumers.start(workers=1, stale_after=1.0)

    assert handle.result(timeout=20) == "synced acct-3"
    starts = events("start", job="long_sync", marker="acct-3")
    assert [e["pid"] for e in starts] == [doomed.pid, survivor.pid]
    assert [e["pid"] for e in events("end", job="long_sync", marker="acct-3")] == [survivor.pid]
    assert "cut off mid-run by a stopped consumer; it is queued again" in consumers.log_text()
    assert _unfinished(coordination_of(spec.queue)) == {}
    assert not is_locked(spec.queue, "mail-account-acct-3")


def test_a_job_that_must_not_run_twice_is_reported_not_repeated_after_kill_9(
    spec: QueueSpec, consumers: Consumers, events_dir: Path
) -> None:
    doomed = consumers.start(workers=1, stale_after=1.0)
    before = time.time()
    handle = send_once.enqueue("draft-42")
    wait_for("the job to start", lambda: bool(events("start", job="send_once")))

    doomed.send_signal(signal.SIGKILL)
    doomed.wait(timeout=5)
    consumers.start(workers=1, stale_after=1.0)

    wait_for("the job to be reported", lambda: bool(abandoned_jobs(spec.queue)))
    [report] = abandoned_jobs(spec.queue)
    assert report.task_id == handle.id
    assert report.summary == "queue_sample_jobs.send_once('draft-42')"
    assert "may not run twice" in report.reason
    assert report.started_at.timestamp() >= before
    time.sleep(1.0)  # the survivor has had time to run it, were it put back
    assert len(events("start", job="send_once")) == 1
    assert spec.queue.pending_count() == 0

    assert forget_abandoned(spec.queue, handle.id)
    assert abandoned_jobs(spec.queue) == []


def test_a_consumer_asked_to_stop_finishes_its_running_job_first(
    spec: QueueSpec, consumers: Consumers, events_dir: Path
) -> None:
    worker = consumers.start(workers=1)
    nap.enqueue(0.8)
    wait_for("the job to start", lambda: bool(events("start", job="nap")))

    worker.send_signal(signal.SIGINT)

    assert worker.wait(timeout=10) == 0
    assert len(events("end", job="nap")) == 1
    assert _unfinished(coordination_of(spec.queue)) == {}


def test_a_job_cut_off_by_stopping_a_consumer_at_once_is_run_again_by_another(
    spec: QueueSpec, consumers: Consumers, events_dir: Path
) -> None:
    hurried = consumers.start(workers=1, stale_after=1.0)
    handle = long_sync.enqueue("acct-4")
    wait_for("the job to start", lambda: bool(events("start", job="long_sync", marker="acct-4")))

    hurried.send_signal(signal.SIGTERM)  # stop now, do not wait for the running job
    assert hurried.wait(timeout=10) == 0
    survivor = consumers.start(workers=1, stale_after=1.0)

    assert handle.result(timeout=20) == "synced acct-4"
    assert [e["pid"] for e in events("end", job="long_sync", marker="acct-4")] == [survivor.pid]
