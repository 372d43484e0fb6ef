"""Deleting from the command line, the same way for a person, an employer and an opening: say what
goes with the row and what stays, ask (unless ``--yes``), delete, and say it is done."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated

import typer

from topofmind.cli import render

if TYPE_CHECKING:
    from topofmind.crm.queries import Removal

YesOption = Annotated[bool, typer.Option("--yes", help="Do not ask (scripts).")]


def delete_after_asking(
    removal: Removal, delete: Callable[[], str], *, yes: bool, question: str = "Delete it?"
) -> None:
    """``removal`` says what goes; ``delete()`` deletes and returns the name of what went. A "no"
    (or no answer) stops the command with exit 1, nothing deleted."""
    render.print_removal(removal)
    if not yes:
        typer.confirm(question, abort=True)
    gone = delete()
    render.echo(f"Deleted {removal.noun} #{removal.row_id} {render.safe(gone)}; the agenda is re-planned.")
