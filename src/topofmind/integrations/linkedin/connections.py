"""Parse LinkedIn's ``Connections.csv``, every variant users really have.

* Current exports start with a ``Notes:`` line and a quoted paragraph about missing
  e-mail addresses, then a blank line, then the header
  ``First Name,Last Name,URL,Email Address,Company,Position,Connected On``; dates read
  ``04 Dec 2025``.
* Older exports have no preamble, no ``URL`` column, and dates like ``1/8/18, 6:14 PM``.
* Users delete the preamble by hand, sometimes leaving a blank line or the paragraph.
* Some rows are empty but for the date (members who hide their profile): skipped.
* Members who hide their e-mail address get ``urn:li:member:<digits>`` in "Email Address":
  the person is imported without an e-mail, and the row says so.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from typing import BinaryIO

from topofmind.integrations.csv_tables import CsvRow, CsvTable, column_key, parse_renames
from topofmind.integrations.normalize import (
    canonical_linkedin_url,
    clean,
    full_name,
    normalize_email,
    parse_date,
)
from topofmind.integrations.records import ContactRecord, ImportFileError, ParsedFile, RowProblem

HEADER = "First Name,Last Name,URL,Email Address,Company,Position,Connected On"
URL_KEYS = ("url", "profile url", "linkedin url", "public profile url")
EMAIL_KEYS = ("email address", "e-mail address", "email", "e-mail")
# What LinkedIn writes in "Email Address" for a member who hides their address.
MEMBER_PLACEHOLDER = re.compile(r"urn:li:member:\d+", re.IGNORECASE)


def _is_header(cells: Sequence[str]) -> bool:
    keys = {column_key(c) for c in cells}
    return "first name" in keys and "last name" in keys


COLUMNS = {column_key(c) for c in HEADER.split(",")} | set(URL_KEYS) | set(EMAIL_KEYS)


def parse_connections(stream: BinaryIO, *, overrides: Iterable[str] = ()) -> ParsedFile:
    """Open a Connections.csv (binary stream). Raises ImportFileError if it is not one.

    ``overrides`` (``"COLUMN=OURS"``) read a column under another name, for a hand-made
    file: ``"Surname=Last Name"``.
    """
    rename = parse_renames(overrides, known=lambda c: c in COLUMNS, example="Surname=Last Name")
    table = CsvTable(stream, is_header=_is_header, expected=HEADER, rename=rename)
    keys = set(table.keys)
    if "connected on" not in keys and "company" not in keys:
        # First/Last Name alone is every address book; make sure this is LinkedIn's.
        raise ImportFileError(
            f"this does not look like LinkedIn's Connections.csv: the header has no "
            f"'Connected On' or 'Company' column (expected '{HEADER}')",
            line=table.header_line,
        )
    has_url = any(k in keys for k in URL_KEYS)
    if table.preamble_rows:
        layout = f"LinkedIn Connections export with the Notes preamble (header on line {table.header_line})"
    elif has_url:
        layout = "LinkedIn Connections export (preamble removed)"
    else:
        layout = "older LinkedIn Connections export (no URL column)"
    notes = [] if has_url else ["this export has no profile URLs; duplicates are matched by e-mail and name"]
    return ParsedFile("linkedin", layout, table.encoding_label, _records(table), notes)


def _records(table: CsvTable) -> Iterator[ContactRecord | RowProblem]:
    for row in table:
        if row.problem:
            yield RowProblem(row.line, row.problem)
            continue
        yield _record(row)


def _record(row: CsvRow) -> ContactRecord | RowProblem:
    first = clean(row.get("first name"))
    last = clean(row.get("last name"))
    raw_email = row.get(*EMAIL_KEYS)
    raw_url = row.get(*URL_KEYS)
    company = clean(row.get("company"))
    position = clean(row.get("position"))
    try:
        connected_on = parse_date(row.get("connected on"))
    except ValueError as exc:
        return RowProblem(row.line, f"Connected On: {exc}")
    email = None
    remarks: tuple[str, ...] = ()
    if raw_email and MEMBER_PLACEHOLDER.fullmatch(raw_email.strip()):
        remarks = (f"imported without an e-mail: LinkedIn gives '{raw_email.strip()}' for a member who hides it",)
    elif raw_email:
        email = normalize_email(raw_email)
        if email is None:
            return RowProblem(row.line, f"Email Address: '{clean(raw_email)}' is not an e-mail address")
    url = None
    if raw_url:
        url = canonical_linkedin_url(raw_url)
        if url is None:
            return RowProblem(row.line, f"URL: '{clean(raw_url)}' is not a LinkedIn profile address")
    name = full_name(first, last)
    if not name:
        if not (email or url or company or position):
            return RowProblem(
                row.line,
                "the row is empty but for the date (LinkedIn hides members who limit their profile)",
                skipped=True,
            )
        if email is None:
            return RowProblem(row.line, "First Name and Last Name are empty", skipped=True)
        name = email
    return ContactRecord(
        line=row.line,
        source="linkedin",
        name=name,
        first_name=first,
        last_name=last,
        emails=(("", email),) if email else (),
        organization=company,
        title=position,
        linkedin_url=url or "",
        connected_on=connected_on,
        remarks=remarks,
    )
