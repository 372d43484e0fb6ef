"""Acting on follow-ups: done, snoozed, skipped, a draft reworded, a draft marked sent, the
item of value it carries chosen by hand (R10)."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction

from topofmind.crm.errors import Conflict, Invalid
from topofmind.crm.models import (
    FollowUp,
    Interaction,
    InteractionParticipant,
    UndoEntry,
    ValueItem,
    ValueShare,
    Workspace,
)
from topofmind.crm.planning import library, replan
from topofmind.crm.services._fields import check_dates, get_row
from topofmind.crm.services.transactions import atomic_with_retry
from topofmind.crm.services.undo import before, remember
from topofmind.drafting import mentions
from topofmind.engine.types import LIVE_STATES, PURPOSE_KIND, Direction, Purpose, State


@atomic_with_retry("follow-up")
def done(
    *, workspace: Workspace, followup_id: int, at: datetime, now: datetime, logged_by_id: int | None = None
) -> Interaction:
    """Mark a follow-up done and log the touch it stands for, at ``at``."""
    check_dates(at=at)
    with transaction.atomic():
        row = _live_followup(workspace, followup_id, "done")
        previous = before(row)
        interaction = _log_done(workspace, row, at=at, now=now, logged_by_id=logged_by_id)
        remember(
            row=row, previous=previous, action=UndoEntry.Action.DONE, user_id=logged_by_id, now=now, interaction=interaction
        )
    return interaction


def _log_done(
    workspace: Workspace, row: FollowUp, *, at: datetime, now: datetime, logged_by_id: int | None
) -> Interaction:
    """The follow-up is done: the touch it stands for is logged and the agenda re-planned."""
    purpose = Purpose(row.purpose)
    interaction = Interaction.objects.create(
        workspace=workspace,
        logged_by_id=logged_by_id,
        at=at,
        kind=PURPOSE_KIND[purpose].value,
        channel=row.channel,
        direction=Direction.OUT.value,
        opportunity_id=row.opportunity_id,
        summary=f"{purpose.value.replace('_', ' ')} (from the agenda)",
        created_at=now,
    )
    if row.person_id is not None:
        InteractionParticipant.objects.create(interaction=interaction, person_id=row.person_id)
        _record_share(row, interaction, now=now)
    row.state, row.state_at, row.updated_at = State.DONE.value, at, now
    row.save(update_fields=["state", "state_at", "updated_at"])
    replan(
        workspace=workspace,
        now=now,
        person_ids=[row.person_id] if row.person_id else [],
        opportunity_ids=[row.opportunity_id] if row.opportunity_id else [],
    )
    return interaction


@atomic_with_retry("follow-up")
def snooze(
    *, workspace: Workspace, followup_id: int, until: datetime, now: datetime, user_id: int | None = None
) -> FollowUp:
    """Hide a follow-up until ``until``; it comes back then."""
    check_dates(until=until)
    if until <= now:
        raise Invalid("until", "a snooze must end in the future", "give a later date and time")
    with transaction.atomic():
        row = _live_followup(workspace, followup_id, "snoozed")
        remember(row=row, previous=before(row), action=UndoEntry.Action.SNOOZED, user_id=user_id, now=now)
        row.state, row.state_at, row.snoozed_until, row.updated_at = State.SNOOZED.value, now, until, now
        row.save(update_fields=["state", "state_at", "snoozed_until", "updated_at"])
        replan(workspace=workspace, now=now, person_ids=[row.person_id] if row.person_id else [])
        row.refresh_from_db()
    return row


@atomic_with_retry("follow-up")
def skip(*, workspace: Workspace, followup_id: int, now: datetime, user_id: int | None = None) -> FollowUp:
    """Drop a follow-up without doing it; it does not come back."""
    with transaction.atomic():
        row = _live_followup(workspace, followup_id, "skipped")
        remember(row=row, previous=before(row), action=UndoEntry.Action.SKIPPED, user_id=user_id, now=now)
        row.state, row.state_at, row.updated_at = State.SKIPPED.value, now, now
        row.save(update_fields=["state", "state_at", "updated_at"])
        replan(workspace=workspace, now=now, person_ids=[row.person_id] if row.person_id else [])
    return row


@atomic_with_retry("draft")
def edit_draft(*, workspace: Workspace, followup_id: int, subject: str, body: str, now: datetime) -> FollowUp:
    """Keep the user's own wording for a follow-up's draft ("" for both = the generated draft)."""
    with transaction.atomic():
        row = _live_followup(workspace, followup_id, "edited")
        row.draft_subject, row.draft_body, row.updated_at = subject.strip(), body.strip(), now
        row.save(update_fields=["draft_subject", "draft_body", "updated_at"])
    return row


def _record_share(row: FollowUp, interaction: Interaction, *, now: datetime) -> None:
    """R10: what went out is shared with that person, once: the item it carried, if its link or
    title is still in the body sent (the user's wording, else the generated draft)."""
    carried, body = library.carried_by_followup(row, now=now)
    item = carried.item if carried is not None else None
    if item is None or row.person_id is None or not mentions(body, title=item.title, url=item.url):
        return
    ValueShare.objects.get_or_create(
        value_item_id=item.id,
        person_id=row.person_id,
        defaults={"workspace": row.workspace, "interaction": interaction, "shared_at": interaction.at},
    )


@atomic_with_retry("follow-up")
def set_value_choice(
    *, workspace: Workspace, followup_id: int, choice: str, item_id: int | None = None, now: datetime
) -> FollowUp:
    """Choose what a follow-up carries (R10): ``"item"`` with ``item_id`` (an item of the
    library), ``"none"`` for nothing this time, or ``""`` to leave it to topofmind again."""
    if choice not in ("", library.CHOICE_ITEM, library.CHOICE_NONE):
        raise Invalid("value", f"unknown choice {choice!r}", "choose an item, none, or the suggested one")
    item: ValueItem | None = None
    if choice == library.CHOICE_ITEM:
        item = ValueItem.objects.filter(workspace=workspace, pk=item_id).first() if item_id is not None else None
        if item is None:
            raise Invalid("value", f"no item #{item_id} in the library", "see the library: topofmind value list")
    with transaction.atomic():
        row = _live_followup(workspace, followup_id, "changed")
        row.value_choice, row.value_item, row.updated_at = choice, item, now
        row.save(update_fields=["value_choice", "value_item", "updated_at"])
    return row


def _live_followup(workspace: Workspace, followup_id: int, verb: str) -> FollowUp:
    row = get_row(FollowUp.objects.select_for_update(), workspace, followup_id, "follow-up")
    if row.state not in {s.value for s in LIVE_STATES}:
        raise Conflict(
            f"follow-up {followup_id} is {row.state} and cannot be {verb}",
            "see what is open with: topofmind today",
        )
    return row


@atomic_with_retry("follow-up")
def mark_sent(
    *,
    workspace: Workspace,
    followup_id: int,
    subject: str,
    body: str,
    at: datetime,
    now: datetime,
    logged_by_id: int | None = None,
    undoable: bool = True,
) -> Interaction:
    """The draft went out as written: keep the wording, mark the follow-up done, log the touch.

    ``undoable`` off for an e-mail topofmind sent itself: what left the mailbox cannot be taken back."""
    check_dates(at=at)
    with transaction.atomic():
        row = _live_followup(workspace, followup_id, "marked sent")
        if subject.strip() != row.draft_subject or body.strip() != row.draft_body:
            row.draft_subject, row.draft_body, row.updated_at = subject.strip(), body.strip(), now
            row.save(update_fields=["draft_subject", "draft_body", "updated_at"])
        previous = before(row)
        interaction = _log_done(workspace, row, at=at, now=now, logged_by_id=logged_by_id)
        # What was sent belongs on the touch; neither field changes what the engine plans.
        if subject.strip() or body.strip():
            interaction.summary = subject.strip() or interaction.summary
            interaction.notes = body.strip()
            interaction.save(update_fields=["summary", "notes"])
        if undoable:
            remember(
                row=row,
                previous=previous,
                action=UndoEntry.Action.SENT,
                user_id=logged_by_id,
                now=now,
                interaction=interaction,
            )
    return interaction
