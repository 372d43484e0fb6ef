"""Personal tokens: make one (the secret is shown once), revoke one, and revoke them all
when a member leaves a workspace."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth import get_user_model
from django.db import transaction

from topofmind.crm.errors import Invalid, NotFound
from topofmind.crm.models import AccessToken, Workspace
from topofmind.crm.queries.tokens import PREFIX_LENGTH, may_see, token_digest

# Secrets start with a word saying what they are, so a leaked one is recognisable in a log or a scan.
SECRET_STARTS = {AccessToken.Scope.API: "tom_", AccessToken.Scope.FEED: "tomcal_"}
NAME_LIMIT = 100


@dataclass(frozen=True)
class NewToken:
    token: AccessToken
    secret: str  # the only time it exists in clear


def create_token(*, user_id: int, workspace: Workspace, scope: str, name: str = "", now: datetime) -> NewToken:
    """A new token of ``scope`` ("api" or "feed") for the user in the workspace they may see."""
    if scope not in AccessToken.Scope.values:
        raise Invalid("scope", f"must be one of {', '.join(AccessToken.Scope.values)}")
    name = " ".join(name.split())
    if len(name) > NAME_LIMIT:
        raise Invalid("name", f"is longer than {NAME_LIMIT} characters")
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None or not may_see(user_id, workspace):
        raise NotFound(f"no member with id {user_id} in workspace {workspace.name!r}")
    secret = SECRET_STARTS[AccessToken.Scope(scope)] + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = AccessToken.objects.create(
            user_id=user_id,
            workspace=workspace,
            scope=scope,
            name=name,
            prefix=secret[:PREFIX_LENGTH],
            digest=token_digest(secret),
            created_at=now,
        )
    return NewToken(token=token, secret=secret)


def revoke_token(*, workspace: Workspace, token_id: int, now: datetime, user_id: int | None = None) -> AccessToken:
    """Revoke a token of the workspace (only the user's own when ``user_id`` is given)."""
    with transaction.atomic():
        rows = AccessToken.objects.select_for_update().filter(workspace=workspace, pk=token_id)
        if user_id is not None:
            rows = rows.filter(user_id=user_id)
        token = rows.first()
        if token is None:
            raise NotFound(f"no token with id {token_id}", "list them with: topofmind token list")
        if token.revoked_at is None:
            token.revoked_at = now
            token.save(update_fields=["revoked_at"])
    return token


def revoke_member_tokens(*, workspace: Workspace, user_id: int, now: datetime) -> int:
    """A member left the workspace: revoke every API token and calendar feed they hold there.
    Returns how many were live. (``members.member_removed`` calls it; token lookups also
    refuse a non-member on their own.)"""
    with transaction.atomic():
        return AccessToken.objects.filter(workspace=workspace, user_id=user_id, revoked_at__isnull=True).update(
            revoked_at=now
        )


def touch_token(*, token: AccessToken, now: datetime) -> None:
    """Note that a token was used (at most once a minute, so a busy client does not write on every call)."""
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() >= 60:
        AccessToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
