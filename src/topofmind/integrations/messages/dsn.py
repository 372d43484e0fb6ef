"""Delivery-status reports (RFC 3464): the per-recipient blocks of a bounce or a delay notice.

A report is ``multipart/report; report-type=delivery-status`` with a human part, a
``message/delivery-status`` part of header-like blocks, and often the returned message (or its
headers), from which we take the original Message-ID so the caller can find what bounced.
"""

from __future__ import annotations

import re
from email.message import Message

from .headers import decode_words, message_ids, raw_values
from .model import DeliveryStatus

_STATUS = re.compile(r"\b([245]\.\d{1,3}\.\d{1,3})\b")


def _blocks_of(part: Message) -> list[dict[str, str]]:
    """The field blocks of a delivery-status part, whichever way the parser stored them."""
    payload = part.get_payload()
    blocks: list[dict[str, str]] = []
    if isinstance(payload, list):
        for item in payload:
            if isinstance(item, Message):
                blocks.append({key.lower(): decode_words(str(value)) for key, value in item.items()})
        return blocks
    text = payload if isinstance(payload, str) else ""
    for chunk in re.split(r"\r?\n\s*\r?\n", text):
        fields: dict[str, str] = {}
        last = ""
        for line in chunk.splitlines():
            if line[:1] in (" ", "\t") and last:
                fields[last] += " " + line.strip()
            elif ":" in line:
                key, _, value = line.partition(":")
                last = key.strip().lower()
                fields[last] = value.strip()
        if fields:
            blocks.append(fields)
    return blocks


def _address(field: str) -> str:
    # "rfc822; ann@example.com" -> "ann@example.com"
    value = field.partition(";")[2] if ";" in field else field
    return value.strip().strip("<>").strip().lower()


def delivery_statuses(part: Message) -> tuple[DeliveryStatus, ...]:
    """One DeliveryStatus per recipient block that names a recipient."""
    found: list[DeliveryStatus] = []
    for block in _blocks_of(part):
        recipient = _address(block.get("final-recipient") or block.get("original-recipient") or "")
        if not recipient:
            continue  # the per-message block (Reporting-MTA, Arrival-Date)
        status_field = block.get("status", "")
        match = _STATUS.search(status_field) or _STATUS.search(block.get("diagnostic-code", ""))
        found.append(
            DeliveryStatus(
                recipient=recipient,
                action=block.get("action", "").strip().lower(),
                status=match.group(1) if match else status_field.strip(),
                diagnostic=" ".join(block.get("diagnostic-code", "").split()),
            )
        )
    return tuple(found)


def returned_message_id(part: Message) -> str | None:
    """The Message-ID of the returned message (message/rfc822 or text/rfc822-headers)."""
    payload = part.get_payload()
    if isinstance(payload, list) and payload and isinstance(payload[0], Message):
        values = raw_values(payload[0], "Message-ID")
        ids = message_ids(values[0]) if values else ()
        return ids[0] if ids else None
    if isinstance(payload, str):
        match = re.search(r"^message-id:\s*(.+)$", payload, re.IGNORECASE | re.MULTILINE)
        if match:
            ids = message_ids(match.group(1))
            return ids[0] if ids else None
    return None
