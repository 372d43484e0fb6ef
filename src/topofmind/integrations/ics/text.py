"""The words of an event: its summary and description, safe for a calendar file."""

from __future__ import annotations

import re

from topofmind.integrations.ics.entries import FollowUpEntry

# RFC 5545 text may hold no control characters but tab and line breaks; a stray escape code
# pasted from a terminal would make strict readers drop the whole feed.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def clean_text(value: str) -> str:
    """Line breaks made ``\\n`` and control characters dropped; escaping is icalendar's job."""
    return _CONTROL.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))


def summary(entry: FollowUpEntry) -> str:
    return " ".join(clean_text(entry.title).split())


def description(entry: FollowUpEntry) -> str:
    """Why the follow-up is due, whom it concerns, then the draft to send, ready to copy."""
    head: list[str] = []
    if entry.why.strip():
        head.append(clean_text(entry.why).strip())
    if entry.person.strip():
        head.append(f"Person: {clean_text(entry.person).strip()}")
    if entry.opening.strip():
        head.append(f"Opening: {clean_text(entry.opening).strip()}")
    parts = ["\n".join(head)] if head else []
    draft: list[str] = []
    if entry.draft_subject.strip():
        draft.append(f"Subject: {clean_text(entry.draft_subject).strip()}")
    if entry.draft_body.strip():
        draft.append(clean_text(entry.draft_body).strip())
    if draft:
        parts.append("Draft\n" + "\n\n".join(draft))
    return "\n\n".join(parts)
