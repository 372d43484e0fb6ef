"""Which folder holds the user's sent mail.

Servers that support SPECIAL-USE (RFC 6154) mark it ``\\Sent``, whatever its name or language.
Older servers do not, so we fall back to the names the common clients and providers use, in
the order they are most likely to be the real one.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

SENT_FLAG = b"\\Sent"
FALLBACK_SENT_NAMES = ("Sent", "Sent Items", "Sent Messages", "[Gmail]/Sent Mail")

# One LIST line as IMAPClient gives it: (flags, hierarchy delimiter, name).
Listing = tuple[Sequence[bytes], bytes | None, str]


def choose_sent_folder(listing: Iterable[Listing]) -> str | None:
    """The folder marked \\Sent; else the first common name present (also under INBOX.); else None."""
    selectable = [(flags, delimiter, name) for flags, delimiter, name in listing if not _no_select(flags)]
    for flags, _delimiter, name in selectable:
        if any(flag.lower() == SENT_FLAG.lower() for flag in flags):
            return name
    for wanted in FALLBACK_SENT_NAMES:
        for _flags, delimiter, name in selectable:
            if _same_folder(name, wanted, delimiter):
                return name
    return None


def _no_select(flags: Sequence[bytes]) -> bool:
    return any(flag.lower() in (b"\\noselect", b"\\nonexistent") for flag in flags)


def _same_folder(name: str, wanted: str, delimiter: bytes | None) -> bool:
    if name.lower() == wanted.lower():
        return True
    # Courier-style servers keep every folder under INBOX ("INBOX.Sent").
    if delimiter:
        prefix = "INBOX" + delimiter.decode("ascii", "replace")
        return name.lower() == (prefix + wanted).lower()
    return False
