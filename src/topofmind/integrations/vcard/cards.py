"""Parse vCard files (3.0 and 4.0; iOS, macOS and Google exports) with ``vobject``.

We only cut the stream into cards (``BEGIN:VCARD`` .. ``END:VCARD``, counting lines so
each card knows where it starts); ``vobject`` parses each card: folded lines, escapes,
parameters, grouped properties (``item1.EMAIL`` + ``item1.X-ABLabel``). Cutting first
keeps memory bounded (``vobject.readComponents`` reads the whole stream) and lets one
broken card be reported by its line while the rest import.
"""

from __future__ import annotations

import quopri
import re
from collections.abc import Iterator
from datetime import date
from typing import Any, BinaryIO

import vobject
from vobject.base import Component, ContentLine

from topofmind.integrations.decoding import TextLines
from topofmind.integrations.normalize import (
    canonical_linkedin_url,
    clean,
    clean_block,
    full_name,
    label_word,
    normalize_email,
    parse_date,
)
from topofmind.integrations.records import ContactRecord, ImportFileError, ParsedFile, RowProblem, address_book_record

# A card bigger than this (photos included) is not an address-book entry we want.
MAX_CARD_CHARS = 16 * 1024 * 1024
_BEGIN = re.compile(r"^(?:[\w-]+\.)?BEGIN:VCARD\s*$", re.IGNORECASE)
_END = re.compile(r"^(?:[\w-]+\.)?END:VCARD\s*$", re.IGNORECASE)
# TYPE values that say nothing a person would call a label.
_NOISE_TYPES = {
    "internet",
    "pref",
    "voice",
    "x400",
    "x-internet",
    "text",
    "uri",
    "quoted-printable",
    "base64",
    "8bit",
    "7bit",
    "b",
}
_SYSTEM_CATEGORIES = {"mycontacts", "my contacts", "starred in android", "other contacts"}


def parse_vcards(stream: BinaryIO) -> ParsedFile:
    """Open a .vcf file (binary stream). Raises ImportFileError if it is not one."""
    lines = TextLines(stream)
    cards = _cards(lines)
    try:
        first = next(cards)
    except StopIteration:
        raise ImportFileError("the file has no vCards in it (no BEGIN:VCARD line)") from None

    def rows() -> Iterator[ContactRecord | RowProblem]:
        for start, text, problem in _chain(first, cards):
            if problem:
                yield RowProblem(start, problem)
            else:
                yield _record(start, text)

    return ParsedFile("vcard", "vCard file", lines.encoding.label, rows())


_Card = tuple[int, str, str | None]  # first line, text, problem


def _chain(first: _Card, rest: Iterator[_Card]) -> Iterator[_Card]:
    yield first
    yield from rest


def _cards(lines: TextLines) -> Iterator[_Card]:
    """``(first line, card text, problem)`` for each card in the stream."""
    buffer: list[str] = []
    size = 0
    start = 0
    depth = 0
    seen_card = False
    too_big = False
    for line in lines:
        stripped = line.rstrip("\r\n")
        if depth == 0:
            if _BEGIN.match(stripped):
                depth, start, buffer, size = 1, lines.line_no, [line], len(line)
                too_big, seen_card = False, True
            elif stripped.strip() and not seen_card:
                raise ImportFileError(
                    f"this is not a vCard file: it should start with BEGIN:VCARD, but line "
                    f"{lines.line_no} reads '{stripped[:60]}'"
                )
            continue
        if _BEGIN.match(stripped):
            depth += 1  # an embedded card (AGENT); vobject handles it
        elif _END.match(stripped):
            depth -= 1
        size += len(line)
        if size > MAX_CARD_CHARS:
            too_big = True
            buffer = []
        elif not too_big:
            buffer.append(line)
        if depth == 0:
            problem = lines.problem_between(start, lines.line_no)
            if too_big:
                problem = f"the card is larger than {MAX_CARD_CHARS // (1024 * 1024)} MB"
            yield start, "".join(buffer), problem
            buffer = []
    if depth > 0:
        raise ImportFileError(
            "the card that begins here has no END:VCARD: the file looks cut short — export it again",
            line=start,
        )
    if not seen_card:
        raise ImportFileError("this is not a vCard file: it has no BEGIN:VCARD line")


def _record(start: int, text: str) -> ContactRecord | RowProblem:
    try:
        card = vobject.readOne(text, allowQP=True)
    except Exception as exc:  # vobject raises ParseError and a few plain errors
        where = getattr(exc, "lineNumber", None)
        at = f" (card line {where})" if where else ""
        return RowProblem(start, f"the card cannot be read{at}: {exc}")
    try:
        return _from_card(start, card)
    except _FieldError as exc:
        return RowProblem(start, str(exc))


class _FieldError(Exception):
    pass


def _lines(card: Component, name: str) -> list[ContentLine]:
    return list(card.contents.get(name, []))


def _text(line: ContentLine) -> str:
    """A property's value as text: lists joined, vCard 2.1 quoted-printable decoded."""
    value: Any = line.value
    if isinstance(value, list | tuple):
        value = " ".join(_text_part(line, str(v)) for v in value if v)
    elif isinstance(value, bytes):
        return ""
    return _text_part(line, str(value))


def _text_part(line: ContentLine, value: str) -> str:
    encoding = [e.upper() for e in [*line.params.get("ENCODING", []), *getattr(line, "singletonparams", [])]]
    if "QUOTED-PRINTABLE" in encoding:
        charset = (line.params.get("CHARSET") or ["utf-8"])[0]
        try:
            return quopri.decodestring(value.encode("latin-1")).decode(charset)
        except (LookupError, UnicodeError):
            return value
    return value.replace("\\:", ":")


def _labels(card: Component, line: ContentLine) -> str:
    """The label a person gave this value: Apple's X-ABLabel for the group, else its TYPE."""
    if line.group:
        for ab in _lines(card, "x-ablabel"):
            if ab.group == line.group and _text(ab).strip():
                return label_word(_text(ab))
    types: list[str] = []
    # vCard 2.1 writes bare parameters (TEL;CELL:...); 3.0 and 4.0 write TYPE=.
    for value in [*line.params.get("TYPE", []), *getattr(line, "singletonparams", [])]:
        types.extend(t.strip() for t in str(value).split(","))
    words = [label_word(t) for t in types if t and t.lower() not in _NOISE_TYPES]
    return words[0] if words else ""


def _from_card(start: int, card: Component) -> ContactRecord | RowProblem:
    first = last = middle = prefix = suffix = ""
    for n in _lines(card, "n")[:1]:
        value = n.value
        if isinstance(value, vobject.vcard.Name):
            first, middle = _name_part(n, value.given), _name_part(n, value.additional)
            last = _name_part(n, value.family)
            prefix, suffix = _name_part(n, value.prefix), _name_part(n, value.suffix)
    fn = clean(next((_text(line) for line in _lines(card, "fn") if _text(line).strip()), ""))
    name = fn or full_name(prefix, first, middle, last, suffix)
    name = name or clean(next((_text(line) for line in _lines(card, "nickname")), ""))

    emails: list[tuple[str, str]] = []
    for line in _lines(card, "email"):
        raw = clean(_text(line))
        if not raw:
            continue
        address = normalize_email(raw)
        if address is None:
            raise _FieldError(f"EMAIL: '{raw}' is not an e-mail address")
        emails.append((_labels(card, line), address))

    phones: list[tuple[str, str]] = []
    for line in _lines(card, "tel"):
        number = clean(_text(line))
        if number.lower().startswith("tel:"):
            number = number[4:].replace(";ext=", " ext. ")
        if number:
            phones.append((_labels(card, line), number))

    organization = department = ""
    for line in _lines(card, "org")[:1]:
        parts = line.value if isinstance(line.value, list) else [line.value]
        parts = [clean(_text_part(line, str(p))) for p in parts if p]
        organization = parts[0] if parts else ""
        department = " / ".join(p for p in parts[1:] if p)
    title = clean(next((_text(line) for line in _lines(card, "title")), ""))
    notes = "\n\n".join(filter(None, (clean_block(_text(line)) for line in _lines(card, "note"))))

    linkedin = ""
    websites: list[str] = []
    for prop in ("url", "x-socialprofile"):
        for line in _lines(card, prop):
            raw = clean(_text(line))
            url = canonical_linkedin_url(raw)
            if url:
                linkedin = linkedin or url
            elif raw and prop == "url":
                websites.append(raw)

    tags: list[str] = []
    for line in _lines(card, "categories"):
        values = line.value if isinstance(line.value, list) else str(line.value).split(",")
        for value in values:
            tag = clean(str(value))
            if tag and tag.lower() not in _SYSTEM_CATEGORIES:
                tags.append(tag)

    birthday = None
    for line in _lines(card, "bday")[:1]:
        raw = clean(_text(line))
        try:
            birthday = _vcard_date(raw)
        except ValueError:
            notes = "\n".join(filter(None, [notes, f"Birthday: {raw}"]))

    return address_book_record(
        line=start,
        source="vcard",
        no_name_reason="the card has no name and no e-mail address",
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


def _name_part(line: ContentLine, value: Any) -> str:
    if isinstance(value, list | tuple):
        return clean(" ".join(_text_part(line, str(v)) for v in value if v))
    return clean(_text_part(line, str(value or "")))


def _vcard_date(raw: str) -> date | None:
    """vCard dates: ``1984-02-29``, ``19800115``, ``1984-02-29T00:00:00Z``; ``--0412`` has no year."""
    if not raw:
        return None
    if raw.startswith("--"):
        raise ValueError(raw)
    return parse_date(raw[:10] if "T" in raw else raw)
