"""Backup and restore: one versioned JSON document, restored exactly; a failed restore changes
nothing (issue 5, item 6). The property test of the round trip is in test_backup_roundtrip.py."""

from __future__ import annotations

import io
import json
from datetime import datetime, timedelta
from typing import Any

import pytest
from django.apps import apps

from topofmind.crm import queries, services
from topofmind.crm.errors import Conflict
from topofmind.crm.models import (
    AccessToken,
    FollowUp,
    Invitation,
    MailAccount,
    MailFolderState,
    MailSkipped,
    Membership,
    OutboxMessage,
    Person,
    StrangerMail,
    UndoEntry,
    UserSettings,
    Workspace,
    WorkspaceSettings,
)
from topofmind.crm.services.backup import (
    FORMAT,
    VERSION,
    BackupError,
    backup_models,
    restore_backup,
    write_backup,
)
from topofmind.engine.types import Kind, Role, Stage
from topofmind.integrations.backup.jsonstream import JsonReader, JsonStreamError


def backup_text(workspace: Workspace, now: datetime) -> str:
    out = io.StringIO()
    write_backup(out, workspace=workspace, now=now)
    return out.getvalue()


def document(text: str) -> dict[str, Any]:
    doc: dict[str, Any] = json.loads(text)
    doc.pop("created_at")
    return doc


def everything(workspace: Workspace) -> dict[str, int]:
    return {m._meta.label_lower: m._default_manager.count() for m in backup_models()} | {
        "crm.workspace": Workspace.objects.count()
    }


@pytest.fixture
def search(alice: Workspace, now: datetime) -> Workspace:
    """Alice's search with a bit of everything: settings, a plan, people, an interview, follow-ups."""
    services.set_config(workspace=alice, key="timezone", value="Europe/Berlin", now=now)
    services.set_plan(workspace=alice, targets=20, weeks=4, now=now)
    acme = services.add_organization(workspace=alice, name="Acme", website="acme.test", target=True, now=now)
    dana = services.add_person(
        workspace=alice,
        name="Dana Lee",
        organization_id=acme.pk,
        roles=[Role.HIRING_MANAGER],
        emails=["dana@acme.test"],
        phones=["+49 30 1234567"],
        notes="Zoë's friend — met at PyCon 🐍",
        now=now,
    )
    opp = services.add_opportunity(
        workspace=alice, title="Backend Engineer", organization_id=acme.pk, stage=Stage.APPLIED, now=now
    )
    services.log_interaction(
        workspace=alice,
        kind=Kind.INTERVIEW,
        person_ids=[dana.pk],
        opportunity_id=opp.pk,
        at=now - timedelta(hours=3),
        points="the pipeline rewrite",
        now=now,
    )
    followup = FollowUp.objects.filter(workspace=alice, state="pending").first()
    assert followup is not None
    services.snooze(workspace=alice, followup_id=followup.pk, until=now + timedelta(days=1), now=now)
    return alice


def test_the_document_names_its_format_and_version_and_holds_every_table(search: Workspace, now: datetime) -> None:
    doc = json.loads(backup_text(search, now))
    assert (doc["format"], doc["version"]) == (FORMAT, VERSION)
    assert doc["workspace"]["name"] == "Alice's search"
    assert set(doc["tables"]) == {m._meta.label_lower for m in backup_models()}
    assert doc["counts"] == {label: len(rows) for label, rows in doc["tables"].items()}
    assert doc["tables"]["crm.person"][0]["notes"] == "Zoë's friend — met at PyCon 🐍"
    assert "snoozed" in {row["state"] for row in doc["tables"]["crm.followup"]}


def test_every_table_of_the_store_is_backed_up_but_server_accounts() -> None:
    crm = set(apps.get_app_config("crm").get_models())
    # the workspace row is the header; memberships, invitations, user settings and tokens are accounts;
    # the mail account is told there without its password, and the outbox is the sends' history;
    # how far the mailbox sync has read (and what it skipped) belongs to the account too; the undo
    # log lives ten minutes; the ids of mail sent to strangers are read again from the Sent folder
    assert crm - set(backup_models()) == {
        Workspace, Membership, Invitation, UserSettings, AccessToken, MailAccount, OutboxMessage,
        MailFolderState, MailSkipped, UndoEntry, StrangerMail,
    }


def test_a_restore_into_a_new_database_gives_back_exactly_the_same_data(search: Workspace, now: datetime) -> None:
    before = backup_text(search, now)
    search.delete()
    result = restore_backup(io.StringIO(before))
    assert result.kept_ids
    restored = Workspace.objects.get(pk=result.workspace_id)
    assert restored.pk == json.loads(before)["workspace"]["id"]
    assert document(backup_text(restored, now + timedelta(hours=1))) == document(before)


def test_a_restored_workspace_keeps_working(search: Workspace, now: datetime) -> None:
    text = backup_text(search, now)
    search.delete()
    restored = Workspace.objects.get(pk=restore_backup(io.StringIO(text)).workspace_id)
    # new rows get new ids after the restored ones (sequences follow on PostgreSQL)
    person = services.add_person(workspace=restored, name="Sam Okafor", emails=[], now=now)
    assert person.pk > Person.objects.filter(workspace=restored).exclude(pk=person.pk).order_by("-pk")[0].pk
    assert queries.agenda(workspace=restored, at=now) is not None
    assert services.create_workspace(name="Another", now=now).pk > restored.pk


def test_restoring_next_to_other_workspaces_gives_new_ids_and_the_same_data(
    search: Workspace, bob: Workspace, now: datetime
) -> None:
    text = backup_text(search, now)
    result = restore_backup(io.StringIO(text), name="Alice, restored")
    assert not result.kept_ids
    copy = Workspace.objects.get(pk=result.workspace_id)
    assert copy.name == "Alice, restored"
    assert Person.objects.filter(workspace=copy).count() == Person.objects.filter(workspace=search).count()
    dana = Person.objects.get(workspace=copy, name="Dana Lee")
    assert dana.organization is not None and dana.organization.workspace_id == copy.pk
    assert list(dana.emails.values_list("address", flat=True)) == ["dana@acme.test"]
    assert Person.objects.filter(workspace=bob).count() == 0


def test_restore_into_an_empty_workspace_replaces_its_default_settings(
    search: Workspace, charlie: Workspace, now: datetime
) -> None:
    text = backup_text(search, now)
    restore_backup(io.StringIO(text), workspace=charlie)
    charlie.refresh_from_db()
    assert charlie.name == "Alice's search"
    assert WorkspaceSettings.objects.get(workspace=charlie).timezone == "Europe/Berlin"


def test_restore_refuses_a_workspace_that_holds_data(search: Workspace, now: datetime) -> None:
    text = backup_text(search, now)
    before = everything(search)
    with pytest.raises(Conflict, match="already holds"):
        restore_backup(io.StringIO(text), workspace=search)
    assert everything(search) == before


def test_a_backup_holds_nothing_of_another_workspace(search: Workspace, bob: Workspace, now: datetime) -> None:
    services.add_person(workspace=bob, name="Bob's secret contact", emails=["secret@bob.test"], now=now)
    text = backup_text(search, now)
    assert "secret" not in text
    assert "Bob" not in text


@pytest.mark.parametrize(
    ("spoil", "where"),
    [
        (lambda t: t[: len(t) * 2 // 3], "backup file"),  # cut short
        (lambda t: t.replace('"version": 1', '"version": 99'), "version"),
        (lambda t: t.replace('"format": "topofmind-backup"', '"format": "something-else"'), "format"),
        (lambda t: t.replace('"name":"Dana Lee"', '"name":null'), "backup record person #"),
        (lambda t: t.replace('"timezone":"Europe/Berlin"', '"timezone":"' + "x" * 100 + '"'), "timezone"),
        (lambda t: t.replace('"address":"dana@acme.test"', '"address":"d","surprise":1'), "surprise"),
    ],
)
def test_a_restore_that_fails_half_way_changes_nothing(
    search: Workspace, now: datetime, spoil: Any, where: str
) -> None:
    text = spoil(backup_text(search, now))
    search.delete()
    before = everything(search)
    with pytest.raises(BackupError) as err:
        restore_backup(io.StringIO(text))
    assert where in err.value.message
    assert "nothing was restored" in err.value.hint
    assert everything(search) == before


def test_a_row_pointing_at_a_row_not_in_the_backup_names_table_row_and_column(
    search: Workspace, now: datetime
) -> None:
    doc = json.loads(backup_text(search, now))
    doc["tables"]["crm.followup"][-1]["person_id"] = 987654
    search.delete()
    with pytest.raises(BackupError) as err:
        restore_backup(io.StringIO(json.dumps(doc, indent=2)))  # pretty-printed by hand: still reads
    assert err.value.message.startswith("backup record followup #")
    assert "person_id: refers to person 987654, which is not in the backup" in err.value.message
    assert Person.objects.count() == 0


def test_the_reader_walks_any_json_layout_in_small_pieces(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("topofmind.integrations.backup.jsonstream.CHUNK_CHARS", 7)
    text = '{"a": [1, 22, {"b": "x\\"y"}, [3]], "n": 12345678, "s" : "ü"}'
    reader = JsonReader(io.StringIO(text))
    got: dict[str, Any] = {}
    for key in reader.object_items():
        if key == "a":
            got[key] = [reader.value() for _ in reader.array_items()]
        else:
            got[key] = reader.value()
    reader.end()
    assert got == json.loads(text)


def test_the_reader_says_where_the_json_breaks() -> None:
    reader = JsonReader(io.StringIO('{"a": [1,\n 2 3]}'))

    def read_all() -> None:
        for _ in reader.object_items():
            for _ in reader.array_items():
                reader.value()

    with pytest.raises(JsonStreamError, match="line 2, column 4"):
        read_all()


def test_a_large_workspace_round_trips(alice: Workspace, now: datetime) -> None:
    from topofmind.crm.services.imports import import_file

    rows = "".join(f"Person{i},Test,,,Org {i % 13},Engineer,04 Dec 2025\n" for i in range(1200))
    header = "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
    import_file(workspace=alice, kind="linkedin", stream=io.BytesIO((header + rows).encode()), now=now)
    text = backup_text(alice, now)
    alice.delete()
    result = restore_backup(io.StringIO(text))
    assert sum(result.counts.values()) > 1000  # enough to refresh the tables' statistics
    assert document(backup_text(Workspace.objects.get(pk=result.workspace_id), now)) == document(text)
