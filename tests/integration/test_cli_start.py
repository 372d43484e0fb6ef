"""`topofmind today` starts lean: a read-only command loads the read model, not the writers,
the API's pydantic, the queue or the holiday tables (issue 12, "the CLI starts lean")."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

# Run the console script's main() in a fresh interpreter, then say which modules it loaded.
_SCRIPT = """
import json, sys
sys.argv = ["topofmind", *sys.argv[1:]]
from topofmind.cli import main
try:
    main()
except SystemExit as exc:
    assert not exc.code, exc.code
print("\\nMODULES " + json.dumps(sorted(sys.modules)))
"""

NOT_ON_A_READ = ("pydantic", "ninja", "huey", "holidays", "rapidfuzz", "topofmind.crm.services", "topofmind.api",
                 "topofmind.integrations.imap", "django.db.migrations.executor")  # fmt: skip


def _run(env: dict[str, str], *args: str) -> tuple[str, set[str]]:
    result = subprocess.run(
        [sys.executable, "-c", _SCRIPT, *args], env=env, capture_output=True, text=True, timeout=180
    )
    assert result.returncode == 0, result.stderr[-2000:]
    printed, _, modules = result.stdout.rpartition("\nMODULES ")
    return printed, set(json.loads(modules))


def test_today_json_loads_neither_the_writers_nor_pydantic(tmp_path: Path) -> None:
    env = {**os.environ, "TOPOFMIND_DATA_DIR": str(tmp_path / "data"), "PYTHONPATH": os.environ.get("PYTHONPATH", "")}
    for name in ("TOPOFMIND_DATABASE_URL", "DJANGO_SETTINGS_MODULE", "TOPOFMIND_WORKSPACE", "TOPOFMIND_USER"):
        env.pop(name, None)
    _run(env, "person", "add", "Dana Lee")  # the first start: database, workspace, a person
    _run(env, "log", "interview", "--with", "Dana Lee", "--at", "2025-03-10T10:00", "--force")

    printed, modules = _run(env, "today", "--at", "2025-03-11T09:00", "--json")

    items = json.loads(printed)
    assert [item["person"]["name"] for item in items] == ["Dana Lee"]
    assert items[0]["purpose"] == "thank_you"
    loaded = sorted(m for m in modules if m.startswith(NOT_ON_A_READ))
    assert loaded == [], f"`topofmind today --json` imported {loaded}"


def test_text_and_number_options_still_read_as_before(tmp_path: Path) -> None:
    env = {**os.environ, "TOPOFMIND_DATA_DIR": str(tmp_path / "data"), "PYTHONPATH": os.environ.get("PYTHONPATH", "")}
    for name in ("TOPOFMIND_DATABASE_URL", "DJANGO_SETTINGS_MODULE", "TOPOFMIND_WORKSPACE", "TOPOFMIND_USER"):
        env.pop(name, None)
    _run(env, "person", "add", "Dana Lee")
    bad_id = subprocess.run(
        [sys.executable, "-m", "topofmind", "done", "twelve"], env=env, capture_output=True, text=True, timeout=120
    )
    assert bad_id.returncode == 2
    assert bad_id.stderr.count("\n") == 1 and "'ID'" in bad_id.stderr and "integer" in bad_id.stderr
    printed, _ = _run(env, "--workspace", " #1 ", "today", "--json")  # text as typed, trimmed by the lookup
    assert json.loads(printed) == []
