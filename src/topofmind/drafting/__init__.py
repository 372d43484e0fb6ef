"""Drafts: templates and the composer. Pure Python, standard library only.

    from topofmind.drafting import compose, Draft, ValueSnap
    draft = compose(suggestion, person=person, user_name="Sam Rivera", value=item)

See docs/drafts.md for what each purpose's draft says and the rules every draft keeps.
"""

from __future__ import annotations

from topofmind.drafting.checker import Finding, Shared, check, mentions
from topofmind.drafting.composer import DEFAULT_MAX_WORDS, LINKEDIN_NOTE_LIMIT, compose, is_note
from topofmind.drafting.model import Draft, ValueKind, ValueSnap
from topofmind.drafting.words import BANNED_PATTERNS, count_words, find_banned, utf16_len

__all__ = [
    "BANNED_PATTERNS",
    "DEFAULT_MAX_WORDS",
    "LINKEDIN_NOTE_LIMIT",
    "Draft",
    "Finding",
    "Shared",
    "ValueKind",
    "ValueSnap",
    "check",
    "compose",
    "count_words",
    "find_banned",
    "is_note",
    "mentions",
    "utf16_len",
]
