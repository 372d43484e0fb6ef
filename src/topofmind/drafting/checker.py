"""The draft checker: what in a (possibly edited) draft works against the user (R10). Pure.

It reads the body the user is about to send and points at the sentence behind each finding:

* ``too_long``: the body is over the playbook's word limit (the sentence where it crosses it);
* ``asks_for_job``: asks outright for a job ("any openings?", "hire me");
* ``repeat``: names an item already shared with this person (its title or link);
* ``empty``: an empty phrase that gives no reason to write ("just checking in", "touching base").

Findings come in the order of the sentences they point at; the same input, the same findings.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from topofmind.drafting.words import EMPTY_PATTERNS, JOB_ASK_PATTERNS, count_words


@dataclass(frozen=True)
class Finding:
    kind: str  # too_long, asks_for_job, repeat, empty
    sentence: str  # the sentence it points at, as written
    number: int  # which sentence (1 = the first of the body)
    message: str  # what is wrong, in words


@dataclass(frozen=True)
class Shared:
    """An item already sent to this person: its title and link."""

    title: str
    url: str = ""


# Beyond the phrases a generated draft never holds (words.BANNED_PATTERNS): what users add.
_MORE_JOB_ASKS = tuple(
    re.compile(p, re.IGNORECASE)
    for p in (
        r"\bany\s+(?:open\s+)?(?:openings?|positions?|vacanc(?:y|ies)|roles?|jobs?)\b",
        r"\bare\s+you\s+(?:currently\s+)?hiring\b",
        r"\b(?:looking|searching)\s+for\s+(?:a\s+)?(?:new\s+)?(?:job|position|role)\b",
        r"\bconsider\s+me\s+for\b",
        r"\bkeep\s+me\s+in\s+mind\s+for\b",
    )
)
_MORE_EMPTY = tuple(
    re.compile(p, re.IGNORECASE)
    for p in (
        r"\bcircl(?:e|ing)\s+back\b",
        r"\bbump(?:ing)?\s+this\b",
        r"\bjust\s+wanted\s+to\s+(?:reach\s+out|say\s+hi|check)\b",
        r"\bhope\s+(?:this|you|all)\s+(?:finds|find|is|are)\s+(?:you\s+)?well\b",
        r"\bany\s+updates?\s*\?",
    )
)
# A sentence ends at . ! ? … (and a closing quote) before a space, or at the end of a line:
# the dots inside a link or a number do not end one.
_JOB_ASKS = re.compile("|".join(f"(?:{p.pattern})" for p in (*JOB_ASK_PATTERNS, *_MORE_JOB_ASKS)), re.IGNORECASE)
_EMPTY = re.compile("|".join(f"(?:{p.pattern})" for p in (*EMPTY_PATTERNS, *_MORE_EMPTY)), re.IGNORECASE)
_BREAK = re.compile(r"(?<=[.!?…])\s+|(?<=[.!?…][\"'”’)\]])\s+")
_URL = re.compile(r"https?://\S+")


def sentences(body: str) -> list[tuple[int, str]]:
    """(line number, text) of each sentence; a line of its own (a link, a greeting) is one too."""
    out = []
    for line_number, line in enumerate(body.splitlines(), start=1):
        for text in _BREAK.split(line):
            if text.strip():
                out.append((line_number, text.strip()))
    return out


def check(body: str, *, max_words: int, shared: Iterable[Shared] = ()) -> list[Finding]:
    """Every finding in ``body`` (an empty list when the draft is fine)."""
    return list(_check(body, max_words, tuple(shared)))


# Words one of the patterns needs: a body with none of them is not searched at all.
_JOB_WORDS = ("hire", "hiring", " me", "job", "position", "opening", "vacanc", "role", "opportunit")
_EMPTY_WORDS = ("check", "touch", "follow", "circl", "bump", "just wanted", "hope", "update")


@lru_cache(maxsize=4096)  # Today re-reads the same drafts on every view: check each once
def _check(body: str, max_words: int, shared: tuple[Shared, ...]) -> tuple[Finding, ...]:
    found: list[Finding] = []
    total = count_words(body)
    items = [s for s in shared if s.title.strip() or s.url.strip()]
    low = body.lower()
    asks = any(w in low for w in _JOB_WORDS) and bool(_JOB_ASKS.search(body))
    empty = any(w in low for w in _EMPTY_WORDS) and bool(_EMPTY.search(body))
    if items and _repeats(body, items) is None:
        items = []
    if total <= max_words and not (asks or empty or items):
        return ()
    parts = sentences(body)
    if total > max_words:
        counted = 0
        for n, (_, text) in enumerate(parts, start=1):
            counted += count_words(text)
            if counted > max_words:
                found.append(
                    Finding(
                        "too_long",
                        text,
                        n,
                        f"{total} words, over the limit of {max_words}: the limit falls in this sentence; "
                        "cut a sentence or two",
                    )
                )
                break
    for n, (_, text) in enumerate(parts, start=1):
        if asks and _JOB_ASKS.search(text):
            found.append(Finding("asks_for_job", text, n, "asks outright for a job: offer something instead"))
        if empty and _EMPTY.search(text):
            found.append(Finding("empty", text, n, "an empty phrase that gives no reason to write: say why you write"))
        repeated = _repeats(text, items)
        if repeated is not None:
            found.append(
                Finding("repeat", text, n, f"already shared with this person: “{repeated.title or repeated.url}”")
            )
    found.sort(key=lambda f: f.number)
    return tuple(found)


def _repeats(text: str, items: Sequence[Shared]) -> Shared | None:
    folded = text.casefold()
    links = {u.rstrip(".,;)") for u in _URL.findall(text)}
    for item in items:
        if item.url and item.url in links:
            return item
        title = " ".join(item.title.split()[:8]).casefold()
        if len(title) >= 12 and title in folded:
            return item
    return None


def mentions(body: str, *, title: str, url: str) -> bool:
    """Whether ``body`` still carries an item: its link, or the start of its title."""
    if url and url in body:
        return True
    head = " ".join(title.split()[:6]).casefold()
    return len(head) >= 8 and head in body.casefold()
