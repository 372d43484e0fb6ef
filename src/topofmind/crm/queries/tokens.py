"""Personal tokens as their owners see them, and the one lookup every token request makes.

A token counts only while its user may still see its workspace (the owner, or a member):
removing a member revokes their tokens (``services.member_removed``), and this check holds
even for a token that was somehow left behind.
"""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings
from django.db.models import F, QuerySet

from topofmind.crm.models import AccessToken, Membership, Workspace

PREFIX_LENGTH = 12


def token_digest(secret: str) -> str:
    """The stored form of a secret: HMAC-SHA256 keyed with the installation's secret key."""
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, secret.encode(), hashlib.sha256).hexdigest()


def may_see(user_id: int, workspace: Workspace) -> bool:
    """Whether the user is the workspace's owner or one of its members."""
    if workspace.owner_id == user_id:
        return True
    return Membership.objects.filter(user_id=user_id, workspace=workspace).exists()


def token_for(secret: str, *, scope: str) -> AccessToken | None:
    """The live token of ``scope`` this secret stands for (workspace and user loaded), else None."""
    if not secret or len(secret) > 200:
        return None
    found = list(
        AccessToken.objects.select_related("workspace", "workspace__settings", "user").filter(
            digest=token_digest(secret), scope=scope, revoked_at__isnull=True
        )[:1]
    )
    token = found[0] if found else None
    if token is None or not token.user.is_active or not may_see(token.user_id, token.workspace):
        return None
    return token


def tokens_of(*, workspace: Workspace, user_id: int | None = None, scope: str | None = None) -> QuerySet[AccessToken]:
    """The workspace's tokens (one user's, one scope's), live ones first, newest first."""
    rows = AccessToken.objects.filter(workspace=workspace).select_related("user")
    if user_id is not None:
        rows = rows.filter(user_id=user_id)
    if scope is not None:
        rows = rows.filter(scope=scope)
    return rows.order_by(F("revoked_at").desc(nulls_first=True), "-created_at", "-pk")


def all_tokens() -> QuerySet[AccessToken]:
    """Every token of the installation (``topofmind token list`` on a server)."""
    return AccessToken.objects.select_related("user", "workspace").order_by("workspace__name", "user__username", "-pk")


def member_of(*, username: str, workspace_name: str) -> tuple[int, Workspace]:
    """The user ``username`` and the workspace ``workspace_name`` they may see (the CLI names both)."""
    from django.contrib.auth import get_user_model

    from topofmind.crm.errors import Ambiguous, NotFound

    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise NotFound(f"no user called {username!r}", "the accounts are the ones that sign in to the web app")
    spaces = list(Workspace.objects.filter(name__iexact=workspace_name.strip()).order_by("pk"))
    if not spaces:
        raise NotFound(f"no workspace called {workspace_name!r}")
    mine = [w for w in spaces if may_see(user.pk, w)]
    if not mine:
        raise NotFound(f"{username} is not a member of workspace {workspace_name!r}")
    if len(mine) > 1:
        raise Ambiguous(f"{username} is in several workspaces called {workspace_name!r}")
    return user.pk, mine[0]


def token_by_id(token_id: int) -> AccessToken | None:
    return AccessToken.objects.select_related("workspace").filter(pk=token_id).first()
