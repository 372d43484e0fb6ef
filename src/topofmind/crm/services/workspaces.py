"""Workspaces: the personal install's default one, and a signed-in user's own."""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction

from topofmind.crm.models import Workspace, WorkspaceSettings
from topofmind.crm.services._fields import required
from topofmind.crm.services.transactions import atomic_with_retry

DEFAULT_WORKSPACE_NAME = "My job search"


@atomic_with_retry("workspace")
def create_workspace(*, name: str, now: datetime, owner_id: int | None = None) -> Workspace:
    name = required(name, field="name")
    with transaction.atomic():
        workspace = Workspace.objects.create(name=name, owner_id=owner_id, created_at=now)
        WorkspaceSettings.objects.create(workspace=workspace)
        if owner_id is not None:
            workspace.memberships.create(user_id=owner_id, role="owner", created_at=now)
    return workspace


@atomic_with_retry("workspace")
def get_or_create_default_workspace(*, now: datetime) -> Workspace:
    """The personal install's one workspace: the oldest there is, made on first use."""
    with transaction.atomic():
        workspace = Workspace.objects.order_by("id").first()
        if workspace is None:
            return create_workspace(name=DEFAULT_WORKSPACE_NAME, now=now)
        return workspace


def ensure_workspace(*, user: AbstractBaseUser, now: datetime) -> Workspace:
    """The user's workspace; a new one they own if they have none (called on sign-in, a POST)."""
    owned = Workspace.objects.filter(owner_id=user.pk).order_by("pk").first()
    if owned is not None:
        return owned
    member = Workspace.objects.filter(memberships__user_id=user.pk).order_by("pk").first()
    if member is not None:
        return member
    return create_workspace(name=DEFAULT_WORKSPACE_NAME, now=now, owner_id=user.pk)
