"""Matching keys: when two names are the same person, or the same organization."""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import defaultdict

NAME_CUTOFF = 92  # rapidfuzz token_sort_ratio for "same person" within one organization
ORG_CUTOFF = 95  # ... and for "same organization" (typos; legal suffixes are dropped first)
_LEGAL = re.compile(
    r"\b(inc|incorporated|llc|l\.l\.c|ltd|limited|gmbh|ag|corp|corporation|co|company|plc|sa|s\.a|sas|"
    r"srl|bv|b\.v|nv|oy|ab|as|kk|pty|pvt|lp|llp|se)\b\.?",
)


@functools.lru_cache(maxsize=1 << 16)
def name_key(name: str) -> str:
    """``'Lena 🌻 Fischer'`` and ``'lena fischer'`` -> ``'lena fischer'``: letters and digits only."""
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    kept = "".join(c if c.isalnum() else " " for c in decomposed if not unicodedata.combining(c))
    return " ".join(kept.split())


@functools.lru_cache(maxsize=1 << 14)
def org_key(name: str) -> str:
    """``'Globex, Inc.'`` and ``'GLOBEX'`` -> ``'globex'``: the organization without legal form."""
    key = name_key(name)
    stripped = " ".join(_LEGAL.sub(" ", key).split())
    return stripped or key


class Similar:
    """Keys grouped so that near-duplicates meet without comparing every pair.

    Two keys a typo apart (a rapidfuzz ratio over 90) share their digits (a different number
    is never a typo, see ``digits_of``) and their first or their last three letters - of their
    words in sorted order for names, since token-sort matching ignores word order. Each key
    is filed under both; a search looks in the two groups of its own key.
    """

    def __init__(self, *, sort_words: bool) -> None:
        self.sort_words = sort_words
        self.groups: dict[tuple[str, str], list[str]] = defaultdict(list)

    def _groups(self, key: str) -> tuple[tuple[str, str], tuple[str, str]]:
        text = " ".join(sorted(key.split())) if self.sort_words else key
        digits = digits_of(key)
        return (digits, "^" + text[:3]), (digits, "$" + text[-3:])

    def add(self, key: str) -> None:
        for group in self._groups(key):
            self.groups[group].append(key)

    def candidates(self, key: str) -> list[str]:
        first, last = self._groups(key)
        return list(dict.fromkeys([*self.groups.get(first, ()), *self.groups.get(last, ())]))


def digits_of(text: str) -> str:
    """Digits in a name tell people apart ("Cohort 1", "John Smith 2"); they are never typos."""
    return "".join(c for c in text if c.isdigit())
