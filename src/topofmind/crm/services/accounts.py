"""Server accounts: the owner of the personal install, their password, and each user's own
settings (the name that signs their drafts, their time zone and holiday country)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth import get_user_model
from django.db import transaction

from topofmind.crm.models import Membership, UserSettings, Workspace, WorkspaceSettings
from topofmind.crm.planning import replan
from topofmind.crm.services.settings import country_code
from topofmind.crm.services.transactions import atomic_with_retry
from topofmind.crm.services.workspaces import get_or_create_default_workspace
from topofmind.crm.validation import parse_timezone


@dataclass(frozen=True)
class OwnerAccount:
    username: str
    password: str | None  # set only when the account was made just now
    workspace: Workspace


@atomic_with_retry("account")
def ensure_owner(*, username: str, password: str, now: datetime) -> OwnerAccount:
    """First start of the personal install: an owner account for the default workspace.

    Makes the account (with ``password``) if no user exists yet, and links it to the
    workspace the CLI uses (the oldest that is not the demo), creating that workspace if need be.
    """
    user_model = get_user_model()
    with transaction.atomic():
        made = None
        user = user_model.objects.order_by("pk").first()
        if user is None:
            user = user_model.objects.create_user(username=username, password=password)
            made = password
        workspace = get_or_create_default_workspace(now=now)
        # the install's own search, and a demo made from a terminal before any account existed
        for mine in [workspace, *Workspace.objects.filter(owner=None, is_demo=True)]:
            if mine.owner_id is None:
                mine.owner = user
                mine.save(update_fields=["owner"])
            Membership.objects.get_or_create(
                user=user, workspace=mine, defaults={"role": Membership.MemberRole.OWNER, "created_at": now}
            )
    return OwnerAccount(username=user.get_username(), password=made, workspace=workspace)


@atomic_with_retry("password")
def set_password(*, username: str, password: str) -> None:
    """A new password for the account ``username`` (``topofmind serve --reset-password``)."""
    with transaction.atomic():
        user = get_user_model().objects.get(username=username)
        user.set_password(password)
        user.save(update_fields=["password"])


def save_user_settings(*, user_id: int, name: str, timezone: str, country: str, now: datetime) -> UserSettings:
    """The user's own settings (the first-start questions, and Settings later).

    The workspaces the user owns make their plan in the owner's zone and country, so those
    follow, and are re-planned when they change; their stored signature (used where no user
    acts, e.g. the CLI) follows the owner's name.
    """
    zone = parse_timezone(timezone)
    code = "" if country.strip().lower() in ("", "none", "-") else country_code(country)
    with transaction.atomic():
        signature = " ".join(name.split())
        row, _ = UserSettings.objects.update_or_create(
            user_id=user_id,
            defaults={"name": signature, "timezone": zone, "country": code, "updated_at": now},
        )
        owned = WorkspaceSettings.objects.select_for_update().filter(workspace__owner_id=user_id)
        for ws in owned.select_related("workspace"):
            moved = (ws.timezone, ws.country) != (zone, code)
            ws.timezone, ws.country, ws.user_name = zone, code, signature
            ws.save(update_fields=["timezone", "country", "user_name"])
            if moved:
                replan(workspace=ws.workspace, now=now)
    return row
