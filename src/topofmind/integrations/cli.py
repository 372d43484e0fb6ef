"""``topofmind import ...``, ``topofmind backup FILE`` and ``topofmind restore FILE``.

Thin, like the rest of the CLI: each command opens the file, calls one service
(``topofmind.crm.services.imports.import_file``, ``topofmind.crm.services.backup.write_backup`` /
``restore_backup``) and prints what it did. Django is imported inside the commands so
``topofmind --help`` stays fast. ``register(app)`` hangs them on the main Typer app.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, BinaryIO

import typer

from topofmind.crm.errors import Invalid, TopofmindError

if TYPE_CHECKING:
    from topofmind.crm.models import Workspace
    from topofmind.crm.services.imports import ImportReport

import_app = typer.Typer(
    help="Bring your network in: LinkedIn, Google Contacts, vCard, another tracker's applications.",
    no_args_is_help=True,
)

# Files smaller than this import before a progress bar would be worth drawing.
PROGRESS_FROM_BYTES = 512 * 1024

FileArg = Annotated[Path, typer.Argument(metavar="FILE", help="The file to import.")]
DryRun = Annotated[
    bool,
    typer.Option("--dry-run", help="Show what would be imported (new / merged / skipped / invalid), write nothing."),
]
JsonOut = Annotated[bool, typer.Option("--json", help="Print the report as JSON.")]


def register(app: typer.Typer) -> None:
    """Add ``import``, ``backup`` and ``restore`` to the main command line."""
    app.add_typer(import_app, name="import")
    app.command("backup")(backup)
    app.command("restore")(restore)


# -- plumbing ---------------------------------------------------------------------------------


def _setup() -> None:
    from topofmind.cli import setup_django

    setup_django()


def _now() -> datetime:
    from django.utils import timezone

    return timezone.now()


def _workspace() -> Workspace:
    """The personal install's workspace (made on first use), as every other command uses."""
    _setup()
    from topofmind.crm import services

    return services.get_or_create_default_workspace(now=_now())


# -- imports ----------------------------------------------------------------------------------


_MAP_HELP = "Read a column of your file as one of the export's own columns, e.g. --map '{}'. Repeat for several."
LinkedInMap = Annotated[
    list[str] | None,
    typer.Option("--map", metavar="COL=COLUMN", help=_MAP_HELP.format("Surname=Last Name")),
]
GoogleMap = Annotated[
    list[str] | None,
    typer.Option("--map", metavar="COL=COLUMN", help=_MAP_HELP.format("Mail=E-mail 1 - Value")),
]


@import_app.command("linkedin")
def import_linkedin(
    file: FileArg,
    dry_run: DryRun = False,
    map_: LinkedInMap = None,
    json_: JsonOut = False,
) -> None:
    """LinkedIn's Connections.csv (Settings > Data privacy > Get a copy of your data)."""
    _import("linkedin", file, dry_run=dry_run, json_=json_, overrides=map_ or [])


@import_app.command("google")
def import_google(
    file: FileArg,
    dry_run: DryRun = False,
    map_: GoogleMap = None,
    json_: JsonOut = False,
) -> None:
    """A Google Contacts export (Google CSV, either layout)."""
    _import("google", file, dry_run=dry_run, json_=json_, overrides=map_ or [])


@import_app.command("vcard")
def import_vcard(file: FileArg, dry_run: DryRun = False, json_: JsonOut = False) -> None:
    """A vCard file (.vcf) from iOS / macOS Contacts, Google Contacts or Outlook."""
    _import("vcard", file, dry_run=dry_run, json_=json_)


@import_app.command("applications")
def import_applications(
    file: FileArg,
    dry_run: DryRun = False,
    map_: Annotated[
        list[str] | None,
        typer.Option(
            "--map",
            metavar="COL=FIELD",
            help="Say what a column means when the guess is wrong: FIELD is company, title, stage, "
            "applied_on, url, contact_name, contact_email, notes or location; '-' skips the column. "
            "Repeat for several.",
        ),
    ] = None,
    stage: Annotated[
        list[str] | None,
        typer.Option(
            "--stage",
            metavar="WORD=STAGE",
            help="Map a status word of the other tracker to a stage, e.g. --stage 'Limbo=on_hold'.",
        ),
    ] = None,
    json_: JsonOut = False,
) -> None:
    """Another job tracker's CSV of applications; the column mapping is guessed (see it with --dry-run)."""
    _import("applications", file, dry_run=dry_run, json_=json_, overrides=map_ or [], stage_words=stage or [])


def _import(
    kind: str,
    file: Path,
    *,
    dry_run: bool,
    json_: bool,
    overrides: list[str] | None = None,
    stage_words: list[str] | None = None,
) -> None:
    _readable(file)
    workspace = _workspace()
    from topofmind.crm.services.imports import ImportFailed, import_file

    size = file.stat().st_size
    try:
        with open(file, "rb") as raw, _progress(f"Importing {file.name}", size, raw, quiet=json_) as tick:
            report = import_file(
                workspace=workspace,
                kind=kind,
                stream=raw,
                now=_now(),
                dry_run=dry_run,
                overrides=overrides or [],
                stage_words=stage_words or [],
                progress=tick,
            )
    except ImportFailed as exc:
        raise ImportFailed(f"{file.name}: {exc.message}", exc.hint) from None
    if json_:
        typer.echo(json.dumps(report_dict(report, file=file), indent=2, ensure_ascii=False))
    else:
        _print_report(report, file)


def _readable(file: Path) -> None:
    if not file.exists():
        raise Invalid("FILE", f"{file} does not exist", "check the path")
    if file.is_dir():
        raise Invalid("FILE", f"{file} is a folder", "name the file inside it")
    if not os.access(file, os.R_OK):
        raise Invalid("FILE", f"{file} cannot be read", "check its permissions")


@contextmanager
def _progress(
    title: str, size: int, raw: BinaryIO, *, quiet: bool
) -> Iterator[Callable[[int], None] | None]:
    """A Rich progress bar on stderr, by bytes read, for long files on a terminal."""
    if quiet or size < PROGRESS_FROM_BYTES or not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn

    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        DownloadColumn(),
        TextColumn("{task.fields[rows]} rows"),
        TimeRemainingColumn(),
        console=Console(stderr=True),
        transient=True,
    ) as bar:
        task = bar.add_task(title, total=size, rows=0)

        def tick(rows: int) -> None:
            bar.update(task, completed=raw.tell(), rows=rows)

        yield tick


def report_dict(report: ImportReport, *, file: Path | None = None) -> dict[str, Any]:
    return {
        "file": str(file) if file else None,
        "kind": report.kind,
        "layout": report.layout,
        "encoding": report.encoding,
        "dry_run": report.dry_run,
        "new": report.new,
        "merged": report.merged,
        "unchanged": report.unchanged,
        "skipped": report.skipped,
        "invalid": report.invalid,
        "organizations_created": report.organizations_created,
        "people_created": report.people_created,
        "interactions_logged": report.interactions_logged,
        "followups_planned": report.followups_planned,
        "mapping": report.mapping,
        "notes": report.notes,
        "problems": [
            {"line": p.line, "reason": p.reason, "skipped": p.skipped} for p in report.problems
        ],
        "problems_not_listed": report.problems_not_listed,
        "merges": [{"line": m.line, "what": m.text} for m in report.merges],
    }


def _print_report(report: ImportReport, file: Path) -> None:
    from rich.console import Console
    from rich.markup import escape

    console = Console(highlight=False, soft_wrap=True)
    console.print(f"[bold]{escape(file.name)}[/bold]: {escape(report.layout)}, {escape(report.encoding)}")
    for note in report.notes:
        console.print(f"  {escape(note)}")
    what = "opportunities" if report.kind == "applications" else "people"
    counts = (
        f"{report.new} new, {report.merged} merged, {report.unchanged} unchanged (already known), "
        f"{report.skipped} skipped, {report.invalid} invalid"
    )
    console.print(f"{what.capitalize()}: {counts}.")
    extras = [
        f"{report.organizations_created} organizations created" if report.organizations_created else "",
        f"{report.people_created} contacts created" if report.people_created else "",
        f"{report.interactions_logged} touches logged" if report.interactions_logged else "",
        f"{report.followups_planned} follow-ups planned" if report.followups_planned else "",
    ]
    if any(extras):
        console.print(", ".join(e for e in extras if e).capitalize() + ".")
    invalid = [p for p in report.problems if not p.skipped]
    skipped = [p for p in report.problems if p.skipped]
    for title, rows in (("Invalid (not imported)", invalid), ("Skipped", skipped)):
        if rows:
            console.print(f"{title}:")
            for problem in rows:
                console.print(f"  line {problem.line}: {escape(problem.reason)}")
    if report.problems_not_listed:
        console.print(f"  … and {report.problems_not_listed} more rows with problems")
    if report.merges:
        console.print("Merged into people you have:" if report.kind != "applications" else "Merged:")
        for merge in report.merges:
            console.print(f"  line {merge.line}: {escape(merge.text)}")
    if report.dry_run:
        console.print("[bold]Dry run: nothing was written.[/bold] Run it again without --dry-run to import.")
    elif report.invalid:
        console.print("Fix the invalid rows and import the file again: rows already in are not duplicated.")


# -- backup and restore -----------------------------------------------------------------------


def backup(
    file: Annotated[Path, typer.Argument(metavar="FILE", help="Where to write the backup ('-' for the screen).")],
) -> None:
    """Write everything of your workspace to one JSON file (see docs/backup-format.md)."""
    workspace = _workspace()
    from topofmind.crm.services.backup import write_backup

    if str(file) == "-":
        write_backup(sys.stdout, workspace=workspace, now=_now())
        return
    if file.is_dir():
        raise Invalid("FILE", f"{file} is a folder", "name a file, e.g. topofmind-backup.json")
    folder = file.resolve().parent
    if not folder.is_dir():
        raise Invalid("FILE", f"the folder {folder} does not exist", "create it first")
    # Written next to the target and renamed into place: a failed backup never leaves half a file.
    fd, temp = tempfile.mkstemp(prefix=f".{file.name}.", suffix=".part", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as out:
            with _spinner(f"Writing {file.name}") as tick:
                result = write_backup(out, workspace=workspace, now=_now(), progress=tick)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp, file)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    total = sum(result.counts.values())
    typer.echo(f"Backed up {_summary(result.counts)} ({total} rows) to {file}.")


def restore(
    file: Annotated[Path, typer.Argument(metavar="FILE", help="A backup written by 'topofmind backup'.")],
) -> None:
    """Restore a backup into an empty database (or empty workspace); on any error nothing changes."""
    _readable(file)
    _setup()
    from topofmind.crm.queries import first_workspace
    from topofmind.crm.services.backup import restore_backup

    # A new installation has no workspace yet: the backup's comes back as it was, ids and all.
    # Otherwise it goes into your workspace, which must still be empty.
    workspace = first_workspace()

    try:
        with open(file, encoding="utf-8", errors="strict") as stream, _spinner(f"Restoring {file.name}") as tick:
            result = restore_backup(stream, workspace=workspace, progress=tick)
    except UnicodeDecodeError as exc:
        raise TopofmindError(
            f"{file} is not a topofmind backup: it is not UTF-8 text ({exc.reason} at byte {exc.start})",
            "nothing was restored",
        ) from None
    total = sum(result.counts.values())
    typer.echo(f"Restored {_summary(result.counts)} ({total} rows) from {file}.")


def _summary(counts: dict[str, int]) -> str:
    shown = []
    for label, noun in (
        ("crm.organization", "organizations"),
        ("crm.person", "people"),
        ("crm.opportunity", "opportunities"),
        ("crm.interaction", "touches"),
        ("crm.followup", "follow-ups"),
    ):
        shown.append(f"{counts.get(label, 0)} {noun}")
    return ", ".join(shown)


def _spinner(title: str) -> Any:
    """A Rich status line on stderr while a long backup or restore runs (terminals only)."""
    if not sys.stderr.isatty():
        return nullcontext(None)
    return _status(title)


@contextmanager
def _status(title: str) -> Iterator[Callable[[str, int], None]]:
    from rich.console import Console

    with Console(stderr=True).status(title) as status:

        def tick(table: str, rows: int) -> None:
            status.update(f"{title}: {table.removeprefix('crm.')} {rows}")

        yield tick
