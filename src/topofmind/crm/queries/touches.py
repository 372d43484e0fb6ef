"""Touches: a timeline of them, one touch, the latest ones."""

from __future__ import annotations

from django.core.paginator import Page, Paginator
from django.db.models import Prefetch, QuerySet

from topofmind.crm.errors import NotFound
from topofmind.crm.models import Interaction, InteractionParticipant, Workspace
from topofmind.crm.queries.paging import PER_PAGE


def interactions_of_person(workspace: Workspace, person_id: int) -> QuerySet[Interaction]:
    return Interaction.objects.filter(workspace=workspace, participants__person_id=person_id)


def timeline(workspace: Workspace, interactions: QuerySet[Interaction], *, limit: int = 500) -> list[Interaction]:
    """Touches newest first, with their people and opening loaded."""
    return list(
        interactions.filter(workspace=workspace)
        .select_related("opportunity", "opportunity__organization")
        .prefetch_related(
            Prefetch(
                "participants",
                queryset=InteractionParticipant.objects.select_related("person").order_by("person__name"),
            )
        )
        .order_by("-at", "-pk")
        .distinct()[:limit]
    )


def get_touch(workspace: Workspace, touch_id: int) -> Interaction:
    try:
        return (
            Interaction.objects.filter(workspace=workspace)
            .select_related("opportunity")
            .prefetch_related("participants__person")
            .get(pk=touch_id)
        )
    except Interaction.DoesNotExist:
        raise NotFound(f"no touch with id {touch_id}") from None


def recent_touches(workspace: Workspace, *, limit: int = 50) -> list[Interaction]:
    return timeline(workspace, Interaction.objects.filter(workspace=workspace), limit=limit)


def participant_names(interaction: Interaction) -> list[str]:
    """The names of the people in a touch (what ``log`` echoes back)."""
    return [p.person.name for p in interaction.participants.select_related("person")]


def list_interactions(
    *,
    workspace: Workspace,
    person_id: int | None = None,
    opportunity_id: int | None = None,
    limit: int | None = None,
) -> list[Interaction]:
    """Newest first, with participants and opportunity loaded."""
    touches = Interaction.objects.filter(workspace=workspace)
    if person_id is not None:
        touches = touches.filter(participants__person_id=person_id)
    if opportunity_id is not None:
        touches = touches.filter(opportunity_id=opportunity_id)
    touches = touches.select_related("opportunity__organization").prefetch_related("participants__person")
    ordered = touches.order_by("-at", "-id")
    return list(ordered[:limit] if limit else ordered)


def touches_page(
    workspace: Workspace,
    *,
    person_id: int | None = None,
    opportunity_id: int | None = None,
    page: int = 1,
    per_page: int = PER_PAGE,
) -> Page[Interaction]:
    """One page of touches, newest first, optionally with one person or about one opening."""
    touches = Interaction.objects.filter(workspace=workspace)
    if person_id is not None:
        touches = touches.filter(pk__in=Interaction.objects.filter(participants__person_id=person_id).values("pk"))
    if opportunity_id is not None:
        touches = touches.filter(opportunity_id=opportunity_id)
    touches = touches.select_related("opportunity").prefetch_related(
        Prefetch(
            "participants", queryset=InteractionParticipant.objects.select_related("person").order_by("person__name")
        )
    )
    return Paginator(touches.order_by("-at", "-pk"), per_page).get_page(page)
