"""Checks and clean-ups for what goes into mail headers: addresses, names, subjects, message ids.

Names and subjects come from people's records and drafts, so a stray line break (pasted from a
signature, say) must never become a header of its own: every control character is replaced by
a space. Addresses are refused rather than repaired, because a wrong address silently "fixed"
sends mail to someone else.
"""

from __future__ import annotations

import re
import unicodedata

from topofmind.integrations.smtp.errors import MailError

# The dot-atom form of RFC 5322, ASCII only: what nearly every real address looks like. Quoted
# local parts and internationalised addresses (SMTPUTF8) are not supported yet.
_ATOM = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_ADDRESS = re.compile(rf"{_ATOM}(?:\.{_ATOM})*@{_LABEL}(?:\.{_LABEL})*")
_MESSAGE_ID = re.compile(r"<[!-;=?-~]+@[!-;=?-~]+>")  # printable ASCII, no spaces or angle brackets
_BLANKS = re.compile(r"\s+")


def check_address(value: str, *, field: str) -> str:
    """The address without surrounding blanks, or a MailError naming the field."""
    address = value.strip()
    if not _ADDRESS.fullmatch(address) or len(address) > 254:
        raise MailError(
            "invalid_setting", f"The {field} {address!r} is not an e-mail address such as name@example.com."
        )
    return address


def domain_of(address: str) -> str:
    return address.rpartition("@")[2].lower()


def one_line(text: str) -> str:
    """Text safe for a header: control characters and line separators become single spaces."""
    kept = "".join(" " if _breaks_a_line(char) else char for char in text)
    return _BLANKS.sub(" ", kept).strip()


def _breaks_a_line(char: str) -> bool:
    # Cc: C0/C1 controls incl. CR, LF, TAB, NUL, NEL; Zl/Zp: U+2028 / U+2029.
    return unicodedata.category(char) in ("Cc", "Zl", "Zp")


def check_message_id(value: str, *, field: str) -> str:
    """A message id in angle brackets (they are added when missing), or a MailError naming the field."""
    text = value.strip()
    if not text.startswith("<"):
        text = f"<{text}>"
    if not _MESSAGE_ID.fullmatch(text):
        raise MailError("invalid_setting", f"The {field} {value!r} is not a message id such as <abc.123@example.com>.")
    return text


def has_control_characters(text: str) -> bool:
    return any(_breaks_a_line(char) for char in text)
