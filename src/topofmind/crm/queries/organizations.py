"""Organizations: the list, one organization and its page, the choices of a form."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import Count, Q

from topofmind.crm.errors import NotFound
from topofmind.crm.models import Feed, FollowUp, Interaction, Opportunity, Organization, Person, Workspace
from topofmind.crm.queries.followups import live_followups
from topofmind.crm.queries.paging import PER_PAGE
from topofmind.crm.queries.people import annotated_people
from topofmind.crm.queries.touches import timeline
from topofmind.crm.validation import search_term
from topofmind.engine.types import OPEN_STAGES, Role


def organizations(
    workspace: Workspace, *, search: str = "", page: int = 1, per_page: int = PER_PAGE
) -> Page[Organization]:
    qs = Organization.objects.filter(workspace=workspace)
    if term := search_term(search):
        qs = qs.filter(Q(name__icontains=term) | Q(industry__icontains=term))
    qs = (
        qs.annotate(
            people_count=Count("people", distinct=True),
            open_count=Count(
                "opportunities",
                filter=Q(opportunities__stage__in=[s.value for s in OPEN_STAGES]),
                distinct=True,
            ),
        )
        .order_by("priority", "name", "pk")
        .prefetch_related("news_feeds")
    )
    return Paginator(qs, per_page).get_page(page)  # type: ignore[return-value]


def get_organization(workspace: Workspace, organization_id: int) -> Organization:
    try:
        return Organization.objects.prefetch_related("news_feeds").get(workspace=workspace, pk=organization_id)
    except Organization.DoesNotExist:
        raise NotFound(f"no organization with id {organization_id}") from None


@dataclass
class OrganizationPage:
    organization: Organization
    people: list[Person]
    openings: list[Opportunity]
    mutual_connections: list[Person]
    followups: list[FollowUp]
    timeline: list[Interaction]
    feeds: list[Feed]


MUTUAL_ROLES = (Role.REFERRER.value, Role.PEER.value)


def organization_page(workspace: Workspace, organization_id: int) -> OrganizationPage:
    org = get_organization(workspace, organization_id)
    staff = list(annotated_people(workspace).filter(organization=org).prefetch_related("roles").order_by("name", "pk"))
    mutual = [p for p in staff if any(r.role in MUTUAL_ROLES for r in p.roles.all())]
    return OrganizationPage(
        organization=org,
        people=staff,
        openings=list(Opportunity.objects.filter(workspace=workspace, organization=org).order_by("stage", "title")),
        mutual_connections=mutual,
        followups=list(
            live_followups(workspace)
            .filter(Q(organization=org) | Q(person__organization=org) | Q(opportunity__organization=org))
            .order_by("due", "pk")
        ),
        timeline=timeline(
            workspace,
            Interaction.objects.filter(Q(participants__person__organization=org) | Q(opportunity__organization=org)),
            limit=100,
        ),
        feeds=list(Feed.objects.filter(workspace=workspace, organization=org).order_by("url", "pk")),
    )


def organization_choices(workspace: Workspace) -> list[tuple[int, str]]:
    """(id, name) of every organization, by name: the choices of an employer box."""
    return list(Organization.objects.filter(workspace=workspace).order_by("name").values_list("pk", "name"))


def organization_names(workspace: Workspace) -> list[str]:
    """Every organization's name, by name (the suggestions of a free-text employer box)."""
    return list(Organization.objects.filter(workspace=workspace).order_by("name").values_list("name", flat=True))


def organization_or_none(workspace: Workspace, organization_id: int) -> Organization | None:
    """The organization with this id in the workspace, or None (a filter naming a gone one)."""
    return Organization.objects.filter(workspace=workspace, pk=organization_id).first()


def list_organizations(*, workspace: Workspace) -> list[Organization]:
    return list(
        Organization.objects.filter(workspace=workspace).order_by("priority", "name").prefetch_related("news_feeds")
    )
