"""Fetched bytes to text: the declared character set, checked against the bytes.

Servers and feed generators often get the charset wrong: Latin-1 bytes labelled UTF-8,
UTF-8 labelled ISO-8859-1, or no label at all. Trusting the label gives "CafÃ©" or
U+FFFD where the author wrote "Café". So the label is checked: UTF-8 is strict enough
that bytes which decode as UTF-8 almost surely are UTF-8, and text that is not UTF-8 in
a feed or an article is, in practice, Windows-1252 (the superset of Latin-1 browsers use
for it). When the label was overruled, ``note`` says so in a sentence.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass

_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# Labels that mean "one byte, one Western character": UTF-8 bytes under such a label are mislabelled.
_WESTERN = frozenset({"latin-1", "iso8859-1", "iso8859-15", "cp1252", "ascii"})


@dataclass(frozen=True, slots=True)
class Decoded:
    text: str
    encoding: str
    note: str | None


def decode(
    data: bytes,
    *,
    declared: str | None,
    embedded: str | None = None,
    where: str = "the document",
    truncated: bool = False,
) -> Decoded:
    """Decode ``data``; ``declared`` is the HTTP charset, ``embedded`` the one the document names.

    The HTTP label wins over the document's own (as browsers do), a byte-order mark over both.
    ``truncated``: the bytes were cut at a size limit, so a last character may be incomplete
    (it is dropped rather than taken as proof the text is not UTF-8).
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return Decoded(data[len(bom) :].decode(encoding, errors="replace"), encoding, None)
    label = declared or embedded
    claimed = _codec_name(label)
    utf8 = _try_utf8(data, partial=truncated)
    if claimed is None:
        if utf8 is not None:
            return Decoded(utf8, "utf-8", None)
        prefix = (
            f"{where} names an unknown character set {label!r}" if label else f"{where} does not name its character set"
        )
        return Decoded(
            _western(data), "cp1252", f"{prefix[0].upper()}{prefix[1:]} and is not UTF-8; it was read as Windows-1252."
        )
    if claimed == "utf-8":
        if utf8 is not None:
            return Decoded(utf8, "utf-8", None)
        return Decoded(
            _western(data),
            "cp1252",
            f"{where[0].upper()}{where[1:]} says it is UTF-8 but is not; it was read as Windows-1252.",
        )
    if claimed in _WESTERN and utf8 is not None and not data.isascii():
        return Decoded(
            utf8, "utf-8", f"{where[0].upper()}{where[1:]} says it is {label} but is UTF-8; it was read as UTF-8."
        )
    text = _try(data, claimed)
    if text is not None:
        return Decoded(text, claimed, None)
    if utf8 is not None:
        return Decoded(
            utf8, "utf-8", f"{where[0].upper()}{where[1:]} says it is {label} but is UTF-8; it was read as UTF-8."
        )
    return Decoded(
        _western(data),
        "cp1252",
        f"{where[0].upper()}{where[1:]} says it is {label} but does not decode as such; it was read as Windows-1252.",
    )


def _codec_name(label: str | None) -> str | None:
    if not label:
        return None
    try:
        name = codecs.lookup(label.strip().strip("\"'")).name
    except LookupError:
        return None
    # Browsers read a Latin-1 label as Windows-1252 (it only adds letters in 0x80-0x9F).
    return "cp1252" if name == "iso8859-1" else name


def _try_utf8(data: bytes, *, partial: bool) -> str | None:
    try:
        return codecs.getincrementaldecoder("utf-8")().decode(data, final=not partial)
    except UnicodeDecodeError:
        return None


def _try(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def _western(data: bytes) -> str:
    # Five bytes have no Windows-1252 character; Latin-1 maps them to controls instead of failing.
    text = _try(data, "cp1252")
    return text if text is not None else data.decode("latin-1")
