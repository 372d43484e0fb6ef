"""The importers, one entry each: adding a kind of import is one entry in ``IMPORTERS``.

An entry says how to open the file (the parser in ``topofmind.integrations``), what its
records are, how the people it creates say where they came from, and what to tell the user
when the file cannot be read.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import BinaryIO, Literal

from topofmind.crm.services.imports.report import ImportFailed
from topofmind.integrations.applications import parse_applications
from topofmind.integrations.google import parse_google_csv
from topofmind.integrations.linkedin import parse_connections
from topofmind.integrations.records import ParsedFile
from topofmind.integrations.vcard import parse_vcards

# (stream, overrides, stage words) -> the parsed file; raises ImportFileError if it is not one.
Opener = Callable[[BinaryIO, Iterable[str], Iterable[str]], ParsedFile]


@dataclass(frozen=True)
class Importer:
    kind: str  # its name on the command line: topofmind import KIND FILE
    label: str  # where a merged-in detail came from, in the person's notes
    hint: str  # what to do when the file cannot be read
    open: Opener
    records: Literal["contacts", "applications"]
    connections: bool = False  # each contact is a connection: mark it and log the day connected


IMPORTERS: dict[str, Importer] = {
    importer.kind: importer
    for importer in (
        Importer(
            kind="linkedin",
            label="LinkedIn",
            hint="export Connections.csv again from LinkedIn (Settings > Data privacy)",
            open=lambda stream, overrides, stage_words: parse_connections(stream, overrides=overrides),
            records="contacts",
            connections=True,
        ),
        Importer(
            kind="google",
            label="Google Contacts",
            hint="export again from contacts.google.com as Google CSV",
            open=lambda stream, overrides, stage_words: parse_google_csv(stream, overrides=overrides),
            records="contacts",
        ),
        Importer(
            kind="vcard",
            label="vCard",
            hint="export the contacts again as vCard (.vcf)",
            open=lambda stream, overrides, stage_words: parse_vcards(stream),
            records="contacts",
        ),
        Importer(
            kind="applications",
            label="applications import",
            hint="check the file, or adjust the columns with --map COLUMN=FIELD",
            open=lambda stream, overrides, stage_words: parse_applications(
                stream, overrides=overrides, stage_words=stage_words
            ),
            records="applications",
        ),
    )
}
KINDS = tuple(IMPORTERS)
# The largest file an upload may bring (the web's Import page and POST /api/imports).
MAX_UPLOAD_BYTES = 50 * 1024 * 1024


def importer_for(kind: str) -> Importer:
    """The importer named ``kind``; ImportFailed (listing the kinds) if there is none."""
    try:
        return IMPORTERS[kind]
    except KeyError:
        raise ImportFailed(f'"{kind}" is not a kind of import', f"use one of: {', '.join(KINDS)}") from None
