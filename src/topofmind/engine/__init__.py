"""The rulebook engine: pure Python, no Django, no I/O; every function takes ``now``.

``plan(snapshot)`` gives every live candidate; ``select(candidates, now=...)`` the agenda of a
moment; ``agenda(snapshot, now)`` both at once; ``ghosted(snapshot, now)`` the R17 flags.
"""

from __future__ import annotations

from .agenda import agenda, is_actionable, plan, quota_today, r6_rank, select, stale_before, wins_over
from .ghosted import ghosted
from .rules.person import plans_nothing_on_a_connection

__all__ = [
    "agenda",
    "ghosted",
    "is_actionable",
    "plan",
    "plans_nothing_on_a_connection",
    "quota_today",
    "r6_rank",
    "select",
    "stale_before",
    "wins_over",
]
