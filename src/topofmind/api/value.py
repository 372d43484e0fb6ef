"""The value library (list, add an article / achievement / material, remove) and company news
feeds (list, add, remove, fetch now): the same queries and services as the Library page."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from ninja import File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile
from pydantic import Field

from topofmind.api import schemas
from topofmind.api.auth import workspace_of
from topofmind.api.common import PROBLEMS, Paging, now, page_of, zone
from topofmind.crm import queries, services
from topofmind.crm.errors import Invalid
from topofmind.crm.queries import serialize
from topofmind.crm.validation import parse_date

router = Router(tags=["value library and news"])


class LibraryFilters(Schema):
    kind: str = Field("", description="article, news, achievement or material; empty: every kind.", max_length=20)
    tag: str = Field("", description="Only items with this tag.", max_length=100)
    q: str = Field("", description="Words in the title or summary.", max_length=200)


def _item(request: HttpRequest, item_id: int) -> dict[str, Any]:
    workspace = workspace_of(request)
    found = queries.library_items(workspace).filter(pk=item_id).first() or queries.get_value_item(workspace, item_id)
    return serialize.value_item_dict(found, tz=zone(workspace))


@router.get("/value", response={200: schemas.ValueItemsPage, **PROBLEMS}, summary="The value library, newest first")
def list_value(request: HttpRequest, filters: Query[LibraryFilters], paging: Query[Paging]) -> dict[str, Any]:
    workspace = workspace_of(request)
    tz = zone(workspace)
    found = queries.library(
        workspace,
        queries.LibraryFilter(kind=filters.kind, tag=filters.tag, q=filters.q),
        page=paging.page,
        per_page=paging.per_page,
    )
    return page_of(found, lambda item: serialize.value_item_dict(item, tz=tz))


@router.get("/value/{int:item_id}", response={200: schemas.ValueItem, **PROBLEMS}, summary="One library item")
def get_value(request: HttpRequest, item_id: int) -> dict[str, Any]:
    return _item(request, item_id)


@router.post(
    "/value/articles",
    response={201: schemas.AddedArticle, **PROBLEMS},
    summary="Add an article (its title and summary read from the page unless given)",
)
def add_article(request: HttpRequest, payload: schemas.NewArticle) -> Status[Any]:
    added = services.add_article(
        workspace=workspace_of(request),
        url=payload.url,
        title=payload.title,
        summary=payload.summary,
        tags=payload.tags,
        now=now(),
    )
    return Status(201, {**_item(request, added.item.pk), "fetch_note": added.fetch_note})


@router.post("/value/achievements", response={201: schemas.ValueItem, **PROBLEMS}, summary="Add an achievement")
def add_achievement(request: HttpRequest, payload: schemas.NewAchievement) -> Status[Any]:
    day = parse_date(payload.date, field="date") if payload.date else None
    item = services.add_achievement(
        workspace=workspace_of(request), title=payload.title, happened_on=day, tags=payload.tags, now=now()
    )
    return Status(201, _item(request, item.pk))


@router.post(
    "/value/materials",
    response={201: schemas.ValueItem, **PROBLEMS},
    summary="Add a material (a file shared only with people who gave permission)",
)
def add_material(
    request: HttpRequest,
    file: File[UploadedFile],
    title: Form[str] = "",
    tags: Form[str] = "",
) -> Status[Any]:
    limit = int(settings.MATERIAL_MAX_BYTES)
    if file.size is not None and file.size > limit:
        raise Invalid("file", f"is larger than {limit // (1024 * 1024)} MB")
    item = services.add_material(
        workspace=workspace_of(request),
        upload=file,
        original_name=file.name or "file",
        content_type=file.content_type or "",
        title=title,
        tags=tags,
        now=now(),
    )
    return Status(201, _item(request, item.pk))


@router.patch("/value/{int:item_id}", response={200: schemas.ValueItem, **PROBLEMS}, summary="Replace an item's tags")
def retag_value(request: HttpRequest, item_id: int, payload: schemas.ValueChanges) -> dict[str, Any]:
    services.edit_tags(workspace=workspace_of(request), item_id=item_id, tags=payload.tags)
    return _item(request, item_id)


@router.delete("/value/{int:item_id}", response={204: None, **PROBLEMS}, summary="Remove a library item")
def remove_value(request: HttpRequest, item_id: int) -> Status[Any]:
    services.remove_item(workspace=workspace_of(request), item_id=item_id)
    return Status(204, None)


@router.get("/newsfeeds", response={200: list[schemas.NewsFeed], **PROBLEMS}, summary="Company news feeds")
def list_feeds(request: HttpRequest) -> list[dict[str, Any]]:
    workspace = workspace_of(request)
    tz = zone(workspace)
    return [serialize.feed_dict(feed, tz=tz) for feed in queries.feeds(workspace)]


@router.post("/newsfeeds", response={201: schemas.NewsFeed, **PROBLEMS}, summary="Add a news feed to an organization")
def add_feed(request: HttpRequest, payload: schemas.NewNewsFeed) -> Status[Any]:
    workspace = workspace_of(request)
    feed = services.add_feed(workspace=workspace, organization_id=payload.organization_id, url=payload.url, now=now())
    return Status(201, serialize.feed_dict(queries.get_feed(workspace, feed.pk), tz=zone(workspace)))


@router.delete("/newsfeeds/{int:feed_id}", response={204: None, **PROBLEMS}, summary="Stop reading a news feed")
def remove_feed(request: HttpRequest, feed_id: int) -> Status[Any]:
    services.remove_feed(workspace=workspace_of(request), feed_id=feed_id)
    return Status(204, None)


@router.post(
    "/newsfeeds/fetch",
    response={200: list[schemas.FeedOutcome], **PROBLEMS},
    summary="Read every news feed now; each one's status in words",
)
def fetch_feeds(request: HttpRequest) -> list[dict[str, Any]]:
    return [asdict(o) for o in services.fetch_feeds(workspace=workspace_of(request), now=now())]
