"""A server that says "try later" (451 at RCPT or after DATA): the send waits and tries again on the
real queue consumer (`topofmind worker`, on SQLite and on Redis), and is never marked sent or
"unknown" for a message the server did not take."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP as SMTPProtocol
from aiosmtpd.smtp import AuthResult, Envelope, Session
from tests.mail.test_queue_processes import FAST, SRC, Install, install, prepare, wait_until
from tests.mailservers.servers import LOOPBACK, DovecotServer, ImapUser, free_port

__all__ = ["install"]


@dataclass
class Greylisting:
    """Answers each delivery attempt as planned: "rcpt" = 451 at RCPT, "data" = 451 after the
    content, "ok" = 250; attempts past the plan get its last answer."""

    plan: list[str]
    attempts: int = 0
    accepted: list[bytes] = field(default_factory=list)

    def _answer(self) -> str:
        return self.plan[min(self.attempts, len(self.plan)) - 1]

    async def handle_RCPT(
        self, server: SMTPProtocol, session: Session, envelope: Envelope, address: str, options: list[str]
    ) -> str:
        self.attempts += 1
        if self._answer() == "rcpt":
            return "451 4.7.1 Greylisted, please try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTPProtocol, session: Session, envelope: Envelope) -> str:
        if self._answer() == "data":
            return "451 4.3.0 Temporary local problem, try again later"
        self.accepted.append(envelope.original_content or b"")
        return "250 2.0.0 Queued"


@pytest.fixture
def greylisting() -> Iterator[tuple[int, list[Greylisting]]]:
    """A loopback SMTP server whose handler each test plans (set handlers[0].plan)."""
    handlers = [Greylisting(plan=["ok"])]
    port = free_port()

    class Relay:
        async def handle_RCPT(self, *args: object) -> str:
            return await handlers[0].handle_RCPT(*args)  # type: ignore[arg-type]

        async def handle_DATA(self, *args: object) -> str:
            return await handlers[0].handle_DATA(*args)  # type: ignore[arg-type]

    controller = Controller(
        Relay(),
        hostname=LOOPBACK,
        port=port,
        auth_require_tls=False,
        authenticator=lambda *args: AuthResult(success=True, handled=False),
    )
    controller.start()
    yield port, handlers
    controller.stop()


def test_451_at_rcpt_then_at_data_then_250_sends_it_once_on_the_third_try(
    install: Install, greylisting: tuple[int, list[Greylisting]], imap_user: ImapUser, dovecot: DovecotServer
) -> None:
    port, handlers = greylisting
    handlers[0] = Greylisting(plan=["rcpt", "data", "ok"])
    install.env["TOPOFMIND_SEND_RETRY_SECONDS"] = "1,1,1"
    followup_id = prepare(install)
    install.set_up_mail(port, imap_user, dovecot)
    install.start("worker", "--workers", "1", *FAST)
    sent = install.run("send", str(followup_id), "--wait", "90")
    assert sent.returncode == 0, sent.stderr
    assert sent.stdout.startswith(f"Sent: #{followup_id} to dana@acme.test")
    assert handlers[0].attempts == 3
    assert len(handlers[0].accepted) == 1
    status = install.status()
    assert status["last_send"]["state"] == "sent"
    assert status["unknown_outcome"] == []


def test_while_the_server_says_try_later_the_status_says_when_it_is_tried_again(
    install: Install, greylisting: tuple[int, list[Greylisting]], imap_user: ImapUser, dovecot: DovecotServer
) -> None:
    port, handlers = greylisting
    handlers[0] = Greylisting(plan=["rcpt"])
    install.env["TOPOFMIND_SEND_RETRY_SECONDS"] = "300"
    followup_id = prepare(install)
    install.set_up_mail(port, imap_user, dovecot)
    install.start("worker", "--workers", "1", *FAST)
    queued = install.run("send", str(followup_id), "--wait", "30")
    assert queued.returncode == 0, queued.stderr
    assert queued.stdout.startswith("Not sent yet: The server refused the recipient dana@acme.test (it said 451")
    assert "try 2 of 2 in 5 minutes, at " in queued.stdout
    status = install.status()
    assert status["last_send"]["state"] == "queued"
    assert status["last_send"]["sentence"].startswith("Not sent yet to dana@acme.test")
    assert "The server asked to try later" in status["last_send"]["sentence"]
    assert status["unknown_outcome"] == []
    words = install.run("mail", "status").stdout
    assert "Last send:  Not sent yet to dana@acme.test" in words
    assert "Traceback" not in words
    assert handlers[0].attempts == 1 and handlers[0].accepted == []


def test_a_server_that_keeps_saying_try_later_ends_failed_never_sent_nor_unknown(
    install: Install, greylisting: tuple[int, list[Greylisting]], imap_user: ImapUser, dovecot: DovecotServer
) -> None:
    port, handlers = greylisting
    handlers[0] = Greylisting(plan=["data"])
    install.env["TOPOFMIND_SEND_RETRY_SECONDS"] = "1,1"
    followup_id = prepare(install)
    install.set_up_mail(port, imap_user, dovecot)
    install.start("worker", "--workers", "1", *FAST)
    install.run("send", str(followup_id), "--wait", "0")
    wait_until(lambda: install.status()["last_send"]["state"] == "failed", seconds=60, what="the last try to fail")
    status = install.status()
    assert "It was tried 3 times" in status["last_send"]["sentence"]
    assert status["unknown_outcome"] == []
    assert handlers[0].attempts == 3 and handlers[0].accepted == []
    again = install.run("send", str(followup_id), "--wait", "0")  # failed: Send works again
    assert again.returncode == 0, again.stderr


@pytest.mark.parametrize("value", ["abc", "0,5", "60,,300"])
def test_a_bad_retry_setting_is_one_line_naming_it(value: str, tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TOPOFMIND_", "DJANGO_"))}
    env |= {"PYTHONPATH": str(SRC), "TOPOFMIND_DATA_DIR": str(tmp_path), "TOPOFMIND_SEND_RETRY_SECONDS": value}
    done = subprocess.run(
        [sys.executable, "-m", "topofmind", "mail", "status"], capture_output=True, text=True, env=env, check=False
    )
    assert done.returncode == 2
    assert done.stderr.startswith("error: configuration: TOPOFMIND_SEND_RETRY_SECONDS=")
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
