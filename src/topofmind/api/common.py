"""What every route needs: the clock, the user's zone, a page of rows as JSON."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from typing import Any, TypeVar

from django.core.paginator import Page
from django.http import HttpResponse
from django.utils import timezone
from ninja import Schema
from pydantic import Field

from topofmind.api.problems import Problem
from topofmind.crm import queries
from topofmind.crm.models import Workspace
from topofmind.crm.queries.paging import PER_PAGE
from topofmind.crm.validation import MAX_ID

T = TypeVar("T")

# Every route may answer with a problem (RFC 9457) for these statuses.
PROBLEMS: dict[int, type[Problem]] = {
    400: Problem,
    401: Problem,
    404: Problem,
    409: Problem,
    422: Problem,
    429: Problem,
}


def id_filter(what: str) -> Any:
    """An optional id in a query string, held to the ids a row can have (a larger one is a 422 naming it)."""
    return Field(None, ge=1, le=MAX_ID, description=f"Only those of this {what} (its id).")


class Paging(Schema):
    page: int = Field(1, ge=1, le=1_000_000, description="Page number, from 1 (past the last page: the last page).")
    per_page: int = Field(PER_PAGE, ge=1, le=200, description="Rows per page, at most 200.")


def now() -> datetime:
    return timezone.now()


def zone(workspace: Workspace) -> str:
    return queries.timezone_of(workspace)


def page_of(page: Page[T], render: Callable[[T], dict[str, Any]]) -> dict[str, Any]:
    return {
        "page": page.number,
        "per_page": page.paginator.per_page,
        "pages": page.paginator.num_pages,
        "count": page.paginator.count,
        "items": [render(row) for row in page.object_list],
    }


def moment(value: datetime | None, *, field: str, workspace: Workspace, default: datetime) -> datetime:
    """A time from the request: a time without an offset is in the user's zone; far-off years are refused."""
    from zoneinfo import ZoneInfo

    from topofmind.crm.errors import Invalid

    if value is None:
        return default
    if value.year < 1971 or value.year > 2199:
        raise Invalid(field, "must be between 1971 and 2199")
    if value.tzinfo is None or value.utcoffset() is None:
        value = value.replace(tzinfo=ZoneInfo(zone(workspace)))
    return value


def json_answer(body: dict[str, Any]) -> HttpResponse:
    """A 200 whose body is already in its response schema's JSON shape, encoded once.

    For the hot routes (the agenda): ninja would validate the dicts again with pydantic and
    then encode them, which costs more than the rows themselves. The shape is the read model's
    (``queries/serialize.py``); tests/integration/test_api.py checks that the answer is exactly
    what the declared schema makes of it, and schemathesis checks it against the OpenAPI schema.
    """
    text = json.dumps(body, ensure_ascii=False, separators=(",", ":"))
    return HttpResponse(text.encode(), content_type="application/json; charset=utf-8")
