"""``read_message``: the bytes of one e-mail in, a ``ParsedMessage`` out.

The parse is cheap on purpose: text parts are decoded, attachments are only listed (their
encoded payload is measured, never decoded), and long base64 runs are set aside before the
standard parser sees them (see ``elide``), so a message with a 20 MB attachment reads in about
half a second instead of walking 350,000 lines.

We parse with ``compat32`` and decode headers ourselves (``headers``) because the modern policy
raises or gives up on the broken headers real mail carries.

Most mail a sync reads is one text part under a plain ASCII header block. For that shape the
standard parser's line-by-line state machine is about a third of the cost of a read, so
``_one_text_part`` builds the very ``Message`` it would build (the same header pairs, the body as the payload)
from one split of the bytes, and anything else - 8-bit or odd header lines, multipart, message/*,
a body long enough to hold an attachment - takes the standard parser.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime
from email.message import Message
from email.parser import BytesParser
from email.policy import compat32
from email.utils import parsedate_to_datetime

from .charsets import decode_bytes
from .dsn import delivery_statuses, returned_message_id
from .elide import MIN_LINES, SetAside, set_aside
from .errors import MessageError
from .headers import address_list, decode_words, first_text, message_ids, raw_header_map
from .html_text import html_to_text
from .model import Attachment, DeliveryStatus, ParsedMessage
from .summary import new_text, summarise

# Without at least one of these at its start, bytes are not an e-mail we can do anything with.
_ESSENTIAL = ("from", "to", "subject", "date", "message-id", "sender", "return-path")


def read_message(raw: bytes) -> ParsedMessage:
    """Parse one e-mail. Raises MessageError, and nothing else, when it cannot be read."""
    if not isinstance(raw, bytes | bytearray | memoryview):
        raise MessageError(f"An e-mail must be given as bytes, not as {type(raw).__name__}.")
    data = bytes(raw)
    if not data[:65536].strip() and not data.strip():
        raise MessageError("The message is empty.")
    try:
        quick = _one_text_part(data)
        if quick is not None:
            msg, kept = quick, SetAside()
        else:
            lean, kept = set_aside(data)
            msg = BytesParser(policy=compat32).parsebytes(lean)
        if not any(key.lower() in _ESSENTIAL for key in msg):
            raise MessageError(
                "This does not look like an e-mail: no header such as From:, To:, Subject: or Date: "
                "was found at its start."
            )
        return _read(msg, kept)
    except MessageError:
        raise
    except Exception as exc:  # a last guard: the caller must never see a traceback
        raise MessageError(f"The message could not be read (unexpected structure: {type(exc).__name__}).") from exc


# A header line as the standard parser takes it: a name of printable ASCII but the colon, then ':'.
_HEADER_LINE = re.compile(rb"[\x21-\x39\x3b-\x7e]+:")
# Below this size no run of base64 is long enough for ``set_aside`` to take it out.
_NO_RUN_BELOW = MIN_LINES * 41


def _one_text_part(data: bytes) -> Message | None:
    """The ``Message`` ``BytesParser(policy=compat32)`` would give for a one-part text message
    with a clean ASCII header block, or None when the message is not of that shape."""
    if len(data) >= _NO_RUN_BELOW:
        return None
    msg = Message(policy=compat32)
    lines: list[str] = []  # the lines of the header being read, each with its line ending
    start = 0
    while True:
        end = data.find(b"\n", start) + 1
        if end == 0:
            return None  # no blank line: let the parser decide where the header ends
        line = data[start:end]
        start = end
        if line in (b"\n", b"\r\n"):
            break  # the blank line: the body follows
        if not line.isascii() or b"\r" in line[:-2]:
            return None  # 8-bit bytes or a lone CR: the parser's own reading decides
        if line[:1] in (b" ", b"\t"):
            if not lines:
                return None  # a continuation with nothing to continue: a defect the parser notes
            lines.append(line.decode("ascii"))
            continue
        if _HEADER_LINE.match(line) is None:
            return None  # no header name and colon: the parser would start the body here
        if lines:
            msg.set_raw(*compat32.header_source_parse(lines))
        lines = [line.decode("ascii")]
    if lines:
        msg.set_raw(*compat32.header_source_parse(lines))
    if msg.get_content_maintype() != "text":
        return None
    msg.set_payload(data[start:].decode("ascii", "surrogateescape"))
    return msg


def _read(msg: Message, kept: SetAside) -> ParsedMessage:
    text = _body_text(msg, kept)
    fresh = new_text(text)
    content_type = msg.get_content_type()
    delivery, original_id = _report(msg, content_type)
    raw = raw_header_map(msg)
    none: list[str] = []
    senders = address_list(raw.get("from", none)) or address_list(raw.get("sender", none))
    ids = message_ids(" ".join(raw.get("message-id", none)))
    in_reply_to = message_ids(" ".join(raw.get("in-reply-to", none)))
    return ParsedMessage(
        message_id=ids[0] if ids else None,
        in_reply_to=in_reply_to[0] if in_reply_to else None,
        references=message_ids(" ".join(raw.get("references", none))),
        date=_date(first_text(raw.get("date", none))),
        subject=first_text(raw.get("subject", none)),
        sender=senders[0] if senders else None,
        to=address_list(raw.get("to", none)),
        cc=address_list(raw.get("cc", none)),
        reply_to=address_list(raw.get("reply-to", none)),
        text=text,
        new_text=fresh,
        summary=summarise(fresh),
        attachments=tuple(_attachments(msg, kept, content_type)),
        headers=tuple((key.lower(), decode_words(str(value))) for key, value in msg.raw_items()),
        content_type=content_type,
        report_type=_param(msg, "report-type").lower() if content_type == "multipart/report" else "",
        delivery=delivery,
        original_message_id=original_id,
        defects=tuple(sorted({type(defect).__name__ for part in msg.walk() for defect in part.defects})),
    )


def _param(part: Message, name: str, header: str = "content-type") -> str:
    value = part.get_param(name, header=header)
    if isinstance(value, tuple):  # an RFC 2231 parameter: (charset, language, text)
        return str(value[2])
    return str(value) if value else ""


def _date(value: str) -> datetime | None:
    if not value:
        return None
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    # RFC 5322 "-0000" means "zone unknown"; UTC is the honest reading.
    return when if when.tzinfo is not None else when.replace(tzinfo=UTC)


def _leaves(part: Message) -> Iterator[Message]:
    """The leaf parts, without descending into attached messages (message/rfc822 is a leaf)."""
    if not part.is_multipart() or part.get_content_maintype() == "message":
        yield part
        return
    payload = part.get_payload()
    if isinstance(payload, list):
        for child in payload:
            if isinstance(child, Message):
                yield from _leaves(child)


def _is_attachment(part: Message) -> bool:
    disposition = (part.get("Content-Disposition") or "").split(";")[0].strip().lower()
    return (
        disposition == "attachment"
        or bool(_param(part, "filename", "content-disposition"))
        or bool(_param(part, "name"))
    )


def _decoded_text(part: Message, kept: SetAside) -> str:
    if kept.runs:
        raw = part.get_payload()
        if isinstance(raw, str) and "!set-aside-" in raw:
            part.set_payload(kept.restore(raw))  # a very long text part: give it its lines back
    payload = part.get_payload(decode=True)
    if not isinstance(payload, bytes):
        return ""
    try:
        return payload.decode("utf-8")  # what decode_bytes tries first, whatever the label says
    except UnicodeDecodeError:
        return decode_bytes(payload, part.get_content_charset())


def _body_text(msg: Message, kept: SetAside) -> str:
    html: Message | None = None
    for part in _leaves(msg):
        if part is not msg and _is_attachment(part):
            continue
        kind = part.get_content_type()
        if kind == "text/plain":
            return _decoded_text(part, kept).replace("\r\n", "\n").strip()
        if kind == "text/html" and html is None:
            html = part
    return html_to_text(_decoded_text(html, kept)) if html is not None else ""


_REPORT_PARTS = ("message/delivery-status", "message/global-delivery-status", "text/rfc822-headers")


def _attachments(msg: Message, kept: SetAside, content_type: str) -> Iterator[Attachment]:
    in_report = content_type == "multipart/report"
    for part in _leaves(msg):
        kind = content_type if part is msg else part.get_content_type()
        if part is msg and kind.startswith("text/"):
            continue  # a one-part text message: its text is the body, not an attachment
        if kind in _REPORT_PARTS or (in_report and kind.startswith("message/")):
            continue  # the machinery of a bounce, read by _report
        if not (kind.partition("/")[0] not in ("text", "multipart") or _is_attachment(part)):
            continue
        filename = part.get_filename() or _param(part, "name")
        yield Attachment(
            filename=decode_words(filename),
            content_type=kind,
            size=_encoded_size(part, kept),
        )


def _encoded_size(part: Message, kept: SetAside) -> int:
    """The decoded size, estimated from the encoded text so the payload is never decoded."""
    payload = part.get_payload()
    if not isinstance(payload, str):
        return 0
    encoded = kept.encoded_length(payload)
    encoding = (part.get("Content-Transfer-Encoding") or "").strip().lower()
    if encoding == "base64":
        return encoded * 3 // 4  # padding makes this at most two bytes too many
    return encoded


def _report(msg: Message, content_type: str) -> tuple[tuple[DeliveryStatus, ...], str | None]:
    if content_type != "multipart/report":
        return (), None
    statuses: tuple[DeliveryStatus, ...] = ()
    original: str | None = None
    for part in _leaves(msg):
        kind = part.get_content_type()
        if kind in ("message/delivery-status", "message/global-delivery-status"):
            statuses += delivery_statuses(part)
        elif kind in ("message/rfc822", "text/rfc822-headers", "message/global", "message/global-headers"):
            original = original or returned_message_id(part)
    return statuses, original
