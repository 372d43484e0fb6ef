"""Bad input at every door (issue 10, parts 3-6): restore refuses what the forms refuse, values
out of range are refused with the field named (CLI, web, restore), control characters never
reach a terminal or a page, and the database files are private. Each test failed before the
fix; the fuzz of restore is in test_restore_fuzz.py."""

from __future__ import annotations

import io
import json
import os
import re
import sqlite3
import stat
import subprocess
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from test_backup import everything
from test_cli import cli, fails, ok
from test_restore_fuzz import DEEP, small_search  # noqa: F401 - the fixture

from topofmind.cli import render
from topofmind.crm import services
from topofmind.crm.errors import Invalid
from topofmind.crm.models import Interaction, Organization, Person, Plan, Workspace, WorkspaceSettings
from topofmind.crm.services.backup import BackupError, restore_backup
from topofmind.crm.services.imports import import_file
from topofmind.integrations.normalize import clean, clean_block

pytest_plugins = ["test_web_fixtures"]

ESC_NAME = "Ctrl\x1b[2JName"
# Ordinary cards around the hostile one: a file of nothing but control codes is refused whole.
PLAIN_CARDS = "".join(
    f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Person Number {n}\r\nN:Number {n};Person;;;\r\n"
    f"EMAIL;TYPE=work:person{n}@example.com\r\nNOTE:met at the conference in spring\r\nEND:VCARD\r\n"
    for n in range(8)
)


# -- restore validates like the forms -------------------------------------------------------


def _restore_with(text: str, table: str, column: str, value: Any, *, index: int = 0) -> BackupError:
    doc = json.loads(text)
    doc["tables"][table][index][column] = value
    before = everything(Workspace.objects.first())  # type: ignore[arg-type]
    with pytest.raises(BackupError) as err:
        restore_backup(io.StringIO(json.dumps(doc)))
    assert everything(Workspace.objects.first()) == before  # type: ignore[arg-type]
    assert not Workspace.objects.exists() or not Organization.objects.exists()
    return err.value


@pytest.mark.parametrize(
    ("table", "column", "value", "expected"),
    [
        ("crm.organization", "website", "javascript:alert(document.cookie)", "website: only http and https links"),
        ("crm.person", "linkedin_url", "javascript:alert(1)", "linkedin_url: only http and https links"),
        ("crm.opportunity", "posting_url", "JavaScript:alert(1)", "posting_url: only http and https links"),
        ("crm.workspacesettings", "timezone", "Mars/Olympus_Mons", 'timezone: "Mars/Olympus_Mons" is not a time zone'),
        ("crm.workspacesettings", "playbook", "pirate", "playbook: 'pirate' is not one I know"),
        ("crm.workspacesettings", "overrides", {"nudge1_days": 10**20}, "nudge1_days: 100000000000000000000 is out"),
        ("crm.workspacesettings", "overrides", {"nudge9_days": 3}, "unknown playbook setting 'nudge9_days'"),
        ("crm.person", "prefers", "pigeon", "prefers: 'pigeon' is not one I know"),
        ("crm.person", "timezone", "Nowhere/Land", "timezone:"),
        ("crm.person", "cadence_days", 10**20, "cadence_days: 100000000000000000000 is out of range"),
        ("crm.personrole", "role", "boss", "role: 'boss' is not one I know"),
        ("crm.followup", "channel", "fax", "channel: 'fax' is not one I know"),
        ("crm.followup", "extra", ["not", "an", "object"], "extra: should be an object of text: text"),
        ("crm.interaction", "at", "9999-12-31T23:59:00+00:00", "at: "),
        ("crm.plan", "targets", 10**20, "targets: 100000000000000000000 is out of range"),
        ("crm.person", "name", "Dana \ud800", "name: contains a broken character"),
    ],
)
def test_restore_refuses_what_the_forms_refuse_naming_record_and_field(
    small_search: str,  # noqa: F811
    table: str,
    column: str,
    value: Any,
    expected: str,
) -> None:
    error = _restore_with(small_search, table, column, value)
    noun = table.removeprefix("crm.")
    assert error.message.startswith(f"backup record {noun} #"), error.message
    assert expected in error.message
    assert "nothing was restored" in error.hint


def test_restore_names_the_organization_with_a_javascript_website(small_search: str) -> None:  # noqa: F811
    doc = json.loads(small_search)
    org = doc["tables"]["crm.organization"][0]
    org["website"] = "javascript:alert(document.cookie)"
    with pytest.raises(BackupError) as err:
        restore_backup(io.StringIO(json.dumps(doc)))
    assert err.value.one_line().startswith(
        f"error: backup record organization #{org['id']}: website: only http and https links"
    )


@pytest.mark.parametrize(
    ("spoil", "expected"),
    [
        (lambda t: re.sub(r'("crm.organization": \[\{"id": )\d+', rf"\g<1>{2**63}", t, count=1), "not an id"),
        (lambda t: t.replace('"workspace": {"id": ', f'"workspace": {{"id": {2**64}, "x": '), ""),
        (lambda t: t.replace('"counts": {', '"counts": ' + DEEP + ', "x": {'), "nested too deeply"),
        (lambda t: t.replace('"priority": 3', '"priority": ' + "9" * 5000), "a number too long to read"),
        (lambda t: t.replace('"name": "Acme"', '"name": "Acme\\ud800"'), "broken character"),
        (lambda t: t.replace('"priority": 3', '"priority": NaN'), "NaN is not a number JSON allows"),
    ],
)
def test_restore_of_hostile_json_is_one_line_never_a_traceback(
    small_search: str,  # noqa: F811
    spoil: Any,
    expected: str,
) -> None:
    text = spoil(json.dumps(json.loads(small_search), indent=None, separators=(", ", ": ")))
    with pytest.raises(Invalid) as err:
        restore_backup(io.StringIO(text))
    assert expected in err.value.message
    assert not Organization.objects.exists()


def test_restore_cli_says_what_is_wrong_in_one_line(small_search: str, tmp_path: Path) -> None:  # noqa: F811
    doc = json.loads(small_search)
    doc["tables"]["crm.organization"][0]["website"] = "javascript:alert(1)"
    path = tmp_path / "evil.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    line = fails("restore", str(path))
    assert "backup record organization #" in line and "website: only http and https links" in line


# -- range checks at every door --------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "field"),
    [
        (("log", "reply", "--with", "Dana Lee", "--at", "9999-12-31T23:59"), "error: --at: "),
        (("log", "reply", "--with", "Dana Lee", "--at", "0001-01-01T00:00"), "error: --at: "),
        (("person", "add", "Sam Roe", "--cadence-days", "99999999999999999999"), "error: cadence_days: "),
        (("person", "edit", "Dana Lee", "--cadence-days", "99999999999999999999"), "error: cadence_days: "),
        (("plan", "set", "--targets", "99999999999999999999", "--weeks", "4"), "error: targets: "),
        (("config", "set", "nudge1_days", "99999999999999999999"), "error: nudge1_days: "),
        (("config", "set", "daily_cap", "99999999999999999999"), "error: daily_cap: "),
        (("today", "--at", "9999-12-31T23:59"), "error: "),
    ],
)
def test_out_of_range_on_the_command_line_is_one_line_naming_the_field(
    db: None, args: tuple[str, ...], field: str
) -> None:
    ok("person", "add", "Dana Lee")
    before = (Person.objects.count(), Plan.objects.count(), list(WorkspaceSettings.objects.values("overrides")))
    line = fails(*args)
    assert line.startswith(field), line
    assert "out of range" in line
    after = (Person.objects.count(), Plan.objects.count(), list(WorkspaceSettings.objects.values("overrides")))
    assert after == before


def test_an_organization_filter_out_of_range_is_a_400_naming_it(as_alice: Client) -> None:
    for url in ("/people/?org=99999999999999999999", "/people/new/?org=99999999999999999999"):
        response = as_alice.get(url)
        assert response.status_code == 400, url
        assert "org: 99999999999999999999 is out of range" in response.content.decode()


def test_logging_a_touch_in_year_9999_on_the_web_is_a_form_error(
    as_alice: Client, alice: Workspace, now: datetime
) -> None:
    person = services.add_person(workspace=alice, name="Dana Lee", now=now)
    response = as_alice.post("/log/", {"kind": "reply", "people": person.name, "at": "9999-12-31T23:59"})
    assert response.status_code in (200, 400)
    assert "out of range" in response.content.decode()
    assert not Interaction.objects.exists()


def test_a_cadence_out_of_range_on_the_web_is_a_form_error(as_alice: Client) -> None:
    response = as_alice.post("/people/new/", {"name": "Sam Roe", "cadence_days": "99999999999999999999"})
    assert response.status_code in (200, 400)
    assert not Person.objects.filter(name="Sam Roe").exists()


# -- control characters: never to a terminal, neutralised on import -------------------------


def test_render_shows_control_characters_as_escapes() -> None:
    assert render.safe(ESC_NAME) == "Ctrl\\x1b[2JName"
    assert render.safe("a\rb\x07c\x9bd\u202ee\ud800") == "a\\x0db\\x07c\\x9bd\\u202ee\\ud800"
    assert render.safe("two\nlines\tand a tab") == "two\nlines\tand a tab"


def test_imports_keep_the_text_but_neutralise_control_codes() -> None:
    assert clean(ESC_NAME) == "Ctrl\u241b[2JName"
    assert clean_block("line one\x07\nline\x1b two") == "line one\u2407\nline\u241b two"


def test_a_vcard_name_with_an_escape_never_reaches_the_terminal(db: None, tmp_path: Path) -> None:
    card = tmp_path / "evil.vcf"
    card.write_text(
        PLAIN_CARDS + "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ctrl\x1b[2JName\r\nN:Name;Ctrl\x1b[2J;;;\r\n"
        "NOTE:rings a bell\x07\r\nEND:VCARD\r\n",
        encoding="utf-8",
    )
    ok("import", "vcard", str(card))
    person = Person.objects.get(name__startswith="Ctrl")
    assert "\x1b" not in person.name and "[2JName" in person.name  # the text is kept
    for args in (("person", "list"), ("person", "show", "#" + str(person.pk)), ("person", "list", "--json")):
        run = cli(*args)
        assert "\x1b" not in run.out + run.err and "\x07" not in run.out + run.err


def test_data_restored_with_control_characters_is_escaped_at_output(small_search: str) -> None:  # noqa: F811
    doc = json.loads(small_search)
    doc["tables"]["crm.person"][0]["name"] = ESC_NAME
    doc["tables"]["crm.organization"][0]["name"] = "Acme\x9b31m\rInc"
    restore_backup(io.StringIO(json.dumps(doc)))
    for args in (("person", "list"), ("person", "show", ESC_NAME), ("org", "list"), ("today",), ("opp", "list")):
        run = cli(*args)
        assert "Traceback" not in run.err
        shown = run.out + run.err
        assert "\x1b" not in shown and "\x9b" not in shown and "\r" not in shown, args
    assert "Ctrl\\x1b[2JName" in ok("person", "show", ESC_NAME).out
    line = fails("person", "show", "No\x1b[2J One")
    assert "No\\x1b[2J One" in line


def test_imported_control_characters_and_javascript_links_never_reach_a_page(
    as_alice: Client, alice: Workspace, tmp_path: Path, now: datetime
) -> None:
    card = tmp_path / "evil.vcf"
    card.write_text(
        PLAIN_CARDS + "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ctrl\x1b[2JName\r\nORG:Evil\x07 Corp\r\n"
        "URL:javascript:alert(1)\r\nX-SOCIALPROFILE;type=linkedin:javascript:alert(2)\r\nEND:VCARD\r\n",
        encoding="utf-8",
    )
    with card.open("rb") as stream:
        import_file(workspace=alice, kind="vcard", stream=stream, now=now)
    person = Person.objects.get(workspace=alice, name__startswith="Ctrl")
    pages = ["/people/", f"/people/{person.pk}/", f"/people/{person.pk}/edit/", "/organizations/"]
    pages += [f"/organizations/{pk}/" for pk in Organization.objects.filter(workspace=alice).values_list("pk", flat=True)]
    for url in pages:
        html = as_alice.get(url).content.decode()
        assert "\x1b" not in html and "\x07" not in html, url
        assert not re.search(r"""href\s*=\s*["']?\s*javascript:""", html, re.I), url


# -- private files ---------------------------------------------------------------------------


def test_the_data_folder_is_0700_and_the_database_files_0600(tmp_path: Path) -> None:
    data = tmp_path / "fresh" / "topofmind"
    env = {**os.environ, "TOPOFMIND_DATA_DIR": str(data), "PYTHONPATH": os.environ.get("PYTHONPATH", "")}
    env.pop("TOPOFMIND_DATABASE_URL", None)
    env.pop("DJANGO_SETTINGS_MODULE", None)
    script = (
        "import os, sqlite3, stat, sys\n"
        "os.umask(0o022)\n"  # the usual umask, under which SQLite alone makes 0644 files
        "from topofmind.cli import app\n"
        "sys.argv = ['topofmind', 'person', 'add', 'Dana Lee']\n"
        "try:\n    app()\nexcept SystemExit as e:\n    assert not e.code, e.code\n"
        "db = os.path.join(os.environ['TOPOFMIND_DATA_DIR'], 'topofmind.sqlite3')\n"
        "con = sqlite3.connect(db); con.execute('PRAGMA journal_mode=WAL'); con.execute('select 1 from crm_person')\n"
        "print(' '.join(oct(stat.S_IMODE(os.stat(db + s).st_mode)) for s in ('', '-wal', '-shm')))\n"
    )
    result = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1].split() == ["0o600", "0o600", "0o600"]
    assert stat.S_IMODE(data.stat().st_mode) == 0o700
    assert stat.S_IMODE((data / "secret_key").stat().st_mode) == 0o600


def test_an_existing_wider_database_is_made_private(tmp_path: Path) -> None:
    from topofmind.settings import database_from

    db = tmp_path / "old.sqlite3"
    sqlite3.connect(db).close()
    db.chmod(0o644)
    database_from(str(db))
    assert stat.S_IMODE(db.stat().st_mode) == 0o600


@pytest.mark.parametrize(
    "url",
    [
        "/openings/new/?org=99999999999999999999",
        "/log/?opp=99999999999999999999",
        "/log/?person=99999999999999999999",
        "/log/?at=9999-12-31T23:59",
        "/touches/?person=99999999999999999999",
        "/people/?page=99999999999999999999",
        "/organizations/?page=99999999999999999999",
        "/openings/?page=99999999999999999999",
        "/?at=9999-12-31T23:59",
        "/review/?week=9999-12-31",
        "/people/99999999999999999999/",
        "/organizations/99999999999999999999/",
        "/openings/99999999999999999999/",
        "/touches/99999999999999999999/edit/",
    ],
)
def test_huge_ids_and_dates_in_links_never_give_a_500(as_alice: Client, url: str) -> None:
    response = as_alice.get(url)
    assert response.status_code in (200, 302, 400, 404), (url, response.status_code)


def test_a_search_with_control_characters_finds_by_the_rest_on_every_list(as_alice: Client, alice: Workspace, now: datetime) -> None:
    # PostgreSQL refuses a NUL in a query: schemathesis sent `q=%C2%99%00` to /api/people
    services.add_person(workspace=alice, name="Dana Lee", now=now)
    for url in ("/people/?q=Da%00na", "/organizations/?q=%00", "/openings/?q=x%00"):
        response = as_alice.get(url)
        assert response.status_code == 200, url
    assert "Dana Lee" in as_alice.get("/people/?q=Da%00na").content.decode()
