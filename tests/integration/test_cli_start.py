"""`topofmind today` starts lean: a read-only command loads the read model, not the writers,
the API's pydantic, the queue or the holiday tables (issue 12, "the CLI starts lean")."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest

# Run the console script's main() in a fresh interpreter, then say which modules it loaded (at
# exit: a read-only command ends the process itself, after the exit handlers).
_SCRIPT = """
import atexit, json, sys
sys.argv = ["topofmind", *sys.argv[1:]]
atexit.register(lambda: print("\\nMODULES " + json.dumps(sorted(sys.modules)), flush=True))
from topofmind.cli import main
try:
    main()
except SystemExit as exc:
    assert not exc.code, exc.code
"""

NOT_ON_A_READ = ("pydantic", "ninja", "huey", "holidays", "rapidfuzz", "topofmind.crm.services", "topofmind.api",
                 "topofmind.integrations.imap", "django.db.migrations.executor",
                 # the web's apps (a read loads the store and the accounts only) and Django's
                 # error mail to the admins, with the debug page it renders
                 "axes.apps", "axes.models", "django.contrib.sessions.apps", "django.contrib.sessions.models",
                 "django.contrib.messages.apps", "django.contrib.staticfiles.apps", "django_htmx.apps",
                 "topofmind.web.apps", "django.views.debug",
                 # the other commands' modules, and the read model's screens `today` does not show
                 "topofmind.cli.people", "topofmind.cli.mail", "topofmind.cli.imports", "topofmind.crm.queries.mail",
                 "topofmind.crm.queries.review", "topofmind.crm.queries.removal")  # fmt: skip


def _env(tmp_path: Path) -> dict[str, str]:
    env = {**os.environ, "TOPOFMIND_DATA_DIR": str(tmp_path / "data"), "PYTHONPATH": os.environ.get("PYTHONPATH", "")}
    for name in ("TOPOFMIND_DATABASE_URL", "DJANGO_SETTINGS_MODULE", "TOPOFMIND_WORKSPACE", "TOPOFMIND_USER"):
        env.pop(name, None)
    return env


def _run(env: dict[str, str], *args: str) -> tuple[str, set[str]]:
    result = subprocess.run(
        [sys.executable, "-c", _SCRIPT, *args], env=env, capture_output=True, text=True, timeout=180
    )
    assert result.returncode == 0, result.stderr[-2000:]
    printed, _, modules = result.stdout.rpartition("\nMODULES ")
    return printed, set(json.loads(modules))


def test_today_json_loads_neither_the_writers_nor_pydantic_nor_the_web(tmp_path: Path) -> None:
    env = _env(tmp_path)
    _run(env, "person", "add", "Dana Lee")  # the first start: database, workspace, a person
    _run(env, "log", "interview", "--with", "Dana Lee", "--at", "2025-03-10T10:00", "--force")

    printed, modules = _run(env, "today", "--at", "2025-03-11T09:00", "--json")

    items = json.loads(printed)
    assert [item["person"]["name"] for item in items] == ["Dana Lee"]
    assert items[0]["purpose"] == "thank_you"
    loaded = sorted(m for m in modules if m.startswith(NOT_ON_A_READ))
    assert loaded == [], f"`topofmind today --json` imported {loaded}"


def test_text_and_number_options_still_read_as_before(tmp_path: Path) -> None:
    env = _env(tmp_path)
    _run(env, "person", "add", "Dana Lee")
    bad_id = subprocess.run(
        [sys.executable, "-m", "topofmind", "done", "twelve"], env=env, capture_output=True, text=True, timeout=120
    )
    assert bad_id.returncode == 2
    assert bad_id.stderr.count("\n") == 1 and "'ID'" in bad_id.stderr and "integer" in bad_id.stderr
    printed, _ = _run(env, "--workspace", " #1 ", "today", "--json")  # text as typed, trimmed by the lookup
    assert json.loads(printed) == []


def test_today_as_the_very_first_command_makes_the_whole_database_and_then_reads_lean(tmp_path: Path) -> None:
    env = _env(tmp_path)
    printed, modules = _run(env, "today", "--json")  # no database yet: every app's tables, then a workspace
    assert json.loads(printed) == []
    assert "axes.models" in modules  # migrate needs every app, so the first start loads them all
    database = tmp_path / "data" / "topofmind.sqlite3"
    with sqlite3.connect(database) as conn:
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"axes_accessattempt", "django_session", "crm_workspace"} <= tables

    printed, modules = _run(env, "today", "--json")
    assert json.loads(printed) == [] and "axes.models" not in modules
    _run(env, "person", "add", "Dana Lee")  # a write after a read that ended the process itself
    _run(env, "log", "call", "--with", "Dana Lee", "--at", "2025-03-10T10:00", "--force")
    printed, _ = _run(env, "today", "--at", "2025-06-11T09:00", "--json")
    assert [item["person"]["name"] for item in json.loads(printed)] == ["Dana Lee"]


def test_today_brings_up_to_date_an_app_it_does_not_read(tmp_path: Path) -> None:
    """The migration check runs before the models load, over every installed app: a table of the
    sign-in throttle gone with its migrations is made again, not left missing for the web."""
    env = _env(tmp_path)
    _run(env, "person", "add", "Dana Lee")
    database = tmp_path / "data" / "topofmind.sqlite3"
    with sqlite3.connect(database) as conn:
        tables = conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'axes%'").fetchall()
        assert tables
        for (table,) in tables:
            conn.execute(f'DROP TABLE "{table}"')
        conn.execute("DELETE FROM django_migrations WHERE app = 'axes'")

    printed, _ = _run(env, "today", "--json")

    assert json.loads(printed) == []
    with sqlite3.connect(database) as conn:
        assert conn.execute("SELECT count(*) FROM axes_accessattempt").fetchone() == (0,)
        assert conn.execute("SELECT count(*) FROM django_migrations WHERE app = 'axes'").fetchone()[0] > 0


def test_the_migrations_read_before_the_apps_load_are_those_the_apps_ship(db: None) -> None:
    from django.conf import settings

    from topofmind.crm.auto_migrate import migrations_on_disk

    assert migrations_on_disk(settings.INSTALLED_APPS) == migrations_on_disk()
    assert ("crm", "0001_initial") in migrations_on_disk(settings.INSTALLED_APPS)


def test_a_read_in_its_own_process_matches_the_one_in_the_test_process(transactional_db: None) -> None:
    """The lean start against the test database (PostgreSQL in the CI's second run): the same
    agenda as the full app reads."""
    from django.db import connection
    from test_cli import ok

    if connection.vendor != "postgresql":
        pytest.skip("SQLite's test database lives in this process; the tests above use a file")
    s = connection.settings_dict
    url = f"postgresql://{quote(s.get('USER') or '', safe='')}@{s.get('HOST') or '127.0.0.1'}:{s.get('PORT') or 5432}/{s['NAME']}"
    if s.get("PASSWORD"):
        url = url.replace("@", f":{quote(s['PASSWORD'], safe='')}@", 1)
    ok("config", "set", "timezone", "UTC")
    ok("person", "add", "Dana Lee")
    ok("log", "interview", "--with", "Dana Lee", "--at", "2025-03-10T10:00", "--force")
    expected = ok("today", "--at", "2025-03-11T09:00", "--json").json()

    env = {**os.environ, "TOPOFMIND_DATABASE_URL": url, "PYTHONPATH": os.environ.get("PYTHONPATH", "")}
    for name in ("TOPOFMIND_WORKSPACE", "TOPOFMIND_USER"):
        env.pop(name, None)
    printed, modules = _run(env, "today", "--at", "2025-03-11T09:00", "--json")

    assert json.loads(printed) == expected and [item["purpose"] for item in expected] == ["thank_you"]
    assert "axes.models" not in modules


def test_every_public_name_of_the_read_model_is_there_loaded_or_not() -> None:
    from topofmind.crm import queries

    found = {name: getattr(queries, name) for name in queries.__all__}
    assert all(value is not None for value in found.values())
    assert callable(queries.people) and callable(queries.search) and callable(queries.weekly_review)
    assert queries.UNDO_MINUTES > 0
    with pytest.raises(AttributeError):
        queries.no_such_query  # noqa: B018
