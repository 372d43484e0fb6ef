"""The drafting text helpers' fast paths give exactly what the general code gives.

The agenda composes a draft for every item, so counting words and scrubbing banned phrases
have shortcuts for the common case (no CJK text; nothing banned). These properties pin the
shortcuts to the original, general algorithms kept here as references.
"""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from topofmind.drafting import words as drafting_words
from topofmind.drafting.words import BANNED_PATTERNS, _word_spans, count_words, scrub


def reference_word_spans(value: str) -> list[tuple[int, int]]:
    """The general algorithm, one token at a time (as it was before the shortcut)."""
    spans: list[tuple[int, int]] = []
    for token in drafting_words._TOKEN.finditer(value):
        base = token.start()
        words: list[list[int]] = []
        lead: int | None = None
        for piece in drafting_words._PIECE.finditer(token.group()):
            start, end = base + piece.start(), base + piece.end()
            chunk = piece.group()
            if drafting_words._DENSE_CHAR.fullmatch(chunk) or any(ch.isalnum() for ch in chunk):
                words.append([start if lead is None else lead, end])
                lead = None
            elif words:
                words[-1][1] = end
            elif lead is None:
                lead = start
        if not words:
            words.append([token.start(), token.end()])
        spans.extend((s, e) for s, e in words)
    return spans


def reference_scrub(value: str) -> str:
    while True:
        cleaned = value
        for p in BANNED_PATTERNS:
            cleaned = p.sub("", cleaned)
        if cleaned == value:
            break
        value = cleaned
    lines = [re.sub(r"[ \t]{2,}", " ", line).strip() for line in value.split("\n")]
    return "\n".join(lines).strip()


WORDS = st.sampled_from(
    [
        "hire me", "Dana", "—", "🙂", "checking in", "just following up", "roadmap,", "(Q3)", "東京都", "の",
        "give me a job", "touching base", "need a job", "e-mail", "...", "\n", "\t", "  ", "Ünïcode", "x",
    ]
)  # fmt: skip
TEXTS = st.one_of(st.text(max_size=80), st.lists(WORDS, max_size=25).map(" ".join))


@given(TEXTS)
def test_word_spans_are_the_general_algorithms(value: str) -> None:
    assert _word_spans(value) == reference_word_spans(value)
    assert count_words(value) == len(reference_word_spans(value))


@given(TEXTS)
def test_scrub_is_the_general_algorithm(value: str) -> None:
    assert scrub(value) == reference_scrub(value)


def test_a_banned_phrase_is_still_taken_out() -> None:
    assert scrub("Could you hire me please") == "Could you please"
