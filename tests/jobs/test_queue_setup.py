"""Choosing the queue from TOPOFMIND_QUEUE_URL, and what the queue layer refuses."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest
import redis
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.jobs.queue_helpers import SRC, require_redis

from topofmind.jobs import (
    ConsumerSettings,
    JobRegistry,
    LockBusy,
    QueueError,
    clear_queue,
    cron,
    is_locked,
    make_queue,
    ping_queue,
    queue_lock,
    start_consumer,
)


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("", "TOPOFMIND_QUEUE_URL is empty"),
        ("   ", "TOPOFMIND_QUEUE_URL is empty"),
        ("ftp://example.org/queue", "TOPOFMIND_QUEUE_URL starts with “ftp://”, which the queue does not know"),
        ("redis://localhost:sixty/0", "TOPOFMIND_QUEUE_URL has the port “sixty”, which is not a number"),
        ("redis://localhost:6379/zero", "TOPOFMIND_QUEUE_URL ends in “/zero”: the Redis database must be a number"),
        ("redis:///0", "TOPOFMIND_QUEUE_URL names no Redis host"),
        ("sqlite://", "TOPOFMIND_QUEUE_URL names no file"),
        ("redis://[::1/0", "TOPOFMIND_QUEUE_URL cannot be read as an address"),
        ("~no-such-user-here/queue.db", "TOPOFMIND_QUEUE_URL names a file this system cannot use"),
        (
            "sqlite:////no/such/folder/queue.db",
            "TOPOFMIND_QUEUE_URL points to /no/such/folder/queue.db, but the folder /no/such/folder does not exist",
        ),
    ],
)
def test_a_bad_queue_url_gets_one_sentence_naming_the_setting(url: str, says: str) -> None:
    with pytest.raises(QueueError) as caught:
        make_queue(url, name="topofmind")

    assert str(caught.value).startswith(says)


def test_a_password_in_the_url_never_appears_in_an_error() -> None:
    with pytest.raises(QueueError) as caught:
        make_queue("redis://:hunter2@localhost:port/0", name="topofmind")

    assert "hunter2" not in str(caught.value)


def test_a_folder_instead_of_a_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(QueueError, match=f"points to the folder {tmp_path}"):
        make_queue(str(tmp_path), name="topofmind")


def test_a_queue_name_with_odd_characters_is_refused(tmp_path: Path) -> None:
    with pytest.raises(QueueError, match="may hold only letters, digits and underscores"):
        make_queue(str(tmp_path / "q.db"), name="top of mind")


def test_a_plain_path_gives_a_sqlite_file_beside_the_database(tmp_path: Path) -> None:
    queue = make_queue(str(tmp_path / "queue.db"), name="topofmind")

    tables = {row[0] for row in sqlite3.connect(tmp_path / "queue.db").execute("select name from sqlite_master")}
    assert {"task", "schedule", "kv", "topofmind_jobs_claims", "topofmind_jobs_rows"} <= tables
    ping_queue(queue)


def test_a_sqlite_url_with_four_slashes_is_an_absolute_path(tmp_path: Path) -> None:
    make_queue(f"sqlite:///{tmp_path / 'abs.db'}", name="topofmind")

    assert (tmp_path / "abs.db").is_file()


def test_an_unreachable_redis_is_named_when_the_queue_is_checked() -> None:
    queue = make_queue("redis://:secret@127.0.0.1:1/0", name="topofmind")

    with pytest.raises(
        QueueError, match=r"The queue at redis://127\.0\.0\.1:1/0 \(TOPOFMIND_QUEUE_URL\) does not answer"
    ) as caught:
        ping_queue(queue)
    assert "secret" not in str(caught.value)


def test_redis_keys_live_under_the_prefix_and_clearing_leaves_other_keys_alone() -> None:
    require_redis()
    server = redis.Redis.from_url("redis://127.0.0.1:6379/0")
    prefix = f"topofmind-test-prefix-{__import__('os').getpid()}:"
    neighbour = f"{prefix[:-1]}-neighbour:keep"
    server.set(neighbour, "mine")
    try:
        queue = make_queue("redis://127.0.0.1:6379/0", name="topofmind", prefix=prefix)
        jobs = JobRegistry()

        @jobs.job()
        def noop() -> None: ...

        jobs.bind(queue)
        noop.enqueue()
        with queue_lock(queue, "mail-account-1"):
            keys = {k.decode() for k in server.scan_iter(match=f"{prefix}*")}
        assert keys and all(k.startswith(prefix) for k in keys)
        assert any("huey" in k for k in keys) and any("topofmind.jobs" in k for k in keys)

        clear_queue(queue)

        assert list(server.scan_iter(match=f"{prefix}*")) == []
        assert server.get(neighbour) == b"mine"
    finally:
        server.delete(neighbour)


def test_enqueueing_before_a_queue_is_chosen_is_a_clear_error() -> None:
    jobs = JobRegistry()

    @jobs.job()
    def send_digest(user: int) -> None: ...

    with pytest.raises(QueueError, match="cannot be queued yet: no queue was chosen at start-up"):
        send_digest.enqueue(1)


def test_calling_a_job_directly_runs_it_here_without_a_queue() -> None:
    jobs = JobRegistry()

    @jobs.job(retries=2)
    def double(n: int) -> int:
        return 2 * n

    assert double(21) == 42


def test_a_job_declared_after_start_up_is_registered_on_the_chosen_queue(tmp_path: Path) -> None:
    jobs = JobRegistry()
    queue = make_queue(str(tmp_path / "q.db"), name="topofmind")
    jobs.bind(queue)

    @jobs.job()
    def late(n: int) -> int:
        return n

    late.enqueue(1)
    assert queue.pending_count() == 1


def test_a_job_declared_twice_is_refused() -> None:
    jobs = JobRegistry()

    def twin() -> None: ...

    jobs.job()(twin)
    with pytest.raises(QueueError, match=r"The job .*twin is declared twice"):
        jobs.job()(twin)


def test_a_lock_held_elsewhere_is_refused_outside_a_job_with_a_sentence(tmp_path: Path) -> None:
    queue = make_queue(str(tmp_path / "q.db"), name="topofmind")

    with queue_lock(queue, "mail-account-5"):
        assert is_locked(queue, "mail-account-5")
        with (
            pytest.raises(LockBusy, match="Another job holds the lock “mail-account-5”"),
            queue_lock(queue, "mail-account-5"),
        ):
            pass
    assert not is_locked(queue, "mail-account-5")


def test_the_queue_package_needs_neither_django_nor_the_rest_of_the_app() -> None:
    probe = (
        "import sys, topofmind.jobs\n"
        "bad = sorted(m for m in sys.modules if m == 'django' or m.startswith(('django.', 'topofmind.crm', "
        "'topofmind.web', 'topofmind.cli')))\n"
        "print(bad)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], env={"PYTHONPATH": str(SRC)}, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "[]"


def test_without_redis_the_redis_tests_skip_on_a_laptop_but_fail_in_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    nowhere = "redis://127.0.0.1:1/0"

    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match=r"Redis at redis://127\.0\.0\.1:1/0 is unreachable"):
        require_redis(nowhere)

    monkeypatch.setenv("CI", "")
    with pytest.raises(pytest.skip.Exception, match="is unreachable"):
        require_redis(nowhere)


def test_a_registry_can_go_back_to_a_queue_it_was_bound_to_before(tmp_path: Path) -> None:
    jobs = JobRegistry()

    @jobs.job()
    def ping() -> str:
        return "pong"

    first = make_queue(str(tmp_path / "first.db"), name="topofmind")
    second = make_queue(str(tmp_path / "second.db"), name="topofmind")
    jobs.bind(first)
    jobs.bind(second)
    jobs.bind(first)
    ping.enqueue()

    assert (first.pending_count(), second.pending_count()) == (1, 0)


@settings(max_examples=300, deadline=None)
@given(
    st.one_of(
        st.text(max_size=40),
        st.builds(
            lambda scheme, rest: f"{scheme}://{rest}",
            st.sampled_from(["redis", "rediss", "sqlite", "http"]),
            st.text(max_size=30),
        ),
    )
)
def test_whatever_is_typed_into_the_setting_is_read_or_refused_with_a_sentence(url: str) -> None:
    from topofmind.jobs.urls import parse_queue_url

    try:
        parse_queue_url(url)
    except QueueError as exc:
        message = str(exc)
    else:
        return
    assert "TOPOFMIND_QUEUE_URL" in message


def test_a_heartbeat_limit_too_tight_for_the_heartbeat_is_refused() -> None:
    with pytest.raises(QueueError, match="stale_after_seconds must be at least twice its heartbeat_seconds"):
        ConsumerSettings(heartbeat_seconds=5, stale_after_seconds=6)


def test_a_consumer_without_workers_is_refused(tmp_path: Path) -> None:
    queue = make_queue(str(tmp_path / "q.db"), name="topofmind")

    with pytest.raises(QueueError, match="at least one worker; 0 were asked for"):
        start_consumer(queue, workers=0)


def test_negative_retries_are_refused_when_the_job_is_declared() -> None:
    jobs = JobRegistry()

    with pytest.raises(QueueError, match="cannot be negative"):
        jobs.job(retries=-1)


def test_a_cron_schedule_is_due_only_in_its_minutes() -> None:
    at_seven = cron(minute="0", hour="7")

    assert at_seven(datetime(2030, 3, 4, 7, 0))
    assert not at_seven(datetime(2030, 3, 4, 7, 1))
    assert not at_seven(datetime(2030, 3, 4, 8, 0))
