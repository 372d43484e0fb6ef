"""Material files in a backup: they ride in the JSON stream, after the tables, as ``"files"``.

Each file is a head row, then its bytes in base64 rows of at most CHUNK bytes each (so no one
JSON value grows with the file, and memory stays bounded both ways)::

    "files": [
      {"item": 12, "name": "3f…a1.pdf", "size": 48213, "sha256": "…"},
      {"item": 12, "data": "JVBERi0xLjQK…"},
      …
    ]

A restore writes each file into the restored workspace's materials folder while the tables'
transaction is still open, checks its size and digest against the head row and the item's
row, and refuses anything else naming the record and the field (``backup record valueitem
#12: file: …``); if the restore fails for any reason the files it wrote are removed again.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from topofmind.crm.errors import Invalid
from topofmind.crm.models import ValueItem, Workspace
from topofmind.crm.services.value import materials_folder
from topofmind.crm.validation import check_material_name
from topofmind.integrations.backup.jsonstream import JsonReader, dumps_row

CHUNK = 768 * 1024  # 1 MB of base64 a row


def write_files(out: TextIO, *, workspace: Workspace) -> int:
    """Write the ``"files"`` array's rows for every material whose file is there; the count."""
    count = 0
    first = True
    materials = ValueItem.objects.filter(workspace=workspace, kind=ValueItem.ValueKind.MATERIAL).exclude(file_name="")
    for item_id, name in materials.order_by("pk").values_list("pk", "file_name"):
        path = materials_folder(workspace.pk) / check_material_name(name, field="file_name")
        try:
            digest, size = _digest(path)
            handle = path.open("rb")
        except OSError:
            continue  # the file is gone from the data directory: the item is still backed up
        with handle:
            head = {"item": item_id, "name": name, "size": size, "sha256": digest}
            out.write(("" if first else ",") + "\n" + dumps_row(head))
            first = False
            while chunk := handle.read(CHUNK):
                out.write(",\n" + dumps_row({"item": item_id, "data": base64.b64encode(chunk).decode("ascii")}))
        count += 1
    return count


def _digest(path: Path) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


@dataclass
class FileRestore:
    """The files a restore wrote (removed again when the restore fails)."""

    written: list[Path] = field(default_factory=list)

    @contextmanager
    def removed_on_error(self) -> Iterator[None]:
        """Remove every file written if the block raises (the restore's rows are rolled back)."""
        try:
            yield
        except BaseException:
            for path in self.written:
                path.unlink(missing_ok=True)
            self.written.clear()
            raise


@dataclass
class _Open:
    item_id: int
    where: str
    path: Path
    size: int
    sha256: str
    handle: Any
    got: int = 0
    digest: Any = field(default_factory=hashlib.sha256)


def restore_files(
    reader: JsonReader, *, workspace_id: int, item_ids: dict[int, int], files: FileRestore, fail: type[Invalid]
) -> int:
    """Read the ``"files"`` array into the materials folder of ``workspace_id``; the count.

    ``item_ids`` maps the backup's item ids to the restored ones; ``fail(where, message)`` is
    the error to raise (the restore's BackupError)."""
    folder = materials_folder(workspace_id)
    current: _Open | None = None
    count = 0
    done: set[int] = set()

    def finish(open_file: _Open) -> None:
        open_file.handle.close()
        if open_file.got != open_file.size or open_file.digest.hexdigest() != open_file.sha256:
            raise fail(
                f"{open_file.where}: file", "its bytes do not match its size and digest: the file was changed or cut"
            )

    try:
        for index in reader.array_items():
            row = reader.value()
            if not isinstance(row, dict) or not isinstance(row.get("item"), int) or isinstance(row.get("item"), bool):
                raise fail(f"files[{index}]", "should be an object naming its item")
            old_id = row["item"]
            where = f"backup record valueitem #{old_id}"
            if "data" in row:
                if current is None or current.item_id != old_id:
                    raise fail(f"{where}: file", "its bytes come without a head row")
                try:
                    chunk = base64.b64decode(_text(row["data"]), validate=True)
                except (binascii.Error, ValueError):
                    raise fail(f"{where}: file", "its bytes are not base64") from None
                current.got += len(chunk)
                if current.got > current.size:
                    raise fail(f"{where}: file", f"has more bytes than its size ({current.size})")
                current.digest.update(chunk)
                current.handle.write(chunk)
                continue
            if current is not None:
                finish(current)
                current = None
            new_id = item_ids.get(old_id)
            if new_id is None:
                raise fail(f"{where}: file", "belongs to an item that is not in the backup")
            if old_id in done:
                raise fail(f"{where}: file", "appears twice")
            item = ValueItem.objects.filter(pk=new_id).values("kind", "file_name", "size").first()
            name, size, digest = row.get("name"), row.get("size"), row.get("sha256")
            if item is None or item["kind"] != ValueItem.ValueKind.MATERIAL:
                raise fail(f"{where}: file", "belongs to an item that is not a material")
            if name != item["file_name"] or not isinstance(name, str):
                raise fail(f"{where}: file_name", "does not match the file's name")
            if not isinstance(size, int) or isinstance(size, bool) or size != item["size"]:
                raise fail(f"{where}: size", "does not match the file's size")
            if not isinstance(digest, str) or len(digest) != 64:
                raise fail(f"{where}: file", "has no sha256 digest")
            try:
                check_material_name(name, field="file_name")
            except Invalid as exc:
                raise fail(where, exc.message) from None
            folder.mkdir(parents=True, exist_ok=True, mode=0o700)
            path = folder / name
            try:
                fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            except FileExistsError:
                raise fail(f"{where}: file", f"{path} is already there; restore into a fresh data directory") from None
            files.written.append(path)
            current = _Open(old_id, where, path, size, digest, os.fdopen(fd, "wb"))
            done.add(old_id)
            count += 1
        if current is not None:
            finish(current)
            current = None
    finally:
        if current is not None:
            current.handle.close()
    return count


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError("not text")
    return value
