"""Turning bytes of unknown or wrongly declared charset into text, never failing.

Mail in the wild declares no charset, declares one that does not exist, or declares Latin-1 and
sends UTF-8 (or the reverse). Valid UTF-8 with non-ASCII bytes almost never happens by accident,
so bytes that decode as UTF-8 are taken as UTF-8 whatever the label says; otherwise the declared
charset, then cp1252 (what "Latin-1" mail really is), and Latin-1 last because it accepts every
byte, so the chain always ends with text.
"""

from __future__ import annotations

import codecs


def _known(charset: str | None) -> str | None:
    if not charset:
        return None
    name = charset.strip().strip('"').lower()
    try:
        return codecs.lookup(name).name
    except (LookupError, ValueError):
        return None


def decode_bytes(data: bytes, declared: str | None = None) -> str:
    """Decode ``data`` with the charset that fits it best; never raises."""
    for charset in ("utf-8", _known(declared), "cp1252"):
        if charset is None:
            continue
        try:
            return data.decode(charset)
        except (UnicodeDecodeError, LookupError):
            continue
    return data.decode("latin-1")
