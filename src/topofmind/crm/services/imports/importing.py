"""The use-case: open a file with its importer, write it in one transaction, re-plan once."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime
from typing import BinaryIO

from django.db import connection, transaction

from topofmind.crm.models import Workspace
from topofmind.crm.planning import replan
from topofmind.crm.services.imports.registry import importer_for
from topofmind.crm.services.imports.report import ImportFailed, ImportReport
from topofmind.crm.services.imports.writer import Writer
from topofmind.integrations.records import ApplicationRecord, ContactRecord, ImportFileError, ParsedFile, RowProblem

Progress = Callable[[int], None]  # rows read so far
# An import that writes this many people changes the tables' shape enough to tell the database.
ANALYZE_FROM = 1000
_ANALYZED = (
    "crm_person",
    "crm_personemail",
    "crm_personphone",
    "crm_organization",
    "crm_interaction",
    "crm_interactionparticipant",
    "crm_opportunity",
    "crm_opportunityparticipant",
)


def open_file(
    kind: str, stream: BinaryIO, *, overrides: Iterable[str] = (), stage_words: Iterable[str] = ()
) -> ParsedFile:
    """The parser for ``kind`` opened on ``stream``; ImportFailed if the file is not one."""
    importer = importer_for(kind)
    try:
        return importer.open(stream, overrides, stage_words)
    except ImportFileError as exc:
        raise ImportFailed(str(exc), importer.hint) from None


def import_file(
    *,
    workspace: Workspace,
    kind: str,
    stream: BinaryIO,
    now: datetime,
    dry_run: bool = False,
    overrides: Iterable[str] = (),
    stage_words: Iterable[str] = (),
    progress: Progress | None = None,
) -> ImportReport:
    """Import a file of ``kind`` (linkedin, google, vcard, applications) into ``workspace``.

    ``overrides`` (``COLUMN=FIELD``) and ``stage_words`` (``WORD=STAGE``) adjust the
    applications mapping; for LinkedIn and Google files ``overrides`` (``COLUMN=THEIRS``)
    read a column under the export's own name. Raises ImportFailed, with nothing written, if the file cannot be
    read to its end.
    """
    with _without_cycle_collector():
        return _import_file(
            workspace=workspace,
            kind=kind,
            stream=stream,
            now=now,
            dry_run=dry_run,
            overrides=overrides,
            stage_words=stage_words,
            progress=progress,
        )


@contextlib.contextmanager
def _without_cycle_collector() -> Iterator[None]:
    """Pause Python's cyclic garbage collector for the length of an import.

    An import keeps every row's keys, targets and records alive until its end, so the heap
    only grows; the collector, triggered by the allocations, walked that whole heap again
    and again and took a quarter of the time of a 50k-row import (a third of one that finds
    everyone already there). Reference counting still frees everything as usual; only
    cycles wait until the collector is back on, at the end.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _import_file(
    *,
    workspace: Workspace,
    kind: str,
    stream: BinaryIO,
    now: datetime,
    dry_run: bool,
    overrides: Iterable[str],
    stage_words: Iterable[str],
    progress: Progress | None,
) -> ImportReport:
    importer = importer_for(kind)
    parsed = open_file(kind, stream, overrides=overrides, stage_words=stage_words)
    report = ImportReport(
        kind=kind,
        layout=parsed.layout,
        encoding=parsed.encoding,
        dry_run=dry_run,
        notes=list(parsed.notes),
        mapping=dict(parsed.mapping),
    )
    try:
        with transaction.atomic():
            writer = Writer(workspace=workspace, now=now, report=report, importer=importer)
            if importer.records == "applications":
                writer.applications(_counted(parsed.rows, progress))
            else:
                writer.contacts(_counted(parsed.rows, progress))
            if dry_run:
                transaction.set_rollback(True)
            elif writer.touched_people or writer.touched_opportunities:
                if len(writer.touched_people) >= ANALYZE_FROM:
                    _refresh_statistics()
                # Once, for what the import changed (a file already imported changes nothing).
                result = replan(
                    workspace=workspace,
                    now=now,
                    person_ids=writer.touched_people - writer.arrivals,
                    opportunity_ids=writer.touched_opportunities,
                    employer_ids=writer.touched_employers,
                )
                report.followups_planned = result.created + result.revived
    except ImportFileError as exc:
        raise ImportFailed(str(exc), f"nothing was imported; {importer.hint}") from None
    return report


def _refresh_statistics() -> None:
    """Let the query planner see the tables as they now are, before the re-plan reads them.

    Without statistics SQLite reads a person's touches by scanning the whole workspace's
    (its index on the workspace looks as good as the one on the person), and the re-plan
    after a 50k-row import took minutes instead of seconds.
    """
    with connection.cursor() as cursor:
        for table in _ANALYZED:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")


def _counted(
    rows: Iterator[ContactRecord | ApplicationRecord | RowProblem], progress: Progress | None
) -> Iterator[ContactRecord | ApplicationRecord | RowProblem]:
    for count, row in enumerate(rows, start=1):
        yield row
        if progress and count % 500 == 0:
            progress(count)
