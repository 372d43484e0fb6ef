"""``topofmind export csv|vcard|ics``: your lists as spreadsheets, people as contact cards,
follow-ups as a calendar file. Each reads one query and hands it to a writer in
``topofmind.integrations.exports`` / ``ics``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, TextIO

import typer

from topofmind.cli import common
from topofmind.cli.files import write_in_place

export_app = typer.Typer(help="Export: CSV per list, vCard of people, .ics of your follow-ups.", no_args_is_help=True)

FileArg = Annotated[Path, typer.Argument(metavar="FILE", help="Where to write ('-' for the screen).")]


@export_app.command("csv")
def export_csv(
    what: Annotated[str, typer.Argument(metavar="LIST", help="people, organizations, openings, touches or followups")],
    file: FileArg,
    excel: Annotated[bool, typer.Option("--excel", help="Start with a byte-order mark (Excel on Windows).")] = False,
) -> None:
    """One list as CSV; cells that a spreadsheet would run as formulas are kept as text."""
    workspace = common.workspace()
    from topofmind.crm.queries.exports import export_table
    from topofmind.integrations.exports import write_csv

    header, rows = export_table(workspace, what)
    count = write_in_place(file, lambda out: write_csv(out, header, rows, bom=excel))
    if str(file) != "-":
        typer.echo(f"Wrote {count} {what} to {file}.")


@export_app.command("vcard")
def export_vcard(
    file: FileArg,
    role: Annotated[str, typer.Option("--role", help="Only people with this role, e.g. recruiter.")] = "",
) -> None:
    """People as vCards (.vcf) for an address book."""
    workspace = common.workspace()
    from topofmind.crm.queries.exports import person_cards
    from topofmind.integrations.exports import write_vcards

    cards = person_cards(workspace, role=role.strip().replace(" ", "_"))
    count = write_in_place(file, lambda out: write_vcards(out, cards))
    if str(file) != "-":
        typer.echo(f"Wrote {count} cards to {file}.")


@export_app.command("ics")
def export_ics(file: FileArg) -> None:
    """Your live follow-ups as an iCalendar file (import it into any calendar app)."""
    workspace = common.workspace()
    from topofmind.crm.queries.calendar import calendar_file

    body = calendar_file(workspace, now=common.now(), host="localhost").decode("utf-8")

    def fill(out: TextIO) -> int:
        out.write(body)
        return body.count("BEGIN:VEVENT")

    count = write_in_place(file, fill)
    if str(file) != "-":
        typer.echo(f"Wrote {count} follow-ups to {file}.")
