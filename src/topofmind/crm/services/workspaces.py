"""Workspaces: a desk of one's own or shared, the personal install's default one, the demo's."""

from __future__ import annotations

import shutil
from datetime import datetime

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction

from topofmind.crm.errors import Conflict, NotFound
from topofmind.crm.models import UserSettings, Workspace, WorkspaceSettings
from topofmind.crm.services._fields import required
from topofmind.crm.services.transactions import atomic_with_retry
from topofmind.crm.services.value import materials_folder

DEFAULT_WORKSPACE_NAME = "My job search"
DEMO_WORKSPACE_NAME = "Demo search"


@atomic_with_retry("workspace")
def create_workspace(*, name: str, now: datetime, owner_id: int | None = None, is_demo: bool = False) -> Workspace:
    """A new workspace; its owner (if any) becomes its first member, and its plan is made in
    the owner's time zone and holiday country."""
    name = required(name, field="name")
    with transaction.atomic():
        if owner_id is not None and Workspace.objects.filter(owner_id=owner_id, name__iexact=name).exists():
            raise Conflict(f'you already have a workspace named "{name}"', "pick another name")
        workspace = Workspace.objects.create(name=name, owner_id=owner_id, created_at=now, is_demo=is_demo)
        mine = UserSettings.objects.filter(user_id=owner_id).first() if owner_id is not None else None
        WorkspaceSettings.objects.create(
            workspace=workspace,
            timezone=mine.timezone if mine is not None else "UTC",
            country=mine.country if mine is not None else "",
        )
        if owner_id is not None:
            workspace.memberships.create(user_id=owner_id, role="owner", created_at=now)
    return workspace


@atomic_with_retry("workspace")
def get_or_create_default_workspace(*, now: datetime) -> Workspace:
    """The personal install's own search: the oldest workspace that is not the demo, made on first use."""
    with transaction.atomic():
        workspace = Workspace.objects.filter(is_demo=False).order_by("id").first()
        if workspace is None:
            owner = _only_account()
            return create_workspace(name=DEFAULT_WORKSPACE_NAME, now=now, owner_id=owner)
        return workspace


def _only_account() -> int | None:
    from django.contrib.auth import get_user_model

    ids = list(get_user_model().objects.order_by("pk").values_list("pk", flat=True)[:2])
    return ids[0] if len(ids) == 1 else None


def ensure_workspace(*, user: AbstractBaseUser, now: datetime) -> Workspace:
    """The user's workspace; a new one they own if they have none (called on sign-in, a POST)."""
    member = Workspace.objects.filter(memberships__user_id=user.pk).order_by("is_demo", "pk").first()
    if member is not None:
        return member
    return create_workspace(name=DEFAULT_WORKSPACE_NAME, now=now, owner_id=user.pk)


def remove_workspace(*, workspace_id: int) -> str:
    """Delete a workspace and everything in it (people, touches, plan, members); returns its name."""
    with transaction.atomic():
        workspace = Workspace.objects.select_for_update().filter(pk=workspace_id).first()
        if workspace is None:
            raise NotFound(f"no workspace with id {workspace_id}", "see: topofmind workspace list")
        name = workspace.name
        workspace.delete()
        # Its material files go once the removal is committed (never before: a rollback keeps them).
        folder = materials_folder(workspace_id)
        transaction.on_commit(lambda: shutil.rmtree(folder, ignore_errors=True))
    return name
