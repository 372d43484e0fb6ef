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

_MAILBOX = re.compile(r"[^\s<>@\"]+@[^\s<>@\"]+")
_MSG_ID = re.compile(r"<([^<>\s]+)>")
_SURROGATE = re.compile("[\udc80-\udcff]")


def _unescape(value: str) -> str:
    # The bytes parser keeps undecodable bytes as surrogates; give them back as bytes.
    if not value.isascii() and _SURROGATE.search(value):
        return decode_bytes(value.encode("ascii", "surrogateescape"))
    return value


def decode_words(value: str) -> str:
    """Decode RFC 2047 encoded words in any charset; a broken word is left as written."""
    value = _unescape(value)
    if "=?" not in value:
        return " ".join(value.split())
    try:
        return " ".join(_decode_chunks(value).split())
    except Exception:
        # One broken word makes the whole header fail; decode the words one by one instead and
        # leave the broken ones as written.
        return " ".join(_ENCODED_WORD.sub(_one_word, value).split())


_ENCODED_WORD = re.compile(r"=\?[^?\s]+\?[bBqQ]\?[^?\s]*\?=")


def _decode_chunks(value: str) -> str:
    parts: list[str] = []
    for chunk, charset in decode_header(value):
        parts.append(chunk if isinstance(chunk, str) else decode_bytes(chunk, charset))
    return "".join(parts)


def _one_word(match: re.Match[str]) -> str:
    try:
        return _decode_chunks(match.group(0))
    except Exception:
        return match.group(0)


def raw_values(msg: Message, name: str) -> list[str]:
    """Every value of header ``name`` as a string, undecoded.

    ``raw_items`` rather than ``get_all``: the latter replaces raw 8-bit bytes (a Latin-1 name
    sent without encoding) by question marks before we can guess their charset.
    """
    wanted = name.lower()
    values: list[str] = []
    for key, value in msg.raw_items():
        if key.lower() == wanted:
            values.append(_unescape(str(value) if not isinstance(value, Header) else value.encode()))
    return values


def raw_header_map(msg: Message) -> dict[str, list[str]]:
    """Every header's values as ``raw_values`` gives them, by lower-cased name, in one pass."""
    found: dict[str, list[str]] = {}
    for key, value in msg.raw_items():
        text = _unescape(str(value) if not isinstance(value, Header) else value.encode())
        found.setdefault(key.lower(), []).append(text)
    return found


def text_header(msg: Message, name: str) -> str:
    """The first value of a header, decoded; empty when absent."""
    return first_text(raw_values(msg, name))


def first_text(values: list[str]) -> str:
    """The first of a header's raw values, decoded; empty when there is none."""
    return decode_words(values[0]) if values else ""


_PLAIN_MAILBOX = re.compile(
    r"\s*(?:([A-Za-z0-9 .'_-]*?)\s*<([A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9.-]+)>"
    r"|([A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9.-]+))\s*\Z"
)


def addresses(msg: Message, name: str) -> tuple[Address, ...]:
    """The mailboxes of an address header, display names decoded and addresses lower-cased."""
    return address_list(raw_values(msg, name))


def address_list(values: list[str]) -> tuple[Address, ...]:
    """The mailboxes in an address header's raw values (see ``addresses``)."""
    found: list[Address] = []
    plain = [_PLAIN_MAILBOX.match(value) for value in values]
    if all(plain):
        # The common case, "Kim Park <kim@acme.test>" or a bare address: no quotes, comments,
        # commas or encoded words, so the standard (slow) address parser has nothing to add.
        pairs = [(m.group(1) or "", m.group(2) or m.group(3)) for m in plain if m is not None]
    else:
        try:
            pairs = getaddresses(values)
        except Exception:  # the address parser has failed on odd input before; read nothing
            return ()
    for display, address in pairs:
        address = address.strip().lower()
        if "<" in address or " " in address:
            # A broken quote swallowed the brackets: keep the mailbox inside them.
            inner = _MAILBOX.search(address)
            address = inner.group(0) if inner else address
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
