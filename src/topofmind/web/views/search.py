"""Search: the header's box on every page, and its results page."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from topofmind.crm import queries
from topofmind.web.common import page, workspace_of


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    text = request.GET.get("q", "")[:200]
    found = queries.search(workspace_of(request), text) if queries.search_words(text) else None
    return page(request, "web/search.html", {"found": found, "q": text.strip()}, section="search")
