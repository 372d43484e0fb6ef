"""What the parsers yield: normalized records, or a problem with one row.

A parser streams its file and yields, in file order, one item per data row:
a ``ContactRecord`` / ``ApplicationRecord``, or a ``RowProblem`` naming the row's
line and what is wrong with it. A problem with the whole file (not a CSV, no header,
cut short) raises ``ImportFileError`` instead; the import then writes nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date

from topofmind.integrations.normalize import phone_key, unique


class ImportFileError(Exception):
    """The file as a whole cannot be imported. The message names the line or field."""

    def __init__(self, message: str, *, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}" if self.line else self.message


@dataclass(frozen=True)
class RowProblem:
    """A data row we did not take: ``skipped`` rows are empty by nature, the rest invalid."""

    line: int
    reason: str
    skipped: bool = False

    def __str__(self) -> str:
        return f"line {self.line}: {self.reason}"


@dataclass(frozen=True)
class ContactRecord:
    """One person as an outside address book knows them, fields normalized, nothing invented.

    ``emails`` and ``phones`` are ``(label, value)`` pairs; labels are lower-case words
    ("work", "home", "mobile", ...) or "" when the source gave none; phone numbers are kept
    as given. ``linkedin_url`` is canonical (see ``text.canonical_linkedin_url``).
    """

    line: int
    source: str  # "linkedin", "google", "vcard"
    name: str
    first_name: str = ""
    last_name: str = ""
    emails: tuple[tuple[str, str], ...] = ()
    phones: tuple[tuple[str, str], ...] = ()
    organization: str = ""
    department: str = ""
    title: str = ""
    linkedin_url: str = ""
    websites: tuple[str, ...] = ()
    notes: str = ""
    tags: tuple[str, ...] = ()
    connected_on: date | None = None  # LinkedIn "Connected On"
    birthday: date | None = None
    remarks: tuple[str, ...] = ()  # what the preview should say about this row (it is still imported)

    @property
    def email_addresses(self) -> tuple[str, ...]:
        return tuple(address for _, address in self.emails)


def address_book_record(
    *,
    line: int,
    source: str,
    no_name_reason: str,
    name: str,
    first_name: str,
    last_name: str,
    emails: list[tuple[str, str]],
    phones: list[tuple[str, str]],
    organization: str,
    department: str,
    title: str,
    linkedin_url: str,
    websites: list[str],
    notes: str,
    tags: list[str],
    birthday: date | None,
) -> ContactRecord | RowProblem:
    """An address-book entry (Google contacts, a vCard) as a record, the same for every book.

    Repeated e-mails, phone numbers, websites and tags are dropped (the first wins); an entry
    without a name is named by its first e-mail address, and one with neither is a skipped
    row (``no_name_reason`` says so in the book's own words).
    """
    unique_emails = unique(emails)
    if not name:
        if not unique_emails:
            return RowProblem(line, no_name_reason, skipped=True)
        name = unique_emails[0][1]
    return ContactRecord(
        line=line,
        source=source,
        name=name,
        first_name=first_name,
        last_name=last_name,
        emails=unique_emails,
        phones=unique(phones, key=phone_key),
        organization=organization,
        department=department,
        title=title,
        linkedin_url=linkedin_url,
        websites=tuple(dict.fromkeys(websites)),
        notes=notes,
        tags=tuple(dict.fromkeys(tags)),
        birthday=birthday,
    )


@dataclass(frozen=True)
class ApplicationRecord:
    """One application from another tracker's export, mapped onto our fields."""

    line: int
    company: str
    title: str
    stage: str  # one of engine.types.Stage values
    stage_as_given: str = ""
    applied_on: date | None = None
    url: str = ""
    contact_name: str = ""
    contact_email: str = ""
    contact_role: str = ""  # engine Role value when the column says so ("Recruiter"), else ""
    notes: str = ""
    location: str = ""
    extra: tuple[tuple[str, str], ...] = field(default=())  # unmapped non-empty columns


@dataclass
class ParsedFile:
    """An opened import file: what it is, and its rows as a one-pass stream.

    Opening a file reads only its head (encoding, header); ``rows`` reads on lazily and may
    still raise ``ImportFileError`` at the end if the file turns out to be cut short.
    """

    kind: str  # "linkedin", "google", "vcard", "applications"
    layout: str  # for people: "LinkedIn Connections export (current, with the Notes preamble)"
    encoding: str  # for people: "UTF-8", "UTF-16 (little-endian) with byte-order mark"
    rows: Iterator[ContactRecord | ApplicationRecord | RowProblem]
    notes: list[str] = field(default_factory=list)  # remarks for the preview
    # applications: file column -> our field ("" = not imported), as guessed or given
    mapping: dict[str, str] = field(default_factory=dict)
