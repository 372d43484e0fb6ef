"""Touches: list (by person or opening), log, fix, delete; the follow-ups re-plan each time."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status

from topofmind.api import schemas
from topofmind.api.auth import workspace_of
from topofmind.api.common import PROBLEMS, Paging, id_filter, moment, now, page_of, zone
from topofmind.crm import queries, services
from topofmind.crm.queries import serialize
from topofmind.crm.services import UNSET

router = Router(tags=["touches"])


class TouchFilters(Schema):
    person_id: int | None = id_filter("person")
    opportunity_id: int | None = id_filter("opening")


@router.get("/touches", response={200: schemas.TouchesPage, **PROBLEMS}, summary="List touches, newest first")
def list_touches(request: HttpRequest, filters: Query[TouchFilters], paging: Query[Paging]) -> dict[str, Any]:
    workspace = workspace_of(request)
    tz = zone(workspace)
    found = queries.touches_page(
        workspace,
        person_id=filters.person_id,
        opportunity_id=filters.opportunity_id,
        page=paging.page,
        per_page=paging.per_page,
    )
    return page_of(found, lambda t: serialize.interaction_dict(t, tz=tz))


@router.get("/touches/{touch_id}", response={200: schemas.Touch, **PROBLEMS}, summary="One touch")
def get_touch(request: HttpRequest, touch_id: int) -> dict[str, Any]:
    workspace = workspace_of(request)
    return serialize.interaction_dict(queries.get_touch(workspace, touch_id), tz=zone(workspace))


@router.post("/touches", response={201: schemas.Touch, **PROBLEMS}, summary="Log a touch")
def log_touch(request: HttpRequest, payload: schemas.NewTouch) -> Status[Any]:
    workspace = workspace_of(request)
    clock = now()
    touch, _created = services.log_touch(
        workspace=workspace,
        names=payload.people,
        kind=payload.kind,
        at=moment(payload.at, field="at", workspace=workspace, default=clock),
        now=clock,
        create_missing=payload.create_missing,
        opportunity_id=payload.opportunity_id,
        channel=payload.channel,
        direction=payload.direction,
        summary=payload.summary,
        points=payload.points,
        notes=payload.notes,
        permission_materials=payload.permission_materials,
    )
    return Status(201, serialize.interaction_dict(queries.get_touch(workspace, touch.pk), tz=zone(workspace)))


@router.patch("/touches/{touch_id}", response={200: schemas.Touch, **PROBLEMS}, summary="Fix a touch")
def edit_touch(request: HttpRequest, touch_id: int, payload: schemas.TouchChanges) -> dict[str, Any]:
    workspace = workspace_of(request)
    given = payload.model_fields_set
    clock = now()

    def value(name: str) -> Any:
        return getattr(payload, name) if name in given else UNSET

    at = moment(payload.at, field="at", workspace=workspace, default=clock) if payload.at is not None else UNSET
    services.edit_interaction(
        workspace=workspace,
        interaction_id=touch_id,
        now=clock,
        at=at,
        kind=value("kind") if payload.kind is not None else UNSET,
        channel=value("channel"),
        direction=value("direction") if payload.direction is not None else UNSET,
        person_ids=value("people") if payload.people is not None else UNSET,
        opportunity_id=value("opportunity_id"),
        summary=value("summary") if payload.summary is not None else UNSET,
        points=value("points") if payload.points is not None else UNSET,
        notes=value("notes") if payload.notes is not None else UNSET,
        permission_materials=value("permission_materials") if payload.permission_materials is not None else UNSET,
    )
    return serialize.interaction_dict(queries.get_touch(workspace, touch_id), tz=zone(workspace))


@router.delete("/touches/{touch_id}", response={204: None, **PROBLEMS}, summary="Delete a touch")
def delete_touch(request: HttpRequest, touch_id: int) -> Status[Any]:
    services.delete_interaction(workspace=workspace_of(request), interaction_id=touch_id, now=now())
    return Status(204, None)
