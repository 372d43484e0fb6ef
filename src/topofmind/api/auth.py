"""``Authorization: Bearer TOKEN``: a personal API token names the user and the one workspace."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer
from ninja.throttling import AuthRateThrottle, BaseThrottle

from topofmind.crm import queries, services
from topofmind.crm.models import AccessToken, Workspace


class BearerToken(HttpBearer):
    """The token's row (its workspace and user loaded), or None: ninja then answers 401."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        row = queries.token_for(token.strip(), scope=AccessToken.Scope.API)
        if row is None:
            return None
        services.touch_token(token=row, now=timezone.now())
        return row


def workspace_of(request: HttpRequest) -> Workspace:
    """The workspace of the request's token (every route reads and writes only there)."""
    token: AccessToken = request.auth  # type: ignore[attr-defined]
    return token.workspace


def user_id_of(request: HttpRequest) -> int:
    """The user the request's token belongs to (whose actions it takes, and undoes)."""
    token: AccessToken = request.auth  # type: ignore[attr-defined]
    return int(token.user_id)


def throttles() -> list[BaseThrottle]:
    """One budget per token (TOPOFMIND_API_RATE, e.g. 600/m); over it, 429 with Retry-After."""
    return [AuthRateThrottle(settings.TOPOFMIND_API_RATE)]
