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
        return date.fromisoformat(text.strip())
    except ValueError:
        raise Invalid(field, f'"{text}" is not a date', "use YYYY-MM-DD, e.g. 2030-03-05") from None


def parse_int(text: str | int, *, field: str, minimum: int | None = None, maximum: int | None = None) -> int:
    try:
        value = int(str(text).strip())
    except ValueError:
        raise Invalid(field, f'"{text}" is not a whole number') from None
    if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
        if maximum is None:
            span = f"at least {minimum}"
        elif minimum is None:
            span = f"at most {maximum}"
        else:
            span = f"from {minimum} to {maximum}"
        raise Invalid(field, f"{value} is out of range", f"use a number {span}")
    return value


def split_tags(text: str) -> list[str]:
    """``"python, data ,, ml"`` -> ``["python", "data", "ml"]``."""
    return [part.strip() for part in text.split(",") if part.strip()]
