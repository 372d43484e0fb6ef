"""The morning digest, sent by the real queue consumer's periodic job (`topofmind worker`, on a
SQLite queue and on Redis under its own key prefix), read back with the standard library's
e-mail parser from a loopback aiosmtpd server.

The consumers run on a moved clock (tests/mail/shifted_clock.py): the scheduler of each finds
the digest job due at that minute, as it would on that morning. Alice lives in Paris, asked for
her digest at 7:00 and has French holidays.
"""

from __future__ import annotations

import email
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from email import policy
from email.message import EmailMessage
from pathlib import Path

from tests.mail.test_queue_processes import FAST, HERE, Install, install, wait_until
from tests.mailservers.servers import LOOPBACK, DovecotServer, ImapUser, SmtpServer

__all__ = ["install"]

CLOCK = HERE / "shifted_clock.py"
BASE_URL = "https://topofmind.example.test/team"
# Alice's 7:00 in Paris: 6:00 UTC in March (CET), 5:00 UTC in May (CEST).
MONDAY_BEFORE_SEVEN = datetime(2030, 3, 4, 5, 55, tzinfo=UTC)  # 6:55 in Paris
MONDAY_AT_SEVEN = datetime(2030, 3, 4, 6, 0, tzinfo=UTC)
SATURDAY_AT_SEVEN = datetime(2030, 3, 9, 6, 0, tzinfo=UTC)
LABOUR_DAY_AT_SEVEN = datetime(2030, 5, 1, 5, 0, tzinfo=UTC)  # a Wednesday, a holiday in France
NEXT_DAY_AT_SEVEN = datetime(2030, 5, 2, 5, 0, tzinfo=UTC)


def shift_to(moment: datetime) -> str:
    return f"{moment.timestamp() - time.time():.3f}"


def run_at(install: Install, moment: datetime, *args: str) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        [sys.executable, str(CLOCK), shift_to(moment), "-m", *args],
        capture_output=True,
        text=True,
        env=install.env,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done


class Workers:
    """`topofmind worker` processes on the moved clock, their output in one log file per process."""

    def __init__(self, install: Install, logs: Path) -> None:
        self.install = install
        self.logs = logs
        self.count = 0

    def start_at(self, moment: datetime, how_many: int) -> list[subprocess.Popen[str]]:
        shift = shift_to(moment)  # one clock for all of them
        started = []
        for _ in range(how_many):
            self.count += 1
            log = (self.logs / f"worker-{self.count}.log").open("w")
            process = subprocess.Popen(
                [sys.executable, str(CLOCK), shift, "-m", "topofmind", "worker", "--workers", "1", *FAST],
                env={**self.install.env, "TOPOFMIND_LOG_LEVEL": "INFO"},
                stdout=log,
                stderr=subprocess.STDOUT,
                text=True,
                start_new_session=True,
            )
            self.install.processes.append(process)
            started.append(process)
        return started

    def log_of(self, number: int) -> str:
        return (self.logs / f"worker-{number}.log").read_text(errors="replace")

    def digest_runs(self, numbers: range) -> int:
        """How many copies of the digest job these workers have finished (the claimed one and the others)."""
        return sum(
            1
            for n in numbers
            for line in self.log_of(n).splitlines()
            if "morning_digests" in line and "executed in" in line
        )

    def wait_for_runs(self, numbers: range, runs: int, *, what: str) -> None:
        wait_until(lambda: self.digest_runs(numbers) >= runs, seconds=60, what=what)

    @staticmethod
    def stop(processes: list[subprocess.Popen[str]]) -> None:
        for process in processes:
            os.killpg(process.pid, signal.SIGINT)
        for process in processes:
            process.wait(timeout=30)


def parsed(raw: bytes) -> EmailMessage:
    message = email.message_from_bytes(raw, policy=policy.default)
    assert isinstance(message, EmailMessage)
    return message


def test_the_digest_arrives_once_on_a_business_day_at_her_hour_and_not_on_a_weekend_or_holiday(
    install: Install,
    smtp_servers: Callable[..., SmtpServer],
    imap_user: ImapUser,
    dovecot: DovecotServer,
    tmp_path: Path,
) -> None:
    smtp = smtp_servers("none", username=imap_user.username, password=imap_user.password)
    install.env["TOPOFMIND_BASE_URL"] = BASE_URL
    run_at(install, datetime(2030, 3, 4, 5, 0, tzinfo=UTC), "tests.mail.prepare_digest_desk")
    set_up = install.run(
        *("mail", "setup", "--imap-host", LOOPBACK, "--imap-port", str(dovecot.plain_port), "--imap-security", "none"),
        *("--smtp-host", LOOPBACK, "--smtp-port", str(smtp.port), "--smtp-security", "none"),
        *("--username", imap_user.username, "--address", imap_user.username, "--digest-hour", "7"),
        "--password-stdin",
        stdin=imap_user.password + "\n",
    )
    assert set_up.returncode == 0, set_up.stderr
    workers = Workers(install, tmp_path)

    # 6:55 on Monday: the job runs (it is due every five minutes), but her hour has not come.
    early = workers.start_at(MONDAY_BEFORE_SEVEN, 1)
    wait_until(lambda: workers.digest_runs(range(1, 2)) >= 1, seconds=60, what="the 6:55 run of the digest job")
    workers.stop(early)
    assert smtp.received == []

    # 7:00 on Monday, two consumers: each scheduler enqueues the job; one copy sends, once.
    both = workers.start_at(MONDAY_AT_SEVEN, 2)
    wait_until(lambda: len(smtp.received) == 1, seconds=60, what="the digest to arrive")
    wait_until(lambda: workers.digest_runs(range(2, 4)) >= 2, seconds=60, what="both copies of the job to finish")
    time.sleep(2)  # a few more heartbeats: nothing else goes out
    workers.stop(both)
    assert len(smtp.received) == 1
    assert "already ran for the period" in workers.log_of(2) + workers.log_of(3)

    [received] = smtp.received
    assert received.recipients == (imap_user.username,)
    digest = parsed(received.data)
    assert digest["To"].addresses[0].addr_spec == imap_user.username
    assert digest["Subject"] == "Today, Monday 4 March: 2 things to do"
    assert "Auto-Submitted" not in digest
    body = digest.get_body(preferencelist=("plain",))
    assert body is not None
    text = body.get_content().replace("\r\n", "\n")
    today = json.loads(run_at(install, MONDAY_AT_SEVEN, "topofmind", "today", "--json").stdout)
    assert {item["person"]["name"] for item in today} == {"Dana Reyes", "Sam Okafor"}
    for item in today:  # each of the day's items, with its why, as `today` shows them
        assert f": {item['person']['name']}\n" in text
        assert f"Why: {' '.join(item['why'].split())}" in text
    assert text.index("Dana Reyes") < text.index("Sam Okafor")  # the thank-you first, as on Today
    assert f"Open Today: {BASE_URL}/" in text

    # A Saturday and Labour Day (a Wednesday) at 7:00: the job runs, nothing is sent.
    for number, moment in ((4, SATURDAY_AT_SEVEN), (5, LABOUR_DAY_AT_SEVEN)):
        one = workers.start_at(moment, 1)
        workers.wait_for_runs(range(number, number + 1), 1, what=f"the run at {moment}")
        workers.stop(one)
        assert len(smtp.received) == 1, moment

    # The next business day it comes again.
    last = workers.start_at(NEXT_DAY_AT_SEVEN, 1)
    wait_until(lambda: len(smtp.received) == 2, seconds=60, what="the digest of Thursday 2 May")
    workers.stop(last)
    assert parsed(smtp.received[1].data)["Subject"].startswith("Today, Thursday 2 May: ")
