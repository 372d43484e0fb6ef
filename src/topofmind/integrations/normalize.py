"""Small normalizers shared by the parsers: names, e-mails, LinkedIn URLs, dates, labels."""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable
from datetime import date, datetime
from urllib.parse import quote, unquote, urlsplit

# Deliberately loose: one @, something before it, a dotted domain after it, no spaces.
_EMAIL = re.compile(r"^[^@\s<>(),;:\"]+@[^@\s<>(),;:\"]+\.[^@\s<>(),;:\"]+$")
_LINKEDIN = re.compile(
    r"^(?:https?://)?(?:[a-z]{2,3}\.|www\.)?linkedin\.com/(in|pub|company|school)/([^/?#]+)",
    re.IGNORECASE,
)

# Dates as exports write them. LinkedIn: "04 Dec 2025" (current), "1/8/18, 6:14 PM" (older,
# US month first), sometimes "Dec 04, 2025"; trackers and address books: ISO and friends.
DATE_FORMATS = (
    "%d %b %Y",
    "%d %B %Y",
    "%Y-%m-%d",
    "%m/%d/%y, %I:%M %p",
    "%m/%d/%Y, %I:%M %p",
    "%m/%d/%y %I:%M %p",
    "%m/%d/%y",
    "%m/%d/%Y",
    "%b %d, %Y",
    "%B %d, %Y",
    "%d-%b-%Y",
    "%d-%b-%y",
    "%Y/%m/%d",
    "%Y%m%d",
    "%d.%m.%Y",
)


# Control codes a terminal or a page would act on: ESC (a terminal's commands), BEL, backspace,
# DEL, the C1 range and the bidirectional overrides that reorder what is shown.
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _picture(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code < 0x20:
        return chr(0x2400 + code)  # the character's own picture: ESC -> U+241B
    return "\u2421" if code == 0x7F else "\ufffd"


def neutralize(text: str) -> str:
    """Keep the text but make its control codes inert: each becomes a visible symbol
    (``Ctrl\x1b[2JName`` -> ``Ctrl\u241b[2JName``), so nothing imported can drive a terminal."""
    return _CONTROL.sub(_picture, text)


def clean(value: str | None) -> str:
    """Trim, collapse runs of white space, compose accents (NFC), neutralise control codes."""
    if not value:
        return ""
    if not value.isascii():
        value = unicodedata.normalize("NFC", value)
    return neutralize(" ".join(value.split()))


def clean_block(value: str | None) -> str:
    """Like ``clean`` but keeps line breaks (for notes)."""
    if not value:
        return ""
    text = unicodedata.normalize("NFC", value).replace("\r\n", "\n").replace("\r", "\n")
    lines = [re.sub(r"[ \t\x0b\x0c]+", " ", line).strip() for line in text.split("\n")]
    return neutralize("\n".join(lines).strip())


def full_name(*parts: str) -> str:
    return clean(" ".join(p for p in parts if p))


def normalize_email(value: str) -> str | None:
    """``' Ann@Example.COM '`` -> ``'Ann@example.com'``; None if it is not an address.

    The local part keeps its case as given (it is the owner's); the domain is lower-cased.
    ``mailto:`` and ``Name <address>`` forms are unwrapped.
    """
    text = clean(value)
    if text.lower().startswith("mailto:"):
        text = text[7:]
    match = re.match(r"^.*<([^>]+)>$", text)
    if match:
        text = match.group(1).strip()
    if not _EMAIL.match(text):
        return None
    local, _, domain = text.rpartition("@")
    return f"{local}@{domain.lower()}"


def email_key(address: str) -> str:
    """What two addresses must share to be the same mailbox, for duplicate finding."""
    return address.strip().lower()


def canonical_linkedin_url(value: str) -> str | None:
    """Any spelling of a LinkedIn profile URL -> ``https://www.linkedin.com/in/<slug>``.

    Country subdomains, ``http``, a missing scheme, trailing slashes, query strings and
    percent-encoding all collapse to one form, so the same profile always matches.
    None if the value is not a LinkedIn profile URL.
    """
    text = clean(value)
    match = _LINKEDIN.match(text)
    if not match:
        return None
    kind, slug = match.group(1).lower(), unquote(match.group(2)).strip().lower()
    if not slug:
        return None
    # Percent-encoded again (upper-case hex), so the result is a valid URL whatever the
    # script of the slug, and one spelling per profile.
    return f"https://www.linkedin.com/{kind}/{quote(slug, safe='-_.~')}"


def is_url(value: str) -> bool:
    parts = urlsplit(value)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def parse_date(value: str) -> date | None:
    """A date in one of ``DATE_FORMATS``; None if the value is empty.

    Raises ValueError (with the value in the message) if it is not a date we can read.
    """
    text = clean(value)
    if not text:
        return None
    return _parse_date(text)


@functools.lru_cache(maxsize=4096)
def _parse_date(text: str) -> date:
    # Cached: an export of thousands of rows has a few hundred distinct dates.
    # LinkedIn's "1/8/18, 6:14 PM" sometimes carries a narrow no-break space before PM.
    text = text.replace("\u202f", " ")
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    # ISO with a time ("2024-03-05T10:00:00Z", "2024-03-05 10:00").
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).date()
    except ValueError:
        pass
    raise ValueError(f"'{text}' is not a date we can read (like 04 Dec 2025, 2025-12-04 or 12/4/25)")


def label_word(value: str) -> str:
    """An address-book label as one lower-case word or phrase: ``'* Work'`` -> ``'work'``.

    Apple's ``_$!<Mobile>!$_`` and vCard ``TYPE`` values (``CELL``, ``INTERNET``) map to
    the words people use; the "preferred" star is dropped.
    """
    text = clean(value).lstrip("*").strip()
    match = re.fullmatch(r"_\$!<(.+)>!\$_", text)
    if match:
        text = match.group(1)
    word = text.lower()
    return {
        "cell": "mobile",
        "cellular": "mobile",
        "iphone": "mobile",
        "mobile phone": "mobile",
        "main": "main",
        "homepage": "homepage",
        "home page": "homepage",
    }.get(word, word)


def split_multi(value: str) -> list[str]:
    """Google puts several values in one cell separated by ``' ::: '``."""
    return [part.strip() for part in value.split(":::") if part.strip()]


def phone_key(number: str) -> str:
    """Digits only (and a leading +): ``'+1 (555) 010-2000'`` and ``'+15550102000'`` match."""
    text = number.strip()
    digits = re.sub(r"\D", "", text)
    return ("+" + digits) if text.startswith("+") else digits


def unique(items: list[tuple[str, str]], key: Callable[[str], str] = str.lower) -> tuple[tuple[str, str], ...]:
    """``(label, value)`` pairs without repeated values (compared by ``key``); first wins."""
    seen: set[str] = set()
    out: list[tuple[str, str]] = []
    for label, value in items:
        k = key(value)
        if k in seen:
            continue
        seen.add(k)
        out.append((label, value))
    return tuple(out)
