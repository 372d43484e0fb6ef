"""Search across people, organizations, openings and touch notes (issue 11, point 5)."""

from __future__ import annotations

import importlib
import io
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import pytest
from django.db import connection

from topofmind.crm import queries, services
from topofmind.crm.models import Workspace
from topofmind.crm.services.backup import restore_backup, write_backup
from topofmind.crm.services.imports import import_file
from topofmind.engine.types import Kind

pytestmark = pytest.mark.django_db


def titles(found: queries.SearchResults) -> dict[str, list[str]]:
    return {
        "people": [h.title for h in found.people.hits],
        "organizations": [h.title for h in found.organizations.hits],
        "openings": [h.title for h in found.openings.hits],
        "touches": [h.detail for h in found.touches.hits],
    }


@pytest.fixture
def search_world(
    alice: Workspace,
    bob: Workspace,
    now: datetime,
    make_org: Callable[..., Any],
    make_person: Callable[..., Any],
    make_opp: Callable[..., Any],
) -> dict[str, Any]:
    acme = make_org("Acme Robotics", industry="Warehouse automation")
    globex = make_org("Globex")
    dana = make_person("Dana Lee", org=acme, title="Engineering Manager")
    jo = make_person("Joanna Pérez", org=globex, emails=("jo@globex.test",), notes="Met at PyCon Lisbon")
    opp = make_opp("Platform Engineer", org=acme)
    services.log_interaction(
        workspace=alice,
        kind=Kind.CALL,
        person_ids=[dana.pk],
        at=now - timedelta(days=3),
        now=now,
        summary="Phone screen",
        notes="She asked about the Kubernetes migration and on-call rota",
    )
    make_person("Dana Secret", workspace=bob, emails=("dana@bob.test",))
    return {"acme": acme, "dana": dana, "jo": jo, "opp": opp}


def test_a_word_finds_people_organizations_openings_and_touch_notes(alice: Workspace, search_world: Any) -> None:
    assert titles(queries.search(alice, "engineer")) == {
        "people": ["Dana Lee"],  # her title
        "organizations": [],
        "openings": ["Platform Engineer"],
        "touches": [],
    }
    found = queries.search(alice, "kubernetes")
    assert found.touches.hits[0].title == "Phone call (we spoke) · Dana Lee"
    assert "Kubernetes migration" in found.touches.hits[0].detail
    assert found.touches.hits[0].person_id == search_world["dana"].pk
    assert titles(queries.search(alice, "ROBOTICS"))["organizations"] == ["Acme Robotics"]


def test_every_word_must_match_anywhere_inside_a_word(alice: Workspace, search_world: Any) -> None:
    assert titles(queries.search(alice, "anna"))["people"] == ["Joanna Pérez"]
    assert titles(queries.search(alice, "lisbon joanna"))["people"] == ["Joanna Pérez"]
    assert titles(queries.search(alice, "lisbon dana"))["people"] == []


def test_one_workspace_never_finds_anothers_rows(alice: Workspace, bob: Workspace, search_world: Any) -> None:
    assert titles(queries.search(alice, "secret"))["people"] == []
    assert titles(queries.search(bob, "dana"))["people"] == ["Dana Secret"]


def test_short_words_look_at_names_starting_with_them(alice: Workspace, search_world: Any) -> None:
    assert titles(queries.search(alice, "da"))["people"] == ["Dana Lee"]
    assert titles(queries.search(alice, "Gl"))["organizations"] == ["Globex"]
    assert queries.search(alice, "  ").empty


def test_quotes_percent_and_control_characters_are_plain_text(alice: Workspace, search_world: Any) -> None:
    for text in ['"', "50%", "a_b", "dana\x00", "o'brien", "NEAR(", "*", "-lee", "\\"]:
        queries.search(alice, text)  # no error
    assert titles(queries.search(alice, "dana\x00"))["people"] == ["Dana Lee"]


def test_edits_and_deletes_keep_the_index_right(alice: Workspace, now: datetime, search_world: Any) -> None:
    dana = search_world["dana"]
    services.edit_person(workspace=alice, person_id=dana.pk, now=now, name="Dana Okafor")
    assert titles(queries.search(alice, "okafor"))["people"] == ["Dana Okafor"]
    assert titles(queries.search(alice, "lee"))["people"] == []
    touch = queries.search(alice, "kubernetes").touches.hits[0]
    services.delete_interaction(workspace=alice, interaction_id=touch.id, now=now)
    assert queries.search(alice, "kubernetes").touches.hits == []


def test_more_than_the_limit_says_there_are_more(alice: Workspace, make_person: Callable[..., Any]) -> None:
    for n in range(4):
        make_person(f"Sam Example {n}", emails=(f"sam{n}@x.test",))
    found = queries.search(alice, "example", limit=3)
    assert len(found.people.hits) == 3 and found.people.more


def test_postgresql_search_uses_the_trigram_index(alice: Workspace, search_world: Any) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    from topofmind.crm.queries.search import SEARCHED, _text

    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        for table in SEARCHED:
            cursor.execute(f"EXPLAIN SELECT id FROM {table} t WHERE {_text('t', table)} ILIKE %s", ["%kuber%"])
            plan = " ".join(r[0] for r in cursor.fetchall())
            assert f"{table}_search" in plan, plan
        cursor.execute("SET enable_seqscan = on")


def test_an_imported_file_and_a_restored_backup_are_found(alice: Workspace, now: datetime, search_world: Any) -> None:
    csv = "First Name,Last Name,Email Address,Company,Position\nMiko,Tanaka,miko@initech.test,Initech,Staff Designer\n"
    import_file(workspace=alice, kind="linkedin", stream=io.BytesIO(csv.encode()), now=now)
    assert titles(queries.search(alice, "tanaka"))["people"] == ["Miko Tanaka"]
    out = io.StringIO()
    write_backup(out, workspace=alice, now=now)
    result = restore_backup(io.StringIO(out.getvalue()), name="Alice, restored")
    copy = Workspace.objects.get(pk=result.workspace_id)
    found = queries.search(copy, "kubernetes")
    assert [h.title for h in found.touches.hits] == ["Phone call (we spoke) · Dana Lee"]
    assert titles(queries.search(copy, "tanaka"))["people"] == ["Miko Tanaka"]


def test_fewer_matches_than_the_probe_show_the_first_by_name(alice: Workspace, make_person: Callable[..., Any]) -> None:
    for name in ("Zed Example", "Amy Example", "Kim Example"):
        make_person(name, emails=(f"{name[:3].lower()}@x.test",))
    found = queries.search(alice, "example", limit=2)
    assert [h.title for h in found.people.hits] == ["Amy Example", "Kim Example"] and found.people.more


def test_a_word_in_very_many_rows_takes_the_first_added_and_the_newest_touches(
    alice: Workspace, now: datetime, make_person: Callable[..., Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    module = importlib.import_module("topofmind.crm.queries.search")
    monkeypatch.setitem(module.PROBES, "crm_person", 3)
    monkeypatch.setitem(module.PROBES, "crm_interaction", 3)
    monkeypatch.setattr(module, "SQLITE_PROBE", 3)
    people = [make_person(f"{first} Example", emails=(f"{first}@x.test",)) for first in ("Zed", "Amy", "Kim", "Bo")]
    for days, person in reversed(list(enumerate(people))):  # logged as they happened, oldest first
        services.log_interaction(
            workspace=alice, kind=Kind.CALL, person_ids=[person.pk], at=now - timedelta(days=days), now=now,
            notes=f"talked shop {days}",
        )  # fmt: skip
    found = queries.search(alice, "example", limit=2)
    assert [h.title for h in found.people.hits] == ["Amy Example", "Zed Example"] and found.people.more
    touches = queries.search(alice, "shop", limit=2).touches
    assert [h.detail for h in touches.hits] == ["talked shop 0", "talked shop 1"] and touches.more


def test_a_migration_that_rebuilds_a_table_does_not_leave_search_behind(
    alice: Workspace, now: datetime, search_world: Any
) -> None:
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's full-text index is kept by triggers")
    from topofmind.crm.search_index import restore_sqlite_triggers

    with connection.cursor() as cursor:  # what Django's table rebuild does to them
        cursor.execute("DROP TRIGGER crm_person_fts_au")
    services.edit_person(workspace=alice, person_id=search_world["dana"].pk, now=now, name="Dana Okafor")
    assert restore_sqlite_triggers(connection) == ["crm_person"]  # run after every migrate
    assert titles(queries.search(alice, "okafor"))["people"] == ["Dana Okafor"]
    assert titles(queries.search(alice, "lee"))["people"] == []
    assert restore_sqlite_triggers(connection) == []
