"""The calendar of a workspace's live follow-ups (the feed, the .ics download, the file export).

One event per pending or snoozed follow-up, keyed by the follow-up's stable key; its revision
(the event's SEQUENCE) is the row's last change in seconds since 2020, so a calendar app that
already has the event updates it. Done, skipped and cancelled items are simply not in it.
Drafts: the user's own wording when they edited it, else today's generated draft for the items
on today's agenda (later items get theirs when their day comes).
"""

from __future__ import annotations

from datetime import UTC, datetime

from topofmind.crm.models import FollowUp, Workspace
from topofmind.crm.planning import agenda
from topofmind.crm.queries.workspace import timezone_of
from topofmind.engine.labels import purpose_label
from topofmind.engine.types import DEADLINE_PURPOSES, LIVE_STATES, Purpose
from topofmind.integrations.ics import FeedSettings, FollowUpEntry, Timing, render_calendar

EPOCH = datetime(2020, 1, 1, tzinfo=UTC)


def revision_of(row: FollowUp) -> int:
    """Grows every time the row changes (re-plans and user actions stamp ``updated_at``)."""
    return max(0, int((row.updated_at - EPOCH).total_seconds()))


def calendar_entries(workspace: Workspace, *, now: datetime) -> list[FollowUpEntry]:
    tz = timezone_of(workspace)
    drafts = {item.followup_id: item.draft for item in agenda(workspace=workspace, at=now)}
    rows = (
        FollowUp.objects.filter(workspace=workspace, state__in=[s.value for s in LIVE_STATES])
        .select_related("person", "opportunity", "organization")
        .order_by("due", "pk")
    )
    entries = []
    for row in rows:
        purpose = Purpose(row.purpose)
        deadline = purpose in DEADLINE_PURPOSES
        due = row.snoozed_until if row.state == "snoozed" and row.snoozed_until else row.due
        draft = drafts.get(row.pk)
        subject = row.draft_subject or (draft.subject if draft else "")
        body = row.draft_body or (draft.body if draft else "")
        who = row.person.name if row.person else (row.organization.name if row.organization else "")
        entries.append(
            FollowUpEntry(
                id=row.key,
                title=f"{purpose_label(row.purpose)}: {who}" if who else purpose_label(row.purpose),
                due=due,
                timing=Timing.DEADLINE if deadline else Timing.DAY,
                time_zone=tz,
                revision=revision_of(row),
                state=row.state,
                why=row.why,
                draft_subject=subject,
                draft_body=body,
                person=row.person.name if row.person else "",
                opening=row.opportunity.title if row.opportunity else "",
            )
        )
    return entries


def calendar_file(workspace: Workspace, *, now: datetime, host: str) -> bytes:
    """The workspace's follow-ups as an iCalendar file (RFC 5545)."""
    return render_calendar(
        calendar_entries(workspace, now=now),
        namespace=f"{host}/ws/{workspace.pk}",
        now=now,
        settings=FeedSettings(time_zone=timezone_of(workspace)),
    )
