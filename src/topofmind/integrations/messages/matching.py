"""Pure helpers the sync service uses to tie a mail to people and to the messages we sent.

Names: "Doe, Jane", "Jane Doe", "JANE DOE (Acme)" and "Dr. Jane Doe" are one person; the key
folds case and accents, drops titles, degrees and decorations, and turns "Last, First" around.
The caller supplies the candidates (the people it knows); nothing here looks anything up.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Iterable
from typing import TypeVar

from .headers import normalise_id
from .model import ParsedMessage

K = TypeVar("K")

_TITLES = frozenset(
    {
        "mr",
        "mrs",
        "ms",
        "miss",
        "mx",
        "dr",
        "prof",
        "herr",
        "frau",
        "mme",
        "mlle",
        "m",
        "sr",
        "sra",
        "srta",
        "don",
        "dona",
        "doña",
    }
)
_SUFFIXES = frozenset(
    {"jr", "sr", "ii", "iii", "iv", "phd", "md", "mba", "msc", "bsc", "cpa", "pmp", "dipl", "ing", "esq"}
)
_DECOR = re.compile(r"\(.*?\)|\[.*?\]|\s[|/–—]\s.*$|\s+(via|through)\s+.*$", re.IGNORECASE)


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold().replace("ß", "ss")


def _words(part: str) -> list[str]:
    return [word for word in re.split(r"[^\w'-]+", _fold(part)) if word and word.strip("'-")]


def name_key(display_name: str) -> str:
    """A display name in the form "first last", lower-case and without accents or decoration."""
    name = _DECOR.sub("", display_name.strip().strip("\"'")).strip()
    parts = [part.strip() for part in name.split(",") if part.strip()]
    # "Doe, Jane, PhD" -> drop degrees after commas before deciding on "Last, First".
    while len(parts) > 1 and all(word.strip(".") in _SUFFIXES for word in _words(parts[-1])):
        parts.pop()
    if len(parts) == 2:
        parts = [parts[1], parts[0]]
    words = [word.strip("'-") for part in parts for word in _words(part)]
    while words and words[0].strip(".") in _TITLES and len(words) > 2:
        words.pop(0)
    while words and words[-1].strip(".") in _SUFFIXES and len(words) > 2:
        words.pop()
    return " ".join(words)


def same_name(first: str, second: str) -> bool:
    """True when two display names name the same person ("Doe, Jane" and "Jane Doe")."""
    one, other = name_key(first), name_key(second)
    return bool(one) and (one == other or sorted(one.split()) == sorted(other.split()))


def match_name(display_name: str, candidates: Iterable[tuple[K, str]]) -> list[K]:
    """The keys of the candidates whose name is the sender's, in the order given.

    ``candidates`` are (key, full name) pairs, e.g. (person id, "Jane Doe"). Word order does not
    matter ("Doe Jane" as some address books write it), so a family-name-first name matches too.
    """
    wanted = name_key(display_name)
    if not wanted:
        return []
    wanted_sorted = sorted(wanted.split())
    return [key for key, name in candidates if sorted(name_key(name).split()) == wanted_sorted]


def replied_ids(msg: ParsedMessage, our_ids: Collection[str]) -> list[str]:
    """Which of our Message-IDs this mail answers (In-Reply-To first, then References)."""
    ours = {normalise_id(value) for value in our_ids}
    seen: list[str] = []
    for value in (msg.in_reply_to, *reversed(msg.references)):
        if value is not None and normalise_id(value) in ours and normalise_id(value) not in seen:
            seen.append(normalise_id(value))
    return seen


def is_reply_to(msg: ParsedMessage, our_ids: Collection[str]) -> bool:
    """True when In-Reply-To or References name one of the given Message-IDs."""
    return bool(replied_ids(msg, our_ids))
