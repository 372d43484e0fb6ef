"""Turning what a user typed into values. Every error names the field it is about.

Shared by the CLI and the web forms, so both accept the same spellings: ``hiring-manager``,
``hiring_manager`` and ``Hiring Manager`` are one role; a date and time without an offset is
in the user's time zone.
"""

from __future__ import annotations

import enum
import re
from datetime import UTC, date, datetime, time, timedelta
from typing import TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from topofmind.crm.errors import Invalid
from topofmind.engine.types import Channel, Direction, Kind, Role, Stage

E = TypeVar("E", bound=enum.Enum)

# -- what the product can use: the one home of every range check ----------------------------
# The CLI, the web forms and views, the services and restore all check against these, so a
# value that is refused at one door is refused at every door, with the field named.

FIRST_YEAR = 1900  # dates and times outside these years are typing slips, and the engine's
LAST_YEAR = 2200  # date arithmetic (due days, rests, holidays) would overflow near year 9999
MAX_ID = 2**63 - 1  # the largest id a database row can have (a signed 64-bit integer)
MAX_DAYS = 3650  # any number of days a rule or cadence counts: ten years
# Whole-number fields a user sets: (least, most).
LIMITS: dict[str, tuple[int, int]] = {
    "cadence_days": (1, MAX_DAYS),
    "targets": (1, 100_000),
    "weeks": (1, 520),
    "calls_per_day": (0, 50),
    "daily_cap": (1, 1000),
    "priority": (1, 5),
    "days": (1, 365),  # snooze by days
}
PLAYBOOK_NUMBER_MAX = MAX_DAYS  # every playbook number (days, hours, words, a cap) fits under it

# Everyday spellings of our words (after normalising to lower_snake_case).
ALIASES: dict[type[enum.Enum], dict[str, str]] = {
    Channel: {
        "e_mail": "email",
        "mail": "email",
        "call": "phone",
        "telephone": "phone",
        "sms": "text",
        "zoom": "video",
        "video_call": "video",
        "meeting": "in_person",
        "inperson": "in_person",
        "vm": "voicemail",
    },
    Role: {
        "hm": "hiring_manager",
        "manager": "hiring_manager",
        "mutual_connection": "referrer",
        "referral": "referrer",
        "mutual": "referrer",
        "colleague": "peer",
    },
    Stage: {"onhold": "on_hold", "hold": "on_hold", "interview": "interviewing", "screen": "screening"},
    Kind: {"thanks": "thank_you", "thankyou": "thank_you", "followup": "nudge", "follow_up": "nudge"},
    Direction: {"outbound": "out", "inbound": "in", "two_way": "both"},
}

NOUNS: dict[type[enum.Enum], str] = {
    Channel: "channel",
    Role: "role",
    Stage: "stage",
    Kind: "kind of touch",
    Direction: "direction",
}


def token(text: str) -> str:
    """``Hiring-Manager `` -> ``hiring_manager``: words joined by -, _ or spaces are one token."""
    return re.sub(r"[\s_\-]+", "_", text.strip().lower()).strip("_")


def parse_choice(kind: type[E], text: str, *, field: str) -> E:
    value = token(text)
    value = ALIASES.get(kind, {}).get(value, value)
    try:
        return kind(value)
    except ValueError:
        noun = NOUNS.get(kind, kind.__name__.lower())
        known = ", ".join(str(m.value) for m in kind)
        raise Invalid(field, f'"{text}" is not a {noun} I know', f"use one of: {known}") from None


def parse_timezone(text: str, *, field: str = "timezone") -> str:
    name = text.strip()
    try:
        if not name or name.startswith(("/", ".")):
            raise ValueError(name)
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise Invalid(
            field, f'"{text}" is not a time zone', "use an IANA name such as Europe/Berlin or America/New_York"
        ) from None
    return name


_RELATIVE = {"today": 0, "yesterday": -1, "tomorrow": 1}
_DATETIME_HINT = "use YYYY-MM-DD or YYYY-MM-DDTHH:MM (e.g. 2030-03-05T10:00), optionally with an offset"


def parse_datetime(text: str, *, field: str, tz: str, now: datetime | None = None) -> datetime:
    """A moment, returned in UTC. Without an offset it is in ``tz``.

    Accepts ISO 8601 (``2030-03-05``, ``2030-03-05 10:00``, ``2030-03-05T10:00+01:00``, ``...Z``);
    with ``now`` also ``now``, ``today``, ``yesterday``, ``tomorrow``, each optionally followed by
    a time (``yesterday 14:30``). A date alone means the start of that day.
    """
    raw = text.strip()
    zone = ZoneInfo(tz)
    if now is not None:
        check_moment(now, field="now")
    words = raw.lower().split()
    if now is not None and words and (words[0] == "now" or words[0] in _RELATIVE):
        if words == ["now"]:
            return now.astimezone(UTC)
        if len(words) <= 2 and words[0] in _RELATIVE:
            day = now.astimezone(zone).date() + timedelta(days=_RELATIVE[words[0]])
            clock = _parse_clock(words[1], field=field) if len(words) == 2 else time(0, 0)
            return datetime.combine(day, clock, tzinfo=zone).astimezone(UTC)
    try:
        value = datetime.fromisoformat(raw)
    except ValueError:
        raise Invalid(field, f'"{text}" is not a date and time', _DATETIME_HINT) from None
    _check_year(value.year, field=field, text=text)
    if value.tzinfo is None:
        value = value.replace(tzinfo=zone)
    return value.astimezone(UTC)


def _parse_clock(text: str, *, field: str) -> time:
    try:
        return time.fromisoformat(text if len(text.split(":")[0]) == 2 else f"0{text}")
    except ValueError:
        raise Invalid(field, f'"{text}" is not a time of day', "use HH:MM, e.g. 14:30") from None


def parse_date(text: str, *, field: str) -> date:
    try:
        value = date.fromisoformat(text.strip())
    except ValueError:
        raise Invalid(field, f'"{text}" is not a date', "use YYYY-MM-DD, e.g. 2030-03-05") from None
    return check_day(value, field=field)


def _check_year(year: int, *, field: str, text: object) -> None:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise Invalid(field, f'"{text}" is out of range', f"use a date between the years {FIRST_YEAR} and {LAST_YEAR}")


def check_day(value: date, *, field: str) -> date:
    """A date the product can count with (between FIRST_YEAR and LAST_YEAR)."""
    _check_year(value.year, field=field, text=value.isoformat())
    return value


def check_moment(value: datetime, *, field: str) -> datetime:
    """A moment the product can count with (between FIRST_YEAR and LAST_YEAR)."""
    _check_year(value.year, field=field, text=value.isoformat(timespec="minutes"))
    return value


UNUSUAL_PAST = timedelta(days=365)
CLOCK_SLACK = timedelta(minutes=5)  # a phone's clock a little ahead of the server's is not "the future"


def unusual_moment(value: datetime, *, now: datetime) -> str:
    """Why a touch at ``value`` asks for confirmation ("" when it does not): dated more than a
    year back, or in the future. Both are usually a slip of the year or the month."""
    shown = f"{value:%a} {value.day} {value:%b %Y}"
    if value > now + CLOCK_SLACK:
        return f"{shown} is in the future, and a touch is something that already happened"
    if value < now - UNUSUAL_PAST:
        return f"{shown} is more than a year ago"
    return ""


def parse_int(text: str | int, *, field: str, minimum: int | None = None, maximum: int | None = None) -> int:
    """A whole number; without ``minimum``/``maximum`` the range is ``LIMITS[field]`` if it has one."""
    if minimum is None and maximum is None and field in LIMITS:
        minimum, maximum = LIMITS[field]
    raw = str(text).strip()
    if len(raw) > 30:  # int() of a 5,000-digit string is slow and refused by Python anyway
        raise Invalid(field, f'"{raw[:12]}..." is out of range', _span_hint(minimum, maximum))
    try:
        value = int(raw)
    except ValueError:
        raise Invalid(field, f'"{text}" is not a whole number') from None
    if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
        raise Invalid(field, f"{value} is out of range", _span_hint(minimum, maximum))
    return value


def _span_hint(minimum: int | None, maximum: int | None) -> str:
    if maximum is None:
        return f"use a number at least {minimum}"
    if minimum is None:
        return f"use a number at most {maximum}"
    return f"use a number from {minimum} to {maximum}"


def parse_id(text: str | int | None, *, field: str) -> int | None:
    """An id in a filter or a link (``?org=12``): None when absent, else a row id in range."""
    if text is None or str(text).strip() == "":
        return None
    return parse_int(text, field=field, minimum=1, maximum=MAX_ID)


def check_url(value: str, *, field: str) -> str:
    """A stored link: empty, or an http(s) web address (never ``javascript:`` or ``data:``)."""
    from django.core.exceptions import ValidationError  # (lazily: keeps the CLI start light)
    from django.core.validators import URLValidator

    text = value.strip()
    if not text:
        return ""
    if not re.match(r"(?i)https?://", text):
        raise Invalid(field, "only http and https links", "use e.g. https://example.com")
    try:
        URLValidator(schemes=["http", "https"])(text)
    except ValidationError:
        raise Invalid(field, f'"{value}" is not a web address', "use e.g. https://example.com") from None
    return text


def check_playbook_number(key: str, value: object) -> object:
    """A playbook override checked by the playbook loader, then against PLAYBOOK_NUMBER_MAX."""
    from topofmind import playbooks

    if isinstance(value, str) and len(value.strip()) > 30:
        raise Invalid(key, f'"{value.strip()[:12]}..." is out of range', _span_hint(0, PLAYBOOK_NUMBER_MAX))
    try:
        number = playbooks.coerce(key, value)
    except playbooks.PlaybookError as exc:
        raise Invalid(key, str(exc)) from None
    if not isinstance(number, bool) and number > PLAYBOOK_NUMBER_MAX:
        raise Invalid(key, f"{number} is out of range", f"use a number at most {PLAYBOOK_NUMBER_MAX}")
    return number


def split_tags(text: str) -> list[str]:
    """``"python, data ,, ml"`` -> ``["python", "data", "ml"]``."""
    return [part.strip() for part in text.split(",") if part.strip()]


def normalize_tags(text: str | list[str] | tuple[str, ...]) -> list[str]:
    """Tags as the value library keeps them: lower-case, trimmed, inner spaces collapsed, each
    once, in the order given. ``"Python, data ,, python"`` -> ``["python", "data"]``."""
    parts = split_tags(text) if isinstance(text, str) else [p for part in text for p in split_tags(part)]
    # control characters (a NUL above all: PostgreSQL text cannot hold one) are no part of a tag
    return [t for t in dict.fromkeys(" ".join(_CONTROL.sub(" ", part).lower().split()) for part in parts) if t]


def join_tags(text: str | list[str] | tuple[str, ...]) -> str:
    """The stored form of a tag list: normalised, comma-separated."""
    return ", ".join(normalize_tags(text))


_OUR_FILE_NAME = re.compile(r"[0-9a-f]{32}(\.[a-z0-9]{1,10})?")


def check_material_name(value: str, *, field: str) -> str:
    """A material's stored file name: one of our own making (hex digits and an extension),
    never a path, so nothing read back from a backup can point outside the materials folder."""
    if value and not _OUR_FILE_NAME.fullmatch(value):
        raise Invalid(field, f"{value[:40]!r} is not a material file name topofmind made")
    return value


_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def search_term(text: str) -> str:
    """What a search box's text looks for: trimmed, without control characters (PostgreSQL
    refuses a NUL in a query, and stored text never holds one: imports neutralise them)."""
    return _CONTROL.sub("", text).strip()
