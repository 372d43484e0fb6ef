"""Several processes writing about the same people at once: nothing fails, nothing is lost.

Each writer is a process of its own with its own connection (concurrency_worker.py, driving
the real CLI), on the test's PostgreSQL database or, on SQLite, a database file (an
in-memory database cannot be shared between processes). The writers log touches about the
same three people and the same opening, all starting at the same instant. Afterwards every
touch is there, no writer printed an error or a traceback, and the stored follow-ups equal a
full re-plan (the equivalence check of test_incremental_equivalence.py).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db(transaction=True)

HERE = Path(__file__).resolve().parent
WORKER = HERE / "concurrency_worker.py"
SRC = HERE.parents[1] / "src"
WRITERS = 6
TOUCHES_EACH = 5
# Far above what the writers need on two busy cores; only a hang would reach it.
DEADLINE_S = 120


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    """The database the processes share: pytest-django's PostgreSQL test database, or a file."""
    if connection.vendor == "postgresql":
        s = connection.settings_dict
        user = quote(s.get("USER") or "", safe="")
        password = f":{quote(s['PASSWORD'], safe='')}" if s.get("PASSWORD") else ""
        return f"postgresql://{user}{password}@{s.get('HOST') or '127.0.0.1'}:{s.get('PORT') or 5432}/{s['NAME']}"
    return str(tmp_path / "shared.sqlite3")


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(SRC), str(HERE)]),
        "TOPOFMIND_DATA_DIR": str(tmp_path),
        "PYTHONUNBUFFERED": "1",
    }


def worker(env: dict[str, str], *args: object) -> str:
    done = subprocess.run(
        [sys.executable, str(WORKER), *map(str, args)], env=env, capture_output=True, text=True, timeout=DEADLINE_S
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def start_together(
    env: dict[str, str], commands: list[list[str]], ready: Path | None = None
) -> list[tuple[int, str, str]]:
    """Run the commands at once; with ``ready``, release them together once each said so there."""
    procs = [
        subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for cmd in commands
    ]
    if ready is not None:
        deadline = time.monotonic() + DEADLINE_S
        while len(list(ready.glob("ready-*"))) < len(commands) and time.monotonic() < deadline:
            if any(p.poll() is not None for p in procs):
                break  # one died before it was ready: its error is reported below
            time.sleep(0.01)
        (ready / "go").touch()
    results = []
    for proc in procs:
        out, err = proc.communicate(timeout=DEADLINE_S)
        results.append((proc.returncode, out, err))
    return results


def test_writers_about_the_same_people_lose_nothing_and_leave_the_full_plan(
    database_url: str, env: dict[str, str], tmp_path: Path
) -> None:
    worker(env, "setup", database_url)
    results = start_together(
        env,
        [
            [sys.executable, str(WORKER), "log", database_url, str(tmp_path), str(TOUCHES_EACH), str(n)]
            for n in range(WRITERS)
        ],
        ready=tmp_path,
    )

    for code, out, err in results:
        assert code == 0, err
        assert "Traceback" not in err and "error" not in err, err
        assert out.count("Logged ") == TOUCHES_EACH
    found = json.loads(worker(env, "check", database_url))
    assert found["touches"] == WRITERS * TOUCHES_EACH


def test_two_cli_messages_to_one_person_at_once_never_print_a_traceback(
    database_url: str, env: dict[str, str], tmp_path: Path
) -> None:
    worker(env, "setup", database_url)
    message = ["log", "message", "--with", "Dana Lee"]
    results = start_together(
        env,
        [[sys.executable, str(WORKER), "log", database_url, str(tmp_path), "3", str(n), *message] for n in range(2)],
        ready=tmp_path,
    )
    for code, out, err in results:
        assert err == "" and code == 0, err
        assert out.count("Logged message") == 3
    # and the real command, twice at once, as a user's two terminals would run it
    command = [sys.executable, "-m", "topofmind", *message]
    for code, out, err in start_together({**env, "TOPOFMIND_DATABASE_URL": database_url}, [command, command]):
        assert err == "" and code == 0, err
        assert out.startswith("Logged message")
