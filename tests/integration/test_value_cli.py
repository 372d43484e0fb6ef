"""``topofmind value ...``, ``feed add``, ``feeds fetch`` and the library in a backup, as a user runs them."""

from __future__ import annotations

import io
import json
from datetime import datetime
from pathlib import Path

import pytest
from cli_helpers import cli, ok
from pytest_django.fixtures import Settings
from tests.feeds.feedsite import Site

from topofmind.crm import services
from topofmind.crm.models import Feed, Person, ValueItem, ValueShare, Workspace
from topofmind.crm.services.backup import BackupError, restore_backup, write_backup

pytestmark = pytest.mark.django_db
pytest_plugins = ["library_fixtures"]


@pytest.fixture(autouse=True)
def data_dir(library_dirs: Path) -> Path:
    return library_dirs.parent


def test_add_list_and_remove_library_items(site: Site, tmp_path: Path) -> None:
    page = site.serves_fixture("/post", "article-og.html", content_type="text/html; charset=utf-8")
    sample = tmp_path / "Work sample.pdf"
    sample.write_bytes(b"%PDF-1.4 sample")

    article = ok("value", "add", "article", "--url", page, "--tags", "Data, Platforms")
    achievement = ok(
        "value", "add", "achievement", "--title", "AWS certified", "--date", "2030-02-20", "--tags", "cloud"
    )
    material = ok("value", "add", "material", str(sample), "--title", "Work sample")

    assert article.startswith("Added article #")
    assert achievement.startswith("Added achievement #") and "(2030-02-20)" in achievement
    assert "Work sample.pdf, 15 bytes" in material
    listed = json.loads(ok("value", "list", "--json"))
    assert [i["kind"] for i in listed] == ["material", "achievement", "article"]
    assert listed[2]["tags"] == ["data", "platforms"] and listed[2]["url"] == page
    assert listed[0]["file"] == {"name": "Work sample.pdf", "content_type": "application/pdf", "size": 15}
    assert [i["title"] for i in json.loads(ok("value", "list", "--tag", "cloud", "--json"))] == ["AWS certified"]

    removed = ok("value", "remove", str(listed[0]["id"]))

    assert removed.startswith("Removed material #")
    assert ValueItem.objects.count() == 2


def test_bad_input_is_one_line_and_changes_nothing(tmp_path: Path, site: Site) -> None:
    cases = [
        (("value", "add", "article", "--url", site.url("/missing")), "error: url: The page at"),
        (("value", "add", "achievement", "--title", "X", "--date", "2030-02-31"), "error: --date:"),
        (("value", "add", "material", str(tmp_path / "nope.pdf"), "--title", "X"), "error: FILE:"),
        (("value", "remove", "999"), "error: no library item with id 999"),
        (("value", "list", "--kind", "gossip"), "error: kind:"),
        (("feed", "add", "Nowhere Inc", "https://x.example/feed"), "error: no organization"),
    ]
    for args, start in cases:
        result = cli(*args)
        assert result.exit_code == 2, args
        assert result.stderr.startswith(start), (args, result.stderr)
        assert "Traceback" not in result.stderr and result.stderr.count("\n") == 1
    assert not ValueItem.objects.exists()


def test_person_edit_sets_interests() -> None:
    ok("person", "add", "Priya Shah")

    ok("person", "edit", "Priya Shah", "--interests", "Rust, Data Platforms, rust")

    assert Person.objects.get().interests == "rust, data platforms"
    shown = json.loads(ok("person", "show", "Priya Shah", "--json"))
    assert shown["interests"] == ["rust", "data platforms"] and shown["shared"] == []


def test_feed_add_then_fetch_prints_each_feeds_status(site: Site) -> None:
    good = site.serves_fixture("/news.xml", "rss20.xml")
    bad = site.serves_fixture("/broken.xml", "malformed.xml")
    ok("org", "add", "Northwind")

    added = ok("feed", "add", "Northwind", good)
    ok("feed", "add", "Northwind", bad)
    fetched = json.loads(ok("feeds", "fetch", "--json"))
    again = ok("feeds", "fetch")

    assert added.startswith("Added feed #")
    by_url = {o["url"]: o for o in fetched}
    assert by_url[good]["ok"] and by_url[good]["new"] == 4 and by_url[good]["status"].startswith("4 entries, 4 new at ")
    assert not by_url[bad]["ok"] and by_url[bad]["status"].startswith("not a feed: malformed XML at line")
    assert "4 entries, 0 new at" in again
    assert ValueItem.objects.filter(kind="news").count() == 4
    listed = json.loads(ok("feeds", "list", "--json"))
    assert {f["url"] for f in listed} == {good, bad}
    org = json.loads(ok("org", "show", "Northwind", "--json"))
    assert sorted(org["feeds"]) == sorted([good, bad])


# --- backup and restore carry the library -------------------------------------------------


def _library(workspace: Workspace, now: datetime) -> tuple[bytes, ValueItem]:
    data = bytes(range(256)) * 5000  # every byte value, 1.2 MB: more than one chunk
    material = services.add_material(
        workspace=workspace, upload=io.BytesIO(data), original_name="portfolio.zip", title="Portfolio", now=now
    )
    org = services.add_organization(workspace=workspace, name="Northwind", now=now)
    feed = services.add_feed(
        workspace=workspace, organization_id=org.pk, url="https://northwind.example/f.xml", now=now
    )
    ValueItem.objects.create(
        workspace=workspace, kind="news", title="Lisbon office", feed=feed, guid="n1", organization=org
    )
    person = services.add_person(workspace=workspace, name="Priya Shah", interests="rust, data", now=now)
    ValueShare.objects.create(workspace=workspace, value_item=material, person=person, shared_at=now)
    return data, material


def test_backup_then_restore_into_a_fresh_data_directory_gives_back_every_file(
    alice: Workspace, now: datetime, settings: Settings, tmp_path: Path
) -> None:
    data, material = _library(alice, now)
    out = io.StringIO()
    write_backup(out, workspace=alice, now=now)
    settings.MATERIALS_DIR = tmp_path / "fresh" / "materials"

    restored = restore_backup(io.StringIO(out.getvalue()), name="Restored")

    item = ValueItem.objects.get(workspace_id=restored.workspace_id, kind="material")
    path = services.material_path(item)
    assert path.is_relative_to(tmp_path / "fresh") and path.read_bytes() == data
    assert path.stat().st_mode & 0o777 == 0o600
    assert item.original_name == material.original_name and item.size == len(data)
    assert Feed.objects.filter(workspace_id=restored.workspace_id).count() == 1
    assert ValueItem.objects.filter(workspace_id=restored.workspace_id, kind="news", guid="n1").exists()
    assert ValueShare.objects.filter(workspace_id=restored.workspace_id).count() == 1
    assert Person.objects.get(workspace_id=restored.workspace_id).interests == "rust, data"


@pytest.mark.parametrize(
    ("tamper", "message"),
    [
        (lambda doc: doc["files"][1].update(data="AAAA"), "file: its bytes do not match its size and digest"),
        (lambda doc: doc["files"][0].update(size=3), "size: does not match the file's size"),
        (lambda doc: doc["files"][0].update(item=999), "file: belongs to an item that is not in the backup"),
        (lambda doc: doc["files"][1].update(data="%%%"), "file: its bytes are not base64"),
        (lambda doc: doc.update(file_count=2), "files: has 1 material files but the backup says 2"),
        (
            lambda doc: [
                r.update(file_name="../../etc/passwd")
                for r in doc["tables"]["crm.valueitem"]
                if r["kind"] == "material"
            ],
            "is not a material file name topofmind made",
        ),
    ],
)
def test_a_restore_refuses_a_bad_file_record_naming_it_and_leaves_nothing(
    alice: Workspace, now: datetime, settings: Settings, tmp_path: Path, tamper: object, message: str
) -> None:
    _library(alice, now)
    out = io.StringIO()
    write_backup(out, workspace=alice, now=now)
    doc = json.loads(out.getvalue())
    tamper(doc)  # type: ignore[operator]
    fresh = tmp_path / "fresh" / "materials"
    settings.MATERIALS_DIR = fresh
    before = ValueItem.objects.count()

    with pytest.raises(BackupError) as raised:
        restore_backup(io.StringIO(json.dumps(doc)), name="Restored")

    assert message in raised.value.message
    assert "valueitem" in raised.value.message or raised.value.field == "files"
    assert ValueItem.objects.count() == before
    assert not fresh.exists() or not any(p.is_file() for p in fresh.rglob("*"))


def test_a_backup_from_before_feed_rows_gets_its_feed_lines_as_feeds(alice: Workspace, now: datetime) -> None:
    services.add_organization(workspace=alice, name="Northwind", now=now)
    out = io.StringIO()
    write_backup(out, workspace=alice, now=now)
    doc = json.loads(out.getvalue())
    [org] = doc["tables"]["crm.organization"]
    org["feeds"] = "https://northwind.example/a.xml\n\nhttps://northwind.example/b.xml"
    doc["tables"]["crm.feed"] = []
    doc["counts"]["crm.feed"] = 0

    restored = restore_backup(io.StringIO(json.dumps(doc)), name="Old backup")

    urls = Feed.objects.filter(workspace_id=restored.workspace_id).values_list("url", flat=True)
    assert sorted(urls) == ["https://northwind.example/a.xml", "https://northwind.example/b.xml"]
    org["feeds"] = "javascript:alert(1)"
    with pytest.raises(BackupError, match=r"backup record organization #\d+: feeds: only http and https links"):
        restore_backup(io.StringIO(json.dumps(doc)), name="Bad old backup")


@pytest.mark.django_db(transaction=True)
def test_removing_a_workspace_removes_its_material_files(now: datetime) -> None:
    workspace = services.create_workspace(name="Short-lived", now=now)
    item = services.add_material(
        workspace=workspace, upload=io.BytesIO(b"cv"), original_name="cv.txt", title="CV", now=now
    )
    folder = services.material_path(item).parent
    assert folder.is_dir()

    services.remove_workspace(workspace_id=workspace.pk)

    assert not folder.exists()
