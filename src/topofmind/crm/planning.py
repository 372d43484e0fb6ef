"""Keeping FollowUp rows in step with the engine's plan, and reading the agenda.

``replan`` runs after every write, inside the writer's transaction: it asks the engine for
every live candidate and upserts FollowUp rows by key. ``agenda`` only reads: the same
history, settings and moment always give the same agenda, whatever was asked before.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from topofmind import engine
from topofmind.crm.models import FollowUp, Person, Workspace, WorkspaceSettings
from topofmind.crm.snapshot import (
    LIVE_STATES,
    build_snapshot,
    context_of,
    person_snap,
    plan_of,
    policy_of,
    row_values,
    settings_of,
    to_suggestion,
)
from topofmind.drafting import Draft, compose
from topofmind.engine.types import PRECEDENCE, Policy, Purpose, State, Suggestion

LIVE = [s.value for s in LIVE_STATES]
# Columns the planner owns; the user's state and draft edits are never overwritten.
PLANNED_COLUMNS = [
    "purpose",
    "rule",
    "person_id",
    "organization_id",
    "opportunity_id",
    "channel",
    "due",
    "due_day",
    "actionable_from",
    "priority",
    "why",
    "cause_interaction_id",
    "points",
    "expects_answer",
    "call_window",
    "extra",
    "engine_fields",
]


@dataclass(frozen=True)
class ReplanResult:
    created: int = 0
    updated: int = 0
    revived: int = 0
    cancelled: int = 0


def replan(*, workspace: Workspace, now: datetime, person_ids: Iterable[int] | None = None) -> ReplanResult:
    """Bring the workspace's FollowUp rows in line with ``engine.plan``.

    New keys become pending rows; pending and snoozed rows take the planned fields; a
    cancelled row whose key is planned again is pending again (a deleted touch restored, a
    person who may be contacted again); live rows whose key is no longer planned are
    cancelled. Done and skipped rows are the user's word and stay as they are.

    ``person_ids`` names the people the write concerns. Today the whole workspace is
    re-planned regardless; the scale issue makes it incremental.
    """
    del person_ids
    planned: dict[str, Suggestion] = {s.key: s for s in engine.plan(build_snapshot(workspace=workspace))}
    rows = {row.key: row for row in FollowUp.objects.filter(workspace=workspace)}
    created: list[FollowUp] = []
    changed: list[FollowUp] = []
    revived = cancelled = 0
    for key, suggestion in planned.items():
        values = row_values(suggestion)
        row = rows.get(key)
        if row is None:
            created.append(
                FollowUp(
                    workspace=workspace,
                    state=State.PENDING.value,
                    state_at=now,
                    created_at=now,
                    updated_at=now,
                    **values,
                )
            )
            continue
        dirty = False
        if row.state == State.CANCELLED.value:
            row.state, row.state_at, row.snoozed_until = State.PENDING.value, now, None
            revived += 1
            dirty = True
        elif row.state not in LIVE:
            continue  # done / skipped: the engine should not plan it; the user's word stands
        for name, value in values.items():
            if getattr(row, name) != value:
                setattr(row, name, value)
                dirty = True
        if dirty:
            row.updated_at = now
            changed.append(row)
    for key, row in rows.items():
        if key not in planned and row.state in LIVE:
            row.state, row.state_at, row.updated_at = State.CANCELLED.value, now, now
            changed.append(row)
            cancelled += 1
    # New rows get their ids in the order of the day, so the ids a user reads are in order too.
    created.sort(key=lambda r: (r.due_day, PRECEDENCE[Purpose(r.purpose)], planned[r.key].person_name or "", r.key))
    FollowUp.objects.bulk_create(created, batch_size=500)
    FollowUp.objects.bulk_update(
        changed, [*PLANNED_COLUMNS, "state", "state_at", "snoozed_until", "updated_at"], batch_size=500
    )
    return ReplanResult(
        created=len(created), updated=len(changed) - revived - cancelled, revived=revived, cancelled=cancelled
    )


# -- reading the agenda --------------------------------------------------------------------


@dataclass(frozen=True)
class AgendaItem:
    followup_id: int
    suggestion: Suggestion
    state: str  # pending or snoozed
    draft: Draft
    draft_edited: bool  # the user rewrote the generated draft


def agenda(*, workspace: Workspace, at: datetime) -> list[AgendaItem]:
    """What to do at moment ``at``, in the order of the day. Never writes."""
    ws_settings = settings_of(workspace)
    context = context_of(ws_settings)
    policy = policy_of(ws_settings)
    today = at.astimezone(ZoneInfo(context.timezone)).date()
    # Nothing whose due day is after today can be actionable today (see Suggestion.due_day).
    rows = {
        row.key: row
        for row in FollowUp.objects.filter(workspace=workspace, state__in=LIVE, due_day__lte=today)
        .select_related("person__organization", "organization", "opportunity__organization")
        .prefetch_related("person__roles", "person__emails", "person__phones")
    }
    chosen = engine.select(
        [to_suggestion(row) for row in rows.values()],
        now=at,
        context=context,
        policy=policy,
        plan=plan_of(workspace),
    )
    items = []
    for suggestion in chosen:
        row = rows[suggestion.key]
        edited = bool(row.draft_subject or row.draft_body)
        draft = compose_draft(suggestion, person=row.person, ws_settings=ws_settings, policy=policy)
        if edited:
            draft = Draft(subject=row.draft_subject or draft.subject, body=row.draft_body or draft.body)
        items.append(
            AgendaItem(followup_id=row.pk, suggestion=suggestion, state=row.state, draft=draft, draft_edited=edited)
        )
    return items


def compose_draft(
    suggestion: Suggestion, *, person: Person | None, ws_settings: WorkspaceSettings, policy: Policy
) -> Draft:
    """The generated draft for a suggestion (topofmind.drafting writes the words)."""
    return compose(
        suggestion,
        person=person_snap(person) if person is not None else None,
        user_name=ws_settings.user_name,
        max_words=policy.max_words,
    )
