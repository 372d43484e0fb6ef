"""Serve the app's own static files (htmx, CSS, JS) from the package, whatever DEBUG says.

A personal install has no web server in front, so the app serves its few small assets itself,
with a long cache lifetime (their names change with their version: htmx-2.0.11.min.js).
"""

from __future__ import annotations

from pathlib import Path

from django.contrib.auth.decorators import login_not_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET
from django.views.static import serve

ROOT = Path(__file__).resolve().parent / "static"


@require_GET
@login_not_required
@cache_control(max_age=3600, public=True)
def static(request: HttpRequest, path: str) -> HttpResponse | FileResponse:
    return serve(request, path, document_root=str(ROOT))
