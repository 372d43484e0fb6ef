"""Organizations: add, edit, delete. ``feeds`` (one address a line, as the form shows them) are
kept as Feed rows (``services/feeds.py``)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction

from topofmind.crm.errors import Conflict
from topofmind.crm.models import (
    InteractionParticipant,
    Opportunity,
    OpportunityParticipant,
    Organization,
    Person,
    Workspace,
)
from topofmind.crm.planning import replan
from topofmind.crm.services._fields import UNSET, Maybe, get_row, required, web_url
from topofmind.crm.services.feeds import set_feeds
from topofmind.crm.services.transactions import atomic_with_retry
from topofmind.crm.validation import parse_int, split_tags


@atomic_with_retry("organization")
def add_organization(
    *,
    workspace: Workspace,
    name: str,
    now: datetime,
    website: str = "",
    industry: str = "",
    target: bool = False,
    priority: int = 3,
    notes: str = "",
    tags: str = "",
    feeds: str = "",
) -> Organization:
    with transaction.atomic():
        org = Organization(workspace=workspace, created_at=now, updated_at=now)
        _set_org_fields(
            org,
            name=name,
            website=website,
            industry=industry,
            target=target,
            priority=priority,
            notes=notes,
            tags=tags,
        )
        org.save()
        if feeds.strip():
            set_feeds(workspace=workspace, organization_id=org.pk, urls=feeds.splitlines(), now=now)
        replan(workspace=workspace, now=now, organization_ids=[org.pk])
    return org


@atomic_with_retry("organization")
def edit_organization(
    *,
    workspace: Workspace,
    organization_id: int,
    now: datetime,
    name: Maybe[str] = UNSET,
    website: Maybe[str] = UNSET,
    industry: Maybe[str] = UNSET,
    target: Maybe[bool] = UNSET,
    priority: Maybe[int] = UNSET,
    notes: Maybe[str] = UNSET,
    tags: Maybe[str] = UNSET,
    feeds: Maybe[str] = UNSET,
) -> Organization:
    with transaction.atomic():
        org = get_row(Organization.objects.select_for_update(), workspace, organization_id, "organization")
        _set_org_fields(
            org,
            name=name,
            website=website,
            industry=industry,
            target=target,
            priority=priority,
            notes=notes,
            tags=tags,
        )
        org.updated_at = now
        org.save()
        if feeds is not UNSET:
            set_feeds(workspace=workspace, organization_id=org.pk, urls=feeds.splitlines(), now=now)
        replan(workspace=workspace, now=now, organization_ids=[org.pk])
    return org


def _set_org_fields(org: Organization, **fields: Any) -> None:
    given = {k: v for k, v in fields.items() if v is not UNSET}
    if "name" in given:
        name = required(given["name"], field="name")
        clash = Organization.objects.filter(workspace_id=org.workspace_id, name__iexact=name).exclude(pk=org.pk)
        if clash.exists() or _casefold_clash(org, name):
            raise Conflict(f'there is already an organization called "{name}"', "pick another name, or edit that one")
        org.name = name
    if "website" in given:
        org.website = web_url(given["website"], field="website")
    if "priority" in given:
        org.priority = parse_int(given["priority"], field="priority")
    if "tags" in given:
        org.tags = ", ".join(split_tags(given["tags"]))
    for name in ("industry", "notes"):
        if name in given:
            setattr(org, name, str(given[name]).strip())
    if "target" in given:
        org.target = bool(given["target"])


def _casefold_clash(org: Organization, name: str) -> bool:
    # SQLite's iexact folds ASCII only; compare the rest in Python (names per workspace are few).
    if name.isascii():
        return False
    folded = name.casefold()
    others = Organization.objects.filter(workspace_id=org.workspace_id).exclude(pk=org.pk)
    return any(other.casefold() == folded for other in others.values_list("name", flat=True))


@atomic_with_retry("organization")
def delete_organization(*, workspace: Workspace, organization_id: int, now: datetime) -> str:
    """Delete an employer with its openings, news feeds and follow-ups; its people stay, without
    an employer, and touches about its openings stay, about no opening. Returns its name."""
    with transaction.atomic():
        org = get_row(Organization.objects.select_for_update(), workspace, organization_id, "organization")
        name = org.name
        openings = list(Opportunity.objects.filter(organization=org).values_list("pk", flat=True))
        people = set(Person.objects.filter(organization=org).values_list("pk", flat=True))
        people |= set(OpportunityParticipant.objects.filter(opportunity_id__in=openings).values_list("person_id", flat=True))
        people |= set(
            InteractionParticipant.objects.filter(interaction__opportunity_id__in=openings).values_list(
                "person_id", flat=True
            )
        )
        org.delete()
        replan(workspace=workspace, now=now, person_ids=sorted(people))
    return name
