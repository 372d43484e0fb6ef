"""Words in a draft: counting and trimming words, cleaning what users typed,
first names, key points, and the phrases a draft never contains.

Standard library only; every function is pure.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

# -- counting words ------------------------------------------------------------------------

# Scripts written without spaces between words (Chinese, Japanese): each character is
# counted as a word, so a long run of them cannot slip past the limit as "one word".
_DENSE = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_DENSE_CHAR = re.compile(f"[{_DENSE}]")
_PIECE = re.compile(f"[{_DENSE}]|[^{_DENSE}]+")
_TOKEN = re.compile(r"\S+")


def _word_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of every word. A word is a run of non-space characters, except that
    each CJK character is a word of its own; punctuation sticks to the word beside it.

    Every run of non-space characters holds at least one word, so the count is never
    below ``len(text.split())``: a reader counting by spaces never finds a draft too long.
    """
    if not _DENSE_CHAR.search(text):
        # No CJK: every run of non-space characters is exactly one word (the loop below
        # gives the same spans, an order of magnitude slower; the agenda counts every draft).
        return [token.span() for token in _TOKEN.finditer(text)]
    spans: list[tuple[int, int]] = []
    for token in _TOKEN.finditer(text):
        base = token.start()
        words: list[list[int]] = []
        lead: int | None = None  # start of punctuation waiting for the next word
        for piece in _PIECE.finditer(token.group()):
            start, end = base + piece.start(), base + piece.end()
            chunk = piece.group()
            if _DENSE_CHAR.fullmatch(chunk) or any(ch.isalnum() for ch in chunk):
                words.append([start if lead is None else lead, end])
                lead = None
            elif words:
                words[-1][1] = end
            elif lead is None:
                lead = start
        if not words:
            words.append([token.start(), token.end()])  # "—", "🙂": still a word
        spans.extend((s, e) for s, e in words)
    return spans


def count_words(text: str) -> int:
    """Words in ``text``, as the draft limit counts them (see ``_word_spans``)."""
    if not _DENSE_CHAR.search(text):
        return len(text.split())  # the same runs of non-space characters, without their spans
    return len(_word_spans(text))


def clip_words(text: str, limit: int) -> str:
    """The first ``limit`` words of ``text``, ending in "…" when something was cut."""
    spans = _word_spans(text)
    if len(spans) <= limit:
        return text.strip()
    if limit <= 0:
        return ""
    head = text[: spans[limit - 1][1]].rstrip(" ,;:-–—(\"'“‘")
    return head + "…"


# -- trimming at a sentence boundary ---------------------------------------------------------

_SENTENCE_END = re.compile(r"[.!?…。！？][\"'”’)\]]*(?=\s|$)")
_CLAUSE_END = re.compile(r"[,;:][\"'”’)\]]*(?=\s)")


def _cut_points(text: str) -> list[int]:
    points = {m.end() for m in _SENTENCE_END.finditer(text)}
    points.update(m.start() for m in re.finditer(r"\n\s*\n", text))
    points.add(len(text.rstrip()))
    return sorted(p for p in points if p > 0)


def trim_words(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` words, at the last sentence (or paragraph) end that
    fits; when that would throw away more than half of what fits, at the last clause or
    word instead, marked with "…"."""
    text = text.strip()
    if count_words(text) <= limit:
        return text
    if limit <= 0:
        return ""
    best = 0
    for point in _cut_points(text):
        if count_words(text[:point]) <= limit:
            best = point
        else:
            break
    if best and count_words(text[:best]) * 2 >= limit:
        return text[:best].rstrip()
    clipped = clip_words(text, limit).rstrip("…")
    clauses = [m.start() for m in _CLAUSE_END.finditer(clipped)]
    if clauses and count_words(clipped[: clauses[-1]]) * 2 >= limit:
        clipped = clipped[: clauses[-1]]
    return clipped.rstrip(" ,;:-–—") + "…"


# -- characters (LinkedIn counts UTF-16 units; an emoji is two) -------------------------------


def utf16_len(text: str) -> int:
    """Length as LinkedIn and JavaScript count it: never less than ``len(text)``."""
    return len(text.encode("utf-16-le")) // 2


def clip_chars(text: str, limit: int) -> str:
    """``text`` within ``limit`` UTF-16 units: at a sentence end if one keeps at least half,
    else at a word boundary with "…" (a word longer than the limit is cut inside)."""
    text = text.strip()
    if utf16_len(text) <= limit:
        return text
    best = 0
    for point in _cut_points(text):
        if utf16_len(text[:point].rstrip()) <= limit:
            best = point
        else:
            break
    if best and utf16_len(text[:best]) * 2 >= limit:
        return text[:best].rstrip()
    room = limit - 1  # for the "…"
    head = ""
    for m in _TOKEN.finditer(text):
        if utf16_len(text[: m.end()]) > room:
            break
        head = text[: m.end()]
    if not head:  # one giant word: cut inside it
        for ch in text:
            if utf16_len(head + ch) > room:
                break
            head += ch
    return head.rstrip(" ,;:-–—") + "…"


# -- phrases a draft never contains (R10, and "say why you write") ---------------------------

# Asking outright for a job (R10: offer an idea, share info; never ask for work).
JOB_ASK_PATTERNS: tuple[re.Pattern[str], ...] = tuple(
    re.compile(p, re.IGNORECASE)
    for p in (
        r"\bhire\s+me\b",
        r"\b(?:give|offer|get|find)\s+me\s+(?:(?:a|an|the|some)\s+)?(?:job|position|role|post|offer|opening|work)\b",
        r"\b(?:jobs?|positions?|roles?|openings?|vacanc(?:y|ies)|opportunit(?:y|ies))\s+(?:available\s+)?for\s+me\b",
        r"\bneed\s+a\s+job\b",
    )
)
# Empty follow-ups that give no reason.
EMPTY_PATTERNS: tuple[re.Pattern[str], ...] = tuple(
    re.compile(p, re.IGNORECASE)
    for p in (
        r"\bchecking\s+in\b",
        r"\btouch(?:ing)?\s+base\b",
        r"\bfollowing\s+up\s+to\s+see\b",
        r"\bjust\s+following\s+up\b",
        r"\bjust\s+wanted\s+to\s+follow\s+up\b",
    )
)
BANNED_PATTERNS: tuple[re.Pattern[str], ...] = JOB_ASK_PATTERNS + EMPTY_PATTERNS


# All of them at once: one search tells whether ``scrub`` has anything to take out.
_ANY_BANNED = re.compile("|".join(f"(?:{p.pattern})" for p in BANNED_PATTERNS), re.IGNORECASE)


def find_banned(text: str) -> list[str]:
    """Every banned phrase found in ``text`` (empty when the text is fine)."""
    return [m.group() for p in BANNED_PATTERNS for m in p.finditer(text)]


_SPACES = re.compile(r"[ \t]{2,}")


def scrub(text: str) -> str:
    """``text`` with every banned phrase taken out (the last line of defence; templates
    never write them and user-typed fragments are cleaned before they are used)."""
    while _ANY_BANNED.search(text):
        cleaned = text
        for p in BANNED_PATTERNS:
            cleaned = p.sub("", cleaned)
        if cleaned == text:
            break
        text = cleaned
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    return "\n".join(lines).strip()


# -- cleaning what users typed -------------------------------------------------------------


# The same names, employers and titles come back in draft after draft (Today composes up to
# the daily cap of them on every request): these pure functions of a short string remember
# their last few thousand answers.
_MEMO = 4096


@lru_cache(maxsize=_MEMO)
def clean(value: str | None) -> str:
    """One line of user text: NFC, control characters out, white space collapsed, banned
    phrases out."""
    if not value:
        return ""
    value = unicodedata.normalize("NFC", value)
    value = "".join(" " if unicodedata.category(ch) == "Cc" else ch for ch in value)
    return scrub(" ".join(value.split()))


@lru_cache(maxsize=_MEMO)
def shorten(value: str, *, words: int, chars: int) -> str:
    """A field cut to ``words`` words and ``chars`` UTF-16 units, with "…" when cut."""
    return clip_chars(clip_words(value, words), chars)


def first_sentence(value: str) -> str:
    m = _SENTENCE_END.search(value)
    return value[: m.end()] if m else value


def end_sentence(value: str) -> str:
    """``value`` ending in sentence punctuation (a "." added when it has none)."""
    value = value.rstrip(" ,;:-–—")
    return value if value.endswith((".", "!", "?", "…", "。", "！", "？")) else value + "."


# -- names ---------------------------------------------------------------------------------

_HONORIFICS = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "miss",
        "mx",
        "dr",
        "prof",
        "professor",
        "sir",
        "dame",
        "madam",
        "madame",
        "herr",
        "frau",
        "mme",
        "mlle",
        "sr",
        "sra",
        "srta",
    ]
)
_SUFFIXES = frozenset(["phd", "md", "mba", "jr", "sr", "ii", "iii", "iv", "esq", "cpa", "pe", "dds"])
_EDGE_PUNCTUATION = " ,;:()[]{}<>\"'“”‘’«»"


@lru_cache(maxsize=_MEMO)
def first_name(full: str | None) -> str | None:
    """The name to greet someone by: "Dana" for "Dr. Dana Lee" or "Lee, Dana". Names
    written family-name first without a comma (王小明, 山田 太郎) keep their first part,
    which is the respectful form there. None when nothing usable is left."""
    name = clean(full)
    if "," in name:
        family, _, given = name.partition(",")
        given_words = given.replace(".", "").split()
        if given_words and all(w.lower() in _SUFFIXES for w in given_words):
            name = family  # "Dana Lee, PhD"
        elif given.strip():
            name = given.strip()  # "Lee, Dana"
    words = [w.strip(_EDGE_PUNCTUATION) for w in name.split()]
    words = [w for w in words if any(ch.isalpha() for ch in w)]
    while len(words) > 1 and (
        words[0].rstrip(".").lower() in _HONORIFICS or (len(words[0].rstrip(".")) == 1 and words[0].endswith("."))
    ):
        words.pop(0)
    if not words:
        return None
    return shorten(words[0], words=3, chars=40)


# -- key points ------------------------------------------------------------------------------

_POINT_SEPARATORS = re.compile(r"[\r\n\u2028;；•]+")
_BULLET = re.compile(r"^\s*(?:[-*·–—>]+|\d{1,2}[.)])\s+")


def split_points(text: str | None) -> list[str]:
    """The key points logged with a touch, one per line or separated by ';' (or '；'). Bullets and
    end punctuation are dropped, duplicates too, and a point that asks for a job or says
    nothing (see BANNED_PATTERNS) is left out rather than half-quoted."""
    if not text:
        return []
    out: list[str] = []
    seen: set[str] = set()
    for raw in _POINT_SEPARATORS.split(unicodedata.normalize("NFC", text)):
        raw = _BULLET.sub("", raw)
        if find_banned(" ".join(raw.split())):
            continue
        point = clean(raw).strip(" .,:;!-–—")
        if not any(ch.isalnum() for ch in point):
            continue
        key = point.casefold()
        if key in seen:
            continue
        seen.add(key)
        out.append(point)
    return out


def join_list(items: Iterable[str]) -> str:
    """'a', 'a and b', 'a; b; and c' (semicolons, as points may hold commas)."""
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    if len(items) == 2:
        return f"{items[0]} and {items[1]}"
    return "; ".join(items[:-1]) + "; and " + items[-1]
