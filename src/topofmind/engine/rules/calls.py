"""R8: calls go into their business hours, in their zone."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

from ..calendar import BusinessCalendar, next_call_window
from ..types import DEADLINE_PURPOSES, Channel, Policy, Suggestion
from .world import PersonWorld, on_day


def call_slot(
    actionable_from: datetime, due_day: date, their_tz: str | None, cal: BusinessCalendar, policy: Policy
) -> tuple[datetime, datetime, str]:
    """R8: the window of their business hours a call due on ``due_day`` goes into, and its wording."""
    begin, end = next_call_window(
        actionable_from, cal.tz.key, their_tz, policy.business_hours_start, policy.business_hours_end
    )
    b, e = begin.astimezone(cal.tz), end.astimezone(cal.tz)
    theirs = f" ({their_tz})" if their_tz and their_tz != cal.tz.key else ""
    if b.date() != due_day:
        text = f"call between {on_day(b.date())} {b:%H:%M} and {e:%H:%M} your time{theirs}"
    else:
        text = f"call between {b:%H:%M} and {e:%H:%M} your time{theirs}"
    return begin, end, text


def fit_call(s: Suggestion, w: PersonWorld) -> Suggestion:
    """R8: calls only in their business hours, in their zone."""
    if s.channel is not Channel.PHONE and not s.phone_known:
        return s
    begin, end, text = call_slot(s.actionable_from, s.due_day, w.person.timezone, w.cal, w.policy)
    call_at = max(begin, s.actionable_from)
    if s.channel is not Channel.PHONE:
        # R15 may turn it into the day's call: keep where that call would go
        return replace(s, extra={**s.extra, "call_window": text, "call_at": call_at.isoformat()})
    due = s.due
    if s.purpose not in DEADLINE_PURPOSES and not (begin <= due < end):
        due = call_at
    return replace(s, due=due, call_window=text)
