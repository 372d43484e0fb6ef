"""All the CLI's rendering in one place: the Rich console, JSON output, times in the user's
zone, the agenda table, the import report, and the progress bar and spinner on stderr.

Rich is imported inside the functions, so ``topofmind --help`` starts fast.

Nothing from the data reaches the terminal raw: ``safe`` shows control characters (ESC, a
carriage return, backspace, the C1 range, bidirectional overrides, broken surrogates) as
visible escapes such as ``\\x1b``, so a contact file cannot clear or rewrite the user's
terminal. ``echo``, ``console()`` (its every string and table cell) and ``print_json`` all
apply it.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

import typer

if TYPE_CHECKING:
    from rich.console import Console

    from topofmind.crm.queries import AgendaItem, MailStatus, ReviewView, SearchResults, SendView
    from topofmind.crm.services import SyncReport
    from topofmind.crm.services.imports import ImportReport


# Characters a terminal acts on rather than shows (tab and newline are layout, kept).
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def safe(text: str) -> str:
    """``text`` with every control character shown as an escape (``\\x1b``), never acted on."""
    return _UNSAFE.sub(_escape, text)


def _json_escape(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def echo(text: str = "", *, err: bool = False) -> None:
    """Print one message (stdout, or stderr with ``err``) with its control characters escaped."""
    typer.echo(safe(text), err=err)


def show_time(moment: datetime | None, tz: str) -> str:
    if moment is None:
        return "-"
    from zoneinfo import ZoneInfo

    return moment.astimezone(ZoneInfo(tz)).strftime("%a %d %b %Y %H:%M")


def console() -> Console:
    from rich.console import Console
    from rich.text import Text

    class SafeConsole(Console):
        """Every string it prints, and every table cell, goes through ``safe`` first."""

        def render_str(self, text: str, **kwargs: Any) -> Text:
            return super().render_str(safe(text), **kwargs)

    # No markup: names and notes are the user's text, and "[" in them is just a bracket.
    return SafeConsole(highlight=False, soft_wrap=False, markup=False)


def print_json(data: Any) -> None:
    # json escapes C0 controls itself; DEL, C1 and the rest become \u escapes, still valid JSON.
    typer.echo(_UNSAFE.sub(_json_escape, json.dumps(data, indent=2, ensure_ascii=False)))


def print_agenda(items: list[AgendaItem], *, moment: datetime, tz: str, drafts: bool) -> None:
    from rich.table import Table

    out = console()
    heading = f"Agenda for {show_time(moment, tz)} ({tz})"
    if not items:
        out.print(f"{heading}: nothing to do. Log a touch with `topofmind log`, or enjoy the day.")
        return
    table = Table(title=heading, title_justify="left", show_lines=False)
    for column in ("ID", "Due", "What", "Who", "Channel", "Why"):
        table.add_column(column, overflow="fold")
    for item in items:
        s = item.suggestion
        who = s.person_name or ""
        if s.organization_name:
            who = f"{who} ({s.organization_name})" if who else s.organization_name
        channel = s.channel.value + (f" — {s.call_window}" if s.call_window else "")
        table.add_row(
            str(item.followup_id), show_time(s.due, tz), s.purpose.value.replace("_", " "), who, channel, s.why
        )
    out.print(table)
    if drafts:
        for item in items:
            out.rule(f"#{item.followup_id} {item.suggestion.purpose.value.replace('_', ' ')}")
            out.print(f"Subject: {item.draft.subject}\n\n{item.draft.body}", markup=False, highlight=False)
            if item.value is not None:
                out.print(f"Carries: {item.value.kind.value} #{item.value.id} {item.value.title}", markup=False)
            elif item.carried is not None and item.carried.note:
                out.print(f"Note: {item.carried.note}", markup=False)
            for finding in item.findings:
                out.print(f"Check (sentence {finding.number}): {finding.message} — “{finding.sentence}”", markup=False)
    else:
        out.print("Drafts: topofmind today --drafts · then: topofmind done ID | snooze ID --until DATETIME | skip ID")


# Files smaller than this import before a progress bar would be worth drawing.
PROGRESS_FROM_BYTES = 512 * 1024


@contextmanager
def progress(title: str, size: int, raw: BinaryIO, *, quiet: bool) -> Iterator[Callable[[int], None] | None]:
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


def import_report_dict(report: ImportReport, *, file: Path | None = None) -> dict[str, Any]:
    from topofmind.crm.services.imports.report import report_dict

    return {"file": str(file) if file else None, **report_dict(report)}


def print_import_report(report: ImportReport, file: Path) -> None:
    from rich.console import Console
    from rich.markup import escape as escape_markup

    def escape(text: str) -> str:
        return escape_markup(safe(text))

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
    if report.remarks:
        console.print("Imported, with a remark:")
        for remark in report.remarks:
            console.print(f"  line {remark.line}: {escape(remark.text)}")
    if report.dry_run:
        console.print("[bold]Dry run: nothing was written.[/bold] Run it again without --dry-run to import.")
    elif report.invalid:
        console.print("Fix the invalid rows and import the file again: rows already in are not duplicated.")


def print_search(found: SearchResults, *, tz: str) -> None:
    """Search results, one block per kind that found something: ids first, for the other commands."""
    if found.empty:
        echo(f'Nothing holds "{safe(found.term)}".')
        return
    out = console()
    blocks = (
        ("People", found.people),
        ("Organizations", found.organizations),
        ("Openings", found.openings),
        ("Touches", found.touches),
    )
    for heading, block in blocks:
        if not block.hits:
            continue
        out.print(f"{heading}{' (first ' + str(len(block.hits)) + ')' if block.more else ''}:", highlight=False)
        for hit in block.hits:
            when = f"{show_time(hit.at, tz)}  " if hit.at is not None else ""
            detail = f"  {hit.detail}" if hit.detail else ""
            out.print(f"  #{hit.id}  {when}{hit.title}{detail}", highlight=False, markup=False, soft_wrap=True)


def backup_summary(counts: dict[str, int]) -> str:
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


def spinner(title: str) -> Any:
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


def send_dict(send: SendView | None) -> dict[str, Any] | None:
    if send is None:
        return None
    return {
        "id": send.id,
        "followup_id": send.followup_id,
        "to": send.to,
        "subject": send.subject,
        "state": send.state,
        "message_id": send.message_id or None,
        "queued_at": send.queued_at.isoformat(),
        "sent_at": send.sent_at.isoformat() if send.sent_at else None,
        "error": send.error or None,
        "copy_error": send.copy_error or None,
        "sentence": send.sentence,
    }


# A sync with fewer messages than this ends before a progress bar would be worth drawing.
SYNC_PROGRESS_FROM = 200


@contextmanager
def sync_progress(*, quiet: bool) -> Iterator[Callable[[int, int], None] | None]:
    """A Rich progress bar on stderr for a long mailbox sync, drawn only on a terminal."""
    if quiet or not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    with Progress(
        TextColumn("Reading mail"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=Console(stderr=True),
        transient=True,
    ) as bar:
        task: Any = None

        def tick(done: int, total: int) -> None:
            nonlocal task
            if task is None:
                if total < SYNC_PROGRESS_FROM:
                    return
                task = bar.add_task("mail", total=total)
            bar.update(task, completed=done, total=total)

        yield tick


def sync_report_dict(report: SyncReport) -> dict[str, Any]:
    return report.as_dict()


def review_dict(item: ReviewView) -> dict[str, Any]:
    return {
        "id": item.id,
        "kind": item.kind,
        "received_at": item.received_at.isoformat(),
        "from": {"name": item.sender_name, "address": item.sender_address},
        "subject": item.subject,
        "summary": item.summary,
        "question": item.question,
        "organization": item.organization or None,
        "opportunity_id": item.opportunity_id,
        "proposed_stage": item.proposed_stage or None,
        "ats_system": item.ats_system or None,
        "ats_category": item.ats_category or None,
        "can_accept": item.can_accept,
    }


def print_reviews(items: list[ReviewView]) -> None:
    if not items:
        typer.echo("Nothing to review: the sync has acted on every mail it could.")
        return
    for item in items:
        who = f"{item.sender_name} <{item.sender_address}>" if item.sender_name else item.sender_address
        echo(f"#{item.id}  {item.received_at:%Y-%m-%d}  {who}: {item.subject}")
        echo(f"     {item.question}")
    typer.echo("Then: topofmind mail review --accept ID | --dismiss ID")


def mail_status_dict(status: MailStatus) -> dict[str, Any]:
    account = status.account
    return {
        "account": None
        if account is None
        else {
            "imap": account.imap,
            "smtp": account.smtp,
            "username": account.username,
            "addresses": account.addresses,
            "password_set": account.password_set,
            "digest_hour": account.digest_hour,
        },
        "account_sentence": status.account_sentence,
        "queue": status.queue_sentence,
        "last_send": send_dict(status.last_send),
        "last_error": status.last_error or None,
        "unknown_outcome": [send_dict(s) for s in status.needs_attention],
    }


def print_mail_status(status: MailStatus) -> None:
    account = status.account
    if account is not None:
        typer.echo(f"Account:    {account.username} - IMAP {account.imap}, SMTP {account.smtp}")
        typer.echo(f"Sends as:   {', '.join(account.addresses)}")
        digest = "off" if account.digest_hour is None else f"business days at {account.digest_hour:02d}:00"
        typer.echo(f"Digest:     {digest}")
    typer.echo(status.account_sentence)
    typer.echo(status.queue_sentence)
    if status.last_send is not None:
        typer.echo(f"Last send:  {status.last_send.sentence}")
    if status.last_error:
        typer.echo(f"Last error: {status.last_error}")
    for send in status.needs_attention:
        typer.echo(f"Check this one: send #{send.id} “{send.subject}” - {send.sentence}")
    if status.needs_attention:
        typer.echo("Then say how it went: topofmind mail resolve ID --sent (or --not-sent)")


def print_outbox(sends: list[SendView]) -> None:
    if not sends:
        typer.echo("Nothing was sent from topofmind yet.")
        return
    for send in sends:
        followup = f"follow-up #{send.followup_id}" if send.followup_id else "follow-up deleted"
        typer.echo(f"#{send.id}  {send.state:<8} “{send.subject}” ({followup}): {send.sentence}")
    if any(send.state == "unknown" for send in sends):
        typer.echo("Look in your Sent folder, then: topofmind mail resolve ID --sent (or --not-sent)")


def print_removal(removal: Any) -> None:
    """What a delete takes with it and what stays (``crm.queries.Removal``), before asking."""
    echo(f"Deleting {removal.noun} #{removal.row_id} {safe(removal.name)} takes with it:")
    for line in removal.goes:
        echo(f"  {line}")
    for line in removal.stays:
        echo(f"  ({line})")


def print_merge(preview: Any) -> None:
    """What merging moves (``crm.queries.MergePreview``), before asking."""
    keep, other = preview.keep, preview.other
    echo(f"Merging #{other.pk} {safe(other.name)} into #{keep.pk} {safe(keep.name)} moves:")
    for line in preview.moves:
        echo(f"  {line}")
    if preview.same_emails:
        echo(f"  (both have {', '.join(preview.same_emails)}: kept once)")
    if preview.do_not_contact:
        echo(f"  {safe(keep.name)} will be do-not-contact: one of the two asked not to be contacted (R9)")
    echo(f"Then #{other.pk} {safe(other.name)} is gone.")
