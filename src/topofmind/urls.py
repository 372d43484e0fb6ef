"""topofmind's addresses: the web app at the root, its static files under /static/."""

from __future__ import annotations

from django.urls import include, path, re_path

from topofmind.web.static_files import static

urlpatterns = [
    re_path(r"^static/(?P<path>.+)$", static, name="static"),
    path("api/", include(("topofmind.api.urls", "api"), namespace="api")),
    path("", include("topofmind.web.urls")),
]

handler400 = "topofmind.web.views.errors.bad_request"
handler403 = "topofmind.web.views.errors.permission_denied"
handler404 = "topofmind.web.views.errors.page_not_found"
handler500 = "topofmind.web.views.errors.server_error"
