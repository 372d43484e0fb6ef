"""One outgoing plain-text message, built the way mail clients and spam filters expect.

We make our own Message-ID (on the sender's domain) and hand it back, so the caller records it
and can thread the replies that cite it. We deliberately add no ``Auto-Submitted`` header: the
messages are written by a person, and servers do not send out-of-office replies to automatic
mail; those replies are exactly what tells the user someone is away.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

from topofmind.integrations.smtp.text import check_address, check_message_id, domain_of, one_line

# CRLF line endings, and only 7-bit bytes on the wire: no relay can mangle what we send.
_SEVEN_BIT = policy.SMTP.clone(cte_type="7bit")


@dataclass(frozen=True)
class OutgoingMail:
    """What the caller wants to say and to whom; names and subject may hold any text."""

    from_address: str
    to_address: str
    subject: str
    body: str
    from_name: str = ""
    to_name: str = ""
    in_reply_to: str | None = None
    references: tuple[str, ...] = ()


@dataclass(frozen=True)
class ComposedMail:
    """A message ready for the wire, with what the caller needs to record about it."""

    message_id: str  # with angle brackets, exactly as in the header
    sender: str  # the envelope sender (MAIL FROM)
    recipient: str  # the envelope recipient (RCPT TO)
    raw: bytes  # CRLF line endings: what SMTP sends and what goes into the Sent folder
    message: EmailMessage


def compose(mail: OutgoingMail, *, now: datetime) -> ComposedMail:
    """Builds the message; raises MailError (reason "invalid_setting") naming a bad field."""
    if now.tzinfo is None:
        raise ValueError("compose() needs an aware datetime for the Date header")
    sender = check_address(mail.from_address, field="from address")
    recipient = check_address(mail.to_address, field="recipient address")
    message = EmailMessage(policy=_SEVEN_BIT)
    message["From"] = Address(display_name=one_line(mail.from_name), addr_spec=sender)
    message["To"] = Address(display_name=one_line(mail.to_name), addr_spec=recipient)
    message["Subject"] = one_line(mail.subject)
    message["Date"] = format_datetime(now)
    message_id = make_msgid(domain=domain_of(sender))
    message["Message-ID"] = message_id
    if mail.in_reply_to:
        message["In-Reply-To"] = check_message_id(mail.in_reply_to, field="In-Reply-To message id")
    references = [check_message_id(ref, field="References message id") for ref in mail.references]
    if mail.in_reply_to and message["In-Reply-To"] not in references:
        # A reply's References end with the message it answers (RFC 5322 §3.6.4).
        references.append(str(message["In-Reply-To"]))
    if references:
        message["References"] = " ".join(references)
    body = _plain_lines(mail.body)
    # Quoted-printable keeps accents and long lines intact through servers that lack 8BITMIME.
    plain = body.isascii() and all(len(line) <= 78 for line in body.splitlines())
    message.set_content(body, cte=None if plain else "quoted-printable")
    return ComposedMail(
        message_id=message_id,
        sender=sender,
        recipient=recipient,
        raw=message.as_bytes(),
        message=message,
    )


def _plain_lines(body: str) -> str:
    # The draft may come from a browser (CRLF) or a file (CR): one line ending, and one at the end.
    text = body.replace("\r\n", "\n").replace("\r", "\n")
    return text if text.endswith("\n") else text + "\n"
