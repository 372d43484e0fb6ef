"""Openings (opportunities) with the people in them and their parts."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from pydantic import Field

from topofmind.api import schemas
from topofmind.api.auth import workspace_of
from topofmind.api.common import PROBLEMS, Paging, now, page_of, zone
from topofmind.crm import queries, services
from topofmind.crm.queries import serialize
from topofmind.engine.types import Stage

router = Router(tags=["openings"])


class OpeningFilters(Schema):
    q: str = Field("", max_length=200, description="Title or employer contains this.")
    stage: Stage | None = None


@router.get("/openings", response={200: schemas.OpeningsPage, **PROBLEMS}, summary="List openings")
def list_openings(request: HttpRequest, filters: Query[OpeningFilters], paging: Query[Paging]) -> dict[str, Any]:
    workspace = workspace_of(request)
    tz = zone(workspace)
    found = queries.opportunities(
        workspace,
        search=filters.q,
        stage=filters.stage.value if filters.stage else "",
        page=paging.page,
        per_page=paging.per_page,
    )
    return page_of(found, lambda o: serialize.opportunity_dict(o, tz=tz))


@router.get("/openings/{opportunity_id}", response={200: schemas.Opening, **PROBLEMS}, summary="One opening")
def get_opening(request: HttpRequest, opportunity_id: int) -> dict[str, Any]:
    workspace = workspace_of(request)
    return serialize.opportunity_dict(queries.get_opportunity(workspace, opportunity_id), tz=zone(workspace))


@router.delete(
    "/openings/{opportunity_id}",
    response={204: None, **PROBLEMS},
    summary="Delete an opening with its parts and follow-ups; touches about it stay",
)
def delete_opening(request: HttpRequest, opportunity_id: int) -> Status[Any]:
    services.delete_opportunity(workspace=workspace_of(request), opportunity_id=opportunity_id, now=now())
    return Status(204, None)
