"""Search: the one box of the web app's header, for scripts (issue 11 point 5, issue 15)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from topofmind.api import schemas
from topofmind.api.auth import workspace_of
from topofmind.api.common import PROBLEMS, zone
from topofmind.crm import queries

router = Router(tags=["search"])


class SearchParams(Schema):
    q: str = Field(
        "",
        max_length=200,
        description="Every word must appear in a row's names or notes (any case, inside words too); "
        "no word finds nothing.",
    )
    limit: int = Field(20, ge=1, le=100, description="At most this many rows of each kind.")


@router.get("/search", response={200: schemas.SearchResults, **PROBLEMS}, summary="Search everything")
def search(request: HttpRequest, params: Query[SearchParams]) -> dict[str, Any]:
    """People, organizations, openings and touches holding every word of ``q``; each kind at
    most ``limit`` rows (names in order, touches newest first) and whether there are more."""
    workspace = workspace_of(request)
    found = queries.search(workspace, params.q, limit=params.limit)
    return queries.search_dict(found, tz=zone(workspace))
