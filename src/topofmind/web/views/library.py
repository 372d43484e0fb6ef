"""The Library: articles, company news, achievements and materials worth sharing (R10-R12);
and an organization's news feeds (added, removed and fetched from its page)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from topofmind import tasks
from topofmind.crm import queries, services
from topofmind.crm.errors import Invalid, TopofmindError
from topofmind.integrations.fetch.limits import describe_size
from topofmind.web.common import attach_error, describe, get_or_404, now, page, query_string, workspace_of
from topofmind.web.forms import AchievementForm, ArticleForm, FeedForm, MaterialForm


def _page_number(request: HttpRequest) -> int:
    try:
        return max(int(request.GET.get("page", "1")), 1)
    except ValueError:
        return 1


def _library(request: HttpRequest, forms: dict[str, Any] | None = None, *, status: int = 200) -> HttpResponse:
    workspace = workspace_of(request)
    kind = request.GET.get("kind", "").strip().lower()
    kind = kind if kind in queries.KINDS else ""
    tag = request.GET.get("tag", "").strip()
    filters = queries.LibraryFilter(kind=kind, tag=tag)
    context: dict[str, Any] = {
        "page_obj": queries.library(workspace, filters, page=_page_number(request)),
        "kinds": queries.KINDS,
        "kind": kind,
        "tag": tag,
        "tags": queries.library_tags(workspace),
        "base_query": query_string(kind=kind, tag=tag),
        "article_form": ArticleForm(prefix="article"),
        "achievement_form": AchievementForm(prefix="achievement"),
        "material_form": MaterialForm(prefix="material"),
        "material_limit": describe_size(int(settings.MATERIAL_MAX_BYTES)),
        "open_form": "",
        **(forms or {}),
    }
    return page(request, "web/library/list.html", context, section="library", status=status)


@require_GET
def library(request: HttpRequest) -> HttpResponse:
    return _library(request)


@require_POST
def article_add(request: HttpRequest) -> HttpResponse:
    workspace = workspace_of(request)
    form = ArticleForm(request.POST, prefix="article")
    if form.is_valid():
        data = form.cleaned_data
        try:
            added = services.add_article(
                workspace=workspace,
                url=data["url"],
                title=data["title"],
                summary=data["summary"],
                tags=data["tags"],
                now=now(),
            )
        except TopofmindError as exc:
            attach_error(form, exc, default_field="url")
        else:
            messages.success(request, f"Added the article “{added.item.title}”.")
            if added.fetch_note:
                messages.warning(request, f"Its page was not read: {added.fetch_note}")
            return HttpResponseRedirect(reverse("web:library"))
    return _library(request, {"article_form": form, "open_form": "article"}, status=400)


@require_POST
def achievement_add(request: HttpRequest) -> HttpResponse:
    workspace = workspace_of(request)
    form = AchievementForm(request.POST, prefix="achievement")
    if form.is_valid():
        data = form.cleaned_data
        try:
            item = services.add_achievement(
                workspace=workspace, title=data["title"], happened_on=data.get("date"), tags=data["tags"], now=now()
            )
        except TopofmindError as exc:
            attach_error(form, exc, default_field="title")
        else:
            messages.success(
                request,
                f"Added “{item.title}”. The hiring managers and recruiters of your open openings get an update on Today.",
            )
            return HttpResponseRedirect(reverse("web:library"))
    return _library(request, {"achievement_form": form, "open_form": "achievement"}, status=400)


# Room for the form's other fields and the multipart boundaries around the file.
_FORM_OVERHEAD = 64 * 1024


@require_POST
def material_add(request: HttpRequest) -> HttpResponse:
    workspace = workspace_of(request)
    limit = int(settings.MATERIAL_MAX_BYTES)
    try:
        announced = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        announced = 0
    if announced > limit + _FORM_OVERHEAD:
        # Refused before the body is read: a 2 GB upload never reaches the disk.
        refused = f"The file is larger than {describe_size(limit)}; nothing was kept. Share a smaller file."
        return _library(request, {"material_refused": refused, "open_form": "material"}, status=413)
    form = MaterialForm(request.POST, request.FILES, prefix="material")
    if form.is_valid():
        data = form.cleaned_data
        upload = data["file"]
        try:
            if upload.size is not None and upload.size > limit:
                raise Invalid("file", f"{upload.name} is larger than {describe_size(limit)}", "share a smaller file")
            item = services.add_material(
                workspace=workspace,
                upload=upload,
                original_name=upload.name or "file",
                content_type=upload.content_type or "",
                title=data["title"],
                tags=data["tags"],
                now=now(),
            )
        except TopofmindError as exc:
            attach_error(form, exc, default_field="file")
        else:
            messages.success(
                request, f"Added “{item.title}” ({item.original_name}). It is offered only to people who asked for it."
            )
            return HttpResponseRedirect(reverse("web:library"))
    return _library(request, {"material_form": form, "open_form": "material"}, status=400)


@require_http_methods(["GET", "POST"])
def item_remove(request: HttpRequest, item_id: int) -> HttpResponse:
    workspace = workspace_of(request)
    item = get_or_404("library item", queries.get_value_item, workspace, item_id)
    if request.method == "POST":
        try:
            services.remove_item(workspace=workspace, item_id=item.pk)
        except TopofmindError as exc:
            messages.error(request, describe(exc))
        else:
            messages.success(request, f"Removed “{item.title}” from the library.")
        return HttpResponseRedirect(reverse("web:library"))
    return page(request, "web/library/remove.html", {"item": item}, section="library")


# --- an organization's feeds ---------------------------------------------------------------


@require_POST
def feed_add(request: HttpRequest, organization_id: int) -> HttpResponse:
    workspace = workspace_of(request)
    org = get_or_404("organization", queries.get_organization, workspace, organization_id)
    form = FeedForm(request.POST)
    back = reverse("web:organization", args=[org.pk]) + "#news"
    if not form.is_valid():
        messages.error(request, "Feed address: " + " ".join(str(e) for e in form.errors.get("url", ["is needed"])))
        return HttpResponseRedirect(back)
    try:
        feed = services.add_feed(workspace=workspace, organization_id=org.pk, url=form.cleaned_data["url"], now=now())
    except TopofmindError as exc:
        messages.error(request, f"The feed was not added: {describe(exc)}")
    else:
        messages.success(request, f"Added the feed {feed.url}. Press “Fetch now” to read it.")
    return HttpResponseRedirect(back)


@require_POST
def feed_remove(request: HttpRequest, feed_id: int) -> HttpResponse:
    workspace = workspace_of(request)
    feed = get_or_404("feed", queries.get_feed, workspace, feed_id)
    services.remove_feed(workspace=workspace, feed_id=feed.pk)
    messages.success(request, f"Removed the feed {feed.url}; the news read from it stays in the library.")
    return HttpResponseRedirect(reverse("web:organization", args=[feed.organization_id]) + "#news")


@require_POST
def feeds_fetch(request: HttpRequest) -> HttpResponse:
    """Fetch now: queue a read of every feed of the workspace (the statuses update when it ran)."""
    workspace = workspace_of(request)
    try:
        tasks.request_news_fetch(workspace=workspace)
    except tasks.QueueError as exc:
        messages.error(request, f"The fetch could not be queued: {exc}")
    else:
        messages.success(request, "Fetching every feed now; the statuses below update in a minute (reload the page).")
    back = request.POST.get("organization", "")
    if back.isdigit():
        return HttpResponseRedirect(reverse("web:organization", args=[int(back)]) + "#news")
    return HttpResponseRedirect(reverse("web:library"))
