"""Per-request: which workspace the signed-in user works in, and its time zone.

Every view reads ``request.workspace`` (set here, lazily) and never looks a row up except
through it, so Charlie never sees Alice's people. Times render in the workspace's zone.
"""

from __future__ import annotations

from collections.abc import Callable
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from topofmind.crm import queries
from topofmind.crm.errors import Invalid


class WorkspaceTimezoneMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            workspace = queries.workspace_for(user)
            request.workspace = workspace  # type: ignore[attr-defined]
            zone_name = queries.timezone_of(workspace) if workspace is not None else "UTC"
            try:
                timezone.activate(ZoneInfo(zone_name))
            except (ZoneInfoNotFoundError, ValueError):
                timezone.activate(ZoneInfo("UTC"))
        else:
            request.workspace = None  # type: ignore[attr-defined]
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()


class UserErrorMiddleware:
    """A value a user sent that no view turned into a form error (an id out of range in a
    link, a date in year 9999) answers with a 400 page naming the field, never a 500."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, Invalid):
            from topofmind.web.views.errors import user_error  # the views import this module's package

            return user_error(request, exception)
        return None
