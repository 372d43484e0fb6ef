"""First use: migrations run by themselves, settings fail loudly, the demo loads once."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command

from topofmind import demo, settings
from topofmind.crm import queries, services
from topofmind.crm.models import Organization, Workspace


def topofmind(*args: str, data_dir: Path) -> subprocess.CompletedProcess[str]:
    """Run the installed command line in a fresh process, as a user would."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TOPOFMIND_", "DJANGO_"))}
    env["TOPOFMIND_DATA_DIR"] = str(data_dir)
    return subprocess.run(
        [sys.executable, "-m", "topofmind", *args], capture_output=True, text=True, env=env, timeout=120, check=False
    )


def test_a_new_database_file_is_migrated_on_first_use(tmp_path: Path) -> None:
    db = tmp_path / "fresh.sqlite3"
    first = topofmind("--db", str(db), "org", "list", "--json", data_dir=tmp_path)
    assert (first.returncode, first.stdout.strip(), first.stderr) == (0, "[]", "")
    with sqlite3.connect(db) as conn:
        applied = {row[0] for row in conn.execute("SELECT app FROM django_migrations")}
        assert {"crm", "auth", "contenttypes", "sessions"} <= applied
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    again = topofmind("--db", str(db), "migrate", data_dir=tmp_path)
    assert again.returncode == 0
    assert "up to date" in again.stdout


def test_the_default_database_lives_in_the_data_directory(tmp_path: Path) -> None:
    run = topofmind("org", "add", "Acme", data_dir=tmp_path)
    assert run.returncode == 0, run.stderr
    assert (tmp_path / "topofmind.sqlite3").exists()
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0  # only the owner may read the key


def test_a_database_that_cannot_be_opened_is_one_line(tmp_path: Path) -> None:
    run = topofmind("--db", str(tmp_path / "no" / "such" / "dir.sqlite3"), "today", data_dir=tmp_path)
    assert run.returncode == 2
    assert run.stderr.count("\n") == 1
    assert run.stderr.startswith(f"error: --db: the folder {tmp_path / 'no' / 'such'} does not exist")
    assert "TOPOFMIND_DATABASE_URL" not in run.stderr
    refused = topofmind("--db", "postgresql://nobody@127.0.0.1:9/none", "today", data_dir=tmp_path)
    assert refused.returncode == 2
    assert refused.stderr.startswith("error: cannot open the database")
    assert "Traceback" not in refused.stderr


def test_the_help_starts_without_django() -> None:
    code = "import sys, topofmind.cli; print('django' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


def test_the_models_and_migrations_agree(db: None) -> None:
    call_command("makemigrations", "crm", check=True, dry_run=True, verbosity=0)  # exits 1 when they differ


# -- settings -------------------------------------------------------------------------------


def test_a_path_is_a_sqlite_file_with_wal_and_a_busy_timeout(tmp_path: Path) -> None:
    config = settings.database_from(str(tmp_path / "mine.sqlite3"))
    assert config["ENGINE"] == "django.db.backends.sqlite3"
    assert config["NAME"] == str(tmp_path / "mine.sqlite3")
    assert "journal_mode=WAL" in config["OPTIONS"]["init_command"]
    assert "busy_timeout=5000" in config["OPTIONS"]["init_command"]
    assert config["OPTIONS"]["transaction_mode"] == "IMMEDIATE"


def test_a_url_is_a_database_url() -> None:
    config = settings.database_from("postgresql://me:secret@db.internal:5433/topofmind")
    assert (config["ENGINE"], config["NAME"], config["HOST"], config["PORT"]) == (
        "django.db.backends.postgresql",
        "topofmind",
        "db.internal",
        5433,
    )


def test_a_nonsense_url_is_refused_naming_the_variable() -> None:
    with pytest.raises(ImproperlyConfigured, match="TOPOFMIND_DATABASE_URL"):
        settings.database_from("nosuchdb://x")


@pytest.mark.parametrize(("raw", "value"), [("1", True), ("yes", True), ("off", False), ("", False)])
def test_yes_no_settings_read_the_usual_words(monkeypatch: pytest.MonkeyPatch, raw: str, value: bool) -> None:
    monkeypatch.setenv("TOPOFMIND_DEBUG", raw)
    assert settings.env_bool("TOPOFMIND_DEBUG") is value


def test_a_setting_that_cannot_be_read_fails_loudly(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TOPOFMIND_DEBUG", "perhaps")
    with pytest.raises(ImproperlyConfigured, match="TOPOFMIND_DEBUG='perhaps'"):
        settings.env_bool("TOPOFMIND_DEBUG")
    monkeypatch.setenv("TOPOFMIND_LOG_LEVEL", "LOUD")
    with pytest.raises(ImproperlyConfigured, match="TOPOFMIND_LOG_LEVEL"):
        settings.env_choice("TOPOFMIND_LOG_LEVEL", "WARNING", {"WARNING", "DEBUG"})


def test_the_secret_key_is_made_once_and_kept(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("TOPOFMIND_SECRET_KEY", raising=False)
    monkeypatch.setenv("TOPOFMIND_DATA_DIR", str(tmp_path))
    first = settings.secret_key()
    assert len(first) >= 50
    assert settings.secret_key() == first


def test_a_short_secret_key_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TOPOFMIND_SECRET_KEY", "changeme")
    with pytest.raises(ImproperlyConfigured, match="at least 32"):
        settings.secret_key()


def test_every_environment_variable_is_documented() -> None:
    documented = (Path(__file__).parents[2] / "docs" / "settings.md").read_text()
    source = Path(settings.__file__).read_text()
    import re

    used = set(re.findall(r'"(TOPOFMIND_[A-Z_]+)"', source))
    assert used, "settings.py reads no TOPOFMIND_ variable?"
    assert sorted(v for v in used if v not in documented) == []


# -- the demo -------------------------------------------------------------------------------


def test_the_demo_gives_an_agenda_with_something_to_do(db: None, now: datetime) -> None:
    assert demo.is_empty()
    workspace = services.get_or_create_default_workspace(now=now)
    demo.load(workspace=workspace, now=now)
    assert not demo.is_empty()
    items = queries.agenda(workspace=workspace, at=now)
    purposes = {item.suggestion.purpose.value for item in items}
    assert {"thank_you", "nudge"} <= purposes
    assert all(item.draft.body for item in items)
    # the demo's thank-yous are due, not already late, when a newcomer first looks
    assert all(i.suggestion.due > now for i in items if i.suggestion.purpose.value == "thank_you")


def test_the_demo_goes_into_a_workspace_of_its_own_and_never_into_the_users_search(
    db: None, alice: Workspace, now: datetime, capsys: pytest.CaptureFixture[str]
) -> None:
    services.add_organization(workspace=alice, name="My real employer", now=now)
    demo.main()
    assert "Demo search" in capsys.readouterr().out
    assert list(Organization.objects.filter(workspace=alice).values_list("name", flat=True)) == ["My real employer"]
    shown = Workspace.objects.get(is_demo=True)
    assert shown.name == "Demo search"
    assert Organization.objects.filter(workspace=shown).count() == 4
    demo.main()  # a second time: still one demo
    assert "already there" in capsys.readouterr().out
    assert Workspace.objects.filter(is_demo=True).count() == 1
    assert services.get_or_create_default_workspace(now=now) == alice  # the CLI's default is the user's own
