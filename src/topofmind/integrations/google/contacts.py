"""Parse a Google Contacts CSV export, in both layouts Google has shipped.

* The older "Google CSV": ``Name, Given Name, Additional Name, Family Name, ...,
  Group Membership, E-mail 1 - Type, E-mail 1 - Value, Phone 1 - Type, Phone 1 - Value,
  Organization 1 - Name, Organization 1 - Title, Website 1 - Value, ...``
* The newer one (2023-): ``First Name, Middle Name, Last Name, ..., Organization Name,
  Organization Title, Organization Department, Birthday, Notes, Labels,
  E-mail 1 - Label, E-mail 1 - Value, Phone 1 - Label, Phone 1 - Value, ...``

Google packs several values into one cell with ``" ::: "`` and marks the primary label
with ``"* "``; labels (groups) become tags, minus the system group "My Contacts".
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from typing import BinaryIO

from topofmind.integrations.csv_tables import CsvRow, CsvTable, column_key, parse_renames
from topofmind.integrations.normalize import (
    canonical_linkedin_url,
    clean,
    clean_block,
    full_name,
    label_word,
    normalize_email,
    parse_date,
    split_multi,
)
from topofmind.integrations.records import ContactRecord, ImportFileError, ParsedFile, RowProblem, address_book_record

HEADER_OLD = "Name,Given Name,Additional Name,Family Name,...,E-mail 1 - Type,E-mail 1 - Value,..."
HEADER_NEW = "First Name,Middle Name,Last Name,...,Labels,E-mail 1 - Label,E-mail 1 - Value,..."
_NUMBERED = re.compile(r"^(e-mail|email|phone|website|organization) (\d+) - (.+)$")
_SYSTEM_GROUPS = {"mycontacts", "my contacts", "other contacts"}


def _is_header(cells: Sequence[str]) -> bool:
    keys = {column_key(c) for c in cells}
    if "given name" in keys or "family name" in keys:
        return True
    google_only = {"labels", "organization name", "e-mail 1 - value", "group membership", "file as"}
    return "first name" in keys and bool(keys & google_only)


# The columns we read (besides the numbered ones, see _NUMBERED).
COLUMNS = {
    "name",
    "given name",
    "additional name",
    "family name",
    "first name",
    "middle name",
    "last name",
    "name prefix",
    "name suffix",
    "nickname",
    "file as",
    "organization name",
    "organization title",
    "organization department",
    "birthday",
    "notes",
    "labels",
    "group membership",
}


def parse_google_csv(stream: BinaryIO, *, overrides: Iterable[str] = ()) -> ParsedFile:
    """Open a Google Contacts CSV (binary stream). Raises ImportFileError if it is not one.

    ``overrides`` (``"COLUMN=OURS"``) read a column under one of Google's names, for a
    file from elsewhere: ``"Mail=E-mail 1 - Value"``.
    """
    rename = parse_renames(
        overrides, known=lambda c: c in COLUMNS or bool(_NUMBERED.match(c)), example="Mail=E-mail 1 - Value"
    )
    table = CsvTable(stream, is_header=_is_header, expected=f"{HEADER_NEW}' or '{HEADER_OLD}", rename=rename)
    keys = set(table.keys)
    if "given name" in keys or "group membership" in keys:
        layout = "Google Contacts CSV (older layout: Given Name / Family Name)"
    else:
        layout = "Google Contacts CSV (current layout: First Name / Last Name / Labels)"
    if not keys & {"given name", "family name", "first name", "last name", "name"}:
        raise ImportFileError("the header has no name columns", line=table.header_line)
    groups = _numbered_columns(table.keys)
    return ParsedFile("google", layout, table.encoding_label, _records(table, groups))


def _numbered_columns(keys: Sequence[str]) -> dict[str, dict[int, dict[str, str]]]:
    """``{'e-mail': {1: {'label': 'e-mail 1 - type', 'value': 'e-mail 1 - value'}}}``."""
    groups: dict[str, dict[int, dict[str, str]]] = defaultdict(lambda: defaultdict(dict))
    for key in keys:
        match = _NUMBERED.match(key)
        if not match:
            continue
        kind, number, part = match.group(1).replace("email", "e-mail"), int(match.group(2)), match.group(3)
        part = {"type": "label"}.get(part, part)
        groups[kind][number][part] = key
    return groups


def _records(table: CsvTable, groups: dict[str, dict[int, dict[str, str]]]) -> Iterator[ContactRecord | RowProblem]:
    for row in table:
        if row.problem:
            yield RowProblem(row.line, row.problem)
            continue
        yield _record(row, groups, table.header, table.keys)


def _pairs(row: CsvRow, columns: dict[int, dict[str, str]]) -> list[tuple[str, str, str]]:
    """``(label, value, column name)`` for every value of a numbered group, in order."""
    out: list[tuple[str, str, str]] = []
    for number in sorted(columns):
        parts = columns[number]
        value_key = parts.get("value")
        if not value_key:
            continue
        labels = split_multi(row.values.get(parts.get("label", ""), ""))
        for i, value in enumerate(split_multi(row.values.get(value_key, ""))):
            label = labels[i] if i < len(labels) else (labels[0] if labels else "")
            out.append((label_word(label), value, value_key))
    return out


def _record(
    row: CsvRow, groups: dict[str, dict[int, dict[str, str]]], header: Sequence[str], keys: Sequence[str]
) -> ContactRecord | RowProblem:
    names = dict(zip(keys, header, strict=True))  # our key -> the column as the file names it
    emails: list[tuple[str, str]] = []
    for label, value, key in _pairs(row, groups.get("e-mail", {})):
        address = normalize_email(value)
        if address is None:
            return RowProblem(row.line, f"{names.get(key, key)}: '{value}' is not an e-mail address")
        emails.append((label, address))
    phones = [(label, clean(value)) for label, value, _ in _pairs(row, groups.get("phone", {}))]
    websites: list[str] = []
    linkedin = ""
    for _, value, _ in _pairs(row, groups.get("website", {})):
        url = canonical_linkedin_url(value)
        if url and not linkedin:
            linkedin = url
        else:
            websites.append(clean(value))

    org_group = groups.get("organization", {}).get(1, {})
    organization = clean(row.get("organization name", org_group.get("name", "")))
    title = clean(row.get("organization title", org_group.get("title", "")))
    department = clean(row.get("organization department", org_group.get("department", "")))

    first = clean(row.get("first name", "given name"))
    middle = clean(row.get("middle name", "additional name"))
    last = clean(row.get("last name", "family name"))
    name = full_name(row.get("name prefix"), first, middle, last, row.get("name suffix"))
    name = name or clean(row.get("name", "file as", "nickname"))

    notes = clean_block(row.get("notes"))
    birthday = None
    raw_birthday = clean(row.get("birthday"))
    if raw_birthday:
        try:
            birthday = parse_date(raw_birthday)
        except ValueError:
            # "--04-12" (no year) and friends: keep it where a person can read it.
            notes = "\n".join(filter(None, [notes, f"Birthday: {raw_birthday}"]))

    tags = []
    for group in split_multi(row.get("labels", "group membership")):
        tag = clean(group.lstrip("*"))
        if tag and tag.lower() not in _SYSTEM_GROUPS:
            tags.append(tag)

    return address_book_record(
        line=row.line,
        source="google",
        no_name_reason="no name and no e-mail address",
        name=name,
        first_name=first,
        last_name=last,
        emails=emails,
        phones=phones,
        organization=organization,
        department=department,
        title=title,
        linkedin_url=linkedin,
        websites=websites,
        notes=notes,
        tags=tags,
        birthday=birthday,
    )
