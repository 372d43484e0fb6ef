"""The workspace a user works in, and its settings as the pages read them."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from topofmind.crm.models import Organization, Person, Plan, Workspace, WorkspaceSettings
from topofmind.crm.planning import snapshot
from topofmind.engine.types import Policy
from topofmind.playbooks import PlaybookError, load_policy


def workspace_for(user: AbstractBaseUser | AnonymousUser) -> Workspace | None:
    """The workspace a signed-in user works in: the one they own, else their first membership.

    Its settings and plan come along in the same query (every page needs the time zone).
    """
    if not user.is_authenticated:
        return None
    rows = Workspace.objects.select_related("settings", "plan").order_by("pk")
    owned = rows.filter(owner_id=user.pk).first()
    if owned is not None:
        return owned
    return rows.filter(memberships__user_id=user.pk).first()


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
    """The installation's first workspace (the one a single-user CLI works in), if any."""
    return Workspace.objects.order_by("id").first()


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
