"""``topofmind backup FILE`` and ``topofmind restore FILE``.

Each opens the file, calls one service (``topofmind.crm.services.backup.write_backup`` /
``restore_backup``) and prints what it did.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, TextIO

import typer

from topofmind.cli import common, render
from topofmind.cli.files import write_in_place
from topofmind.crm.errors import TopofmindError

if TYPE_CHECKING:
    from topofmind.crm.services.backup import BackupResult


def backup(
    file: Annotated[Path, typer.Argument(metavar="FILE", help="Where to write the backup ('-' for the screen).")],
) -> None:
    """Write everything of your workspace to one JSON file (see docs/backup-format.md)."""
    workspace = common.workspace()
    from topofmind.crm.services.backup import write_backup

    if str(file) == "-":
        write_backup(sys.stdout, workspace=workspace, now=common.now())
        return

    def fill(out: TextIO) -> BackupResult:
        with render.spinner(f"Writing {file.name}") as tick:
            return write_backup(out, workspace=workspace, now=common.now(), progress=tick)

    result = write_in_place(file, fill, newline="\n", example="a file, e.g. topofmind-backup.json")
    total = sum(result.counts.values())
    render.echo(f"Backed up {render.backup_summary(result.counts)} ({total} rows) to {file}.")


def restore(
    file: Annotated[Path, typer.Argument(metavar="FILE", help="A backup written by 'topofmind backup'.")],
) -> None:
    """Restore a backup into an empty database (or empty workspace); on any error nothing changes."""
    common.readable_file(file)
    common.setup_django()
    from topofmind.crm.queries import first_workspace
    from topofmind.crm.services.backup import restore_backup

    # A new installation has no workspace yet: the backup's comes back as it was, ids and all.
    # Otherwise it goes into your workspace, which must still be empty.
    workspace = first_workspace()

    try:
        with open(file, encoding="utf-8", errors="strict") as stream, render.spinner(f"Restoring {file.name}") as tick:
            result = restore_backup(stream, workspace=workspace, progress=tick)
    except UnicodeDecodeError as exc:
        raise TopofmindError(
            f"{file} is not a topofmind backup: it is not UTF-8 text ({exc.reason} at byte {exc.start})",
            "nothing was restored",
        ) from None
    total = sum(result.counts.values())
    render.echo(f"Restored {render.backup_summary(result.counts)} ({total} rows) from {file}.")
    if result.mail_account:
        render.echo(
            f"The mail account {result.mail_account} came back without its password (a backup never holds it): "
            "set it again with `topofmind mail setup ...` before sending."
        )
