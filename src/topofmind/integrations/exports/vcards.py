"""People as vCard 3.0, the version every address book imports (Apple, Google, Outlook).

``vobject`` writes the cards: escaping, line folding, CRLF. We choose what goes where: known
labels become TYPE values, any other label rides along Apple's way (``itemN.TEL`` with an
``itemN.X-ABLabel``), which our own importer and Apple read back and others ignore; roles
become CATEGORIES; the LinkedIn profile is a URL labelled "LinkedIn".
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, TextIO

import vobject

from topofmind.integrations.exports.errors import ExportError

PRODID = "-//topofmind//people//EN"
_LINE_OCTETS = 75
# Control characters other than tab and line breaks make readers drop a card, or the file:
# our importer refuses it as binary.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
# Labels a vCard 3.0 reader understands as TYPE values (RFC 2426).
_EMAIL_TYPES = {"work": "WORK", "home": "HOME"}
_PHONE_TYPES = {"work": "WORK", "home": "HOME", "mobile": "CELL", "fax": "FAX", "pager": "PAGER"}


@dataclass(frozen=True)
class PersonCard:
    """One person for the address book.

    ``emails`` and ``phones`` are ``(label, value)`` pairs as the importers yield them (labels
    are lower-case words, "" for none). ``roles`` become categories, in the words the caller
    wants shown. ``uid`` is optional; when given it lets an address book recognise the person on
    a second import instead of adding them twice.
    """

    name: str
    first_name: str = ""
    last_name: str = ""
    emails: tuple[tuple[str, str], ...] = ()
    phones: tuple[tuple[str, str], ...] = ()
    organization: str = ""
    title: str = ""
    linkedin_url: str = ""
    notes: str = ""
    roles: tuple[str, ...] = ()
    uid: str = ""


def vcard_text(person: PersonCard, *, number: int = 1) -> str:
    """One card (CRLF lines). ``number`` is the person's place in the export, for errors."""
    person = _without_control_characters(person)
    name = " ".join(person.name.split())
    if not name:
        raise ExportError(f"Person {number} has no name; a vCard needs one to be shown in an address book.")
    card = vobject.vCard()
    _add(card, "prodid", PRODID)
    if person.uid.strip():
        _add(card, "uid", person.uid.strip())
    _add(card, "fn", name)
    if person.first_name.strip() or person.last_name.strip():
        _add(card, "n", vobject.vcard.Name(family=person.last_name.strip(), given=person.first_name.strip()))
    else:
        # No parts given and we do not guess where a name splits; apps that show only N
        # (Apple's, in some views) still show the whole name this way.
        _add(card, "n", vobject.vcard.Name(given=name))

    groups = iter(range(1, 10_000))
    for label, address in person.emails:
        if not address.strip():
            continue
        _labelled(card, "email", address.strip(), label, _EMAIL_TYPES, groups, always=["INTERNET"])
    for label, number_text in person.phones:
        if not number_text.strip():
            continue
        # No VOICE: it is vCard 3.0's default for TEL, and wrong next to FAX or PAGER.
        _labelled(card, "tel", number_text.strip(), label, _PHONE_TYPES, groups, always=[])

    if person.organization.strip():
        _add(card, "org", [person.organization.strip()])
    if person.title.strip():
        _add(card, "title", person.title.strip())
    if person.linkedin_url.strip():
        _labelled(card, "url", person.linkedin_url.strip(), "LinkedIn", {}, groups, always=[])
    notes = person.notes.strip()
    if notes:
        _add(card, "note", notes)
    roles = [role.strip() for role in person.roles if role.strip()]
    if roles:
        _add(card, "categories", list(dict.fromkeys(roles)))
    text: str = card.serialize()
    return _fold_long_lines(text)


def vcard_lines(people: Iterable[PersonCard]) -> Iterator[str]:
    """The cards one by one, for a streaming response; ``people`` is read lazily."""
    for number, person in enumerate(people, start=1):
        yield vcard_text(person, number=number)


def write_vcards(stream: TextIO, people: Iterable[PersonCard]) -> int:
    """Write a .vcf file to ``stream`` (open it with ``encoding="utf-8", newline=""``); count the cards."""
    cards = 0
    for card in vcard_lines(people):
        stream.write(card)
        cards += 1
    return cards


def _without_control_characters(person: PersonCard) -> PersonCard:
    def text(value: str) -> str:
        return _CONTROL.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))

    def pairs(values: tuple[tuple[str, str], ...]) -> tuple[tuple[str, str], ...]:
        return tuple((text(label), text(value)) for label, value in values)

    return PersonCard(
        name=text(person.name),
        first_name=text(person.first_name),
        last_name=text(person.last_name),
        emails=pairs(person.emails),
        phones=pairs(person.phones),
        organization=text(person.organization),
        title=text(person.title),
        linkedin_url=text(person.linkedin_url),
        notes=text(person.notes),
        roles=tuple(text(role) for role in person.roles),
        uid=text(person.uid),
    )


def _fold_long_lines(text: str) -> str:
    """Fold the lines vobject leaves longer than 75 octets (RFC 2425 5.8.1).

    vobject folds by octets, but skips any line shorter than 75 *characters*, so a short line
    of accented or CJK text can run to 200 octets; strict readers then reject the card.
    """
    lines: list[str] = []
    for line in text.split("\r\n"):
        if len(line.encode("utf-8")) <= _LINE_OCTETS:
            lines.append(line)
            continue
        piece, size = "", 0
        for char in line:
            octets = len(char.encode("utf-8"))
            if size + octets > _LINE_OCTETS:
                lines.append(piece)
                piece, size = " ", 1  # a continuation line starts with one space
            piece += char
            size += octets
        lines.append(piece)
    return "\r\n".join(lines)


def _add(card: Any, name: str, value: object) -> Any:
    line = card.add(name)
    line.value = value
    return line


def _labelled(
    card: Any,
    name: str,
    value: str,
    label: str,
    types: dict[str, str],
    groups: Iterator[int],
    *,
    always: list[str],
) -> None:
    word = label.strip().lower()
    line = _add(card, name, value)
    if word in types:
        line.type_param = [*always, types[word]]
        return
    if always:
        line.type_param = always
    if word:
        group = f"item{next(groups)}"
        line.group = group
        _add(card, "x-ablabel", label.strip()).group = group
