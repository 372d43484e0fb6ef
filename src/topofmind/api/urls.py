"""The API's addresses, under /api/ (included by topofmind.urls). Token auth, not the web's
sign-in: every route is exempt from LoginRequiredMiddleware and checks its Bearer token itself."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.urls import URLPattern, URLResolver, path

from topofmind.api.app import api
from topofmind.api.docs import docs_page


def _open(patterns: list[URLPattern | URLResolver]) -> list[URLPattern | URLResolver]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            _open(entry.url_patterns)
        else:
            login_not_required(entry.callback)
    return patterns


api_patterns, app_name, namespace = api.urls
urlpatterns: list[URLPattern | URLResolver] = [
    path("docs/", docs_page, name="api_docs"),
    *_open(list(api_patterns)),
]
