"""Reading a UID FETCH response as ``imaplib`` hands it back, for the few items the sync asks for.

IMAPClient's general response parser walks every byte of every literal through a Python-level
lexer; for 10,000 messages that was a fifth of a mailbox sync. The sync asks for a fixed set of
items (UID, INTERNALDATE, RFC822.SIZE and body sections), so this reads just those: the literals
arrive whole from ``imaplib`` and are never looked into, and the short text around them is read
with a few regular expressions.

``imaplib`` gives an untagged FETCH as a list in which each message is one or more pieces: a
``(text ending in {n}, literal bytes)`` pair per literal and a closing ``bytes`` line; the first
piece of a message starts with its sequence number and "(". Items may come in any order, and a
server may add FLAGS or answer a body section with NIL or a quoted string instead of a literal.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

_START = re.compile(rb"^\d+ \(")
_LITERAL_ITEM = re.compile(rb"(BODY\[[^\]]*\](?:<\d+>)?) \{\d+\}$", re.IGNORECASE)
_INLINE_ITEM = re.compile(rb'(BODY\[[^\]]*\](?:<\d+>)?) (NIL|"((?:[^"\\]|\\.)*)")', re.IGNORECASE)
_UID = re.compile(rb"\bUID (\d+)", re.IGNORECASE)
_SIZE = re.compile(rb"\bRFC822\.SIZE (\d+)", re.IGNORECASE)
_DATE = re.compile(rb'\bINTERNALDATE "([^"]+)"', re.IGNORECASE)
_IMAP_DATE = re.compile(r"^\s*(\d{1,2})-([A-Za-z]{3})-(\d{4}) (\d{2}):(\d{2}):(\d{2}) ([+-])(\d{2})(\d{2})$")
_MONTHS = {
    m: i for i, m in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1)
}


@dataclass
class FetchedItems:
    """One message's answer: its UID, INTERNALDATE, RFC822.SIZE and body sections by name."""

    uid: int | None = None
    internal_date: datetime | None = None
    size: int = 0
    sections: dict[bytes, bytes] = field(default_factory=dict)


def parse_fetch(data: list[Any]) -> dict[int, FetchedItems]:
    """The messages of one UID FETCH answer by UID (answers without a UID, such as unsolicited
    flag updates, are left out). Section names are upper-cased, e.g. ``BODY[HEADER]``."""
    found: dict[int, FetchedItems] = {}
    text: list[bytes] = []
    current: FetchedItems | None = None

    def finish() -> None:
        if current is not None:
            _read_text(current, b" ".join(text))
            if current.uid is not None:
                found[current.uid] = current

    for piece in data:
        head = piece[0] if isinstance(piece, tuple) else piece
        if not isinstance(head, bytes):
            continue
        if _START.match(head):
            finish()
            current, text = FetchedItems(), []
        if current is None:
            continue
        if isinstance(piece, tuple):
            literal = _LITERAL_ITEM.search(head)
            if literal is not None:
                current.sections[literal.group(1).upper()] = bytes(piece[1])
                head = head[: literal.start()]
        text.append(head)
    finish()
    return found


def _read_text(items: FetchedItems, text: bytes) -> None:
    if uid := _UID.search(text):
        items.uid = int(uid.group(1))
    if size := _SIZE.search(text):
        items.size = int(size.group(1))
    if when := _DATE.search(text):
        items.internal_date = internal_date(when.group(1).decode("ascii", "replace"))
    for inline in _INLINE_ITEM.finditer(text):
        quoted = inline.group(3)
        value = re.sub(rb"\\(.)", rb"\1", quoted) if quoted is not None else b""
        items.sections.setdefault(inline.group(1).upper(), value)


def internal_date(text: str) -> datetime | None:
    """An IMAP date-time (`` 3-Dec-2026 18:49:50 +0100``) as an aware datetime in UTC."""
    match = _IMAP_DATE.match(text)
    if match is None:
        return None
    day, month, year, hour, minute, second, sign, zone_h, zone_m = match.groups()
    number = _MONTHS.get(month.lower())
    if number is None:
        return None
    offset = timedelta(hours=int(zone_h), minutes=int(zone_m)) * (-1 if sign == "-" else 1)
    try:
        moment = datetime(int(year), number, int(day), int(hour), int(minute), int(second), tzinfo=timezone(offset))
    except ValueError:
        return None
    return moment.astimezone(UTC)
