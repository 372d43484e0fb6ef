"""Rows -> engine snapshots, and FollowUp rows <-> engine Suggestions.

The engine sees only ``topofmind.engine.types``; this module is the one place that knows
how the store spells them: the workspace's settings, policy and plan, a person as the
engine sees them, and a stored follow-up row as a Suggestion and back. The corner loader
(``loader.py``) reads its rows with hand-written SQL and makes the same snaps.

``build_snapshot`` reads a whole workspace through the ORM. Nothing in the app calls it any
more: it is the tests' oracle, the plain statement of what the loader must agree with.
"""

from __future__ import annotations

import dataclasses
import enum
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db.models import JSONField

from topofmind import playbooks
from topofmind.crm.models import (
    FollowUp,
    Interaction,
    InteractionParticipant,
    Opportunity,
    OpportunityParticipant,
    Organization,
    Person,
    Plan,
    ValueItem,
    ValueShare,
    Workspace,
    WorkspaceSettings,
)
from topofmind.crm.planning.holidays import holidays_of
from topofmind.crm.planning.loader import achievement_day
from topofmind.crm.sql import aware, day_of, fetch, json_value
from topofmind.engine.types import (
    USER_STATES,
    AchievementSnap,
    Channel,
    Context,
    Direction,
    InteractionSnap,
    Kind,
    OpportunitySnap,
    OrganizationSnap,
    PersonSnap,
    PlanSnap,
    Policy,
    Purpose,
    Role,
    Snapshot,
    Stage,
    State,
    Suggestion,
    UserAction,
)


def settings_of(workspace: Workspace) -> WorkspaceSettings:
    """The workspace's settings; the defaults (unsaved) where none were stored. Never writes."""
    found = WorkspaceSettings.objects.filter(workspace=workspace).first()
    return found if found is not None else WorkspaceSettings(workspace=workspace)


def context_of(ws_settings: WorkspaceSettings, viewer: Viewer | None = None) -> Context:
    """The engine's Context: the workspace's (its owner's) zone and country for the stored
    plan; the acting user's (``viewer``) when reading their agenda, so "today" and the
    business days of the day are theirs."""
    if viewer is not None:
        return Context(timezone=viewer.timezone or "UTC", holidays=holidays_of(viewer.country))
    return Context(timezone=ws_settings.timezone or "UTC", holidays=holidays_of(ws_settings.country))


@dataclass(frozen=True)
class Viewer:
    """The user who reads or acts: the name that signs their drafts, their zone and country."""

    name: str
    timezone: str
    country: str


def policy_of(ws_settings: WorkspaceSettings) -> Policy:
    overrides: dict[str, object] = dict(ws_settings.overrides or {})
    if ws_settings.daily_cap is not None:
        overrides["daily_cap"] = ws_settings.daily_cap
    return playbooks.load_policy(ws_settings.playbook, overrides)


def plan_of(workspace: Workspace) -> PlanSnap | None:
    row = Plan.objects.filter(workspace=workspace).first()
    if row is None:
        return None
    return PlanSnap(targets=row.targets, weeks=row.weeks, calls_per_day=row.calls_per_day, start=row.start)


def settings_and_plan(workspace: Workspace) -> tuple[WorkspaceSettings, PlanSnap | None]:
    """``snapshot.settings_of`` and ``snapshot.plan_of`` in one query (both run on every write)."""
    fields = list(WorkspaceSettings._meta.concrete_fields)
    columns = ", ".join(f"s.{f.column}" for f in fields)
    rows = fetch(
        f"SELECT {columns}, p.targets, p.weeks, p.calls_per_day, p.start FROM crm_workspace w "
        "LEFT JOIN crm_workspacesettings s ON s.workspace_id = w.id LEFT JOIN crm_plan p ON p.workspace_id = w.id "
        "WHERE w.id = %s",
        [workspace.pk],
    )
    if not rows or rows[0][0] is None:
        ws_settings = WorkspaceSettings(workspace=workspace)
    else:
        values = {}
        for f, value in zip(fields, rows[0], strict=False):
            values[f.attname] = json_value(value) if isinstance(f, JSONField) else value
        ws_settings = WorkspaceSettings(**values)
    plan = None
    if rows and rows[0][len(fields)] is not None:
        targets, weeks, calls, start = rows[0][len(fields) :]
        plan = PlanSnap(targets=targets, weeks=weeks, calls_per_day=calls, start=day_of(start))
    return ws_settings, plan


def build_snapshot(*, workspace: Workspace) -> Snapshot:
    """Everything the engine needs about ``workspace``, read in a handful of queries."""
    ws_settings = settings_of(workspace)
    people_rows = list(
        Person.objects.filter(workspace=workspace)
        .select_related("organization")
        .prefetch_related("roles", "emails", "phones")
        .order_by("id")
    )
    people = tuple(person_snap(p) for p in people_rows)
    connected = {p.pk for p in people_rows if p.linkedin_connected}

    organizations = tuple(
        OrganizationSnap(id=o.pk, name=o.name, target=o.target, priority=o.priority, created_at=o.created_at)
        for o in Organization.objects.filter(workspace=workspace).order_by("id")
    )

    parts: dict[int, dict[int, set[Role]]] = defaultdict(lambda: defaultdict(set))
    for opp_id, person_id, role in OpportunityParticipant.objects.filter(opportunity__workspace=workspace).values_list(
        "opportunity_id", "person_id", "role"
    ):
        found = parts[opp_id][person_id]
        if role:
            found.add(Role(role))
    opportunities = tuple(
        OpportunitySnap(
            id=o.pk,
            title=o.title,
            organization_id=o.organization_id,
            organization_name=o.organization.name,
            stage=Stage(o.stage),
            decision_date=o.decision_date,
            participants=tuple((person_id, frozenset(part)) for person_id, part in sorted(parts.get(o.pk, {}).items())),
            stage_changed_at=o.stage_changed_at,
            created_at=o.created_at,
        )
        for o in Opportunity.objects.filter(workspace=workspace).select_related("organization").order_by("id")
    )

    who: dict[int, list[int]] = defaultdict(list)
    for interaction_id, person_id in (
        InteractionParticipant.objects.filter(interaction__workspace=workspace)
        .order_by("person_id")
        .values_list("interaction_id", "person_id")
    ):
        who[interaction_id].append(person_id)
    interactions = tuple(
        InteractionSnap(
            id=pk,
            at=at,
            kind=Kind(kind),
            direction=Direction(direction),
            channel=Channel(channel) if channel else None,
            person_ids=tuple(who.get(pk, ())),
            opportunity_id=opportunity_id,
            points=points,
            ooo_until=ooo_until,
            permission_materials=permission,
        )
        for pk, at, kind, direction, channel, opportunity_id, points, ooo_until, permission in (
            Interaction.objects.filter(workspace=workspace)
            .order_by("at", "id")
            .values_list(
                "id", "at", "kind", "direction", "channel", "opportunity_id", "points", "ooo_until", "permission_materials"
            )
        )
    )
    achievements = tuple(
        AchievementSnap(id=pk, title=title, on=achievement_day(happened_on, created_at))
        for pk, title, happened_on, created_at in ValueItem.objects.filter(
            workspace=workspace, kind=ValueItem.ValueKind.ACHIEVEMENT
        )
        .order_by("id")
        .values_list("id", "title", "happened_on", "created_at")
    )
    shared = frozenset(
        ValueShare.objects.filter(workspace=workspace, value_item__kind=ValueItem.ValueKind.ACHIEVEMENT).values_list(
            "person_id", "value_item_id"
        )
    )

    actions = tuple(
        UserAction(key=key, state=State(state), at=state_at or updated_at, until=until)
        for key, state, state_at, updated_at, until in FollowUp.objects.filter(
            workspace=workspace, state__in=[s.value for s in USER_STATES]
        )
        .order_by("id")
        .values_list("key", "state", "state_at", "updated_at", "snoozed_until")
    )

    policy = policy_of(ws_settings)
    return Snapshot(
        context=context_of(ws_settings),
        policy=policy,
        people=people,
        organizations=organizations,
        opportunities=opportunities,
        interactions=interactions,
        actions=actions,
        plan=plan_of(workspace),
        linkedin_connected=frozenset(connected),
        achievements=achievements if policy.enabled("R12") else (),
        achievements_shared=shared if policy.enabled("R12") else frozenset(),
    )


def person_snap(p: Person) -> PersonSnap:
    """One person as the engine and the composer see them (prefetch roles, emails, phones)."""
    return PersonSnap(
        id=p.pk,
        name=p.name,
        organization_id=p.organization_id,
        organization_name=p.organization.name if p.organization else None,
        title=p.title,
        roles=frozenset(Role(r.role) for r in p.roles.all()),
        # the first address and number are the main ones: keep the order they were given in
        # an address that bounced is no way to reach them: the engine picks another channel
        emails=tuple(e.address for e in sorted(p.emails.all(), key=lambda e: e.pk) if not e.bad),
        phones=tuple(n.number for n in sorted(p.phones.all(), key=lambda n: n.pk)),
        linkedin_url=p.linkedin_url,
        prefers=Channel(p.prefers) if p.prefers else None,
        timezone=p.timezone or None,
        do_not_contact=p.do_not_contact,
        cadence_days=p.cadence_days,
        created_at=p.created_at,
    )


# -- FollowUp rows <-> Suggestions ---------------------------------------------------------

# Suggestion fields with a column of their own (same name, or ``<name>`` -> ``<name>`` FK id).
COLUMNS = (
    "key",
    "purpose",
    "rule",
    "person_id",
    "organization_id",
    "opportunity_id",
    "channel",
    "due",
    "due_day",
    "actionable_from",
    "priority",
    "why",
    "cause_interaction_id",
    "points",
    "expects_answer",
    "call_window",
    "extra",
)
# Fields read back from the related rows rather than stored twice.
NAMES = ("person_name", "organization_name", "opportunity_title")
_FIELDS = {f.name: f for f in dataclasses.fields(Suggestion)}
# Whatever else the engine puts on a Suggestion travels in FollowUp.engine_fields.
OTHER_FIELDS = tuple(name for name in _FIELDS if name not in COLUMNS and name not in NAMES)


def row_values(s: Suggestion) -> dict[str, Any]:
    """The FollowUp column values for a suggestion (ids, not names)."""
    values: dict[str, Any] = {name: getattr(s, name) for name in COLUMNS}
    values["purpose"] = s.purpose.value
    values["channel"] = s.channel.value
    values["extra"] = dict(s.extra)
    values["engine_fields"] = {name: _to_json(getattr(s, name)) for name in OTHER_FIELDS}
    return values


def to_suggestion(row: FollowUp) -> Suggestion:
    """A stored follow-up as the engine's Suggestion (names from the related rows)."""
    org = row.organization or (row.opportunity.organization if row.opportunity else None)
    return suggestion_from(
        {name: getattr(row, name) for name in (*COLUMNS, "engine_fields")},
        person_name=row.person.name if row.person else None,
        organization_name=org.name if org else None,
        opportunity_title=row.opportunity.title if row.opportunity else None,
    )


def suggestion_from(
    columns: Mapping[str, Any],
    *,
    person_name: str | None,
    organization_name: str | None,
    opportunity_title: str | None,
) -> Suggestion:
    """A Suggestion from a FollowUp's column values (``COLUMNS`` and ``engine_fields``) and the
    names read from its related rows (the agenda reads them with one joined query)."""
    values: dict[str, Any] = {name: columns[name] for name in COLUMNS}
    values["purpose"] = Purpose(values["purpose"])
    values["channel"] = Channel(values["channel"])
    values["extra"] = dict(values["extra"] or {})
    values["person_name"] = person_name
    values["organization_name"] = organization_name
    values["opportunity_title"] = opportunity_title
    stored = columns.get("engine_fields") or {}
    for name in OTHER_FIELDS:
        if name in stored:
            values[name] = _from_json(stored[name], _FIELDS[name].type)
    return Suggestion(**values)


def decode_stored_values(row: dict[str, Any]) -> None:
    """A follow-up row read with raw SQL: its times, day, flag and JSON as the ORM would give them
    (SQLite hands back text and naive datetimes)."""
    for name in ("due", "actionable_from"):
        row[name] = aware(row[name])
    row["due_day"] = day_of(row["due_day"])
    row["expects_answer"] = bool(row["expects_answer"])
    row["extra"] = json_value(row["extra"])
    row["engine_fields"] = json_value(row["engine_fields"])


def _to_json(value: Any) -> Any:
    if isinstance(value, datetime):
        return {"datetime": value.isoformat()}
    if isinstance(value, date):
        return {"date": value.isoformat()}
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, frozenset | set | tuple | list):
        return [_to_json(v) for v in value]
    return value


_ENUMS: tuple[type[enum.Enum], ...] = (Channel, Purpose, Stage, Role, Kind, Direction, State)


def _from_json(value: Any, annotation: Any) -> Any:
    """Undo ``_to_json`` with the help of the field's annotation (a string, as written)."""
    hint = str(annotation)
    if isinstance(value, dict) and len(value) == 1:
        if "datetime" in value:
            return datetime.fromisoformat(value["datetime"])
        if "date" in value:
            return date.fromisoformat(value["date"])
    if isinstance(value, list):
        items = [_from_json(v, hint.partition("[")[2]) for v in value]
        if hint.startswith("frozenset"):
            return frozenset(items)
        if hint.startswith("tuple"):
            return tuple(items)
        return items
    if isinstance(value, str):
        for enum_type in _ENUMS:
            if hint.startswith(enum_type.__name__) or f"[{enum_type.__name__}" in hint:
                return enum_type(value)
    return value
