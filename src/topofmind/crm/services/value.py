"""The value library (R10-R12): articles, achievements and materials a user adds, a person's
interests. Company news is written by ``feeds.py``; what was shared with whom by the follow-up
use-cases.

Materials are files: the upload is copied to ``<MATERIALS_DIR>/<workspace id>/<our own name>``
(the folder 0700, the file 0600), never under the name the user gave, so no name can reach
outside the folder. The row is written in the same transaction; if the transaction fails the
copy is removed again, and removing an item removes its file once the removal is committed.
"""

from __future__ import annotations

import contextlib
import mimetypes
import os
import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Protocol

from django.conf import settings
from django.db import transaction
from django.db.models import Q

from topofmind.crm.errors import Conflict, Invalid
from topofmind.crm.models import (
    OpportunityParticipant,
    Person,
    PersonRole,
    ValueItem,
    Workspace,
)
from topofmind.crm.planning import replan
from topofmind.crm.services._fields import get_row, no_nul, required, web_url
from topofmind.crm.services.people import edit_person
from topofmind.crm.services.transactions import atomic_with_retry
from topofmind.crm.validation import check_day, check_material_name, join_tags
from topofmind.engine.types import OPEN_STAGES, Role
from topofmind.integrations.fetch.limits import describe_size
from topofmind.integrations.pages import PageError, fetch_page

Kind = ValueItem.ValueKind
TITLE_LIMIT = 300
SUMMARY_LIMIT = 2000
_COPY_CHUNK = 1024 * 1024


class Readable(Protocol):
    """An open file, an upload: anything read in chunks."""

    def read(self, size: int, /) -> bytes: ...


@dataclass(frozen=True)
class AddedArticle:
    """The article stored, and why the page was not read when it was not (a sentence, or "")."""

    item: ValueItem
    fetch_note: str


def materials_folder(workspace_id: int) -> Path:
    """Where a workspace's material files live (not created here)."""
    return Path(settings.MATERIALS_DIR) / str(int(workspace_id))


def material_path(item: ValueItem) -> Path:
    """The file of a material item (it may be missing if someone deleted it by hand)."""
    return materials_folder(item.workspace_id) / check_material_name(item.file_name, field="file_name")


def _title(value: str) -> str:
    title = required(value, field="title")
    if len(title) > TITLE_LIMIT:
        raise Invalid("title", f"is {len(title)} characters long; at most {TITLE_LIMIT} fit")
    return title


def _summary(value: str) -> str:
    text = no_nul(" ".join(value.split()), field="summary")
    if len(text) > SUMMARY_LIMIT:
        raise Invalid("summary", f"is {len(text)} characters long; at most {SUMMARY_LIMIT} fit")
    return text


def add_article(
    *,
    workspace: Workspace,
    url: str,
    now: datetime,
    title: str = "",
    summary: str = "",
    tags: str | list[str] = "",
) -> AddedArticle:
    """An article by its address; its page is read for a title and a summary unless both are typed.

    The page is fetched before the transaction opens (a slow site never holds a lock). When it
    cannot be read, a typed title still adds the article; without one it is an error naming why.
    """
    address = web_url(url, field="url")
    if not address:
        raise Invalid("url", "must not be empty", "give the article's address, e.g. https://example.com/post")
    known = ValueItem.objects.filter(workspace=workspace, kind=Kind.ARTICLE, url=address).first()
    if known is not None:
        raise Conflict(f"that article is already in the library as #{known.pk} “{known.title}”", "retag it instead")
    typed_title = " ".join(title.split())
    typed_summary = _summary(summary)
    note = ""
    if not (typed_title and typed_summary):
        try:
            page = fetch_page(address, allow_private_addresses=bool(settings.FETCH_PRIVATE_ADDRESSES))
        except PageError as error:
            if not typed_title:
                raise Invalid("url", str(error), "type a title with --title to add it anyway") from None
            note = str(error)
        else:
            typed_title = typed_title or page.title
            typed_summary = typed_summary or page.summary
    return AddedArticle(
        _store_article(workspace=workspace, url=address, title=typed_title, summary=typed_summary, tags=tags, now=now),
        note,
    )


@atomic_with_retry("article")
def _store_article(
    *, workspace: Workspace, url: str, title: str, summary: str, tags: str | list[str], now: datetime
) -> ValueItem:
    return ValueItem.objects.create(
        workspace=workspace,
        kind=Kind.ARTICLE,
        title=_title(title),
        url=url,
        summary=_summary(summary),
        tags=join_tags(tags),
        created_at=now,
    )


@atomic_with_retry("achievement")
def add_achievement(
    *,
    workspace: Workspace,
    title: str,
    now: datetime,
    happened_on: date | None = None,
    summary: str = "",
    url: str = "",
    tags: str | list[str] = "",
) -> ValueItem:
    """An achievement (a certification, a course, a milestone); its day defaults to today.

    Then the hiring managers and recruiters of open openings are re-planned, so R12 can offer
    them the news as an update.
    """
    item = ValueItem.objects.create(
        workspace=workspace,
        kind=Kind.ACHIEVEMENT,
        title=_title(title),
        summary=_summary(summary),
        url=web_url(url, field="url"),
        tags=join_tags(tags),
        happened_on=check_day(happened_on or now.date(), field="date"),
        created_at=now,
    )
    people = people_to_update(workspace)
    if people:
        replan(workspace=workspace, now=now, person_ids=people)
    return item


def people_to_update(workspace: Workspace) -> list[int]:
    """Hiring managers and recruiters of open openings (by their part, or by their role), by id."""
    wanted = [Role.HIRING_MANAGER.value, Role.RECRUITER.value]
    open_parts = OpportunityParticipant.objects.filter(
        opportunity__workspace=workspace, opportunity__stage__in=[s.value for s in OPEN_STAGES]
    )
    by_role = PersonRole.objects.filter(person__workspace=workspace, role__in=wanted).values("person_id")
    ids = open_parts.filter(Q(role__in=wanted) | Q(person_id__in=by_role)).values_list("person_id", flat=True)
    return sorted(set(ids))


def add_material(
    *,
    workspace: Workspace,
    upload: Readable,
    original_name: str,
    title: str,
    now: datetime,
    content_type: str = "",
    tags: str | list[str] = "",
) -> ValueItem:
    """A file to share once a person gave permission (R11): copied into the data directory.

    Refused past MATERIAL_MAX_BYTES (nothing kept) and when empty.
    """
    title = _title(title)
    shown = Path(original_name.replace("\\", "/")).name.strip() or "file"
    limit = int(settings.MATERIAL_MAX_BYTES)
    extension = Path(shown).suffix.lower()
    if not (extension[1:].isalnum() and extension.isascii() and len(extension) <= 11):
        extension = ""
    name = secrets.token_hex(16) + extension
    folder = materials_folder(workspace.pk)
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    with contextlib.suppress(OSError):
        folder.chmod(0o700)
        folder.parent.chmod(0o700)
    target = folder / name
    size = _copy_limited(upload, target, limit=limit, shown=shown)
    if size == 0:
        target.unlink(missing_ok=True)
        raise Invalid("file", f"{shown} is empty", "pick the file again")
    guessed = content_type.split(";")[0].strip().lower() or mimetypes.guess_type(shown)[0] or ""
    try:
        return _store_material(
            workspace=workspace,
            title=title,
            file_name=name,
            original_name=shown[:255],
            content_type=(guessed or "application/octet-stream")[:100],
            size=size,
            tags=tags,
            now=now,
        )
    except BaseException:
        target.unlink(missing_ok=True)
        raise


def _copy_limited(upload: Readable, target: Path, *, limit: int, shown: str) -> int:
    size = 0
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as out:
            while chunk := upload.read(_COPY_CHUNK):
                size += len(chunk)
                if size > limit:
                    raise Invalid("file", f"{shown} is larger than {describe_size(limit)}", "share a smaller file")
                out.write(chunk)
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    return size


@atomic_with_retry("material")
def _store_material(
    *,
    workspace: Workspace,
    title: str,
    file_name: str,
    original_name: str,
    content_type: str,
    size: int,
    tags: str | list[str],
    now: datetime,
) -> ValueItem:
    item = ValueItem.objects.create(
        workspace=workspace,
        kind=Kind.MATERIAL,
        title=title,
        file_name=file_name,
        original_name=original_name,
        content_type=content_type,
        size=size,
        tags=join_tags(tags),
        created_at=now,
    )
    # (Inside an outer transaction that later rolls back, the copy stays behind without a row:
    # material_orphans() finds such files.)
    return item


@atomic_with_retry("library item")
def remove_item(*, workspace: Workspace, item_id: int) -> ValueItem:
    """Remove an item of the library (and a material's file, once the removal is committed).

    What was shared stays true for the people who got it: their shares go with the item, and
    follow-ups that had chosen it fall back to the engine's pick.
    """
    item = get_row(ValueItem.objects.select_for_update(), workspace, item_id, "library item")
    path = material_path(item) if item.kind == Kind.MATERIAL and item.file_name else None
    item.delete()
    if path is not None:
        transaction.on_commit(lambda: path.unlink(missing_ok=True))
    return item


@atomic_with_retry("library item")
def edit_tags(*, workspace: Workspace, item_id: int, tags: str | list[str]) -> ValueItem:
    """Replace an item's tags (normalised: lower-case, trimmed, each once)."""
    item = get_row(ValueItem.objects.select_for_update(), workspace, item_id, "library item")
    item.tags = join_tags(tags)
    item.save(update_fields=["tags"])
    return item


def set_interests(*, workspace: Workspace, person_id: int, tags: str | list[str], now: datetime) -> Person:
    """Replace a person's interests (tags the engine matches articles against)."""
    return edit_person(workspace=workspace, person_id=person_id, now=now, interests=join_tags(tags))


def material_orphans(workspace_id: int) -> list[Path]:
    """Files in a workspace's materials folder that no item names (left by a crash mid-upload)."""
    folder = materials_folder(workspace_id)
    if not folder.is_dir():
        return []
    known = set(
        ValueItem.objects.filter(workspace_id=workspace_id, kind=Kind.MATERIAL).values_list("file_name", flat=True)
    )
    return sorted(path for path in folder.iterdir() if path.is_file() and path.name not in known)


# An upload's file is written before its row commits; a file this old with no row is a leftover.
ORPHAN_GRACE = timedelta(days=1)


def sweep_material_orphans(*, now: datetime) -> list[Path]:
    """Delete the material files no item names, in every workspace, once a day old (removed paths).

    Such a file is what a crash between copying an upload and committing its row leaves behind;
    it is never in a backup and would only take space. Files newer than ``ORPHAN_GRACE`` are left
    alone: they may belong to an upload whose transaction is still open.
    """
    root = Path(settings.MATERIALS_DIR)
    if not root.is_dir():
        return []
    cutoff = (now - ORPHAN_GRACE).timestamp()
    removed: list[Path] = []
    for folder in sorted(root.iterdir()):
        if not folder.is_dir() or not folder.name.isdigit():
            continue
        for path in material_orphans(int(folder.name)):
            with contextlib.suppress(FileNotFoundError):
                if path.stat().st_mtime < cutoff:
                    path.unlink()
                    removed.append(path)
    return removed
