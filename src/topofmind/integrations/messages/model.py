"""Plain values handed to the services: a read message and what kind of mail it is.

Everything is frozen and built from standard types so a caller can store, compare and log it
without knowing anything about the ``email`` package.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum


@dataclass(frozen=True)
class Address:
    """One mailbox from a From/To/Cc/Reply-To header; ``address`` is always lower-case."""

    name: str
    address: str


@dataclass(frozen=True)
class Attachment:
    """An attachment as listed, never decoded: ``size`` is estimated from the encoded length."""

    filename: str
    content_type: str
    size: int


@dataclass(frozen=True)
class DeliveryStatus:
    """One recipient's block of a delivery-status report (RFC 3464)."""

    recipient: str
    action: str
    status: str
    diagnostic: str


@dataclass(frozen=True)
class ParsedMessage:
    """What ``read_message`` understood of one e-mail.

    Message-IDs are kept without their angle brackets. ``text`` is the whole readable body;
    ``new_text`` is the part the sender wrote now (quoted replies and signature removed) and
    ``summary`` its first meaningful lines, short enough for a timeline.
    """

    message_id: str | None
    in_reply_to: str | None
    references: tuple[str, ...]
    date: datetime | None
    subject: str
    sender: Address | None
    to: tuple[Address, ...]
    cc: tuple[Address, ...]
    reply_to: tuple[Address, ...]
    text: str
    new_text: str
    summary: str
    attachments: tuple[Attachment, ...] = ()
    # Header names lower-cased, values decoded, in the order they appear.
    headers: tuple[tuple[str, str], ...] = ()
    content_type: str = "text/plain"
    report_type: str = ""
    delivery: tuple[DeliveryStatus, ...] = ()
    # For a bounce: the Message-ID of the message that could not be delivered, when returned.
    original_message_id: str | None = None
    defects: tuple[str, ...] = field(default=())

    def header(self, name: str) -> str | None:
        """The first value of a header, or None; the name is matched without regard to case."""
        wanted = name.lower()
        for key, value in self.headers:
            if key == wanted:
                return value
        return None

    def header_values(self, name: str) -> tuple[str, ...]:
        """Every value of a header, in order."""
        wanted = name.lower()
        return tuple(value for key, value in self.headers if key == wanted)


class MessageKind(StrEnum):
    PERSONAL = "personal"
    AUTO_REPLY = "auto_reply"
    OUT_OF_OFFICE = "out_of_office"
    BOUNCE = "bounce"
    DELAYED = "delayed"
    LIST = "list"
    ATS = "ats"


class AtsCategory(StrEnum):
    RECEIVED = "received"
    REJECTION = "rejection"
    INTERVIEW = "interview"
    OTHER = "other"


@dataclass(frozen=True)
class AtsMail:
    """Mail from an applicant-tracking system, and what it says about the application."""

    system: str
    company: str | None
    job_title: str | None
    category: AtsCategory


@dataclass(frozen=True)
class DeliveryProblem:
    """A bounce or a delay: who did not get our message, and what the server said."""

    recipients: tuple[str, ...]
    status: str
    diagnostic: str
    original_message_id: str | None


@dataclass(frozen=True)
class Classification:
    """The kind of an incoming mail, with the evidence (``reasons``) that decided it."""

    kind: MessageKind
    reasons: tuple[str, ...]
    return_date: date | None = None
    delivery: DeliveryProblem | None = None
    ats: AtsMail | None = None
