"""The Import page (issue 11, point 7): choose the kind, upload, see the preview, confirm; an
upload is size-limited and never written half-way. The Export page has the backup download."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from test_web_fixtures import Search, text_of

from topofmind.crm.models import Person
from topofmind.web import uploads
from topofmind.web.views import imports

pytest_plugins = ["test_web_fixtures"]

FIXTURES = Path(__file__).parents[1] / "fixtures" / "imports"


@pytest.fixture(autouse=True)
def upload_dir(settings: object, tmp_path: Path) -> Path:
    settings.TOPOFMIND_UPLOADS_DIR = tmp_path / "uploads"  # type: ignore[attr-defined]
    return tmp_path / "uploads"


def upload(name: str, data: bytes | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name.split("/")[-1], data if data is not None else (FIXTURES / name).read_bytes())


def preview(client: Client, kind: str, file: SimpleUploadedFile) -> object:
    return client.post("/import/", {"step": "preview", "kind": kind, "file": file})


def token_of(response: object) -> str:
    html = response.content.decode()  # type: ignore[attr-defined]
    return html.split('name="token" value="')[1].split('"')[0]


def test_preview_writes_nothing_and_confirm_imports_that_file(
    as_alice: Client, search: Search, upload_dir: Path
) -> None:
    before = Person.objects.filter(workspace=search.workspace).count()
    response = preview(as_alice, "google", upload("google/google_new.csv"))
    assert response.status_code == 200
    page = text_of(response)
    assert "What the import would do" in page
    assert "<dt>New</dt><dd>2 people</dd>" in page
    assert "<strong>Line 4</strong> (invalid): E-mail 2 - Value: &#x27;not-an-address&#x27; is not an e-mail" in page
    assert "<strong>Line 5</strong> (skipped): no name and no e-mail address" in page
    assert Person.objects.filter(workspace=search.workspace).count() == before
    assert len(list(upload_dir.glob("*.upload"))) == 1
    response = as_alice.post("/import/", {"step": "confirm", "token": token_of(response)})
    assert response.status_code == 302, text_of(response)[-1500:]
    assert Person.objects.filter(workspace=search.workspace).count() == before + 2
    assert "Imported google_new.csv: 2 new, 0 merged, 0 unchanged, 1 invalid, 1 skipped" in text_of(
        as_alice.get("/import/")
    )
    assert list(upload_dir.glob("*.upload")) == []  # the kept file is gone


def test_a_second_confirm_or_another_users_token_imports_nothing(
    as_alice: Client, as_bob: Client, search: Search
) -> None:
    response = preview(as_alice, "vcard", upload("vcard/contacts_v4.vcf"))
    token = token_of(response)
    refused = as_bob.post("/import/", {"step": "confirm", "token": token})
    assert refused.status_code == 400
    assert "That preview has expired or was already imported" in text_of(refused)
    assert as_alice.post("/import/", {"step": "confirm", "token": token}).status_code == 302
    count = Person.objects.filter(workspace=search.workspace).count()
    assert as_alice.post("/import/", {"step": "confirm", "token": token}).status_code == 400
    assert Person.objects.filter(workspace=search.workspace).count() == count


def test_cancel_forgets_the_file(as_alice: Client, search: Search, upload_dir: Path) -> None:
    token = token_of(preview(as_alice, "vcard", upload("vcard/contacts_v4.vcf")))
    as_alice.post("/import/", {"step": "cancel", "token": token})
    assert list(upload_dir.glob("*.upload")) == []
    assert uploads.read(token) is None


def test_a_file_over_the_limit_or_of_the_wrong_kind_is_one_clear_line(
    as_alice: Client, search: Search, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(imports, "MAX_UPLOAD_BYTES", 1024 * 1024)
    response = preview(as_alice, "google", upload("big.csv", b"Name\n" + b"x" * (1024 * 1024)))
    assert response.status_code == 400
    assert "File: big.csv is larger than 1 MB." in text_of(response)
    response = preview(as_alice, "linkedin", upload("vcard/contacts_v4.vcf"))
    assert response.status_code == 400
    assert "File: " in text_of(response) and "Nothing was saved." in text_of(response)
    response = as_alice.post("/import/", {"step": "preview", "kind": "spreadsheet"})
    assert "Kind of file: choose one from the list." in text_of(response)


def test_the_export_page_has_the_backup_download(as_alice: Client, search: Search) -> None:
    assert "Download a backup (JSON)" in text_of(as_alice.get("/export/"))
    response = as_alice.get("/export/backup/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="topofmind-backup-')
    document = json.loads(response.content)
    assert "Dana Lee" in response.content.decode()
    assert document
