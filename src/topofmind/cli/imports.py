"""``topofmind import ...``: bring your network in from LinkedIn, Google Contacts, vCard files
and another tracker's applications.

Each command opens the file, calls one service (``topofmind.crm.services.imports.import_file``)
and prints what it did (``topofmind.cli.render``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from topofmind.cli import common, render

import_app = typer.Typer(
    help="Bring your network in: LinkedIn, Google Contacts, vCard, another tracker's applications.",
    no_args_is_help=True,
)


FileArg = Annotated[Path, typer.Argument(metavar="FILE", help="The file to import.")]


DryRun = Annotated[
    bool,
    typer.Option("--dry-run", help="Show what would be imported (new / merged / skipped / invalid), write nothing."),
]


JsonOut = Annotated[bool, typer.Option("--json", help="Print the report as JSON.")]


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
    common.readable_file(file)
    workspace = common.workspace()
    from topofmind.crm.services.imports import ImportFailed, import_file

    size = file.stat().st_size
    try:
        with open(file, "rb") as raw, render.progress(f"Importing {file.name}", size, raw, quiet=json_) as tick:
            report = import_file(
                workspace=workspace,
                kind=kind,
                stream=raw,
                now=common.now(),
                dry_run=dry_run,
                overrides=overrides or [],
                stage_words=stage_words or [],
                progress=tick,
            )
    except ImportFailed as exc:
        raise ImportFailed(f"{file.name}: {exc.message}", exc.hint) from None
    if json_:
        render.print_json(render.import_report_dict(report, file=file))
    else:
        render.print_import_report(report, file)
