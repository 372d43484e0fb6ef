"""Backup and restore of one workspace as one versioned JSON document.

The format is described for people in docs/backup-format.md. In short::

    {"format": "topofmind-backup", "version": 1, "created_at": "...", "generator": "...",
     "workspace": {"id": 1, "name": "...", "created_at": "...", "owner": "alice"},
     "tables": {"crm.organization": [{"id": 1, "name": "Acme", ...}, ...], ...},
     "counts": {"crm.organization": 12, ...}}

Every table of the ``crm`` app that belongs to a workspace is in it, found by looking at
the models (a table the core adds later is backed up without a change here), parents before
children, rows by id, every column by its attribute name (``organization_id``). Writing
streams row by row; reading streams too (``JsonReader``), so memory stays bounded both ways.

A restore runs in one transaction: it checks every value against its column as it goes, and
against the rules the forms and the CLI apply (crm/validation.py through backup_checks.py: http
and https links only, known time zones, enums, numbers and dates in range, playbook overrides),
and any problem (a cut-short file, a row pointing at a row that is not there, a value too long,
a ``javascript:`` link) rolls everything back, with a message naming the record and the column,
e.g. ``backup record organization #12: website: only http and https links``.
"""

from __future__ import annotations

import base64
import functools
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from decimal import Decimal
from typing import Any, TextIO

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.color import no_style
from django.db import DatabaseError, IntegrityError, connection, models, transaction

import topofmind
from topofmind.crm.errors import Conflict, Invalid
from topofmind.crm.models import (
    AccessToken,
    Feed,
    Invitation,
    MailAccount,
    MailFolderState,
    MailSkipped,
    Membership,
    Organization,
    OutboxMessage,
    StrangerMail,
    UndoEntry,
    UserSettings,
    ValueItem,
    Workspace,
    WorkspaceSettings,
)
from topofmind.crm.services.backup_checks import column_check, row_check
from topofmind.crm.services.backup_files import FileRestore, restore_files, write_files
from topofmind.crm.validation import MAX_ID, check_moment, check_url
from topofmind.integrations.backup.jsonstream import JsonReader, JsonStreamError, dumps_row

FORMAT = "topofmind-backup"
VERSION = 1
BATCH = 1000
FILE_COUNT = "file_count"  # how many material files the "files" array holds
ANALYZE_FROM = 1000  # rows restored from which the tables' statistics are refreshed
# Rows of these tables are not workspace data: memberships, invitations and a user's own
# settings belong to server accounts (API tokens and calendar feeds are an account's secrets, made
# again after a restore), which a backup does not carry (the person restoring
# becomes the owner; see docs/backup-format.md). For the same reason a column naming an
# account (who logged a touch) is written empty.
EXCLUDED: tuple[type[models.Model], ...] = (
    Membership,
    Invitation,
    UserSettings,
    AccessToken,
    MailAccount,
    OutboxMessage,
    # how far the mailbox sync has read the account's folders: after a restore the next sync
    # reads the window again, and the Message-IDs keep anything from being logged twice
    MailFolderState,
    MailSkipped,
    StrangerMail,  # rebuilt the same way: the Sent folder is read again
    # the undo log lives ten minutes and names accounts: not workspace data either
    UndoEntry,
)
# The mail account's password never goes into a backup: the head says the account exists
# (servers, login, addresses) and a restore asks for the password again.
MAIL_FIELDS = (
    "imap_host", "imap_port", "imap_security", "smtp_host", "smtp_port", "smtp_security",
    "username", "addresses", "from_name", "digest_hour",
)  # fmt: skip

Progress = Callable[[str, int], None]  # (table label, rows done so far in it)


class BackupError(Invalid):
    """A backup file that cannot be restored; ``field`` names where (table, row, column)."""

    def __init__(self, where: str, message: str, hint: str = "") -> None:
        done = "nothing was restored; the database is as it was"
        super().__init__(where, message, f"{hint}; {done}" if hint else done)


@dataclass(frozen=True)
class BackupResult:
    workspace_id: int
    counts: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class RestoreResult:
    workspace_id: int
    counts: dict[str, int] = field(default_factory=dict)
    kept_ids: bool = False  # ids are the backup's own (restored into an empty database)
    mail_account: str | None = None  # the backed-up mail account's login: its password must be set again


# -- which tables, in which order --------------------------------------------------------


@functools.cache
def backup_models() -> list[type[models.Model]]:
    """The workspace's tables, parents before children (declaration order breaks ties)."""
    candidates = [m for m in apps.get_app_config("crm").get_models() if m is not Workspace and m not in EXCLUDED]
    ordered: list[type[models.Model]] = []
    placed: set[type[models.Model]] = {Workspace}
    pending = list(candidates)
    while pending:
        progressed = False
        for model in list(pending):
            parents = {f.related_model for f in _foreign_keys(model) if f.related_model in candidates}
            if parents <= placed | {model}:
                ordered.append(model)
                placed.add(model)
                pending.remove(model)
                progressed = True
        if not progressed:  # a cycle: never in our schema; fail loudly rather than guess
            raise RuntimeError(f"backup: cannot order tables {[m._meta.label for m in pending]}")
    for model in ordered:
        _scope(model)  # every table must reach a workspace
    return ordered


def _names_an_account(field: models.Field[Any, Any]) -> bool:
    return isinstance(field, models.ForeignKey) and field.related_model is get_user_model()


def _no_account(value: Any) -> None:
    return None


def _foreign_keys(model: type[models.Model]) -> list[models.ForeignKey[Any, Any]]:
    return [f for f in model._meta.concrete_fields if isinstance(f, models.ForeignKey)]


def _scope(model: type[models.Model]) -> str:
    """The lookup from a row of ``model`` to its workspace: ``workspace`` or ``person__workspace``."""
    for fk in _foreign_keys(model):
        if fk.related_model is Workspace:
            return fk.name
    for fk in _foreign_keys(model):
        parent = fk.related_model
        if not fk.null and isinstance(parent, type) and parent._meta.app_label == "crm" and parent is not model:
            return f"{fk.name}__{_scope(parent)}"
    raise RuntimeError(f"backup: {model._meta.label} does not belong to a workspace")


def rows_of(model: type[models.Model], workspace: Workspace) -> models.QuerySet[Any]:
    return model._default_manager.filter(**{_scope(model): workspace}).order_by("pk")


def _label(model: type[models.Model]) -> str:
    return model._meta.label_lower


# -- values to JSON and back -------------------------------------------------------------


def _to_json(field: models.Field[Any, Any]) -> Callable[[Any], Any]:
    kind = field.get_internal_type()
    if kind == "DateTimeField":
        return lambda v: None if v is None else v.astimezone(UTC).isoformat()
    if kind in ("DateField", "TimeField"):
        return lambda v: None if v is None else v.isoformat()
    if kind == "DecimalField":
        return lambda v: None if v is None else str(v)
    if kind == "UUIDField":
        return lambda v: None if v is None else str(v)
    if kind == "BinaryField":
        return lambda v: None if v is None else base64.b64encode(bytes(v)).decode("ascii")
    if kind == "DurationField":
        return lambda v: None if v is None else v.total_seconds()
    return lambda v: v


def _from_json(field: models.Field[Any, Any]) -> Callable[[Any], Any]:
    """A checker-converter for one column: JSON value in, Python value out, or ValueError."""
    kind = field.get_internal_type()
    if kind == "DateTimeField":

        def to_datetime(v: Any) -> datetime:
            value = datetime.fromisoformat(_str(v))
            if value.tzinfo is None:
                raise ValueError(f"'{v}' has no UTC offset")
            return value.astimezone(UTC)

        return to_datetime
    if kind == "DateField":
        return lambda v: date.fromisoformat(_str(v))
    if kind == "TimeField":
        return lambda v: time.fromisoformat(_str(v))
    if kind == "DecimalField":
        return lambda v: Decimal(_str(v))
    if kind == "UUIDField":
        return lambda v: uuid.UUID(_str(v))
    if kind == "BinaryField":
        return lambda v: base64.b64decode(_str(v))
    if kind == "JSONField":
        return lambda v: v
    if kind == "BooleanField":
        return _bool
    if "IntegerField" in kind or kind == "AutoField" or kind == "BigAutoField":
        return _int
    if kind in ("CharField", "TextField", "URLField", "EmailField", "SlugField", "GenericIPAddressField"):
        limit = getattr(field, "max_length", None)

        def to_text(v: Any) -> str:
            text = _str(v)
            if "\x00" in text:
                raise ValueError("contains a zero byte")
            if limit is not None and len(text) > limit:
                raise ValueError(f"is {len(text)} characters long; at most {limit} fit")
            return text

        return to_text
    return lambda v: field.to_python(v)


def _str(v: Any) -> str:
    if not isinstance(v, str):
        raise ValueError(f"{v!r} should be text")
    return v


def _int(v: Any) -> int:
    if isinstance(v, bool) or not isinstance(v, int):
        raise ValueError(f"{v!r} should be a whole number")
    return v


def _bool(v: Any) -> bool:
    if not isinstance(v, bool):
        raise ValueError(f"{v!r} should be true or false")
    return v


# -- writing -------------------------------------------------------------------------------


def write_backup(out: TextIO, *, workspace: Workspace, now: datetime, progress: Progress | None = None) -> BackupResult:
    """Write everything of ``workspace`` to ``out`` (a text stream, UTF-8) as one document.

    Reads in one transaction (REPEATABLE READ on PostgreSQL), so the document is one
    consistent moment even while other processes write.
    """
    counts: dict[str, int] = {}
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if connection.vendor == "postgresql" and outermost:  # (it must be a transaction's first word)
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        workspace = Workspace.objects.select_related("owner").get(pk=workspace.pk)
        head = {
            "format": FORMAT,
            "version": VERSION,
            "created_at": now.astimezone(UTC).isoformat(),
            "generator": f"topofmind {topofmind.__version__}",
            "workspace": {
                "id": workspace.pk,
                "name": workspace.name,
                "created_at": workspace.created_at.astimezone(UTC).isoformat(),
                "owner": workspace.owner.get_username() if workspace.owner else None,
            },
        }
        mail = MailAccount.objects.filter(user_id=workspace.owner_id).first() if workspace.owner_id else None
        if mail is not None:
            head["mail_account"] = {name: getattr(mail, name) for name in MAIL_FIELDS}  # never the password
        out.write("{\n")
        for key, value in head.items():
            out.write(f'"{key}": {dumps_row(value)},\n')
        out.write('"tables": {')
        for index, model in enumerate(backup_models()):
            label = _label(model)
            fields = list(model._meta.concrete_fields)
            names = [f.attname for f in fields]
            converters = [_no_account if _names_an_account(f) else _to_json(f) for f in fields]
            out.write(f'{"," if index else ""}\n"{label}": [')
            count = 0
            for values in rows_of(model, workspace).values_list(*names).iterator(chunk_size=2000):
                row = {n: c(v) for n, c, v in zip(names, converters, values, strict=True)}
                out.write(("," if count else "") + "\n" + dumps_row(row))
                count += 1
                if progress and count % BATCH == 0:
                    progress(label, count)
            out.write("\n]")
            counts[label] = count
            if progress:
                progress(label, count)
        out.write("\n},\n")
        # Material files after the tables (their rows name the items): backup_files.py.
        out.write('"files": [')
        files = write_files(out, workspace=workspace)
        out.write("\n],\n")
        out.write(f'"{FILE_COUNT}": {files},\n')
        out.write(f'"counts": {dumps_row(counts)}\n}}\n')
    return BackupResult(workspace.pk, counts)


# -- reading -------------------------------------------------------------------------------


@dataclass
class _Table:
    model: type[models.Model]
    fields: dict[str, models.Field[Any, Any]]
    converters: dict[str, Callable[[Any], Any]]
    fks: dict[str, type[models.Model] | None]  # attname -> the table it points to (None: outside)


def restore_backup(
    stream: TextIO,
    *,
    workspace: Workspace | None = None,
    name: str | None = None,
    progress: Progress | None = None,
) -> RestoreResult:
    """Restore a backup into ``workspace`` (which must hold no data yet) or a new workspace.

    All in one transaction: on any error nothing is changed and ``BackupError`` (or
    ``Conflict`` for a workspace that is not empty) says what and where. Ids are kept when the
    database holds no rows in any of the tables (a restore into a new installation), so the
    restored workspace is the backed-up one exactly; otherwise rows get new ids and every
    reference follows them.
    """
    reader = JsonReader(stream)
    files = FileRestore()
    with files.removed_on_error():  # the rows are rolled back: the material files written go too
        try:
            with transaction.atomic():
                return _restore(reader, workspace=workspace, name=name, progress=progress, files=files)
        except JsonStreamError as exc:
            raise BackupError("backup file", str(exc)) from None
        except IntegrityError as exc:
            raise BackupError("backup file", f"the database refused a row ({exc})") from None
        except UnicodeDecodeError:
            raise  # the file is not UTF-8 text: the caller reading it says so
        except (ValueError, TypeError, ArithmeticError, RecursionError, DatabaseError) as exc:
            # Every check above names the record; this is the net under them, so that no input
            # ever shows a traceback (and the transaction is rolled back all the same).
            detail = " ".join(str(exc).split())[:200]
            raise BackupError("backup file", f"cannot be restored ({type(exc).__name__}: {detail})") from None


def _restore(
    reader: JsonReader,
    *,
    workspace: Workspace | None,
    name: str | None,
    progress: Progress | None,
    files: FileRestore,
) -> RestoreResult:
    tables = {_label(m): m for m in backup_models()}
    seen_format = seen_version = False
    head_workspace: dict[str, Any] | None = None
    target: Workspace | None = None
    keep_ids = False
    id_maps: dict[type[models.Model], dict[int, int]] = {}
    counts: dict[str, int] = {}
    declared_counts: dict[str, Any] | None = None
    head_mail: dict[str, Any] | None = None
    restored_files = 0
    declared_files: Any = 0
    legacy_feeds: list[tuple[int, str]] = []

    def ensure_target() -> Workspace:
        nonlocal target, keep_ids
        if target is None:
            if not (seen_format and seen_version):
                raise BackupError("backup file", "this is not a topofmind backup (no format and version first)")
            target = _prepare_target(workspace, head_workspace, name)
            keep_ids = not any(m._default_manager.exists() for m in tables.values())
            old_id = head_workspace.get("id") if head_workspace else None
            id_maps[Workspace] = _WorkspaceMap(target.pk, old_id)
        return target

    for key in reader.object_items():
        if key == "format":
            value = reader.value()
            if value != FORMAT:
                raise BackupError("format", f"'{value}' is not a topofmind backup (expected '{FORMAT}')")
            seen_format = True
        elif key == "version":
            value = reader.value()
            if not isinstance(value, int) or isinstance(value, bool):
                raise BackupError("version", f"{value!r} is not a version number")
            if value > VERSION:
                raise BackupError(
                    "version",
                    f"this backup is format version {value}, newer than this topofmind reads ({VERSION})",
                    "upgrade topofmind, then restore",
                )
            if value < 1:
                raise BackupError("version", f"{value} is not a backup format version")
            seen_version = True
        elif key == "workspace":
            value = reader.value()
            if not isinstance(value, dict) or not isinstance(value.get("name"), str):
                raise BackupError("workspace", "should be an object with at least a name")
            _check_workspace_name(value["name"])
            if target is not None:
                raise BackupError("workspace", "must come before the tables")
            head_workspace = value
        elif key == "tables":
            ensure_target()
            # Parents must come before children; a row whose parent has not been read yet is
            # reported by _follow as pointing at a row that is not in the backup.
            for label in reader.object_items():
                model = tables.get(label)
                if model is None:
                    raise BackupError(
                        f"tables.{label}",
                        "is not a table this version of topofmind knows",
                        "a backup from a newer topofmind? upgrade, then restore",
                    )
                counts[label] = _restore_table(reader, _table(model), id_maps, keep_ids, progress, legacy_feeds)
        elif key == "files":
            target_ws = ensure_target()
            restored_files = restore_files(
                reader,
                workspace_id=target_ws.pk,
                item_ids=id_maps.get(ValueItem, {}),
                files=files,
                fail=BackupError,
            )
        elif key == FILE_COUNT:
            declared_files = reader.value()
        elif key == "counts":
            declared_counts = reader.value()
        elif key == "mail_account":
            value = reader.value()
            head_mail = value if isinstance(value, dict) else None
        else:
            reader.value()  # room for optional metadata (created_at, generator, notes...)
    reader.end()
    result_ws = ensure_target()
    if not isinstance(declared_counts, dict):
        raise BackupError("counts", "missing: the file looks cut short")
    for label in tables:
        expected = declared_counts.get(label, 0)
        if counts.get(label, 0) != expected:
            raise BackupError(
                f"tables.{label}",
                f"has {counts.get(label, 0)} rows but the backup says {expected}: the file was changed or cut",
            )
    _feeds_from_lines(result_ws, legacy_feeds, id_maps.get(Organization, {}))
    if restored_files != declared_files:
        raise BackupError(
            "files",
            f"has {restored_files} material files but the backup says {declared_files}: the file was changed or cut",
        )
    if keep_ids:
        _reset_sequences(list(tables.values()))
    if sum(counts.values()) >= ANALYZE_FROM:
        # Fresh tables have no statistics yet; without them SQLite plans reads badly (it may
        # scan a whole workspace's touches to find one person's).
        with connection.cursor() as cursor:
            for model in tables.values():
                cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
    return RestoreResult(result_ws.pk, counts, keep_ids, _restore_mail_account(result_ws, head_mail))


def _feeds_from_lines(workspace: Workspace, legacy: list[tuple[int, str]], org_ids: dict[int, int]) -> None:
    """An older backup kept an organization's feeds as text, one address a line: make them Feed rows."""
    for old_id, text in legacy:
        where = f"backup record organization #{old_id}"
        seen: set[str] = set()
        for line in text.splitlines():
            url = line.strip()
            if not url or url in seen:
                continue
            try:
                check_url(url, field="feeds")
            except Invalid as exc:
                raise BackupError(where, exc.message, exc.hint) from None
            if len(url) > 1000:
                raise BackupError(f"{where}: feeds", "an address is longer than 1000 characters")
            seen.add(url)
            Feed.objects.get_or_create(
                workspace=workspace,
                organization_id=org_ids[old_id],
                url=url,
                defaults={"status": "not fetched yet", "created_at": workspace.created_at},
            )


def _restore_mail_account(workspace: Workspace, head: dict[str, Any] | None) -> str | None:
    """The backed-up mail account, without its password, for the owner who has none yet."""
    if not head or not isinstance(head.get("username"), str):
        return None
    owner_id = Workspace.objects.filter(pk=workspace.pk).values_list("owner_id", flat=True).first()
    if owner_id is not None and not MailAccount.objects.filter(user_id=owner_id).exists():
        values = {name: head[name] for name in MAIL_FIELDS if name in head}
        try:
            MailAccount.objects.create(user_id=owner_id, password_token="", **values)
        except (TypeError, ValueError, IntegrityError, DatabaseError) as exc:
            raise BackupError("mail_account", f"cannot be restored ({exc})") from None
    return str(head["username"])


class _WorkspaceMap(dict[int, int]):
    """Every workspace id in the backup is the one workspace restored into."""

    def __init__(self, new_id: int, old_id: Any) -> None:
        super().__init__()
        self.new_id = new_id
        self.old_id = old_id

    def __missing__(self, key: int) -> int:
        if self.old_id is not None and key != self.old_id:
            raise KeyError(key)
        return self.new_id


def _prepare_target(workspace: Workspace | None, head: dict[str, Any] | None, name: str | None) -> Workspace:
    head = head or {}
    created = _from_json(Workspace._meta.get_field("created_at"))
    if workspace is None:
        target = Workspace(name=name or head.get("name") or "Restored workspace")
        old_id = head.get("id")
        if (
            isinstance(old_id, int)
            and not isinstance(old_id, bool)
            and 0 < old_id <= MAX_ID
            and not Workspace.objects.filter(pk=old_id).exists()
        ):
            target.pk = old_id  # a new installation gets the very same workspace back
    else:
        target = Workspace.objects.select_for_update().get(pk=workspace.pk)
        for model in backup_models():
            if model is WorkspaceSettings:
                continue
            if rows_of(model, target).exists():
                raise Conflict(
                    f'workspace "{target.name}" already holds {model._meta.verbose_name_plural}',
                    "restore into an empty workspace or a new database",
                )
        # Settings made by default on first use give way to the backup's own.
        WorkspaceSettings.objects.filter(workspace=target).delete()
        target.name = name or head.get("name") or target.name
    if head.get("created_at"):
        try:
            target.created_at = check_moment(created(head["created_at"]), field="workspace.created_at")
        except Invalid as exc:
            raise BackupError("workspace.created_at", exc.message) from None
        except ValueError as exc:
            raise BackupError("workspace.created_at", str(exc)) from None
    explicit_id = target.pk is not None and workspace is None
    target.save(force_insert=workspace is None)
    if explicit_id:
        _reset_sequences([Workspace])
    return target


def _check_workspace_name(name: str, *, field: str = "workspace.name") -> None:
    limit = Workspace._meta.get_field("name").max_length or 200
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        raise BackupError(field, "contains a broken character (a lone surrogate)") from None
    if len(name) > limit:
        raise BackupError(field, f"is {len(name)} characters long; at most {limit} fit")


def _table(model: type[models.Model]) -> _Table:
    fields = {f.attname: f for f in model._meta.concrete_fields}
    fks: dict[str, type[models.Model] | None] = {}
    for f in _foreign_keys(model):
        related = f.related_model
        inside = isinstance(related, type) and (related is Workspace or related in backup_models())
        fks[f.attname] = related if inside and isinstance(related, type) else None
    converters = {name: _checked(model, f) for name, f in fields.items() if name not in fks}
    return _Table(model, fields, converters, fks)


def _checked(model: type[models.Model], field: models.Field[Any, Any]) -> Callable[[Any], Any]:
    """Convert a column's JSON value, then check it as the forms would (backup_checks)."""
    convert = _from_json(field)
    check = column_check(model, field)
    if check is None:
        return convert
    return lambda v: check(convert(v))


def _restore_table(
    reader: JsonReader,
    table: _Table,
    id_maps: dict[type[models.Model], dict[int, int]],
    keep_ids: bool,
    progress: Progress | None,
    legacy_feeds: list[tuple[int, str]],
) -> int:
    model = table.model
    label = _label(model)
    pk_name = model._meta.pk.attname if model._meta.pk else "id"
    id_map = id_maps.setdefault(model, {})
    batch: list[models.Model] = []
    old_ids: list[int] = []
    count = 0

    def flush() -> None:
        try:
            with transaction.atomic():
                model._default_manager.bulk_create(batch)
        except (IntegrityError, DatabaseError) as exc:
            first = old_ids[0] if old_ids else "?"
            raise BackupError(
                f"tables.{label}",
                f"the database refused the rows from id {first} on ({' '.join(str(exc).split())})",
            ) from None
        for old, obj in zip(old_ids, batch, strict=True):
            if obj.pk is None:  # pragma: no cover - every supported database returns ids
                raise BackupError(f"tables.{label}", "the database did not return new ids")
            id_map[old] = obj.pk
        batch.clear()
        old_ids.clear()

    for index in reader.array_items():
        row = reader.value()
        where = f"tables.{label}[{index}]"
        if not isinstance(row, dict):
            raise BackupError(where, "should be an object of column: value")
        old_id = row.get(pk_name)
        if isinstance(old_id, bool) or not isinstance(old_id, int) or not 1 <= old_id <= MAX_ID:
            shown = repr(old_id) if len(repr(old_id)) <= 24 else f"{repr(old_id)[:12]}..."
            raise BackupError(f"{where}.{pk_name}", f"{shown} is not an id", f"ids run from 1 to {MAX_ID}")
        where = f"backup record {model._meta.model_name} #{old_id}"
        if old_id in id_map:
            raise BackupError(where, "appears twice")
        values: dict[str, Any] = {}
        for column, raw in row.items():
            if column == pk_name:
                continue
            if model is Organization and column == "feeds" and isinstance(raw, str):
                legacy_feeds.append((old_id, raw))  # a backup from before Feed rows: made into rows below
                continue
            fld = table.fields.get(column)
            if fld is None:
                raise BackupError(
                    f"{where}: {column}",
                    "is not a column this version of topofmind knows",
                    "a backup from a newer topofmind? upgrade, then restore",
                )
            if raw is None:
                if not fld.null:
                    raise BackupError(f"{where}: {column}", "is empty (null) but must have a value")
                values[column] = None
                continue
            if column in table.fks:
                values[column] = _follow(where, column, raw, table.fks[column], id_maps, fld.null)
                continue
            try:
                values[column] = table.converters[column](raw)
            except Invalid as exc:  # a check the forms make too: its message names the column
                raise BackupError(where, exc.message, exc.hint) from None
            except (ValueError, TypeError, ValidationError, ArithmeticError) as exc:
                message = "; ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
                raise BackupError(f"{where}: {column}", message) from None
        for column, fld in table.fields.items():
            if column not in values and column != pk_name:
                if not fld.has_default() and not fld.null:
                    raise BackupError(f"{where}: {column}", "is missing")
                values[column] = fld.get_default()  # a column added after the backup was made
        try:
            row_check(model, values)
        except Invalid as exc:
            raise BackupError(where, exc.message, exc.hint) from None
        obj = model(**values)
        if keep_ids:
            obj.pk = old_id
        batch.append(obj)
        old_ids.append(old_id)
        count += 1
        if len(batch) >= BATCH:
            flush()
            if progress:
                progress(label, count)
    if batch:
        flush()
    if progress:
        progress(label, count)
    return count


def _follow(
    where: str,
    column: str,
    raw: Any,
    target: type[models.Model] | None,
    id_maps: dict[type[models.Model], dict[int, int]],
    nullable: bool,
) -> int | None:
    if target is None:
        if nullable:
            return None  # a server account or another outside row: not carried by backups
        raise BackupError(f"{where}: {column}", "points outside the workspace")
    if isinstance(raw, bool) or not isinstance(raw, int):
        raise BackupError(f"{where}: {column}", f"{raw!r} is not an id"[:80])
    try:
        return id_maps.get(target, {})[raw]
    except KeyError:
        raise BackupError(
            f"{where}: {column}",
            f"refers to {target._meta.verbose_name} {str(raw)[:24]}, which is not in the backup",
        ) from None


def _reset_sequences(model_list: list[type[models.Model]]) -> None:
    """After inserting explicit ids, make the next new row's id follow them (PostgreSQL)."""
    statements = connection.ops.sequence_reset_sql(no_style(), model_list)
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


def iter_tables() -> Iterator[str]:
    """Labels of the tables a backup holds, in file order (for docs and tests)."""
    return (_label(m) for m in backup_models())
