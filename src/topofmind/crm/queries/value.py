"""The value library as the Library page, ``value list`` and ``/api/value`` show it; a person's
shares; the news feeds with how their last fetch went."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import Count, Q, QuerySet

from topofmind.crm.errors import Invalid, NotFound
from topofmind.crm.models import Feed, ValueItem, ValueShare, Workspace
from topofmind.crm.queries.paging import PER_PAGE
from topofmind.crm.validation import normalize_tags, search_term, split_tags

KINDS = tuple(ValueItem.ValueKind.values)


@dataclass(frozen=True)
class LibraryFilter:
    """What the library list is narrowed to: a kind, a tag (matched whole), words in the title."""

    kind: str = ""
    tag: str = ""
    q: str = ""


def check_kind(kind: str) -> str:
    """A kind as typed ("" = every kind), or Invalid naming the choices."""
    value = kind.strip().lower()
    if value and value not in KINDS:
        raise Invalid("kind", f'"{kind}" is not a kind of library item', f"use one of: {', '.join(KINDS)}")
    return value


def library_items(workspace: Workspace, filters: LibraryFilter = LibraryFilter()) -> QuerySet[ValueItem]:
    """The items, newest first, each with ``shared_count`` (how many people got it)."""
    qs = ValueItem.objects.filter(workspace=workspace).select_related("organization")
    if kind := check_kind(filters.kind):
        qs = qs.filter(kind=kind)
    tags = normalize_tags(filters.tag)
    if tags:
        tag = tags[0]
        # Stored as "a, b, c": match the whole tag at either end or between commas, then make sure.
        qs = qs.filter(
            Q(tags=tag) | Q(tags__startswith=f"{tag}, ") | Q(tags__endswith=f", {tag}") | Q(tags__contains=f", {tag}, ")
        )
    if term := search_term(filters.q):
        qs = qs.filter(Q(title__icontains=term) | Q(summary__icontains=term))
    return qs.annotate(shared_count=Count("shares")).order_by("-created_at", "-pk")


def library(
    workspace: Workspace, filters: LibraryFilter = LibraryFilter(), *, page: int = 1, per_page: int = PER_PAGE
) -> Page[ValueItem]:
    return Paginator(library_items(workspace, filters), per_page).get_page(page)


def library_tags(workspace: Workspace) -> list[str]:
    """Every tag in use in the library, sorted (the tag filter's choices)."""
    found: set[str] = set()
    for text in ValueItem.objects.filter(workspace=workspace).exclude(tags="").values_list("tags", flat=True):
        found.update(split_tags(text))
    return sorted(found)


def get_value_item(workspace: Workspace, item_id: int) -> ValueItem:
    item = ValueItem.objects.select_related("organization").filter(workspace=workspace, pk=item_id).first()
    if item is None:
        raise NotFound(f"no library item with id {item_id}", "see the ids with: topofmind value list")
    return item


def shares_of_person(workspace: Workspace, person_id: int) -> list[ValueShare]:
    """What was shared with one person, newest first."""
    return list(
        ValueShare.objects.filter(workspace=workspace, person_id=person_id)
        .select_related("value_item", "person")
        .order_by("-shared_at", "-pk")
    )


def feeds(workspace: Workspace, *, organization_id: int | None = None) -> list[Feed]:
    """The news feeds (of one organization, or all), with their last status in words."""
    qs = Feed.objects.filter(workspace=workspace).select_related("organization")
    if organization_id is not None:
        qs = qs.filter(organization_id=organization_id)
    return list(qs.order_by("organization__name", "url", "pk"))


def get_feed(workspace: Workspace, feed_id: int) -> Feed:
    feed = Feed.objects.select_related("organization").filter(workspace=workspace, pk=feed_id).first()
    if feed is None:
        raise NotFound(f"no feed with id {feed_id}", "see the ids with: topofmind feeds list")
    return feed
