"""The agenda (what to do at a moment) and the follow-up actions: done, snooze, skip, and undo
(ten minutes long, the token's user's own actions)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Schema
from pydantic import Field

from topofmind.api import schemas
from topofmind.api.auth import user_id_of, workspace_of
from topofmind.api.common import PROBLEMS, Paging, id_filter, json_answer, moment, now, page_of, zone
from topofmind.crm import queries, services
from topofmind.crm.queries import serialize
from topofmind.engine.types import State

router = Router(tags=["agenda and follow-ups"])


class AgendaQuery(Schema):
    at: datetime | None = Field(None, description="The moment to ask about (default: now); no offset = your zone.")


@router.get("/agenda", response={200: schemas.Agenda, **PROBLEMS}, summary="What to do at a moment")
def agenda(request: HttpRequest, query: Query[AgendaQuery]) -> HttpResponse:
    workspace = workspace_of(request)
    tz = zone(workspace)
    at = moment(query.at, field="at", workspace=workspace, default=now())
    items = queries.agenda(workspace=workspace, at=at)
    # The busiest route: the read model's dicts go out as they are (they are the schema's
    # shape), without ninja's second validation and encoding.
    return json_answer({"at": serialize.when(at, tz), "items": [serialize.agenda_item_dict(i, tz=tz) for i in items]})


class FollowUpFilters(Schema):
    state: list[State] = Field(default_factory=lambda: [State.PENDING, State.SNOOZED])
    person_id: int | None = id_filter("person")


@router.get("/followups", response={200: schemas.FollowUpsPage, **PROBLEMS}, summary="List follow-ups, soonest first")
def list_followups(request: HttpRequest, filters: Query[FollowUpFilters], paging: Query[Paging]) -> dict[str, Any]:
    workspace = workspace_of(request)
    tz = zone(workspace)
    found = queries.followups_page(
        workspace, states=filters.state, person_id=filters.person_id, page=paging.page, per_page=paging.per_page
    )
    return page_of(found, lambda f: serialize.followup_dict(f, tz=tz))


def _followup(request: HttpRequest, followup_id: int) -> dict[str, Any]:
    workspace = workspace_of(request)
    return serialize.followup_dict(queries.get_followup(workspace, followup_id), tz=zone(workspace))


@router.get("/followups/{followup_id}", response={200: schemas.FollowUp, **PROBLEMS}, summary="One follow-up")
def get_followup(request: HttpRequest, followup_id: int) -> dict[str, Any]:
    return _followup(request, followup_id)


@router.post(
    "/followups/{followup_id}/done",
    response={200: schemas.FollowUp, **PROBLEMS},
    summary="Mark done (logs the touch it stands for)",
)
def done(request: HttpRequest, followup_id: int, payload: schemas.Done | None = None) -> dict[str, Any]:
    workspace = workspace_of(request)
    clock = now()
    at = moment(payload.at if payload else None, field="at", workspace=workspace, default=clock)
    services.done(workspace=workspace, followup_id=followup_id, at=at, now=clock, logged_by_id=user_id_of(request))
    return _followup(request, followup_id)


@router.post("/followups/{followup_id}/snooze", response={200: schemas.FollowUp, **PROBLEMS}, summary="Snooze until")
def snooze(request: HttpRequest, followup_id: int, payload: schemas.Snooze) -> dict[str, Any]:
    workspace = workspace_of(request)
    clock = now()
    until = moment(payload.until, field="until", workspace=workspace, default=clock)
    services.snooze(workspace=workspace, followup_id=followup_id, until=until, now=clock, user_id=user_id_of(request))
    return _followup(request, followup_id)


@router.post("/followups/{followup_id}/skip", response={200: schemas.FollowUp, **PROBLEMS}, summary="Skip")
def skip(request: HttpRequest, followup_id: int) -> dict[str, Any]:
    services.skip(workspace=workspace_of(request), followup_id=followup_id, now=now(), user_id=user_id_of(request))
    return _followup(request, followup_id)


@router.post(
    "/followups/{followup_id}/undo",
    response={200: schemas.FollowUp, **PROBLEMS},
    summary="Undo your last done, snooze or skip of this follow-up (within ten minutes)",
)
def undo_followup(request: HttpRequest, followup_id: int) -> dict[str, Any]:
    services.undo(workspace=workspace_of(request), user_id=user_id_of(request), now=now(), followup_id=followup_id)
    return _followup(request, followup_id)


@router.post(
    "/undo",
    response={200: schemas.FollowUp, **PROBLEMS},
    summary="Undo your last done, snooze, skip or mark sent (within ten minutes); answers the follow-up",
)
def undo_last(request: HttpRequest) -> dict[str, Any]:
    entry = services.undo(workspace=workspace_of(request), user_id=user_id_of(request), now=now())
    return _followup(request, entry.followup_id)
