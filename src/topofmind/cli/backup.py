"""``topofmind backup FILE`` and ``topofmind restore FILE``.

Each opens the file, calls one service (``topofmind.crm.services.backup.write_backup`` /
``restore_backup``) and prints what it did.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path
from typing import Annotated

import typer

from topofmind.cli import common, render
from topofmind.crm.errors import Invalid, TopofmindError


def backup(
    file: Annotated[Path, typer.Argument(metavar="FILE", help="Where to write the backup ('-' for the screen).")],
) -> None:
    """Write everything of your workspace to one JSON file (see docs/backup-format.md)."""
    workspace = common.workspace()
    from topofmind.crm.services.backup import write_backup

    if str(file) == "-":
        write_backup(sys.stdout, workspace=workspace, now=common.now())
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
            with render.spinner(f"Writing {file.name}") as tick:
                result = write_backup(out, workspace=workspace, now=common.now(), progress=tick)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp, file)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
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
