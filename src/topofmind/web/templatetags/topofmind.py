"""Template filters: words for values, and times in the user's zone."""

from __future__ import annotations

from datetime import datetime

from django import template
from django.utils import timezone

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
    local = timezone.localtime(value)
    today = timezone.localtime(timezone.now())
    if local.year != today.year:
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
