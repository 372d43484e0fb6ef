"""What the agenda tests compare: an item as a user sees it."""

from __future__ import annotations

from topofmind.engine.types import Suggestion


def shown(s: Suggestion) -> tuple[object, ...]:
    """Everything a user sees of an item (and what the order of the day depends on)."""
    return (
        s.key, s.purpose, s.rule, s.person_id, s.person_name, s.organization_id, s.organization_name,
        s.opportunity_id, s.opportunity_title, s.channel, s.due, s.due_day, s.actionable_from, s.priority,
        s.why, s.call_window, s.extra,
    )  # fmt: skip
