"""What the exports show: one table per list (CSV) and people as contact cards (vCard).

Rows come out as mappings of column -> value, dates in the user's zone; the writers in
``topofmind.integrations.exports`` make them spreadsheet-safe. Every row is the workspace's own.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch

from topofmind.crm.errors import Invalid
from topofmind.crm.models import (
    FollowUp,
    Interaction,
    InteractionParticipant,
    Opportunity,
    Organization,
    Person,
    Workspace,
)
from topofmind.crm.queries.serialize import when
from topofmind.crm.queries.workspace import timezone_of
from topofmind.crm.validation import split_tags
from topofmind.engine.types import Role
from topofmind.integrations.exports import PersonCard

Row = dict[str, Any]
CHUNK = 2000


@dataclass(frozen=True)
class Table:
    header: tuple[str, ...]
    rows: Callable[[Workspace, str], Iterator[Row]]


def _people(workspace: Workspace, tz: str) -> Iterator[Row]:
    rows = (
        Person.objects.filter(workspace=workspace)
        .select_related("organization")
        .prefetch_related("roles", "emails", "phones")
        .order_by("name", "pk")
    )
    for p in rows.iterator(chunk_size=CHUNK):
        yield {
            "id": p.pk,
            "name": p.name,
            "organization": p.organization.name if p.organization else "",
            "title": p.title,
            "roles": ", ".join(sorted(r.role for r in p.roles.all())),
            "emails": ", ".join(e.address for e in p.emails.all()),
            "phones": ", ".join(ph.number for ph in p.phones.all()),
            "linkedin_url": p.linkedin_url,
            "prefers": p.prefers,
            "how_met": p.how_met,
            "interests": p.interests,
            "do_not_contact": "yes" if p.do_not_contact else "",
            "notes": p.notes,
            "created_at": when(p.created_at, tz),
        }


def _organizations(workspace: Workspace, tz: str) -> Iterator[Row]:
    for o in Organization.objects.filter(workspace=workspace).order_by("name", "pk").iterator(chunk_size=CHUNK):
        yield {
            "id": o.pk,
            "name": o.name,
            "website": o.website,
            "industry": o.industry,
            "priority": o.priority,
            "target": "yes" if o.target else "",
            "tags": ", ".join(split_tags(o.tags)),
            "notes": o.notes,
            "created_at": when(o.created_at, tz),
        }


def _openings(workspace: Workspace, tz: str) -> Iterator[Row]:
    rows = Opportunity.objects.filter(workspace=workspace).select_related("organization")
    for o in rows.order_by("organization__name", "title", "pk").iterator(chunk_size=CHUNK):
        yield {
            "id": o.pk,
            "title": o.title,
            "organization": o.organization.name,
            "stage": o.stage,
            "decision_date": o.decision_date,
            "posting_url": o.posting_url,
            "source": o.source,
            "notes": o.notes,
            "created_at": when(o.created_at, tz),
        }


def _touches(workspace: Workspace, tz: str) -> Iterator[Row]:
    rows = (
        Interaction.objects.filter(workspace=workspace)
        .select_related("opportunity")
        .prefetch_related(
            Prefetch(
                "participants",
                queryset=InteractionParticipant.objects.select_related("person").order_by("person__name"),
            )
        )
        .order_by("at", "pk")
    )
    for i in rows.iterator(chunk_size=CHUNK):
        yield {
            "id": i.pk,
            "at": when(i.at, tz),
            "kind": i.kind,
            "direction": i.direction,
            "channel": i.channel,
            "people": ", ".join(p.person.name for p in i.participants.all()),
            "opening": i.opportunity.title if i.opportunity else "",
            "summary": i.summary,
            "points": i.points,
            "notes": i.notes,
        }


def _followups(workspace: Workspace, tz: str) -> Iterator[Row]:
    rows = FollowUp.objects.filter(workspace=workspace).select_related("person", "opportunity")
    for f in rows.order_by("due", "pk").iterator(chunk_size=CHUNK):
        yield {
            "id": f.pk,
            "due": when(f.due, tz),
            "state": f.state,
            "purpose": f.purpose,
            "rule": f.rule,
            "channel": f.channel,
            "person": f.person.name if f.person else "",
            "opening": f.opportunity.title if f.opportunity else "",
            "why": f.why,
        }


TABLES: dict[str, Table] = {
    "people": Table(
        (
            "id",
            "name",
            "organization",
            "title",
            "roles",
            "emails",
            "phones",
            "linkedin_url",
            "prefers",
            "how_met",
            "interests",
            "do_not_contact",
            "notes",
            "created_at",
        ),
        _people,
    ),
    "organizations": Table(
        ("id", "name", "website", "industry", "priority", "target", "tags", "notes", "created_at"), _organizations
    ),
    "openings": Table(
        ("id", "title", "organization", "stage", "decision_date", "posting_url", "source", "notes", "created_at"),
        _openings,
    ),
    "touches": Table(
        ("id", "at", "kind", "direction", "channel", "people", "opening", "summary", "points", "notes"), _touches
    ),
    "followups": Table(("id", "due", "state", "purpose", "rule", "channel", "person", "opening", "why"), _followups),
}


def export_table(workspace: Workspace, what: str) -> tuple[tuple[str, ...], Iterator[Row]]:
    """The header and the rows of the list ``what`` (people, organizations, openings, touches, followups)."""
    table = TABLES.get(what)
    if table is None:
        raise Invalid("list", f"{what!r} is not one of {', '.join(TABLES)}")
    return table.header, table.rows(workspace, timezone_of(workspace))


def person_cards(workspace: Workspace, *, role: str = "") -> Iterator[PersonCard]:
    """The workspace's people as contact cards; with ``role``, only people with that role."""
    if role and role not in {r.value for r in Role}:
        raise Invalid("role", f"{role!r} is not one of {', '.join(r.value for r in Role)}")
    rows = Person.objects.filter(workspace=workspace)
    if role:
        rows = rows.filter(roles__role=role)
    rows = rows.select_related("organization").prefetch_related("roles", "emails", "phones").order_by("name", "pk")
    for p in rows.iterator(chunk_size=CHUNK):
        yield PersonCard(
            name=p.name,
            emails=tuple((e.label, e.address) for e in p.emails.all()),
            phones=tuple((ph.label, ph.number) for ph in p.phones.all()),
            organization=p.organization.name if p.organization else "",
            title=p.title,
            linkedin_url=p.linkedin_url,
            notes=p.notes,
            roles=tuple(sorted(r.role for r in p.roles.all())),
            uid=f"topofmind-person-{workspace.pk}-{p.pk}",
        )
