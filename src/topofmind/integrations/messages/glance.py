"""``glance``: a first look at a message's header block, cheap enough for every message of a mailbox.

The sync reads thousands of messages, most of them from people it does not know. Parsing the
whole of each (``read_message``) costs about a millisecond; this scans only the raw header lines
it needs and says whether a message can concern anyone: who sent it, which messages it answers,
and whether it may be a delivery report or applicant-tracking mail (which matter whoever sends
them). It errs on the side of "read it in full": a false alarm costs a parse, never a message.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from email.utils import getaddresses

from .ats import ATS_DOMAINS
from .headers import decode_words, message_ids

_FIELD = re.compile(rb"^(from|in-reply-to|references|content-type):[ \t]*(.*(?:\r?\n[ \t].*)*)", re.I | re.M)
_REPORT_SENDERS = ("mailer-daemon@", "postmaster@")
_ATS_MARKS = (*(domain.encode() for domain in ATS_DOMAINS), b"\nx-greenhouse", b"\nx-lever", b"\nx-smartrecruiters")
# One pass over the header for any of the marks (thirty substring searches cost twice as much).
_ATS_MARK = re.compile(b"|".join(re.escape(mark) for mark in _ATS_MARKS))


@dataclass(frozen=True)
class Glance:
    sender: str  # the From address, lower-case ("" when none could be read)
    sender_name: str
    answers: tuple[str, ...]  # In-Reply-To, then References, without brackets
    report: bool  # may be a delivery report, or comes from a mailer daemon: read in full
    ats: bool  # may come from an applicant-tracking system: read in full


_BRACKETED = re.compile(r"<\s*([^<>@\s]+@[^<>\s]+?)\s*>")
_BARE = re.compile(r"^\s*([^<>@\s\"(),;:]+@[^<>@\s\"(),;:]+)\s*$")


def _sender(value: str) -> tuple[str, str]:
    """(display name, address) of a From value: the common shapes by pattern, the rest by the parser."""
    value = value.replace("\r\n", " ").replace("\n", " ")
    if "," not in value and value.count("<") <= 1:
        match = _BRACKETED.search(value)
        if match:
            name = " ".join(value[: match.start()].split()).strip('"').strip()
            return (decode_words(name) if "=?" in name else name), match.group(1).lower()
        match = _BARE.match(value)
        if match:
            return "", match.group(1).lower()
    pairs = getaddresses([value])
    if not pairs:
        return "", ""
    return decode_words(pairs[0][0]).strip(), pairs[0][1].strip().lower()


def glance(header: bytes) -> Glance | None:
    """What the header block says at a glance, or None when it cannot be read that way."""
    try:
        fields: dict[bytes, bytes] = {}
        for name, value in _FIELD.findall(header):
            fields.setdefault(name.lower(), value)
        sender_name, sender = _sender(fields.get(b"from", b"").decode("latin-1"))
        answers = message_ids(
            " ".join(fields.get(key, b"").decode("latin-1") for key in (b"in-reply-to", b"references"))
        )
        lower = header.lower()
        kind = fields.get(b"content-type", b"").split(b";")[0].strip().lower()
        return Glance(
            sender=sender if "@" in sender else "",
            sender_name=sender_name,
            answers=answers,
            report=kind == b"multipart/report" or sender.startswith(_REPORT_SENDERS),
            ats=_ATS_MARK.search(lower) is not None,
        )
    except Exception:  # whatever it is, read_message will say so properly
        return None
