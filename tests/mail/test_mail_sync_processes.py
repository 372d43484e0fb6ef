"""The mailbox sync in real processes: `topofmind mail sync` killed with SIGKILL half-way and run
again, and the periodic sync run by a `topofmind worker` consumer (SQLite and Redis queues)."""

from __future__ import annotations

import imaplib
import json
import os
import signal
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from tests.mail import corpus
from tests.mail.test_queue_processes import FAST, Install, install, prepare, wait_until
from tests.mailservers.servers import DovecotServer, ImapUser, dovecot, imap_user, mail_certificates

from topofmind import tasks

__all__ = ["dovecot", "imap_user", "install", "mail_certificates"]
MESSAGES = 1200


def store(install: Install) -> sqlite3.Connection:
    return sqlite3.connect(Path(install.env["TOPOFMIND_DATA_DIR"]) / "topofmind.sqlite3", timeout=30)


def replies_logged(install: Install, like: str) -> tuple[int, int]:
    """(touches, distinct Message-IDs) logged for Message-IDs matching ``like``."""
    with store(install) as db:
        row = db.execute(
            "SELECT count(*), count(DISTINCT message_id) FROM crm_interaction WHERE message_id LIKE ?", (like,)
        ).fetchone()
    return int(row[0]), int(row[1])


def last_report(install: Install) -> dict[str, object]:
    """The report the last finished sync left on the account (empty before one has finished)."""
    with store(install) as db:
        row = db.execute("SELECT last_sync_report FROM crm_mailaccount").fetchone()
    report = json.loads(row[0]) if row and row[0] else {}
    return report if isinstance(report, dict) else {}


def fill_inbox(dovecot: DovecotServer, user: ImapUser, count: int) -> None:
    """Many answers from Dana, appended over one IMAP session."""
    client = dovecot.connect(user)
    now = datetime.now(UTC)
    try:
        for n in range(count):
            when = now - timedelta(minutes=count - n)
            raw = corpus.plain(
                sender="Dana Reyes <dana@acme.test>",
                to=user.username,
                subject=f"Re: question {n}",
                body=f"Answer number {n}.\n\nDana",
                when=when,
                message_id=f"bulk-{n}@acme.test",
            )
            typ, data = client.append("INBOX", None, imaplib.Time2Internaldate(when.timestamp()), raw)
            assert typ == "OK", data
    finally:
        client.logout()


def test_a_sync_killed_half_way_and_run_again_logs_every_message_once(
    install: Install, imap_user: ImapUser, dovecot: DovecotServer
) -> None:
    prepare(install)
    install.set_up_mail(2525, imap_user, dovecot)
    fill_inbox(dovecot, imap_user, MESSAGES)

    running = install.start("mail", "sync", "--batch-size", "10")
    wait_until(lambda: replies_logged(install, "bulk-%")[0] >= 50, seconds=120, what="the first batches to be stored")
    os.killpg(running.pid, signal.SIGKILL)
    running.wait()
    cut_at = replies_logged(install, "bulk-%")[0]
    assert 0 < cut_at < MESSAGES, "the sync was not cut off half-way"

    again = install.run("mail", "sync", "--json")
    assert again.returncode == 0, again.stderr
    report = json.loads(again.stdout)
    assert replies_logged(install, "bulk-%") == (MESSAGES, MESSAGES)
    # It went on after the last stored batch: at most one batch is read again, and none logged twice.
    assert MESSAGES - cut_at <= report["messages"] <= MESSAGES - cut_at + 10
    assert report["logged"] == MESSAGES - cut_at
    assert json.loads(install.run("mail", "sync", "--json").stdout)["messages"] == 0


def test_the_periodic_sync_runs_on_a_worker(install: Install, imap_user: ImapUser, dovecot: DovecotServer) -> None:
    prepare(install)
    install.set_up_mail(2525, imap_user, dovecot)
    now = datetime.now(UTC)
    dovecot.append(imap_user, corpus.threaded_reply(imap_user.username, now, to_id="a@seeker.test"))
    install.start("worker", "--workers", "2", *FAST)
    # What the scheduler does every TOPOFMIND_MAIL_SYNC_MINUTES: the periodic job, on that queue.
    tasks.bind_queue(
        install.env.get("TOPOFMIND_QUEUE_URL") or f"sqlite:///{install.env['TOPOFMIND_DATA_DIR']}/queue.db",
        prefix=install.env.get("TOPOFMIND_QUEUE_PREFIX", ""),
    )
    tasks.sync_mailboxes.enqueue()  # huey keeps no result of a periodic job: the store shows it ran
    wait_until(lambda: replies_logged(install, "dana-reply-1@acme.test") == (1, 1), seconds=180, what="the reply")
    # The touch is stored with its batch; the account's report is written when the sync ends.
    wait_until(lambda: last_report(install).get("replies") == 1, seconds=60, what="the sync's report")
    assert replies_logged(install, "dana-reply-1@acme.test") == (1, 1)


@pytest.mark.parametrize(("minutes", "moment", "due"), [(10, "12:00", True), (10, "12:05", False), (0, "12:00", False)])
def test_the_sync_period_follows_the_setting(settings: object, minutes: int, moment: str, due: bool) -> None:
    settings.MAIL_SYNC_MINUTES = minutes  # type: ignore[attr-defined]
    hour, minute = map(int, moment.split(":"))
    assert tasks._sync_period(datetime(2030, 3, 4, hour, minute, tzinfo=UTC)) is due
