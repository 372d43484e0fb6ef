"""The agenda (the planning reader's ``agenda``, re-exported: the read model is where entry
points read it), and what Today and the board read besides: the key that says when Today's
page may have changed, and R17's ghosted flags."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.db import connection

from topofmind import engine
from topofmind.crm.models import FollowUp, Workspace
from topofmind.crm.planning import AgendaItem, Viewer, agenda, loader, snapshot
from topofmind.crm.queries.workspace import loaded_plan, loaded_settings, policy_or_playbook
from topofmind.crm.sql import marks
from topofmind.drafting import check
from topofmind.engine.ghosted import WAITING_STAGES
from topofmind.engine.types import LIVE_STATES

__all__ = ["AgendaItem", "agenda", "agenda_fingerprint", "check_draft", "ghosted_flags"]


def check_draft(item: AgendaItem, *, body: str, workspace: Workspace) -> AgendaItem:
    """``item`` with the draft checker's findings on ``body`` (the draft as the user is writing it)."""
    policy = policy_or_playbook(loaded_settings(workspace))
    shared = item.carried.shared if item.carried is not None else ()
    return replace(item, findings=tuple(check(body, max_words=policy.max_words, shared=shared)))


def ghosted_flags(
    workspace: Workspace, *, now: datetime, opportunity_ids: Sequence[int] | None = None
) -> dict[int, str]:
    """Opening id -> why it looks ghosted (engine.ghosted over just the openings and their touches)."""
    ws_settings = snapshot.settings_of(workspace)
    snap = loader.load_openings(
        workspace_id=workspace.pk,
        stages=WAITING_STAGES,
        context=snapshot.context_of(ws_settings),
        policy=policy_or_playbook(ws_settings),
        opportunity_ids=opportunity_ids,
    )
    if not snap.opportunities:
        return {}
    return engine.ghosted(snap, now)


def agenda_fingerprint(workspace: Workspace, *, at: datetime, viewer: Viewer | None = None) -> str:
    """A short key that changes whenever the agenda at ``at`` may change. Reading only.

    The value library and its shares count too: what a follow-up carries is chosen when it
    is read (R10). A user's pick for an item stamps the row's ``updated_at``.

    The agenda reads the live follow-ups due by today, the settings and the plan. Every write
    that re-plans or acts on a follow-up stamps its rows' ``updated_at`` (a row leaving the
    live set changes their count); as time passes, an item changes the agenda when it becomes
    actionable, when its due moment passes (it shows as overdue) and when a missed deadline
    goes stale, so the key counts the rows past each of those instants at ``at``.
    """
    ws_settings = loaded_settings(workspace)
    zone = ZoneInfo((viewer.timezone if viewer is not None else ws_settings.timezone) or "UTC")
    local = at.astimezone(zone)
    stale_days = policy_or_playbook(ws_settings).overdue_deadline_days
    moment = connection.ops.adapt_datetimefield_value(at)
    stale = connection.ops.adapt_datetimefield_value(at - timedelta(days=stale_days))
    # Plain SQL: this runs on every view of Today, and the ORM's own cost here is larger
    # than the query's (the index on workspace, state, due_day answers it).
    table = connection.ops.quote_name(FollowUp._meta.db_table)
    states = [s.value for s in LIVE_STATES]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT COUNT(id), MAX(updated_at), MAX(id), "
            "SUM(CASE WHEN actionable_from <= %s THEN 1 ELSE 0 END), "
            "SUM(CASE WHEN due <= %s THEN 1 ELSE 0 END), "
            "SUM(CASE WHEN due < %s THEN 1 ELSE 0 END) "
            f"FROM {table} WHERE workspace_id = %s AND state IN ({marks(states)}) AND due_day <= %s",
            [moment, moment, stale, workspace.pk, *states, local.date().isoformat()],
        )
        live = cursor.fetchone()
        # R10: the items the day's follow-ups may carry, and what was shared with whom
        cursor.execute(
            "SELECT (SELECT COUNT(id) FROM crm_valueitem WHERE workspace_id = %s), "
            "(SELECT MAX(id) FROM crm_valueitem WHERE workspace_id = %s), "
            "(SELECT COUNT(id) FROM crm_valueshare WHERE workspace_id = %s), "
            "(SELECT MAX(id) FROM crm_valueshare WHERE workspace_id = %s)",
            [workspace.pk] * 4,
        )
        library = cursor.fetchone()
    row = loaded_plan(workspace)
    plan = (row.targets, row.weeks, row.calls_per_day, row.start) if row is not None else None
    parts = (
        workspace.pk,
        ws_settings.timezone,
        ws_settings.country,
        ws_settings.playbook,
        ws_settings.daily_cap,
        sorted((ws_settings.overrides or {}).items()),
        ws_settings.user_name,
        viewer,
        plan,
        tuple(str(v) for v in live or ()),
        tuple(str(v) for v in library or ()),
        local.date().isoformat(),
    )
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:32]
