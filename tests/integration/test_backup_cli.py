"""``topofmind backup FILE`` and ``topofmind restore FILE`` as a user runs them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cli_helpers import FIXTURES, cli, ok

from topofmind.crm.models import Person, Workspace

pytestmark = pytest.mark.django_db

def test_backup_then_restore_into_an_empty_database(tmp_path: Path) -> None:
    ok("import", "linkedin", str(FIXTURES / "linkedin" / "connections_current.csv"))
    ok("log", "call", "--with", "Dana Lee", "--at", "2030-03-01T10:00", "--force")
    target = tmp_path / "backup.json"
    out = ok("backup", str(target))
    assert out.startswith("Backed up 5 organizations, 6 people, 0 opportunities, 7 touches")
    first = json.loads(target.read_text(encoding="utf-8"))
    assert not list(tmp_path.glob("*.part"))  # written aside and renamed: no leftovers

    Workspace.objects.all().delete()
    out = ok("restore", str(target))
    assert out.startswith("Restored 5 organizations, 6 people")
    again = tmp_path / "again.json"
    ok("backup", str(again))
    second = json.loads(again.read_text(encoding="utf-8"))
    first.pop("created_at")
    second.pop("created_at")
    assert second == first


def test_restore_into_a_database_with_data_is_refused_in_one_line(tmp_path: Path) -> None:
    ok("person", "add", "Dana Lee")
    target = tmp_path / "b.json"
    ok("backup", str(target))
    result = cli("restore", str(target))
    assert result.exit_code == 2
    assert result.stderr.startswith('error: workspace "My job search" already holds')
    assert Person.objects.count() == 1


def test_restore_of_a_file_that_is_not_a_backup(tmp_path: Path) -> None:
    bogus = tmp_path / "contacts.csv"
    bogus.write_text("First Name,Last Name\n", encoding="utf-8")
    result = cli("restore", str(bogus))
    assert result.exit_code == 2
    assert result.stderr.startswith("error: backup file: line 1, column 1: expected an object")
    latin = tmp_path / "latin.json"
    latin.write_bytes(b'{"name": "Jos\xe9"}')
    result = cli("restore", str(latin))
    assert result.exit_code == 2
    assert "is not a topofmind backup: it is not UTF-8 text" in result.stderr


def test_backup_to_a_missing_folder_is_refused(tmp_path: Path) -> None:
    result = cli("backup", str(tmp_path / "nope" / "b.json"))
    assert result.exit_code == 2
    assert "does not exist" in result.stderr
