"""Per-request: which workspace the signed-in user works in, and their time zone.

Every view reads ``request.workspace`` (set here) and never looks a row up except through
it, so Charlie never sees Alice's people. The workspace is the one picked in the header's
switcher (its id kept in the session under ``WORKSPACE_KEY``) while the user is a member of
it, else their own. Times render in the user's own zone (their settings), else the workspace's.
"""

from __future__ import annotations

from collections.abc import Callable
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from topofmind.crm import queries
from topofmind.crm.errors import Invalid

WORKSPACE_KEY = "topofmind_workspace"


class WorkspaceTimezoneMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            chosen = request.session.get(WORKSPACE_KEY)
            workspace = queries.workspace_for(user, chosen if isinstance(chosen, int) else None)
            request.workspace = workspace  # type: ignore[attr-defined]
            mine = queries.user_settings_of(user.pk)
            if mine is not None:
                zone_name = mine.timezone or "UTC"
            else:
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
