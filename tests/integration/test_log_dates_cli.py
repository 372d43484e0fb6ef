"""``topofmind log`` and a touch dated more than a year back or in the future (issue 11, point 3),
without breaking the command line's contract (`log KIND --with NAME --at DATETIME` logs it):

* at a terminal, the slip is asked about; "no" logs nothing and says why in one line;
* a script (no terminal) logs what it says, with one ``note:`` line on standard error saying why
  the date is unusual and how to fix it;
* ``--force`` logs it without a word."""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest
from test_cli import ok

from topofmind.crm.models import FollowUp, Interaction


@pytest.fixture
def dana(db: None) -> None:
    ok("config", "set", "timezone", "UTC")
    ok("person", "add", "Dana Lee", "--email", "dana@acme.test")


def test_a_script_logs_a_future_interview_and_gets_its_thank_you_with_a_note(dana: None) -> None:
    run = ok("log", "interview", "--with", "Dana Lee", "--at", "2099-03-05T10:00")
    touch = Interaction.objects.get()
    assert run.err == (
        "note: --at: Thu 5 Mar 2099 is in the future, and a touch is something that already happened; "
        f"logged with this date (topofmind touch edit {touch.pk} --at DATETIME fixes a slip)\n"
    )
    assert "Logged interview" in run.out
    assert FollowUp.objects.filter(purpose="thank_you", cause_interaction=touch).exists()
    today = ok("today", "--at", "2099-03-05T15:00", "--json").json()
    assert [item["purpose"] for item in today] == ["thank_you"]


def test_a_script_logs_a_touch_more_than_a_year_back_with_a_note(dana: None) -> None:
    run = ok("log", "call", "--with", "Dana Lee", "--at", "2001-06-01T10:00")
    assert run.err.startswith("note: --at: Fri 1 Jun 2001 is more than a year ago; logged with this date")
    assert Interaction.objects.count() == 1


def test_force_and_an_ordinary_date_log_without_a_word(dana: None) -> None:
    assert ok("log", "call", "--with", "Dana Lee", "--at", "2099-03-05T10:00", "--force").err == ""
    assert ok("log", "call", "--with", "Dana Lee").err == ""
    assert Interaction.objects.count() == 2


def _cli(env: dict[str, str], *args: str, answer: str | None = None) -> subprocess.CompletedProcess[str]:
    """`topofmind ARGS` in a fresh process; with ``answer``, at a terminal that types it."""
    command = [sys.executable, "-m", "topofmind", *args]
    if answer is None:
        return subprocess.run(command, env=env, capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL)
    main, side = pty.openpty()
    try:
        os.write(main, answer.encode() + b"\n")
        return subprocess.run(command, env=env, capture_output=True, text=True, timeout=120, stdin=side)
    finally:
        os.close(side)
        os.close(main)


def test_at_a_terminal_a_slip_of_the_year_is_asked_about(tmp_path: Path) -> None:
    env = {**os.environ, "TOPOFMIND_DATA_DIR": str(tmp_path / "data")}
    for name in ("TOPOFMIND_DATABASE_URL", "DJANGO_SETTINGS_MODULE", "TOPOFMIND_WORKSPACE", "TOPOFMIND_USER"):
        env.pop(name, None)
    assert _cli(env, "person", "add", "Dana Lee").returncode == 0
    logging = ("log", "call", "--with", "Dana Lee", "--at", "2099-03-05T10:00")

    said_no = _cli(env, *logging, answer="n")
    assert said_no.returncode == 2
    assert "Thu 5 Mar 2099 is in the future, and a touch is something that already happened. Log it" in said_no.stderr
    # (the terminal, not standard error, shows the typed answer and its line break)
    assert said_no.stderr.split("[y/N]:")[-1].strip() == (
        "error: --at: Thu 5 Mar 2099 is in the future, and a touch is something that already happened "
        "(hint: add --force to log it with this date)"
    )
    assert "Traceback" not in said_no.stderr
    assert json.loads(_cli(env, "touch", "list", "--json").stdout) == []

    said_yes = _cli(env, *logging, answer="y")
    assert said_yes.returncode == 0, said_yes.stderr
    assert "Logged call" in said_yes.stdout and "note:" not in said_yes.stderr
    assert len(json.loads(_cli(env, "touch", "list", "--json").stdout)) == 1
