"""People and organizations: the lists (with the web's filters), one row by id, delete, and merging
two records of one person."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from pydantic import Field

from topofmind.api import schemas
from topofmind.api.auth import workspace_of
from topofmind.api.common import PROBLEMS, Paging, id_filter, now, page_of, zone
from topofmind.crm import queries, services
from topofmind.crm.queries import serialize
from topofmind.crm.validation import MAX_ID
from topofmind.engine.types import Role

router = Router(tags=["people and organizations"])


class PeopleFilters(Schema):
    q: str = Field("", max_length=200, description="Name, title, organization or e-mail contains this.")
    role: Role | None = None
    organization_id: int | None = id_filter("organization")
    waiting: bool = Field(False, description="Only people who owe us an answer.")
    losing_touch: bool = Field(False, description="Only people past their keep-warm cadence.")


@router.get("/people", response={200: schemas.PeoplePage, **PROBLEMS}, summary="List people")
def list_people(request: HttpRequest, filters: Query[PeopleFilters], paging: Query[Paging]) -> dict[str, Any]:
    workspace = workspace_of(request)
    tz = zone(workspace)
    found = queries.people(
        workspace,
        now=now(),
        filters=queries.PeopleFilter(
            search=filters.q.strip(),
            role=filters.role.value if filters.role else "",
            organization_id=filters.organization_id,
            losing_touch=filters.losing_touch,
            waiting=filters.waiting,
        ),
        page=paging.page,
        per_page=paging.per_page,
        contacts=True,
    )
    return page_of(found, lambda p: serialize.person_dict(p, tz=tz))


@router.get("/people/{person_id}", response={200: schemas.Person, **PROBLEMS}, summary="One person")
def get_person(request: HttpRequest, person_id: int) -> dict[str, Any]:
    workspace = workspace_of(request)
    return serialize.person_dict(queries.get_person(workspace, person_id), tz=zone(workspace))


@router.delete(
    "/people/{person_id}",
    response={204: None, **PROBLEMS},
    summary="Delete a person (touches with them alone, their follow-ups and parts go with them)",
)
def delete_person(request: HttpRequest, person_id: int) -> Status[Any]:
    services.delete_person(workspace=workspace_of(request), person_id=person_id, now=now())
    return Status(204, None)


class Merge(Schema):
    other_id: int = Field(ge=1, le=MAX_ID, description="The duplicate record: merged into this person, then gone.")


@router.post(
    "/people/{person_id}/merge",
    response={200: schemas.Person, **PROBLEMS},
    summary="Merge another record of this person into them (touches, addresses, roles, parts, follow-ups move)",
)
def merge_person(request: HttpRequest, person_id: int, payload: Merge) -> dict[str, Any]:
    workspace = workspace_of(request)
    kept = services.merge_people(workspace=workspace, keep_id=person_id, other_id=payload.other_id, now=now())
    return serialize.person_dict(queries.get_person(workspace, kept.pk), tz=zone(workspace))


class OrganizationFilters(Schema):
    q: str = Field("", max_length=200, description="Name or industry contains this.")


@router.get("/organizations", response={200: schemas.OrganizationsPage, **PROBLEMS}, summary="List organizations")
def list_organizations(
    request: HttpRequest, filters: Query[OrganizationFilters], paging: Query[Paging]
) -> dict[str, Any]:
    workspace = workspace_of(request)
    tz = zone(workspace)
    found = queries.organizations(workspace, search=filters.q, page=paging.page, per_page=paging.per_page)
    return page_of(found, lambda o: serialize.organization_dict(o, tz=tz))


@router.get(
    "/organizations/{organization_id}", response={200: schemas.Organization, **PROBLEMS}, summary="One organization"
)
def get_organization(request: HttpRequest, organization_id: int) -> dict[str, Any]:
    workspace = workspace_of(request)
    return serialize.organization_dict(queries.get_organization(workspace, organization_id), tz=zone(workspace))


@router.delete(
    "/organizations/{organization_id}",
    response={204: None, **PROBLEMS},
    summary="Delete an organization with its openings; its people stay, without an employer",
)
def delete_organization(request: HttpRequest, organization_id: int) -> Status[Any]:
    services.delete_organization(workspace=workspace_of(request), organization_id=organization_id, now=now())
    return Status(204, None)
