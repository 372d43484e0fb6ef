"""Server accounts: the owner of the personal install, and their password."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth import get_user_model
from django.db import transaction

from topofmind.crm.models import Membership, Workspace
from topofmind.crm.services.transactions import atomic_with_retry
from topofmind.crm.services.workspaces import get_or_create_default_workspace


@dataclass(frozen=True)
class OwnerAccount:
    username: str
    password: str | None  # set only when the account was made just now
    workspace: Workspace


@atomic_with_retry("account")
def ensure_owner(*, username: str, password: str, now: datetime) -> OwnerAccount:
    """First start of the personal install: an owner account for the default workspace.

    Makes the account (with ``password``) if no user exists yet, and links it to the
    workspace the CLI uses (the oldest), creating that workspace if need be.
    """
    user_model = get_user_model()
    with transaction.atomic():
        workspace = get_or_create_default_workspace(now=now)
        made = None
        user = user_model.objects.order_by("pk").first()
        if user is None:
            user = user_model.objects.create_user(username=username, password=password)
            made = password
        if workspace.owner_id is None:
            workspace.owner = user
            workspace.save(update_fields=["owner"])
        Membership.objects.get_or_create(
            user=user, workspace=workspace, defaults={"role": Membership.MemberRole.OWNER, "created_at": now}
        )
    return OwnerAccount(username=user.get_username(), password=made, workspace=workspace)


@atomic_with_retry("password")
def set_password(*, username: str, password: str) -> None:
    """A new password for the account ``username`` (``topofmind serve --reset-password``)."""
    with transaction.atomic():
        user = get_user_model().objects.get(username=username)
        user.set_password(password)
        user.save(update_fields=["password"])
