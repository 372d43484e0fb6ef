"""R6, the pacing guard: one non-exempt message per person per window."""

from __future__ import annotations

from datetime import date, timedelta

from ..types import InteractionSnap, Kind
from .world import PersonWorld, is_message


def counts_for_guard(i: InteractionSnap) -> bool:
    """Messages that start a guard window: everything we send but thank-yous and replies."""
    return is_message(i) and i.kind not in (Kind.THANK_YOU, Kind.REPLY)


def guard_day(w: PersonWorld) -> date | None:
    last = next((i for i in reversed(w.history) if counts_for_guard(i)), None)
    if last is None:
        return None
    day = w.cal.local_day(last.at)
    if w.policy.guard_in_business_days:
        return w.cal.add_business_days(day, w.policy.guard_days)
    return w.cal.roll_forward(day + timedelta(days=w.policy.guard_days))
