"""topofmind's addresses: the web app at the root; its static files under /static/ are served
by whitenoise's middleware (settings.py), before any of these."""

from __future__ import annotations

from django.urls import include, path

urlpatterns = [
    path("api/", include(("topofmind.api.urls", "api"), namespace="api")),
    path("", include("topofmind.web.urls")),
]

handler400 = "topofmind.web.views.errors.bad_request"
handler403 = "topofmind.web.views.errors.permission_denied"
handler404 = "topofmind.web.views.errors.page_not_found"
handler500 = "topofmind.web.views.errors.server_error"
