"""Openings: the list, one opening and its page, the choices of a form."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import Max, Q

from topofmind.crm.errors import NotFound, TopofmindError
from topofmind.crm.models import (
    FollowUp,
    Interaction,
    Opportunity,
    OpportunityParticipant,
    Person,
    StageChange,
    Workspace,
)
from topofmind.crm.queries.followups import live_followups
from topofmind.crm.queries.lookup import find_person
from topofmind.crm.queries.paging import PER_PAGE
from topofmind.crm.queries.touches import timeline
from topofmind.crm.validation import search_term
from topofmind.engine.types import OPEN_STAGES, Stage


def opportunities(
    workspace: Workspace, *, search: str = "", stage: str = "", page: int = 1, per_page: int = PER_PAGE
) -> Page[Opportunity]:
    qs = Opportunity.objects.filter(workspace=workspace).select_related("organization")
    if term := search_term(search):
        qs = qs.filter(Q(title__icontains=term) | Q(organization__name__icontains=term))
    if stage:
        qs = qs.filter(stage=stage)
    qs = qs.annotate(last_touch=Max("interactions__at")).order_by("organization__name", "title", "pk")
    return Paginator(qs, per_page).get_page(page)  # type: ignore[return-value]


def get_opportunity(workspace: Workspace, opportunity_id: int) -> Opportunity:
    try:
        return Opportunity.objects.select_related("organization").get(workspace=workspace, pk=opportunity_id)
    except Opportunity.DoesNotExist:
        raise NotFound(f"no opening with id {opportunity_id}") from None


@dataclass
class Participant:
    person: Person
    parts: list[str]


@dataclass
class OpportunityPage:
    opportunity: Opportunity
    participants: list[Participant]
    stage_history: list[StageChange]
    timeline: list[Interaction]
    next_steps: list[FollowUp]


def opportunity_page(workspace: Workspace, opportunity_id: int) -> OpportunityPage:
    opp = get_opportunity(workspace, opportunity_id)
    by_person: dict[int, Participant] = {}
    for part in (
        OpportunityParticipant.objects.filter(opportunity=opp)
        .select_related("person", "person__organization")
        .order_by("person__name", "role")
    ):
        entry = by_person.setdefault(part.person_id, Participant(person=part.person, parts=[]))
        if part.role:
            entry.parts.append(part.role)
    return OpportunityPage(
        opportunity=opp,
        participants=list(by_person.values()),
        stage_history=list(StageChange.objects.filter(opportunity=opp).order_by("at", "pk")),
        timeline=timeline(workspace, Interaction.objects.filter(opportunity=opp), limit=200),
        next_steps=list(live_followups(workspace).filter(opportunity=opp).order_by("due", "pk")),
    )


def stage_history(opportunity: Opportunity) -> list[StageChange]:
    """An opening's stage changes, in the order they happened."""
    return list(opportunity.stage_changes.all())


def openings_with_employers(workspace: Workspace) -> list[tuple[int, str, str]]:
    """(id, title, employer's name) of every opening, by employer then title."""
    return list(
        Opportunity.objects.filter(workspace=workspace)
        .order_by("organization__name", "title")
        .values_list("pk", "title", "organization__name")
    )


def list_opportunities(
    *, workspace: Workspace, stage: Stage | None = None, organization_id: int | None = None
) -> list[Opportunity]:
    opps = Opportunity.objects.filter(workspace=workspace).select_related("organization")
    if stage is not None:
        opps = opps.filter(stage=stage.value)
    if organization_id is not None:
        opps = opps.filter(organization_id=organization_id)
    return list(opps.order_by("organization__name", "title", "id"))


def open_openings_of(workspace: Workspace, names: list[str]) -> list[tuple[int, str, str]]:
    """(id, title, employer) of the open openings the people named take part in, by title.

    The quick "Log a touch" form guesses the opening from it: exactly one means that one.
    A name that finds nobody (or several people) is left out: the form is still being typed.
    """
    person_ids = []
    for name in names:
        try:
            person_ids.append(find_person(workspace=workspace, name=name).pk)
        except TopofmindError:
            continue
    if not person_ids:
        return []
    return list(
        Opportunity.objects.filter(
            workspace=workspace,
            participants__person_id__in=person_ids,
            stage__in=[s.value for s in OPEN_STAGES],
        )
        .distinct()
        .order_by("title", "pk")
        .values_list("pk", "title", "organization__name")
    )
