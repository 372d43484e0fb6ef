"""Follow-ups: the live ones (pending or snoozed), one by id, the next one due, the last action
that can still be undone."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet

from topofmind.crm.errors import NotFound
from topofmind.crm.models import FollowUp, UndoEntry, Workspace
from topofmind.crm.queries.paging import PER_PAGE
from topofmind.engine.types import LIVE_STATES, State

UNDO_MINUTES = 10  # how long Done, Snooze, Skip and Mark sent can be undone
UNDO_WINDOW = timedelta(minutes=UNDO_MINUTES)


def undo_entries_of(workspace: Workspace, user_id: int | None) -> QuerySet[UndoEntry]:
    """A user's actions not undone yet (``None``: the CLI's, before any account exists)."""
    by = Q(user_id=user_id) if user_id is not None else Q(user__isnull=True)
    return UndoEntry.objects.filter(by, workspace=workspace, undone_at__isnull=True)


def last_undoable(workspace: Workspace, user_id: int | None, *, now: datetime) -> UndoEntry | None:
    """The user's latest action on a follow-up that can still be undone (None = nothing within ten minutes)."""
    return (
        undo_entries_of(workspace, user_id)
        .filter(at__gte=now - UNDO_WINDOW)
        .select_related("followup", "followup__person", "followup__organization")
        .order_by("-at", "-pk")
        .first()
    )


def live_followups(workspace: Workspace) -> QuerySet[FollowUp]:
    return FollowUp.objects.filter(workspace=workspace, state__in=[s.value for s in LIVE_STATES]).select_related(
        "person", "organization", "opportunity"
    )


def get_followup(workspace: Workspace, followup_id: int) -> FollowUp:
    try:
        return FollowUp.objects.select_related("person", "organization", "opportunity").get(
            workspace=workspace, pk=followup_id
        )
    except FollowUp.DoesNotExist:
        raise NotFound(f"no follow-up with id {followup_id}") from None


def next_up(workspace: Workspace, *, after: datetime) -> FollowUp | None:
    """The first live follow-up due after ``after`` (what Today shows when nothing is due)."""
    return live_followups(workspace).filter(due__gt=after).order_by("due", "pk").first()


def list_followups(
    *,
    workspace: Workspace,
    person_id: int | None = None,
    cause_interaction_id: int | None = None,
    states: Iterable[State] = LIVE_STATES,
) -> list[FollowUp]:
    """Follow-ups in the given states (default: open ones), soonest first."""
    rows = FollowUp.objects.filter(workspace=workspace, state__in=[State(s).value for s in states])
    if person_id is not None:
        rows = rows.filter(person_id=person_id)
    if cause_interaction_id is not None:
        rows = rows.filter(cause_interaction_id=cause_interaction_id)
    return list(rows.select_related("person", "organization", "opportunity").order_by("due", "id"))


def followups_page(
    workspace: Workspace,
    *,
    states: Iterable[State] = LIVE_STATES,
    person_id: int | None = None,
    page: int = 1,
    per_page: int = PER_PAGE,
) -> Page[FollowUp]:
    """One page of follow-ups in the given states (default: open ones), soonest first."""
    rows = FollowUp.objects.filter(workspace=workspace, state__in=[State(s).value for s in states])
    if person_id is not None:
        rows = rows.filter(person_id=person_id)
    return Paginator(rows.order_by("due", "pk"), per_page).get_page(page)
