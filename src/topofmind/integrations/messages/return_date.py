"""The date an absent person is back, read from the text of an out-of-office reply.

We find date mentions ourselves (day + month name, month name + day, numeric, ISO) and let
dateparser read the month names in English, German, French and Spanish. A mention counts only
when a return cue stands next to it ("back on", "wieder im Büro ab", "de retour le", "de vuelta
el") or an absence-end cue ("until", "bis", "jusqu'au", "hasta"); dates elsewhere in the text
(a conference, a deadline) are ignored, and with no cued date the answer is None, so the caller
falls back to its own pause rather than trusting a guess.

Numeric dates follow the language: 14.03.2031 is always day first; with slashes English reads
month first (03/14/2031) and the others day first. A missing year is the message's year, or the
next one when that would put the return more than a week before the message was sent.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import dateparser

LANGUAGES = ("en", "de", "fr", "es")

# A few very common words per language; enough to tell four languages apart in an auto-reply.
_STOPWORDS = {
    "en": {"the", "and", "i", "will", "be", "am", "my", "you", "your", "office", "back", "until", "with", "please"},
    "de": {"der", "die", "das", "und", "ich", "bin", "im", "bis", "wieder", "ihre", "sie", "nicht", "mit", "bitte"},
    "fr": {"le", "la", "les", "et", "je", "suis", "de", "du", "vous", "votre", "retour", "jusqu", "au", "merci"},
    "es": {"el", "la", "los", "y", "estoy", "estaré", "de", "del", "su", "usted", "hasta", "vuelta", "gracias", "que"},
}

_ORDINAL = r"(?:st|nd|rd|th|er|ème|e|º|°)?"
_DAY_MONTH = re.compile(
    rf"\b(?P<d>[0-3]?\d){_ORDINAL}\.?\s*(?:de\s+|of\s+)?(?P<m>[^\W\d_]{{3,}}\.?)(?:,?\s+(?:de\s+)?(?P<y>\d{{4}}))?",
    re.IGNORECASE,
)
_MONTH_DAY = re.compile(
    r"\b(?P<m>[^\W\d_]{3,}\.?)\s+(?P<d>[0-3]?\d)(?:st|nd|rd|th)?\b(?:,?\s+(?P<y>\d{4}))?",
    re.IGNORECASE,
)
_NUMERIC = re.compile(
    r"(?<![\d.:/-])(?P<a>\d{1,2})(?P<sep>[./])(?P<b>\d{1,2})(?:(?P=sep)(?P<y>\d{4}|\d{2}))?(?![\d:/]|\.\d)"
)
_ISO = re.compile(r"\b(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})\b")

_WEEKDAYS = {
    "en": ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"),
    "de": ("montag", "dienstag", "mittwoch", "donnerstag", "freitag", "samstag", "sonntag"),
    "fr": ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"),
    "es": ("lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo"),
}
_WEEKDAY = re.compile(r"\b(" + "|".join(name for names in _WEEKDAYS.values() for name in names) + r")\b", re.IGNORECASE)

# Cues before a date that say "this is the day they are back".
_RETURN_BEFORE = re.compile(
    r"(\bback\b|\breturn\w*|\bresum\w*|\bagain\b|\bwieder\b|\bzurück\b|\bab\s+(dem|den|)\b|\bab$"
    r"|\bretour\b|\brevien\w*|\breprend\w*|à\s+partir\s+du|\bdès\s+le\b"
    r"|\bvuelta\b|\bregres\w*|\bvolver\w*|\bvuelvo\b|\breincorpor\w*|a\s+partir\s+del?\b)",
    re.IGNORECASE,
)
# German puts the cue after the date: "ab dem 3. Juni wieder im Büro".
_RETURN_AFTER = re.compile(r"^\W{0,3}(\w+\s+){0,3}(wieder|zurück)\b", re.IGNORECASE)
# Cues before a date that say "away up to this day".
_UNTIL_BEFORE = re.compile(
    r"(\buntil\b|\btill\b|\bthrough\b|\bthru\b|\bbis\b|jusqu.?(au|à)\b|\bau\b|\bhasta\b|\bal\b)", re.IGNORECASE
)
_INCLUSIVE_AFTER = re.compile(r"^\W{0,3}(inclusive|included|einschließlich|inklusive|inclus|incluido)", re.IGNORECASE)
_INCLUSIVE_BEFORE = re.compile(r"(einschließlich|inklusive)\s*(dem\s+|zum\s+)?$", re.IGNORECASE)


@dataclass(frozen=True)
class _Mention:
    start: int
    end: int
    when: date


def guess_language(text: str) -> str:
    """The most likely of the four languages, by counting common words (English on a tie)."""
    words = re.findall(r"[^\W\d_]+", text.lower())
    scores = {lang: sum(1 for word in words if word in stops) for lang, stops in _STOPWORDS.items()}
    return max(LANGUAGES, key=lambda lang: (scores[lang], lang == "en"))


def _year_for(day: int, month: int, sent: date) -> date | None:
    for year in (sent.year, sent.year + 1):
        try:
            candidate = date(year, month, day)
        except ValueError:
            continue
        if candidate >= sent - timedelta(days=7):
            return candidate
    return None


def _full_year(text: str | None) -> int | None:
    if not text:
        return None
    year = int(text)
    return year + 2000 if year < 100 else year


def _build(day: int, month: int, year: int | None, sent: date | None) -> date | None:
    if year is not None:
        try:
            return date(year, month, day)
        except ValueError:
            return None
    return _year_for(day, month, sent) if sent is not None else None


def _month_number(word: str, language: str) -> int | None:
    """The month a word names (in ``language`` first, then the others), via dateparser."""
    word = word.strip().rstrip(".")
    if len(word) < 3:
        return None
    ordered = [language, *(lang for lang in LANGUAGES if lang != language)]
    for lang in ordered:
        parsed = dateparser.parse(
            f"15 {word} 2000",
            languages=[lang],
            settings={"DATE_ORDER": "DMY", "REQUIRE_PARTS": ["day", "month", "year"]},
        )
        if parsed is not None and parsed.year == 2000 and parsed.day == 15:
            return parsed.month
    return None


def _mentions(text: str, language: str, sent: date | None) -> list[_Mention]:
    found: list[_Mention] = []
    taken: list[tuple[int, int]] = []

    def free(start: int, end: int) -> bool:
        return all(end <= s or start >= e for s, e in taken)

    def add(start: int, end: int, when: date | None) -> None:
        if when is not None and free(start, end):
            taken.append((start, end))
            found.append(_Mention(start, end, when))

    for match in _ISO.finditer(text):
        add(match.start(), match.end(), _build(int(match["d"]), int(match["m"]), int(match["y"]), None))
    for match in _NUMERIC.finditer(text):
        first, second = int(match["a"]), int(match["b"])
        month_first = match["sep"] == "/" and language == "en"
        day, month = (second, first) if month_first else (first, second)
        if month > 12 and day <= 12:  # 14/03 written the other way round
            day, month = month, day
        add(match.start(), match.end(), _build(day, month, _full_year(match["y"]), sent))
    for pattern in (_DAY_MONTH, _MONTH_DAY):
        for match in pattern.finditer(text):
            month_number = _month_number(match["m"], language)
            if month_number is not None:
                add(match.start(), match.end(), _build(int(match["d"]), month_number, _full_year(match["y"]), sent))
    if sent is not None:
        for match in _WEEKDAY.finditer(text):
            # "Monday, 14 March": the date that follows says more than the weekday.
            if any(0 <= m.start - match.end() <= 4 for m in found):
                continue
            weekday = next(names.index(match[1].lower()) for names in _WEEKDAYS.values() if match[1].lower() in names)
            ahead = (weekday - sent.weekday() - 1) % 7 + 1
            add(match.start(), match.end(), sent + timedelta(days=ahead))
    return sorted(found, key=lambda mention: mention.start)


def return_date(text: str, sent: datetime | None, language: str | None = None) -> date | None:
    """The day the writer says they are back, or None when the text names none."""
    language = language or guess_language(text)
    sent_day = sent.date() if sent is not None else None
    mentions = _mentions(text, language, sent_day)
    returns: list[date] = []
    untils: list[date] = []
    previous_end = 0
    for index, mention in enumerate(mentions):
        before = text[max(previous_end, mention.start - 60) : mention.start]
        next_start = mentions[index + 1].start if index + 1 < len(mentions) else len(text)
        after = text[mention.end : min(next_start, mention.end + 40)]
        previous_end = mention.end
        before_tail = before.split("\n")[-1] if "\n" in before.rstrip() else before
        if _RETURN_BEFORE.search(before_tail[-30:]) or _RETURN_AFTER.search(after):
            returns.append(mention.when)
        elif _UNTIL_BEFORE.search(before_tail[-25:]):
            inclusive = _INCLUSIVE_AFTER.search(after) or _INCLUSIVE_BEFORE.search(before_tail)
            untils.append(mention.when + timedelta(days=1) if inclusive else mention.when)
    if sent_day is not None:
        returns = [day for day in returns if day >= sent_day - timedelta(days=7)]
        untils = [day for day in untils if day >= sent_day - timedelta(days=7)]
    if returns:
        return returns[0]
    if untils:
        return max(untils)
    return None
