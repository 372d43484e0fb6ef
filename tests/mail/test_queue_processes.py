"""The send job on a real queue, in real processes: `topofmind worker`, `topofmind serve`, kill -9.

Each test gets its own SQLite database and queue file (or a Redis queue under its own key
prefix), a loopback SMTP server and a dovecot user, and drives the installed command line.
"""

from __future__ import annotations

import asyncio
import json
import os
import secrets
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import redis
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP as SMTPProtocol
from aiosmtpd.smtp import AuthResult, Envelope, Session
from fast_mail_parser import parse_email
from tests.mailservers.servers import LOOPBACK, DovecotServer, ImapUser, SmtpServer, free_port, wait_for_port

HERE = Path(__file__).parent
SRC = HERE.parent.parent / "src"
REDIS_URL = os.environ.get("TOPOFMIND_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
FAST = ["--heartbeat", "0.25", "--stale-after", "1"]


@dataclass
class Install:
    """A personal install in a temporary folder, run through the command line."""

    env: dict[str, str]
    processes: list[subprocess.Popen[str]] = field(default_factory=list)

    def run(self, *args: str, stdin: str | None = None, timeout: float = 120) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "topofmind", *args],
            capture_output=True,
            text=True,
            env=self.env,
            input=stdin,
            timeout=timeout,
            check=False,
        )

    def start(self, *args: str) -> subprocess.Popen[str]:
        process = subprocess.Popen(
            [sys.executable, "-m", "topofmind", *args],
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        self.processes.append(process)
        return process

    def status(self) -> dict[str, Any]:
        shown = self.run("mail", "status", "--json")
        assert shown.returncode == 0, shown.stderr
        result: dict[str, Any] = json.loads(shown.stdout)
        return result

    def set_up_mail(self, smtp_port: int, imap: ImapUser, dovecot: DovecotServer) -> None:
        done = self.run(
            *("mail", "setup", "--imap-host", LOOPBACK, "--imap-port", str(dovecot.plain_port)),
            *("--imap-security", "none", "--smtp-host", LOOPBACK, "--smtp-port", str(smtp_port)),
            *("--smtp-security", "none", "--username", imap.username, "--address", imap.username),
            "--password-stdin",
            stdin=imap.password + "\n",
        )
        assert done.returncode == 0, done.stderr
        assert imap.password not in done.stdout + done.stderr


@pytest.fixture(params=["sqlite", "redis"])
def install(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Install]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TOPOFMIND_", "DJANGO_"))}
    env["PYTHONPATH"] = os.pathsep.join([str(SRC), str(HERE.parent.parent)])
    env["TOPOFMIND_DATA_DIR"] = str(tmp_path)
    prefix = ""
    if request.param == "redis":
        try:
            redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
        except redis.RedisError as exc:
            pytest.skip(f"Redis at {REDIS_URL} is unreachable ({exc})")
        prefix = f"tm-mail-test-{os.getpid()}-{secrets.token_hex(4)}:"
        env["TOPOFMIND_QUEUE_URL"] = REDIS_URL
        env["TOPOFMIND_QUEUE_PREFIX"] = prefix
    made = Install(env=env)
    yield made
    for process in made.processes:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    if prefix:
        server = redis.Redis.from_url(REDIS_URL)
        for key in server.scan_iter(match=f"{prefix}*"):
            server.delete(key)


def prepare(install: Install) -> int:
    made = subprocess.run(
        [sys.executable, str(HERE / "prepare_desk.py")], capture_output=True, text=True, env=install.env, check=True
    )
    return int(made.stdout.strip().splitlines()[-1])


def wait_until(check: Callable[[], bool], *, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


@dataclass
class StallingHandler:
    """Takes the message, then keeps the client waiting for its "250" (the moment to pull the plug)."""

    stall_seconds: float
    received: list[bytes] = field(default_factory=list)

    async def handle_DATA(self, server: SMTPProtocol, session: Session, envelope: Envelope) -> str:
        self.received.append(envelope.original_content or b"")
        await asyncio.sleep(self.stall_seconds)
        return "250 2.0.0 Queued"


@pytest.fixture
def stalling_smtp() -> Iterator[tuple[int, StallingHandler]]:
    handler = StallingHandler(stall_seconds=20)
    port = free_port()
    controller = Controller(
        handler,
        hostname=LOOPBACK,
        port=port,
        auth_require_tls=False,
        authenticator=lambda *args: AuthResult(success=True, handled=False),
    )
    controller.start()
    yield port, handler
    controller.stop()


def test_send_from_the_command_line_runs_on_a_worker_once(
    install: Install, smtp_servers: Callable[..., SmtpServer], imap_user: ImapUser, dovecot: DovecotServer
) -> None:
    smtp = smtp_servers("none", username=imap_user.username, password=imap_user.password)
    followup_id = prepare(install)
    install.set_up_mail(smtp.port, imap_user, dovecot)
    install.start("worker", "--workers", "1", *FAST)
    sent = install.run("send", str(followup_id), "--wait", "60")
    assert sent.returncode == 0, sent.stderr
    assert sent.stdout.startswith(f"Sent: #{followup_id} to dana@acme.test")
    [received] = smtp.received
    parsed = parse_email(received.data)
    assert parsed.subject.startswith("Thank you")
    status = install.status()
    assert status["last_send"]["state"] == "sent"
    assert status["last_send"]["message_id"] == parsed.headers["Message-ID"][0]
    again = install.run("send", str(followup_id), "--wait", "0")
    assert again.returncode == 2 and "not on today's agenda" in again.stderr
    assert len(smtp.received) == 1


def test_a_worker_killed_mid_send_leaves_it_unknown_and_never_sends_it_twice(
    install: Install, stalling_smtp: tuple[int, StallingHandler], imap_user: ImapUser, dovecot: DovecotServer
) -> None:
    port, handler = stalling_smtp
    followup_id = prepare(install)
    install.set_up_mail(port, imap_user, dovecot)
    first = install.start("worker", "--workers", "1", *FAST)
    queued = install.run("send", str(followup_id), "--wait", "0")
    assert queued.returncode == 0, queued.stderr
    wait_until(lambda: len(handler.received) == 1, seconds=60, what="the message to reach the server")
    os.killpg(first.pid, signal.SIGKILL)  # between the server taking it and our record of it
    first.wait()
    install.start("worker", "--workers", "1", *FAST)
    wait_until(lambda: bool(install.status()["unknown_outcome"]), seconds=60, what="the cut-off send to be reported")
    status = install.status()
    [unknown] = status["unknown_outcome"]
    assert unknown["followup_id"] == followup_id
    assert "may have gone out" in unknown["error"]
    assert status["last_send"]["state"] == "unknown"
    time.sleep(3)  # several heartbeats and sweeps of the second worker: still nothing sent again
    assert len(handler.received) == 1
    again = install.run("send", str(followup_id), "--wait", "0")
    assert again.returncode == 2 and "already sent or is on its way (unknown)" in again.stderr


def test_serve_runs_the_queue_consumer_in_the_web_process(
    install: Install, smtp_servers: Callable[..., SmtpServer], imap_user: ImapUser, dovecot: DovecotServer
) -> None:
    smtp = smtp_servers("none", username=imap_user.username, password=imap_user.password)
    followup_id = prepare(install)
    install.set_up_mail(smtp.port, imap_user, dovecot)
    port = free_port()
    server = install.start("serve", "--port", str(port), "--workers", "1")
    wait_for_port(port, seconds=60)
    with urllib.request.urlopen(f"http://{LOOPBACK}:{port}/signin/", timeout=10) as page:
        assert page.status == 200
    sent = install.run("send", str(followup_id), "--wait", "60")
    assert sent.returncode == 0, sent.stderr
    assert sent.stdout.startswith(f"Sent: #{followup_id}")
    assert len(smtp.received) == 1
    assert server.poll() is None
