"""compose(): one suggestion, the person, the user's name and an item of value -> a Draft.

The composer cleans and shortens what users typed, picks the purpose's template, and fits
the result to the limits: at most ``max_words`` words in the body (niceties dropped first,
then a cut at a sentence boundary), LinkedIn notes within 300 characters, and never a
banned phrase. Same inputs, same draft: no randomness, no clock.
"""

from __future__ import annotations

import re
import unicodedata
import zlib
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from topofmind.drafting.model import Draft, ValueSnap
from topofmind.drafting.templates import TEMPLATES, Facts, Message
from topofmind.drafting.words import (
    clean,
    clip_chars,
    count_words,
    first_name,
    first_sentence,
    scrub,
    shorten,
    split_points,
    trim_words,
    utf16_len,
)
from topofmind.engine.types import Channel, PersonSnap, Purpose, Suggestion
from topofmind.playbooks import load_policy

# R10: the body limit when the caller names none; the playbook file is the only home of the number.
DEFAULT_MAX_WORDS = load_policy("jobseeker").max_words
LINKEDIN_NOTE_LIMIT = 300  # characters (UTF-16 units) LinkedIn allows in an invitation note
SUBJECT_LIMIT = 90
MAX_POINTS = 3


@dataclass(frozen=True)
class _Caps:
    """How long a typed field may grow inside a draft: (words, characters)."""

    title: tuple[int, int]
    org: tuple[int, int]
    user: tuple[int, int]
    value_title: tuple[int, int]
    summary: tuple[int, int]
    point_chars: int


_LETTER = _Caps(title=(12, 100), org=(8, 80), user=(6, 60), value_title=(16, 140), summary=(22, 200), point_chars=120)
_NOTE = _Caps(title=(8, 60), org=(5, 40), user=(4, 40), value_title=(10, 80), summary=(0, 0), point_chars=60)


def compose(
    suggestion: Suggestion,
    *,
    person: PersonSnap | None,
    user_name: str = "",
    value: ValueSnap | None = None,
    max_words: int = DEFAULT_MAX_WORDS,
) -> Draft:
    """The draft for one suggestion.

    ``person`` is the addressee (None for an employer-only item: we greet the team);
    ``user_name`` signs the message; ``value`` is the item of value to carry (R10), picked
    by the service layer among those not yet shared with this person; ``max_words``
    bounds the body (greeting and signature included).
    """
    if max_words < 1:
        raise ValueError(f"max_words must be at least 1, got {max_words}")
    # ``extra`` is left out of a suggestion's equality and hash: it goes into the key itself
    return _composed(suggestion, tuple(sorted(suggestion.extra.items())), person, user_name, value, max_words)


# Today composes the day's drafts on every view its page cache cannot answer (after any change
# to the agenda, and whenever the clock passes an item's instant), and almost all of them are
# the drafts of the view before. A draft is a pure function of what is passed here, so the
# same arguments are composed once per process: the key is every input, nothing can go stale.
@lru_cache(maxsize=4096)
def _composed(
    suggestion: Suggestion,
    extra: tuple[tuple[str, str], ...],
    person: PersonSnap | None,
    user_name: str,
    value: ValueSnap | None,
    max_words: int,
) -> Draft:
    note = is_note(suggestion)
    facts = _facts(suggestion, person, user_name, value, max_words, _NOTE if note else _LETTER)
    message = TEMPLATES[suggestion.purpose](facts)
    head = _greeting(facts)
    if note:
        body = _fit_note(head, message, facts.user, max_words)
    else:
        tail = message.closing
        if tail and facts.user and not facts.spoken:
            tail = f"{tail}\n{facts.user}"
        body = _fit_letter(head, message, tail, max_words)
    return Draft(subject=_subject(facts, message), body=scrub(body))


def is_note(suggestion: Suggestion) -> bool:
    """LinkedIn invitations, and first contact on LinkedIn, travel as a 300-character note."""
    return suggestion.purpose is Purpose.LINKEDIN_CONNECT or (
        suggestion.purpose is Purpose.PROSPECT_OUTREACH and suggestion.channel is Channel.LINKEDIN
    )


# -- facts -----------------------------------------------------------------------------------


def _facts(
    s: Suggestion,
    person: PersonSnap | None,
    user_name: str,
    value: ValueSnap | None,
    max_words: int,
    caps: _Caps,
) -> Facts:
    name = person.name if person is not None else s.person_name
    org = _field(s.organization_name or (person.organization_name if person else None), caps.org)
    # Points share the room: about a tenth of the limit each, between 4 and 12 words.
    point_words = min(12, max(4, max_words // 10))
    points = tuple(shorten(p, words=point_words, chars=caps.point_chars) for p in split_points(s.points)[:MAX_POINTS])
    occasion = _occasion(s)
    return Facts(
        purpose=s.purpose,
        rule=s.rule,
        first=first_name(name),
        employer_only=person is None and not clean(s.person_name),
        org=org,
        title=_field(s.opportunity_title, caps.title),
        points=points,
        value=_value(value, caps),
        user=_field(user_name, caps.user) or "",
        channel=s.channel,
        nudge=2 if s.extra.get("nudge", "").strip() == "2" else 1,
        about=clean(s.extra.get("about", "")).lower(),
        since=_day(s.extra.get("since")),
        decision=_day(s.extra.get("decision_date")),
        occasion=occasion,
        joining=occasion == "accepted" and _same_org(s, person),
        variant=zlib.crc32(s.key.encode("utf-8")),
    )


def _field(raw: str | None, cap: tuple[int, int]) -> str | None:
    text = clean(raw)
    return shorten(text, words=cap[0], chars=cap[1]) if text else None


_OCCASIONS = frozenset({"rejection", "offer", "accepted", "interview", "submission"})


def _occasion(s: Suggestion) -> str:
    """What happened that the draft answers; from extra["occasion"], else the engine's hints."""
    said = clean(s.extra.get("occasion", "")).lower()
    if said in _OCCASIONS:
        return said
    if s.extra.get("rejection") == "1":
        return "rejection"
    if s.extra.get("offer") == "1":
        return "offer"
    if s.purpose is Purpose.THANK_YOU and s.rule == "R9":
        return "accepted"  # R9: thanks to the people who helped, once an offer is accepted
    if s.purpose is Purpose.FEEDBACK_REQUEST and s.rule == "P3":
        return "interview"  # the recruiter playbook: feedback after a candidate's interview
    return ""


def _same_org(s: Suggestion, person: PersonSnap | None) -> bool:
    if person is None:
        return False
    if s.organization_id is not None and person.organization_id is not None:
        return s.organization_id == person.organization_id
    theirs, ours = clean(person.organization_name).casefold(), clean(s.organization_name).casefold()
    return bool(theirs) and theirs == ours


def _day(raw: str | None) -> date | None:
    try:
        return date.fromisoformat(raw.strip()[:10]) if raw else None
    except ValueError:
        return None


_UNSAFE_URL = re.compile(r"^(?:javascript|data|vbscript):", re.IGNORECASE)


def _url(raw: str) -> str:
    raw = raw or ""
    if raw.isascii() and raw.isprintable():  # the usual link: no control character to drop, NFC as it is
        url = raw.strip()
    else:
        url = "".join(ch for ch in unicodedata.normalize("NFC", raw) if unicodedata.category(ch) != "Cc").strip()
    if not url or any(ch.isspace() for ch in url) or len(url) > 500 or _UNSAFE_URL.match(url):
        return ""  # a link we would have to break or cannot trust is left out, not mangled
    return url


@lru_cache(maxsize=1024)  # the day's items come back on every read of the agenda
def _value(v: ValueSnap | None, caps: _Caps) -> ValueSnap | None:
    if v is None:
        return None
    title = clean(v.title)
    summary = clean(v.summary)
    if not title:  # a summary can stand in for a missing title
        title, summary = summary, ""
    if not title:
        return None
    title = shorten(title.rstrip(" .;:,"), words=caps.value_title[0], chars=caps.value_title[1])
    if summary and caps.summary[0]:
        summary = shorten(first_sentence(summary), words=caps.summary[0], chars=caps.summary[1])
    else:
        summary = ""
    return ValueSnap(kind=v.kind, title=title, url=_url(v.url), summary=summary)


# -- layout ----------------------------------------------------------------------------------


def _greeting(f: Facts) -> str:
    if f.first:
        name = f"Hi {f.first}"
    elif f.employer_only and f.org:
        team = "team" if f.purpose is Purpose.PROSPECT_OUTREACH else "hiring team"
        name = f"Hello {f.org} {team}"
    else:
        name = "Hello"
    if f.spoken:
        return f"{name}, this is {f.user}." if f.user else f"{name}."
    return f"{name},"


def _render(head: str, paras: list[str], tail: str) -> str:
    return "\n\n".join(part for part in (head, *paras, tail) if part)


def _drop_one(paras: list[str], ranks: list[int]) -> bool:
    """Drop the least needed paragraph (highest rank; the later one on a tie)."""
    droppable = [i for i, r in enumerate(ranks) if r > 0]
    if not droppable:
        return False
    i = max(droppable, key=lambda i: (ranks[i], i))
    del paras[i], ranks[i]
    return True


def _fit_letter(head: str, message: Message, tail: str, max_words: int) -> str:
    paras = [p.text for p in message.paras]
    ranks = [p.rank for p in message.paras]
    while count_words(_render(head, paras, tail)) > max_words and _drop_one(paras, ranks):
        pass
    text = _render(head, paras, tail)
    if count_words(text) <= max_words:
        return text
    # What is left is the reason for writing: cut it at a sentence boundary, keeping the
    # greeting and the signature unless the limit is too small to leave room for content.
    budget = max_words - count_words(head) - count_words(tail)
    if budget < min(10, max_words // 2):
        tail = ""
        budget = max_words - count_words(head)
    if budget >= 1 and paras:
        text = _render(head, [trim_words("\n\n".join(paras), budget)], tail)
    return trim_words(text, max_words)


def _fit_note(head: str, message: Message, user: str, max_words: int) -> str:
    paras = [p.text for p in message.paras]
    ranks = [p.rank for p in message.paras]
    sign = f"\n{user}" if user else ""

    def render() -> str:
        return f"{head} {' '.join(paras)}".strip() + sign

    def fits(text: str) -> bool:
        return utf16_len(text) <= LINKEDIN_NOTE_LIMIT and count_words(text) <= max_words

    while not fits(render()) and _drop_one(paras, ranks):
        pass
    if not fits(render()):
        sign = ""  # LinkedIn shows who sent it; the words matter more
    return clip_chars(trim_words(render(), max_words), LINKEDIN_NOTE_LIMIT)


def _subject(f: Facts, message: Message) -> str:
    subject = message.subject
    if f.spoken:
        subject = f"{'Voicemail' if f.channel is Channel.VOICEMAIL else 'Call'} script: {subject}"
    subject = scrub(clip_chars(" ".join(subject.split()), SUBJECT_LIMIT))
    return subject or "A short note"
