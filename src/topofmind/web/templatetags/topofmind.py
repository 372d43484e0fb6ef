"""Template filters: words for values, and times in the user's zone."""

from __future__ import annotations

from datetime import datetime, tzinfo

from django import template
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe

from topofmind.engine import labels

register = template.Library()

register.filter("purpose", labels.purpose_label)
register.filter("kind", labels.kind_label)
register.filter("channel", labels.channel_label)
register.filter("role", labels.role_label)
register.filter("stage", labels.stage_label)


@register.filter
def when(value: datetime | None) -> str:
    """ "Tue 5 Mar, 10:00" in the user's zone; with the year when it is not this year."""
    if value is None:
        return ""
    return when_in(value, timezone.get_current_timezone(), timezone.localtime(timezone.now()).year)


def when_in(value: datetime | None, zone: tzinfo, this_year: int) -> str:
    """``when`` with the zone and the current year given (Today's items are written once per
    zone and year: web/fragments.py)."""
    if value is None:
        return ""
    local = value.astimezone(zone)
    if local.year != this_year:
        return f"{local:%a} {local.day} {local:%b %Y}, {local:%H:%M}"
    return f"{local:%a} {local.day} {local:%b}, {local:%H:%M}"


@register.filter
def day(value: datetime | None) -> str:
    if value is None:
        return ""
    local = timezone.localtime(value) if isinstance(value, datetime) else value
    return f"{local:%a} {local.day} {local:%b %Y}"


@register.filter
def ago(value: datetime | None) -> str:
    """ "3 days ago", "today", "never"."""
    if value is None:
        return "never"
    days = (timezone.localtime(timezone.now()).date() - timezone.localtime(value).date()).days
    if days <= 0:
        return "today"
    if days == 1:
        return "yesterday"
    if days < 60:
        return f"{days} days ago"
    return f"{days // 30} months ago"


@register.filter
def is_past(value: datetime | None) -> bool:
    return value is not None and value < timezone.now()


@register.filter
def tzname(_: object = None) -> str:
    return str(timezone.get_current_timezone())


@register.filter
def rows_for(text: str, width: int = 64) -> int:
    """Enough textarea rows to show a draft whole (between 6 and 24)."""
    lines = str(text or "").splitlines() or [""]
    needed = sum(1 + len(line) // width for line in lines)
    return max(6, min(24, needed + 1))


FOLD_CHARS = 280  # about four lines of a card: longer notes fold
FOLD_LINES = 4


@register.filter
def fold(text: object) -> str:
    """Long notes fold: the first few lines, then "Show more" (a <details>, no script needed)
    that opens the rest in place. Short text is returned escaped as it is."""
    value = str(text or "")
    lines = value.split("\n")
    if len(value) <= FOLD_CHARS and len(lines) <= FOLD_LINES:
        return escape(value)
    cut = min(len(value), FOLD_CHARS, len("\n".join(lines[:FOLD_LINES])))
    space = max(value.rfind(" ", 0, cut), value.rfind("\n", 0, cut))
    if space > cut // 2:
        cut = space
    head, tail = value[:cut], value[cut:]
    return mark_safe(  # both parts are escaped just above
        f'<span class="fold">{escape(head)}<span class="fold-dots">…</span>'
        f'<details class="more"><summary>Show more</summary>{escape(tail)}</details></span>'
    )
