"""The workspace a user works in, and its settings as the pages read them."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from topofmind.crm.errors import Ambiguous, NotFound
from topofmind.crm.models import (
    Invitation,
    Membership,
    Organization,
    Person,
    Plan,
    UserSettings,
    Workspace,
    WorkspaceSettings,
)
from topofmind.crm.planning import snapshot
from topofmind.crm.planning.snapshot import Viewer
from topofmind.engine.types import Policy
from topofmind.playbooks import PlaybookError, load_policy


def workspace_for(user: AbstractBaseUser | AnonymousUser, chosen: int | None = None) -> Workspace | None:
    """The workspace a signed-in user works in: ``chosen`` (the switcher's pick, kept in the
    session) while they are a member of it; else their own search (owned, not the demo),
    else their first membership.

    Its settings and plan come along in the same query (every page needs the time zone).
    """
    if not user.is_authenticated:
        return None
    rows = Workspace.objects.select_related("settings", "plan").filter(memberships__user_id=user.pk)
    if chosen is not None:
        picked = rows.filter(pk=chosen).first()
        if picked is not None:
            return picked
    own = rows.filter(owner_id=user.pk, is_demo=False).order_by("pk").first()
    return own if own is not None else rows.order_by("is_demo", "pk").first()


@dataclass(frozen=True)
class WorkspaceRow:
    id: int
    name: str
    role: str  # the user's: owner or member
    is_demo: bool
    owner: str  # the owner's username ("" = none)


def workspaces_of(user_id: int) -> list[WorkspaceRow]:
    """The workspaces ``user_id`` is a member of, their own search first, the demo last."""
    rows = (
        Membership.objects.filter(user_id=user_id)
        .select_related("workspace", "workspace__owner")
        .order_by("workspace__is_demo", "workspace__pk")
    )
    return [
        WorkspaceRow(
            id=m.workspace.pk,
            name=m.workspace.name,
            role=m.role,
            is_demo=m.workspace.is_demo,
            owner=m.workspace.owner.get_username() if m.workspace.owner is not None else "",
        )
        for m in rows
    ]


def all_workspaces() -> list[WorkspaceRow]:
    """Every workspace of the install (the CLI's ``workspace list`` with no account to act as)."""
    rows = Workspace.objects.select_related("owner").order_by("is_demo", "pk")
    return [
        WorkspaceRow(
            id=w.pk,
            name=w.name,
            role="owner" if w.owner_id else "",
            is_demo=w.is_demo,
            owner=w.owner.get_username() if w.owner is not None else "",
        )
        for w in rows
    ]


def role_in(workspace: Workspace, user_id: int) -> str | None:
    """``user_id``'s role in ``workspace`` (owner / member), None if not a member."""
    return Membership.objects.filter(workspace=workspace, user_id=user_id).values_list("role", flat=True).first()


@dataclass(frozen=True)
class MemberRow:
    user_id: int
    username: str
    name: str
    role: str


def members_of(workspace: Workspace) -> list[MemberRow]:
    rows = Membership.objects.filter(workspace=workspace).select_related("user").order_by("-role", "user__username")
    names = dict(UserSettings.objects.filter(user__memberships__workspace=workspace).values_list("user_id", "name"))
    return [
        MemberRow(user_id=m.user_id, username=m.user.get_username(), name=names.get(m.user_id, ""), role=m.role)
        for m in rows
    ]


def user_settings_of(user_id: int) -> UserSettings | None:
    """The user's own settings; None until they answered the first-start questions."""
    return UserSettings.objects.filter(user_id=user_id).first()


def viewer_of(user_id: int, workspace: Workspace) -> Viewer:
    """Who reads the agenda: their name, zone and country (the workspace's until they say)."""
    mine = user_settings_of(user_id)
    if mine is not None:
        return Viewer(name=mine.name, timezone=mine.timezone or "UTC", country=mine.country)
    ws = loaded_settings(workspace)
    return Viewer(name=ws.user_name, timezone=ws.timezone or "UTC", country=ws.country)


def invitation_for(token: str, *, now: datetime) -> Invitation:
    """The open invitation behind a link; NotFound when used, expired or never made."""
    found = (
        Invitation.objects.select_related("workspace", "created_by")
        .filter(token_hash=hashlib.sha256(token.encode()).hexdigest(), used_at=None, expires_at__gt=now)
        .first()
    )
    if found is None:
        raise NotFound("that invitation link is not valid (used, expired or mistyped)", "ask for a new one")
    return found


@dataclass(frozen=True)
class UserRow:
    id: int
    username: str
    name: str
    workspaces: list[str]


def all_users() -> list[UserRow]:
    """Every account of the install, with the workspaces each is in (``user list``)."""
    users = get_user_model().objects.order_by("pk")
    names = dict(UserSettings.objects.values_list("user_id", "name"))
    where: dict[int, list[str]] = {}
    for m in Membership.objects.select_related("workspace").order_by("workspace__pk"):
        where.setdefault(m.user_id, []).append(f"{m.workspace.name} ({m.role})")
    return [
        UserRow(id=u.pk, username=u.get_username(), name=names.get(u.pk, ""), workspaces=where.get(u.pk, []))
        for u in users
    ]


def user_id_of(username: str) -> int:
    found = get_user_model().objects.filter(username=username.strip()).values_list("pk", flat=True).first()
    if found is None:
        known = list(get_user_model().objects.order_by("username").values_list("username", flat=True)[:20])
        raise NotFound(f'no user named "{username.strip()}"', "users: " + (", ".join(known) or "none yet"))
    return int(found)


def find_workspace(name_or_id: str, *, user_id: int | None = None) -> Workspace:
    """A workspace by name or id (``#3`` or ``3``) among ``user_id``'s (every one with no user).

    Unknown or ambiguous: one line that lists the choices.
    """
    rows = Workspace.objects.select_related("owner").order_by("pk")
    if user_id is not None:
        rows = rows.filter(memberships__user_id=user_id)
    text = name_or_id.strip()
    choices = "; ".join(_label(w) for w in rows) or "none yet"
    number = text.removeprefix("#")
    if number.isdigit():
        found = rows.filter(pk=int(number)).first()
        if found is not None:
            return found
    named = list(rows.filter(name__iexact=text))
    if len(named) == 1:
        return named[0]
    if len(named) > 1:
        raise Ambiguous(
            f'several workspaces are named "{text}": {"; ".join(_label(w) for w in named)}',
            "name one by its id, e.g. --workspace " + str(named[0].pk),
            candidates=[_label(w) for w in named],
        )
    raise NotFound(f'no workspace "{text}"; the workspaces are: {choices}', "see: topofmind workspace list")


def _label(workspace: Workspace) -> str:
    owner = f", owner {workspace.owner.get_username()}" if workspace.owner is not None else ""
    return f"{workspace.name} (#{workspace.pk}{owner})"


def loaded_settings(workspace: Workspace) -> WorkspaceSettings:
    try:
        return workspace.settings
    except WorkspaceSettings.DoesNotExist:
        return WorkspaceSettings(workspace=workspace)


def loaded_plan(workspace: Workspace) -> Plan | None:
    try:
        return workspace.plan
    except Plan.DoesNotExist:
        return None


def timezone_of(workspace: Workspace) -> str:
    return loaded_settings(workspace).timezone or "UTC"


def user_name_of(workspace: Workspace) -> str:
    """The name that signs the drafts ("" until the user gives it)."""
    return loaded_settings(workspace).user_name


def policy_of(workspace: Workspace) -> Policy:
    """The workspace's playbook numbers (its overrides on top; a bad override falls back)."""
    return policy_or_playbook(snapshot.settings_of(workspace))


def policy_or_playbook(ws_settings: WorkspaceSettings) -> Policy:
    """The policy of these settings; the bare playbook's when an override is bad."""
    try:
        return snapshot.policy_of(ws_settings)
    except PlaybookError:
        return load_policy(ws_settings.playbook or "jobseeker")


def first_workspace() -> Workspace | None:
    """The installation's own search (the one a single-user CLI works in; never the demo), if any."""
    return Workspace.objects.filter(is_demo=False).order_by("id").first()


def plan_row(workspace: Workspace) -> Plan | None:
    """The workspace's stored plan (R15 targets), None until one is set."""
    return Plan.objects.filter(workspace=workspace).first()


def has_people(workspace: Workspace) -> bool:
    return Person.objects.filter(workspace=workspace).exists()


def has_organizations(workspace: Workspace) -> bool:
    return Organization.objects.filter(workspace=workspace).exists()


def config_values(*, workspace: Workspace) -> dict[str, Any]:
    """The settings as ``config show`` prints them (None / "" = the playbook's default)."""
    ws = snapshot.settings_of(workspace)
    return {
        "timezone": ws.timezone,
        "country": ws.country or None,
        "playbook": ws.playbook,
        "daily_cap": ws.daily_cap,
        "name": ws.user_name,
        "overrides": dict(ws.overrides or {}),
    }


def get_plan(*, workspace: Workspace) -> Plan | None:
    """``plan_row`` with the keyword-only call the CLI and services use."""
    return plan_row(workspace)
