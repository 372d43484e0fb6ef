"""Rows as plain, JSON-ready dicts: what `--json`, the API and exports show.

Times are ISO 8601 with an offset, in the zone given (the user's).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from topofmind.crm.models import Feed, FollowUp, Interaction, Opportunity, Organization, Person, ValueItem, ValueShare
from topofmind.crm.planning import AgendaItem
from topofmind.crm.validation import split_tags
from topofmind.engine.value import LibraryItem


def when(moment: datetime | None, tz: str) -> str | None:
    return moment.astimezone(ZoneInfo(tz)).isoformat() if moment is not None else None


def ref(row: Organization | Person | None) -> dict[str, Any] | None:
    return {"id": row.pk, "name": row.name} if row is not None else None


def opp_ref(row: Opportunity | None) -> dict[str, Any] | None:
    return {"id": row.pk, "title": row.title} if row is not None else None


def organization_dict(org: Organization, *, tz: str) -> dict[str, Any]:
    return {
        "id": org.pk,
        "name": org.name,
        "website": org.website,
        "industry": org.industry,
        "priority": org.priority,
        "target": org.target,
        "tags": split_tags(org.tags),
        "feeds": [feed.url for feed in sorted(org.news_feeds.all(), key=lambda f: f.pk)],
        "notes": org.notes,
        "created_at": when(org.created_at, tz),
    }


def person_dict(person: Person, *, tz: str) -> dict[str, Any]:
    return {
        "id": person.pk,
        "name": person.name,
        "organization": ref(person.organization),
        "title": person.title,
        "roles": sorted(r.role for r in person.roles.all()),
        "emails": [e.address for e in person.emails.all()],
        "phones": [p.number for p in person.phones.all()],
        "linkedin_url": person.linkedin_url,
        "linkedin_connected": person.linkedin_connected,
        "prefers": person.prefers or None,
        "timezone": person.timezone or None,
        "how_met": person.how_met,
        "interests": split_tags(person.interests),
        "notes": person.notes,
        "cadence_days": person.cadence_days,
        "do_not_contact": person.do_not_contact,
        "dnc_reason": person.dnc_reason if person.do_not_contact else None,
        "dnc_at": when(person.dnc_at, tz),
        "created_at": when(person.created_at, tz),
    }


def opportunity_dict(opp: Opportunity, *, tz: str) -> dict[str, Any]:
    parts: dict[int, dict[str, Any]] = {}
    for part in opp.participants.select_related("person").order_by("person__name", "role"):
        entry = parts.setdefault(part.person_id, {"id": part.person_id, "name": part.person.name, "roles": []})
        if part.role:
            entry["roles"].append(part.role)
    return {
        "id": opp.pk,
        "title": opp.title,
        "organization": ref(opp.organization),
        "stage": opp.stage,
        "decision_date": opp.decision_date.isoformat() if opp.decision_date else None,
        "posting_url": opp.posting_url,
        "source": opp.source,
        "notes": opp.notes,
        "people": list(parts.values()),
        "stage_changed_at": when(opp.stage_changed_at, tz),
        "created_at": when(opp.created_at, tz),
    }


def interaction_dict(i: Interaction, *, tz: str) -> dict[str, Any]:
    return {
        "id": i.pk,
        "at": when(i.at, tz),
        "kind": i.kind,
        "direction": i.direction,
        "channel": i.channel or None,
        "people": [ref(p.person) for p in i.participants.all()],
        "opportunity": opp_ref(i.opportunity),
        "summary": i.summary,
        "points": i.points,
        "notes": i.notes,
        "permission_materials": i.permission_materials,
        "ooo_until": i.ooo_until.isoformat() if i.ooo_until else None,
    }


def followup_dict(row: FollowUp, *, tz: str) -> dict[str, Any]:
    return {
        "id": row.pk,
        "purpose": row.purpose,
        "rule": row.rule,
        "state": row.state,
        "channel": row.channel,
        "due": when(row.due, tz),
        "why": row.why,
    }


def agenda_item_dict(item: AgendaItem, *, tz: str) -> dict[str, Any]:
    """One entry of ``today --json`` (schema in docs/cli.md)."""
    s = item.suggestion
    return {
        "id": item.followup_id,
        "key": s.key,
        "purpose": s.purpose.value,
        "rule": s.rule,
        "person": {"id": s.person_id, "name": s.person_name} if s.person_id is not None else None,
        "organization": (
            {"id": s.organization_id, "name": s.organization_name} if s.organization_id is not None else None
        ),
        "opportunity": (
            {"id": s.opportunity_id, "title": s.opportunity_title} if s.opportunity_id is not None else None
        ),
        "channel": s.channel.value,
        "due": when(s.due, tz),
        "due_day": s.due_day.isoformat(),
        "priority": s.priority,
        "why": s.why,
        "expects_answer": s.expects_answer,
        "call_window": s.call_window or None,
        "state": item.state,
        "draft": {"subject": item.draft.subject, "body": item.draft.body},
        "value": value_dict(item.value),
        "value_note": item.carried.note if item.carried is not None and item.carried.note else None,
        "checks": [{"kind": f.kind, "sentence": f.sentence, "message": f.message} for f in item.findings],
    }


def value_item_dict(item: ValueItem, *, tz: str) -> dict[str, Any]:
    """One item of the value library (``value list --json``, ``/api/value``)."""
    return {
        "id": item.pk,
        "kind": item.kind,
        "title": item.title,
        "url": item.url or None,
        "summary": item.summary,
        "tags": split_tags(item.tags),
        "organization": ref(item.organization),
        "happened_on": item.happened_on.isoformat() if item.happened_on else None,
        "file": (
            {"name": item.original_name, "content_type": item.content_type, "size": item.size}
            if item.kind == ValueItem.ValueKind.MATERIAL
            else None
        ),
        "shared_with": getattr(item, "shared_count", None),
        "created_at": when(item.created_at, tz),
    }


def feed_dict(feed: Feed, *, tz: str) -> dict[str, Any]:
    """A company news feed and how its last fetch went, in words."""
    return {
        "id": feed.pk,
        "organization": ref(feed.organization),
        "url": feed.url,
        "ok": feed.ok,
        "status": feed.status,
        "last_fetch_at": when(feed.last_fetch_at, tz),
        "last_ok_at": when(feed.last_ok_at, tz),
    }


def share_dict(share: ValueShare, *, tz: str) -> dict[str, Any]:
    """An item shared with a person (R10: never twice)."""
    return {
        "item": {"id": share.value_item_id, "kind": share.value_item.kind, "title": share.value_item.title},
        "person": ref(share.person),
        "shared_at": when(share.shared_at, tz),
    }
def value_dict(item: LibraryItem | None) -> dict[str, Any] | None:
    """What a follow-up carries (R10), as ``today --json`` and the API give it."""
    if item is None:
        return None
    return {"id": item.id, "kind": item.kind.value, "title": item.title, "url": item.url or None}
