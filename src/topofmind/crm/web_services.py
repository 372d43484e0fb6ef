"""Writes the web app needs beyond the core's use-cases, built from them.

Each function is one transaction and leaves the follow-ups re-planned (the core services it
calls re-plan). Nothing here decides policy: that stays in the engine and crm.services.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction

from topofmind.crm import services
from topofmind.crm.errors import Invalid, NotFound
from topofmind.crm.models import Interaction, Membership, Opportunity, Person, Workspace
from topofmind.crm.queries import lookup
from topofmind.engine.types import DEFAULT_DIRECTION, Channel, Direction, Kind, Role


def ensure_workspace(*, user: AbstractBaseUser, now: datetime) -> Workspace:
    """The user's workspace; a new one they own if they have none (called on sign-in, a POST)."""
    owned = Workspace.objects.filter(owner_id=user.pk).order_by("pk").first()
    if owned is not None:
        return owned
    member = Workspace.objects.filter(memberships__user_id=user.pk).order_by("pk").first()
    if member is not None:
        return member
    return services.create_workspace(name="My job search", now=now, owner_id=user.pk)


@dataclass(frozen=True)
class OwnerAccount:
    username: str
    password: str | None  # set only when the account was made just now
    workspace: Workspace


def ensure_owner(*, username: str, password: str, now: datetime) -> OwnerAccount:
    """First start of the personal install: an owner account for the default workspace.

    Makes the account (with ``password``) if no user exists yet, and links it to the
    workspace the CLI uses (the oldest), creating that workspace if need be.
    """
    user_model = get_user_model()
    with transaction.atomic():
        workspace = services.get_or_create_default_workspace(now=now)
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


def mark_sent(
    *, workspace: Workspace, followup_id: int, subject: str, body: str, at: datetime, now: datetime
) -> Interaction:
    """The draft went out as written: keep the wording, mark the follow-up done, log the touch."""
    with transaction.atomic():
        row = lookup.get_followup(workspace=workspace, followup_id=followup_id)
        if subject.strip() != row.draft_subject or body.strip() != row.draft_body:
            services.edit_draft(workspace=workspace, followup_id=followup_id, subject=subject, body=body, now=now)
        interaction = services.done(workspace=workspace, followup_id=followup_id, at=at, now=now)
        # What was sent belongs on the touch; neither field changes what the engine plans.
        if subject.strip() or body.strip():
            Interaction.objects.filter(pk=interaction.pk).update(
                summary=subject.strip() or interaction.summary, notes=body.strip()
            )
            interaction.refresh_from_db()
    return interaction


@dataclass(frozen=True)
class ResolvedPeople:
    people: list[Person]
    created: list[str]


def resolve_people(
    *,
    workspace: Workspace,
    names: Sequence[str],
    now: datetime,
    create_missing: bool = False,
    organization_id: int | None = None,
    roles: Sequence[Role] = (),
) -> ResolvedPeople:
    """Names as typed -> people of this workspace; unknown names become people if asked to.

    Raises NotFound (with close matches) for an unknown name when ``create_missing`` is off,
    and Ambiguous when a name fits several people.
    """
    wanted = [n.strip() for n in names if n.strip()]
    if not wanted:
        raise Invalid("with", "name at least one person")
    found: list[Person] = []
    created: list[str] = []
    for name in dict.fromkeys(wanted):
        try:
            found.append(lookup.find_person(workspace=workspace, name=name))
        except NotFound:
            if not create_missing or name.startswith("#"):
                raise
            found.append(
                services.add_person(
                    workspace=workspace, name=name, now=now, organization_id=organization_id, roles=roles
                )
            )
            created.append(name)
    return ResolvedPeople(people=found, created=created)


def log_touch(
    *,
    workspace: Workspace,
    names: Sequence[str],
    kind: Kind,
    at: datetime,
    now: datetime,
    create_missing: bool = False,
    opportunity_id: int | None = None,
    channel: Channel | None = None,
    direction: Direction | None = None,
    summary: str = "",
    points: str = "",
    notes: str = "",
    permission_materials: bool = False,
) -> tuple[Interaction, list[str]]:
    """Log a touch with people named as typed; returns it and the names added as new people."""
    with transaction.atomic():
        org_id = None
        if opportunity_id is not None:
            org_id = _organization_of(workspace, opportunity_id)
        resolved = resolve_people(
            workspace=workspace,
            names=names,
            now=now,
            create_missing=create_missing,
            organization_id=org_id,
            roles=[Role.INTERVIEWER] if kind is Kind.INTERVIEW else [],
        )
        interaction = services.log_interaction(
            workspace=workspace,
            kind=kind,
            person_ids=[p.pk for p in resolved.people],
            at=at,
            now=now,
            opportunity_id=opportunity_id,
            channel=channel,
            direction=direction,
            summary=summary,
            points=points,
            notes=notes,
            permission_materials=permission_materials,
        )
    return interaction, resolved.created


def edit_touch(
    *,
    workspace: Workspace,
    interaction_id: int,
    names: Sequence[str],
    kind: Kind,
    at: datetime,
    now: datetime,
    create_missing: bool = False,
    opportunity_id: int | None = None,
    channel: Channel | None = None,
    direction: Direction | None = None,
    summary: str = "",
    points: str = "",
    notes: str = "",
    permission_materials: bool = False,
) -> Interaction:
    with transaction.atomic():
        resolved = resolve_people(workspace=workspace, names=names, now=now, create_missing=create_missing)
        return services.edit_interaction(
            workspace=workspace,
            interaction_id=interaction_id,
            now=now,
            at=at,
            kind=kind,
            channel=channel,
            direction=direction or _default_direction(kind),
            person_ids=[p.pk for p in resolved.people],
            opportunity_id=opportunity_id,
            summary=summary,
            points=points,
            notes=notes,
            permission_materials=permission_materials,
        )


def _default_direction(kind: Kind) -> Direction:
    return DEFAULT_DIRECTION[kind]


def _organization_of(workspace: Workspace, opportunity_id: int) -> int:
    org_id = (
        Opportunity.objects.filter(workspace=workspace, pk=opportunity_id)
        .values_list("organization_id", flat=True)
        .first()
    )
    if org_id is None:
        raise NotFound(f"no opening with id {opportunity_id}")
    return org_id


def add_participant(
    *, workspace: Workspace, opportunity_id: int, name: str, role: Role | None, now: datetime
) -> Person:
    """Someone takes part in an opening (a new name becomes a person at its organization)."""
    with transaction.atomic():
        resolved = resolve_people(
            workspace=workspace,
            names=[name],
            now=now,
            create_missing=True,
            organization_id=_organization_of(workspace, opportunity_id),
            roles=[role] if role else [],
        )
        person = resolved.people[0]
        services.edit_opportunity(
            workspace=workspace, opportunity_id=opportunity_id, now=now, add_participants=[(person.pk, role)]
        )
    return person


def save_settings(*, workspace: Workspace, changes: dict[str, str], now: datetime) -> list[str]:
    """Several settings at once, all or none; returns the keys that changed."""
    current = services.config_values(workspace=workspace)
    overrides = current.get("overrides", {})
    changed: list[str] = []
    with transaction.atomic():
        for key, value in changes.items():
            before = current.get(key, overrides.get(key))
            if _same(before, value):
                continue
            services.set_config(workspace=workspace, key=key, value=value, now=now)
            changed.append(key)
    return changed


def _same(before: object, value: str) -> bool:
    if before is None:
        return value.strip().lower() in ("", "default", "none")
    return str(before).strip().lower() == value.strip().lower()
