"""Undo: Done, Snooze, Skip and Mark sent can be taken back for ten minutes.

The services that act write an ``UndoEntry`` in their own transaction (``remember``); ``undo``
puts the follow-up back as it was, removes the touch the action logged, and re-plans. A
user undoes their own actions only, newest first.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction

from topofmind.crm.errors import Conflict
from topofmind.crm.models import FollowUp, Interaction, UndoEntry, Workspace
from topofmind.crm.planning import replan
from topofmind.crm.queries.followups import UNDO_MINUTES, UNDO_WINDOW, undo_entries_of
from topofmind.crm.services._fields import get_row
from topofmind.crm.services.transactions import atomic_with_retry

__all__ = ["UNDO_MINUTES", "before", "remember", "undo"]

# What each action leaves the follow-up in: undo only what is still as the action left it.
LEFT_IN = {
    UndoEntry.Action.DONE: "done",
    UndoEntry.Action.SENT: "done",
    UndoEntry.Action.SKIPPED: "skipped",
    UndoEntry.Action.SNOOZED: "snoozed",
}


def remember(
    *,
    row: FollowUp,
    previous: tuple[str, datetime | None, datetime | None],
    action: UndoEntry.Action,
    user_id: int | None,
    now: datetime,
    interaction: Interaction | None = None,
) -> None:
    """Keep what an action changed (``previous`` = state, state_at, snoozed_until before it)."""
    state, state_at, snoozed_until = previous
    UndoEntry.objects.create(
        workspace_id=row.workspace_id,
        user_id=user_id,
        followup=row,
        action=action.value,
        at=now,
        previous_state=state,
        previous_state_at=state_at,
        previous_snoozed_until=snoozed_until,
        interaction=interaction,
    )
    # The log only needs the last ten minutes: older entries go as new ones come.
    UndoEntry.objects.filter(workspace_id=row.workspace_id, at__lt=now - 6 * UNDO_WINDOW).delete()


def before(row: FollowUp) -> tuple[str, datetime | None, datetime | None]:
    return row.state, row.state_at, row.snoozed_until


@atomic_with_retry("undo")
def undo(*, workspace: Workspace, user_id: int | None, now: datetime, followup_id: int | None = None) -> UndoEntry:
    """Undo the user's last action (on ``followup_id`` if given) taken within ten minutes."""
    with transaction.atomic():
        entries = undo_entries_of(workspace, user_id).select_for_update()
        if followup_id is not None:
            get_row(FollowUp.objects.all(), workspace, followup_id, "follow-up")  # another's id: not found
            entries = entries.filter(followup_id=followup_id)
        entry = entries.order_by("-at", "-pk").first()
        what = f"on follow-up {followup_id}" if followup_id is not None else "of yours"
        if entry is None:
            raise Conflict(
                f"nothing to undo: no done, snooze, skip or mark sent {what} in the last {UNDO_MINUTES} minutes",
                "see what is open with: topofmind today",
            )
        if now - entry.at > UNDO_WINDOW:
            minutes = int((now - entry.at).total_seconds() // 60)
            raise Conflict(
                f"too late to undo: your last action ({entry.action}, follow-up {entry.followup_id}) was {minutes} "
                f"minutes ago, and undo works for {UNDO_MINUTES}",
                "change it by hand: topofmind touch delete ID removes a touch",
            )
        row = FollowUp.objects.select_for_update().get(pk=entry.followup_id)
        if row.state != LEFT_IN[UndoEntry.Action(entry.action)]:
            raise Conflict(f"follow-up {row.pk} has changed since ({row.state} now): nothing was undone")
        person_ids = [row.person_id] if row.person_id else []
        opportunity_ids = [row.opportunity_id] if row.opportunity_id else []
        if entry.interaction_id is not None:
            touch = Interaction.objects.filter(pk=entry.interaction_id, workspace=workspace).first()
            if touch is not None:
                person_ids += list(touch.participants.values_list("person_id", flat=True))
                touch.value_shares.all().delete()  # what that touch shared was not shared after all (R10)
                touch.delete()
        row.state, row.state_at, row.snoozed_until = (
            entry.previous_state,
            entry.previous_state_at,
            entry.previous_snoozed_until,
        )
        row.updated_at = now
        row.save(update_fields=["state", "state_at", "snoozed_until", "updated_at"])
        entry.undone_at = now
        entry.save(update_fields=["undone_at"])
        replan(workspace=workspace, now=now, person_ids=list(dict.fromkeys(person_ids)), opportunity_ids=opportunity_ids)
    return entry
