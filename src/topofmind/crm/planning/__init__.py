"""Planning: keeping the stored plan in step with the engine, and reading the agenda from it.

``replan`` (after every write) re-plans the people a write concerns from their corner of the
workspace (``loader``) and upserts their FollowUp rows; ``agenda`` reads those rows back
(``reader``); ``snapshot`` is the one place store rows become engine snaps and back.
Services and tests use the names below: ``from topofmind.crm import planning``.
"""

from __future__ import annotations

from topofmind.crm.planning.reader import AgendaItem, agenda, compose_draft
from topofmind.crm.planning.replan import (
    PLANNED_COLUMNS,
    ReplanResult,
    achievement_audience,
    opportunities_around,
    plan_everyone,
    plan_people,
    replan,
)
from topofmind.crm.planning.snapshot import Viewer

__all__ = [
    "PLANNED_COLUMNS",
    "AgendaItem",
    "ReplanResult",
    "Viewer",
    "achievement_audience",
    "agenda",
    "compose_draft",
    "opportunities_around",
    "plan_everyone",
    "plan_people",
    "replan",
]
