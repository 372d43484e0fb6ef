"""Workspace settings (the playbook, its numbers; the zone, country and signature it shares
with its owner's UserSettings) and the R15 plan."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.db import transaction

from topofmind import playbooks
from topofmind.crm.errors import Invalid
from topofmind.crm.models import Plan, UserSettings, Workspace, WorkspaceSettings
from topofmind.crm.planning import replan
from topofmind.crm.planning.snapshot import settings_of
from topofmind.crm.queries.workspace import config_values
from topofmind.crm.services.transactions import atomic_with_retry
from topofmind.crm.validation import check_day, check_playbook_number, parse_int, parse_timezone, token

CONFIG_KEYS = ("timezone", "country", "playbook", "daily_cap", "name")
_CLEAR = {"", "none", "default", "-"}


@atomic_with_retry("setting")
def set_config(*, workspace: Workspace, key: str, value: str, now: datetime) -> WorkspaceSettings:
    """Change one setting. Keys: timezone, country, playbook, daily_cap, name (signs drafts),
    or any playbook number (e.g. ``nudge1_days``); ``default`` puts an optional one back."""
    name = token(key)
    raw = value.strip()
    with transaction.atomic():
        ws = WorkspaceSettings.objects.select_for_update().filter(workspace=workspace).first()
        ws = ws or WorkspaceSettings.objects.create(workspace=workspace)
        if name == "timezone":
            ws.timezone = parse_timezone(raw)
        elif name == "country":
            ws.country = "" if raw.lower() in _CLEAR else country_code(raw)
        elif name == "playbook":
            choice = token(raw)
            if choice not in playbooks.PLAYBOOKS:
                raise Invalid(
                    "playbook", f'"{value}" is not a playbook', f"use one of: {', '.join(playbooks.PLAYBOOKS)}"
                )
            ws.playbook = choice
        elif name == "daily_cap":
            ws.daily_cap = None if raw.lower() in _CLEAR else parse_int(raw, field="daily_cap")
        elif name in ("name", "user_name"):
            ws.user_name = raw
        elif name in playbooks.TUNABLE:
            overrides = dict(ws.overrides or {})
            if raw.lower() in _CLEAR:
                overrides.pop(name, None)
            else:
                overrides[name] = check_playbook_number(name, raw)
            ws.overrides = overrides
        else:
            raise Invalid(
                "key",
                f'"{key}" is not a setting',
                f"use one of: {', '.join(CONFIG_KEYS)}, or a playbook number such as nudge1_days",
            )
        try:  # the whole policy must still make sense (e.g. business hours in order)
            playbooks.load_policy(ws.playbook, {**(ws.overrides or {})})
        except playbooks.PlaybookError as exc:
            raise Invalid(name, str(exc)) from None
        ws.save()
        if name in ("timezone", "country", "name", "user_name") and workspace.owner_id is not None:
            # The workspace's zone, country and signature are its owner's: keep the two in step.
            mirrored = {"timezone": ws.timezone, "country": ws.country, "name": ws.user_name, "user_name": ws.user_name}
            field = "name" if name == "user_name" else name
            UserSettings.objects.filter(user_id=workspace.owner_id).update(**{field: mirrored[name], "updated_at": now})
        replan(workspace=workspace, now=now)
    return ws


def country_code(raw: str) -> str:
    code = raw.strip().upper()
    import holidays  # only setting the country needs it; every CLI start would pay ~15 ms

    supported = holidays.list_supported_countries()
    if code not in supported:
        raise Invalid(
            "country",
            f'"{raw}" is not a country code with known holidays',
            "use an ISO 3166 code such as US, GB, DE or FR (or 'none')",
        )
    return code


@atomic_with_retry("settings")
def save_settings(*, workspace: Workspace, changes: dict[str, str], now: datetime) -> list[str]:
    """Several settings at once, all or none; returns the keys that changed."""
    current = config_values(workspace=workspace)
    overrides = current.get("overrides", {})
    changed: list[str] = []
    with transaction.atomic():
        for key, value in changes.items():
            before = current.get(key, overrides.get(key))
            if _same(before, value):
                continue
            set_config(workspace=workspace, key=key, value=value, now=now)
            changed.append(key)
    return changed


def _same(before: object, value: str) -> bool:
    if before is None:
        return value.strip().lower() in ("", "default", "none")
    return str(before).strip().lower() == value.strip().lower()


# -- the plan (R15) ------------------------------------------------------------------------


@atomic_with_retry("plan")
def set_plan(
    *,
    workspace: Workspace,
    targets: int,
    weeks: int,
    now: datetime,
    calls_per_day: int = 1,
    start: date | None = None,
) -> Plan:
    """The target list and capacity; starts today (the user's day) unless ``start`` says otherwise."""
    targets = parse_int(targets, field="targets")
    weeks = parse_int(weeks, field="weeks")
    calls_per_day = parse_int(calls_per_day, field="calls_per_day")
    if start is not None:
        check_day(start, field="start")
    if start is None:
        start = now.astimezone(ZoneInfo(settings_of(workspace).timezone)).date()
    with transaction.atomic():
        plan, _ = Plan.objects.update_or_create(
            workspace=workspace,
            defaults={
                "targets": targets,
                "weeks": weeks,
                "calls_per_day": calls_per_day,
                "start": start,
                "updated_at": now,
            },
            create_defaults={
                "targets": targets,
                "weeks": weeks,
                "calls_per_day": calls_per_day,
                "start": start,
                "created_at": now,
                "updated_at": now,
            },
        )
        replan(workspace=workspace, now=now, person_ids=[])  # only R15 prospects read the plan
    return plan
