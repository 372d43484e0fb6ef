"""Reading header values: encoded words (RFC 2047), raw 8-bit bytes, addresses and Message-IDs.

We parse with the ``compat32`` policy and decode ourselves, because the modern header registry
raises or gives up on the broken headers real mail carries; here every header yields text.
"""

from __future__ import annotations

import re
from email.header import Header, decode_header
from email.message import Message
from email.utils import getaddresses

from .charsets import decode_bytes
from .model import Address

_MSG_ID = re.compile(r"<([^<>\s]+)>")


def _unescape(value: str) -> str:
    # The bytes parser keeps undecodable bytes as surrogates; give them back as bytes.
    if any("\udc80" <= ch <= "\udcff" for ch in value):
        return decode_bytes(value.encode("ascii", "surrogateescape"))
    return value


def decode_words(value: str) -> str:
    """Decode RFC 2047 encoded words in any charset; a broken word is left as written."""
    value = _unescape(value)
    if "=?" not in value:
        return " ".join(value.split())
    try:
        chunks = decode_header(value)
    except Exception:  # a malformed encoded word: the raw text is the best we have
        return " ".join(value.split())
    parts: list[str] = []
    for chunk, charset in chunks:
        parts.append(chunk if isinstance(chunk, str) else decode_bytes(chunk, charset))
    return " ".join("".join(parts).split())


def raw_values(msg: Message, name: str) -> list[str]:
    """Every value of header ``name`` as a string, undecoded."""
    values: list[str] = []
    for value in msg.get_all(name) or []:
        if isinstance(value, Header):
            value = str(value)
        values.append(_unescape(str(value)))
    return values


def text_header(msg: Message, name: str) -> str:
    """The first value of a header, decoded; empty when absent."""
    values = raw_values(msg, name)
    return decode_words(values[0]) if values else ""


def addresses(msg: Message, name: str) -> tuple[Address, ...]:
    """The mailboxes of an address header, display names decoded and addresses lower-cased."""
    found: list[Address] = []
    try:
        pairs = getaddresses(raw_values(msg, name))
    except Exception:  # the address parser has failed on odd input before; read nothing
        return ()
    for display, address in pairs:
        address = address.strip().lower()
        if "@" not in address:
            continue  # group syntax such as "undisclosed-recipients:;" names no mailbox
        name_text = decode_words(display).strip().strip('"').strip()
        found.append(Address(name=name_text, address=address))
    return tuple(found)


def message_ids(value: str) -> tuple[str, ...]:
    """Message-IDs in a header value, in order, without angle brackets."""
    bracketed = _MSG_ID.findall(value)
    if bracketed:
        return tuple(bracketed)
    # Some senders drop the brackets; then white space separates the ids.
    return tuple(token for token in value.split() if "@" in token)


def normalise_id(value: str) -> str:
    """One Message-ID in the form we store: no brackets, no surrounding white space."""
    return value.strip().strip("<>").strip()
