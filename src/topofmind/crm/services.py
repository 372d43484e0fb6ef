"""The use-cases: the only code that writes the store.

Conventions: keyword-only arguments; rows named by id (entry points resolve names with
``topofmind.crm.lookup``); ``now`` (the wall clock) and ``at`` (when something happened)
passed in by the entry point; every write in one transaction that also re-plans the
follow-ups, so a failed write leaves nothing behind and the agenda never lags a write.
Errors a user can cause are ``topofmind.crm.errors.TopofmindError``.

Edits take ``UNSET`` for "leave as it is".
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any, TypeAlias, TypeVar, Union
from zoneinfo import ZoneInfo

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.db import models, transaction
from django.db.models import Q, QuerySet

from topofmind import playbooks
from topofmind.crm.errors import Conflict, Invalid, NotFound
from topofmind.crm.lookup import ID_HINTS
from topofmind.crm.models import (
    FollowUp,
    Interaction,
    InteractionParticipant,
    Opportunity,
    OpportunityParticipant,
    Organization,
    Person,
    PersonEmail,
    PersonPhone,
    PersonRole,
    Plan,
    StageChange,
    Workspace,
    WorkspaceSettings,
)
from topofmind.crm.planning import AgendaItem, ReplanResult, agenda, opportunities_around, replan
from topofmind.crm.snapshot import LIVE_STATES, settings_of
from topofmind.crm.validation import parse_int, parse_timezone, split_tags, token
from topofmind.engine.types import (
    DEFAULT_DIRECTION,
    PURPOSE_KIND,
    Channel,
    Direction,
    Kind,
    Purpose,
    Role,
    Stage,
    State,
)

__all__ = [
    "UNSET",
    "AgendaItem",
    "ReplanResult",
    "add_opportunity",
    "add_organization",
    "add_person",
    "agenda",
    "config_values",
    "create_workspace",
    "delete_interaction",
    "done",
    "edit_draft",
    "edit_interaction",
    "edit_opportunity",
    "edit_organization",
    "edit_person",
    "get_or_create_default_workspace",
    "list_interactions",
    "list_opportunities",
    "list_organizations",
    "list_people",
    "log_interaction",
    "replan",
    "resume_contact",
    "set_config",
    "set_plan",
    "settings_of",
    "skip",
    "snooze",
    "stop_contact",
]


class _Unset(enum.Enum):
    UNSET = "unset"


UNSET = _Unset.UNSET
T = TypeVar("T")
Maybe: TypeAlias = Union[T, _Unset]  # noqa: UP007 - a generic alias needs Union here

DEFAULT_WORKSPACE_NAME = "My job search"


# -- workspaces and settings ---------------------------------------------------------------


def create_workspace(*, name: str, now: datetime, owner_id: int | None = None) -> Workspace:
    name = _required(name, field="name")
    with transaction.atomic():
        workspace = Workspace.objects.create(name=name, owner_id=owner_id, created_at=now)
        WorkspaceSettings.objects.create(workspace=workspace)
        if owner_id is not None:
            workspace.memberships.create(user_id=owner_id, role="owner", created_at=now)
    return workspace


def get_or_create_default_workspace(*, now: datetime) -> Workspace:
    """The personal install's one workspace: the oldest there is, made on first use."""
    with transaction.atomic():
        workspace = Workspace.objects.order_by("id").first()
        if workspace is None:
            return create_workspace(name=DEFAULT_WORKSPACE_NAME, now=now)
        return workspace


CONFIG_KEYS = ("timezone", "country", "playbook", "daily_cap", "name")
_CLEAR = {"", "none", "default", "-"}


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
            ws.country = "" if raw.lower() in _CLEAR else _country(raw)
        elif name == "playbook":
            choice = token(raw)
            if choice not in playbooks.PLAYBOOKS:
                raise Invalid(
                    "playbook", f'"{value}" is not a playbook', f"use one of: {', '.join(playbooks.PLAYBOOKS)}"
                )
            ws.playbook = choice
        elif name == "daily_cap":
            ws.daily_cap = None if raw.lower() in _CLEAR else parse_int(raw, field="daily_cap", minimum=1)
        elif name in ("name", "user_name"):
            ws.user_name = raw
        elif name in playbooks.TUNABLE:
            overrides = dict(ws.overrides or {})
            if raw.lower() in _CLEAR:
                overrides.pop(name, None)
            else:
                try:
                    overrides[name] = playbooks.coerce(name, raw)
                except playbooks.PlaybookError as exc:
                    raise Invalid(name, str(exc)) from None
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
        replan(workspace=workspace, now=now)
    return ws


def config_values(*, workspace: Workspace) -> dict[str, Any]:
    ws = settings_of(workspace)
    return {
        "timezone": ws.timezone,
        "country": ws.country or None,
        "playbook": ws.playbook,
        "daily_cap": ws.daily_cap,
        "name": ws.user_name,
        "overrides": dict(ws.overrides or {}),
    }


def _country(raw: str) -> str:
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


# -- organizations -------------------------------------------------------------------------


def add_organization(
    *,
    workspace: Workspace,
    name: str,
    now: datetime,
    website: str = "",
    industry: str = "",
    target: bool = False,
    priority: int = 3,
    notes: str = "",
    tags: str = "",
    feeds: str = "",
) -> Organization:
    with transaction.atomic():
        org = Organization(workspace=workspace, created_at=now, updated_at=now)
        _set_org_fields(
            org,
            name=name,
            website=website,
            industry=industry,
            target=target,
            priority=priority,
            notes=notes,
            tags=tags,
            feeds=feeds,
        )
        org.save()
        replan(workspace=workspace, now=now, organization_ids=[org.pk])
    return org


def edit_organization(
    *,
    workspace: Workspace,
    organization_id: int,
    now: datetime,
    name: Maybe[str] = UNSET,
    website: Maybe[str] = UNSET,
    industry: Maybe[str] = UNSET,
    target: Maybe[bool] = UNSET,
    priority: Maybe[int] = UNSET,
    notes: Maybe[str] = UNSET,
    tags: Maybe[str] = UNSET,
    feeds: Maybe[str] = UNSET,
) -> Organization:
    with transaction.atomic():
        org = _get(Organization.objects.select_for_update(), workspace, organization_id, "organization")
        _set_org_fields(
            org,
            name=name,
            website=website,
            industry=industry,
            target=target,
            priority=priority,
            notes=notes,
            tags=tags,
            feeds=feeds,
        )
        org.updated_at = now
        org.save()
        replan(workspace=workspace, now=now, organization_ids=[org.pk])
    return org


def _set_org_fields(org: Organization, **fields: Any) -> None:
    given = {k: v for k, v in fields.items() if v is not UNSET}
    if "name" in given:
        name = _required(given["name"], field="name")
        clash = Organization.objects.filter(workspace_id=org.workspace_id, name__iexact=name).exclude(pk=org.pk)
        if clash.exists() or _casefold_clash(org, name):
            raise Conflict(f'there is already an organization called "{name}"', "pick another name, or edit that one")
        org.name = name
    if "website" in given:
        org.website = _url(given["website"], field="website")
    if "priority" in given:
        org.priority = parse_int(given["priority"], field="priority", minimum=1, maximum=5)
    if "tags" in given:
        org.tags = ", ".join(split_tags(given["tags"]))
    for name in ("industry", "notes", "feeds"):
        if name in given:
            setattr(org, name, str(given[name]).strip())
    if "target" in given:
        org.target = bool(given["target"])


def _casefold_clash(org: Organization, name: str) -> bool:
    # SQLite's iexact folds ASCII only; compare the rest in Python (names per workspace are few).
    if name.isascii():
        return False
    folded = name.casefold()
    others = Organization.objects.filter(workspace_id=org.workspace_id).exclude(pk=org.pk)
    return any(other.casefold() == folded for other in others.values_list("name", flat=True))


def list_organizations(*, workspace: Workspace) -> list[Organization]:
    return list(Organization.objects.filter(workspace=workspace).order_by("priority", "name"))


# -- people --------------------------------------------------------------------------------


def add_person(
    *,
    workspace: Workspace,
    name: str,
    now: datetime,
    organization_id: int | None = None,
    title: str = "",
    roles: Iterable[Role] = (),
    emails: Sequence[str] = (),
    phones: Sequence[str] = (),
    linkedin_url: str = "",
    linkedin_connected: bool = False,
    prefers: Channel | None = None,
    timezone: str = "",
    how_met: str = "",
    interests: str = "",
    notes: str = "",
    cadence_days: int | None = None,
) -> Person:
    with transaction.atomic():
        person = Person(workspace=workspace, created_at=now, updated_at=now)
        _set_person_fields(
            person,
            name=name,
            organization_id=organization_id,
            title=title,
            linkedin_url=linkedin_url,
            linkedin_connected=linkedin_connected,
            prefers=prefers,
            timezone=timezone,
            how_met=how_met,
            interests=interests,
            notes=notes,
            cadence_days=cadence_days,
        )
        same_org = (
            Q(organization_id=person.organization_id)
            if person.organization_id is not None
            else Q(organization__isnull=True)
        )
        clash = Person.objects.filter(same_org, workspace=workspace, name__iexact=person.name)
        if clash.exists():
            where = f" at {person.organization.name}" if person.organization else ""
            raise Conflict(
                f'"{person.name}"{where} is already in your contacts',
                f'edit them with: topofmind person edit "{person.name}"',
            )
        person.save()
        _replace_children(person, roles=roles, emails=emails, phones=phones)
        replan(workspace=workspace, now=now, person_ids=[person.pk])
    return person


def edit_person(
    *,
    workspace: Workspace,
    person_id: int,
    now: datetime,
    name: Maybe[str] = UNSET,
    organization_id: Maybe[int | None] = UNSET,
    title: Maybe[str] = UNSET,
    roles: Maybe[Iterable[Role]] = UNSET,
    emails: Maybe[Sequence[str]] = UNSET,
    phones: Maybe[Sequence[str]] = UNSET,
    linkedin_url: Maybe[str] = UNSET,
    linkedin_connected: Maybe[bool] = UNSET,
    prefers: Maybe[Channel | None] = UNSET,
    timezone: Maybe[str] = UNSET,
    how_met: Maybe[str] = UNSET,
    interests: Maybe[str] = UNSET,
    notes: Maybe[str] = UNSET,
    cadence_days: Maybe[int | None] = UNSET,
) -> Person:
    """Change a person; ``roles``, ``emails`` and ``phones`` replace the lists they name."""
    with transaction.atomic():
        person = _get(Person.objects.select_for_update(), workspace, person_id, "person")
        was_at = person.organization_id
        _set_person_fields(
            person,
            name=name,
            organization_id=organization_id,
            title=title,
            linkedin_url=linkedin_url,
            linkedin_connected=linkedin_connected,
            prefers=prefers,
            timezone=timezone,
            how_met=how_met,
            interests=interests,
            notes=notes,
            cadence_days=cadence_days,
        )
        person.updated_at = now
        person.save()
        _replace_children(
            person,
            roles=None if roles is UNSET else roles,
            emails=None if emails is UNSET else emails,
            phones=None if phones is UNSET else phones,
        )
        replan(
            workspace=workspace, now=now, person_ids=[person.pk], employer_ids=[was_at] if was_at is not None else []
        )
    return person


def _set_person_fields(person: Person, **fields: Any) -> None:
    given = {k: v for k, v in fields.items() if v is not UNSET}
    if "name" in given:
        person.name = _required(given["name"], field="name")
    if "organization_id" in given:
        org_id = given["organization_id"]
        person.organization = (
            None if org_id is None else _get(Organization.objects.all(), person.workspace, org_id, "organization")
        )
    if "linkedin_url" in given:
        person.linkedin_url = _url(given["linkedin_url"], field="linkedin")
    if "timezone" in given:
        zone = str(given["timezone"]).strip()
        person.timezone = parse_timezone(zone) if zone else ""
    if "prefers" in given:
        person.prefers = given["prefers"].value if given["prefers"] is not None else ""
    if "cadence_days" in given:
        days = given["cadence_days"]
        person.cadence_days = None if days is None else parse_int(days, field="cadence_days", minimum=1)
    if "interests" in given:
        person.interests = ", ".join(split_tags(given["interests"]))
    for name in ("title", "how_met", "notes"):
        if name in given:
            setattr(person, name, str(given[name]).strip())
    if "linkedin_connected" in given:
        person.linkedin_connected = bool(given["linkedin_connected"])


def _replace_children(
    person: Person,
    *,
    roles: Iterable[Role] | None,
    emails: Sequence[str] | None,
    phones: Sequence[str] | None,
) -> None:
    if roles is not None:
        PersonRole.objects.filter(person=person).delete()
        PersonRole.objects.bulk_create(PersonRole(person=person, role=Role(r).value) for r in dict.fromkeys(roles))
    if emails is not None:
        addresses = [_email(e) for e in emails if e.strip()]
        PersonEmail.objects.filter(person=person).delete()
        PersonEmail.objects.bulk_create(PersonEmail(person=person, address=a) for a in dict.fromkeys(addresses))
    if phones is not None:
        numbers = [p.strip() for p in phones if p.strip()]  # stored as given
        PersonPhone.objects.filter(person=person).delete()
        PersonPhone.objects.bulk_create(PersonPhone(person=person, number=n) for n in dict.fromkeys(numbers))


def list_people(*, workspace: Workspace, organization_id: int | None = None) -> list[Person]:
    people = Person.objects.filter(workspace=workspace).select_related("organization")
    if organization_id is not None:
        people = people.filter(organization_id=organization_id)
    return list(people.prefetch_related("roles", "emails", "phones").order_by("name", "id"))


def stop_contact(*, workspace: Workspace, person_id: int, at: datetime, now: datetime, reason: str = "") -> Person:
    """R9: they asked not to be contacted; nothing is suggested for them from now on."""
    with transaction.atomic():
        person = _get(Person.objects.select_for_update(), workspace, person_id, "person")
        person.do_not_contact, person.dnc_reason, person.dnc_at = True, reason.strip(), at
        person.updated_at = now
        person.save()
        replan(workspace=workspace, now=now, person_ids=[person.pk], opportunity_ids=opportunities_around([person.pk]))
    return person


def resume_contact(*, workspace: Workspace, person_id: int, now: datetime) -> Person:
    with transaction.atomic():
        person = _get(Person.objects.select_for_update(), workspace, person_id, "person")
        person.do_not_contact, person.dnc_reason, person.dnc_at = False, "", None
        person.updated_at = now
        person.save()
        replan(workspace=workspace, now=now, person_ids=[person.pk], opportunity_ids=opportunities_around([person.pk]))
    return person


# -- opportunities -------------------------------------------------------------------------


def add_opportunity(
    *,
    workspace: Workspace,
    title: str,
    organization_id: int,
    now: datetime,
    stage: Stage = Stage.PROSPECT,
    decision_date: date | None = None,
    participants: Sequence[tuple[int, Role | None]] = (),
    posting_url: str = "",
    posting_text: str = "",
    source: str = "",
    notes: str = "",
) -> Opportunity:
    """``participants``: (person id, their part or None where it is not known)."""
    with transaction.atomic():
        opp = Opportunity(
            workspace=workspace,
            organization=_get(Organization.objects.all(), workspace, organization_id, "organization"),
            title=_required(title, field="title"),
            posting_url=_url(posting_url, field="url"),
            posting_text=posting_text,
            source=source.strip(),
            stage=Stage(stage).value,
            decision_date=decision_date,
            stage_changed_at=now,
            notes=notes.strip(),
            created_at=now,
            updated_at=now,
        )
        opp.save()
        StageChange.objects.create(opportunity=opp, from_stage="", to_stage=opp.stage, at=now)
        _add_participants(opp, participants)
        replan(workspace=workspace, now=now, opportunity_ids=[opp.pk])
    return opp


def edit_opportunity(
    *,
    workspace: Workspace,
    opportunity_id: int,
    now: datetime,
    title: Maybe[str] = UNSET,
    organization_id: Maybe[int] = UNSET,
    stage: Maybe[Stage] = UNSET,
    stage_at: datetime | None = None,
    decision_date: Maybe[date | None] = UNSET,
    posting_url: Maybe[str] = UNSET,
    posting_text: Maybe[str] = UNSET,
    source: Maybe[str] = UNSET,
    notes: Maybe[str] = UNSET,
    add_participants: Sequence[tuple[int, Role | None]] = (),
    remove_people: Sequence[int] = (),
) -> Opportunity:
    """A stage change is recorded (StageChange) at ``stage_at`` (default ``now``)."""
    with transaction.atomic():
        opp = _get(Opportunity.objects.select_for_update(), workspace, opportunity_id, "opportunity")
        was_at = opp.organization_id
        if title is not UNSET:
            opp.title = _required(title, field="title")
        if organization_id is not UNSET:
            opp.organization = _get(Organization.objects.all(), workspace, organization_id, "organization")
        if decision_date is not UNSET:
            opp.decision_date = decision_date
        if posting_url is not UNSET:
            opp.posting_url = _url(posting_url, field="url")
        if posting_text is not UNSET:
            opp.posting_text = posting_text
        if source is not UNSET:
            opp.source = source.strip()
        if notes is not UNSET:
            opp.notes = notes.strip()
        opp.updated_at = now
        opp.save()
        if stage is not UNSET:
            _move_stage(opp, Stage(stage), at=stage_at or now)
        if remove_people:
            opp.participants.filter(person_id__in=remove_people).delete()
        _add_participants(opp, add_participants)
        replan(
            workspace=workspace,
            now=now,
            person_ids=remove_people,
            opportunity_ids=[opp.pk],
            employer_ids=[was_at],
        )
    return opp


def list_opportunities(
    *, workspace: Workspace, stage: Stage | None = None, organization_id: int | None = None
) -> list[Opportunity]:
    opps = Opportunity.objects.filter(workspace=workspace).select_related("organization")
    if stage is not None:
        opps = opps.filter(stage=stage.value)
    if organization_id is not None:
        opps = opps.filter(organization_id=organization_id)
    return list(opps.order_by("organization__name", "title", "id"))


def _move_stage(opp: Opportunity, stage: Stage, *, at: datetime) -> None:
    if opp.stage == stage.value:
        return
    StageChange.objects.create(opportunity=opp, from_stage=opp.stage, to_stage=stage.value, at=at)
    opp.stage, opp.stage_changed_at = stage.value, at
    opp.save(update_fields=["stage", "stage_changed_at"])


def _add_participants(opp: Opportunity, participants: Iterable[tuple[int, Role | None]]) -> None:
    """Add each (person, part); a known part replaces a "part not known yet" row."""
    for person_id, role in participants:
        person = _get(Person.objects.all(), opp.workspace, person_id, "person")
        if role is None:
            if not opp.participants.filter(person=person).exists():
                OpportunityParticipant.objects.create(opportunity=opp, person=person, role="")
            continue
        opp.participants.filter(person=person, role="").delete()
        OpportunityParticipant.objects.get_or_create(opportunity=opp, person=person, role=Role(role).value)


# -- touches -------------------------------------------------------------------------------

# Logging one of these with an opportunity moves the opportunity along (forward only).
_STAGE_ORDER = [Stage.PROSPECT, Stage.APPLIED, Stage.SCREENING, Stage.INTERVIEWING, Stage.OFFER]
_ADVANCES = {Kind.APPLICATION: Stage.APPLIED, Kind.INTERVIEW: Stage.INTERVIEWING}


def log_interaction(
    *,
    workspace: Workspace,
    kind: Kind,
    person_ids: Sequence[int],
    at: datetime,
    now: datetime,
    opportunity_id: int | None = None,
    channel: Channel | None = None,
    direction: Direction | None = None,
    summary: str = "",
    points: str = "",
    notes: str = "",
    permission_materials: bool = False,
    message_id: str = "",
    ooo_until: date | None = None,
) -> Interaction:
    """Record one touch and re-plan.

    With an opportunity, the people become its participants (their roles, or interviewer
    for an interview); an application moves a prospect to applied, an interview moves it to
    interviewing, a rejection to rejected and an offer to offer.
    """
    kind = Kind(kind)
    if not person_ids:
        raise Invalid("with", "a touch needs at least one person", 'name them, e.g. --with "Dana Lee"')
    with transaction.atomic():
        opp = None
        if opportunity_id is not None:
            opp = _get(Opportunity.objects.select_for_update(), workspace, opportunity_id, "opportunity")
        people = [_get(Person.objects.all(), workspace, pid, "person") for pid in dict.fromkeys(person_ids)]
        interaction = Interaction.objects.create(
            workspace=workspace,
            at=at,
            kind=kind.value,
            channel=channel.value if channel else "",
            direction=(direction or DEFAULT_DIRECTION[kind]).value,
            opportunity=opp,
            summary=summary.strip(),
            points=points.strip(),
            notes=notes.strip(),
            permission_materials=permission_materials,
            message_id=message_id.strip(),
            ooo_until=ooo_until,
            created_at=now,
        )
        InteractionParticipant.objects.bulk_create(
            InteractionParticipant(interaction=interaction, person=p) for p in people
        )
        if opp is not None:
            _join_opportunity(opp, people, kind)
            _advance_stage(opp, kind, at=at)
        replan(
            workspace=workspace,
            now=now,
            person_ids=[p.pk for p in people],
            opportunity_ids=[opp.pk] if opp is not None else [],
        )
    return interaction


def _join_opportunity(opp: Opportunity, people: Sequence[Person], kind: Kind) -> None:
    for person in people:
        roles: list[Role | None] = [Role(r) for r in person.roles.values_list("role", flat=True)]
        if kind is Kind.INTERVIEW and Role.INTERVIEWER not in roles:
            roles.append(Role.INTERVIEWER)
        _add_participants(opp, [(person.pk, role) for role in roles or [None]])


def _advance_stage(opp: Opportunity, kind: Kind, *, at: datetime) -> None:
    current = Stage(opp.stage)
    if kind is Kind.REJECTION:
        _move_stage(opp, Stage.REJECTED, at=at)
    elif kind is Kind.OFFER:
        if current not in (Stage.OFFER, Stage.ACCEPTED):
            _move_stage(opp, Stage.OFFER, at=at)
    elif kind in _ADVANCES and current in _STAGE_ORDER:
        target = _ADVANCES[kind]
        if _STAGE_ORDER.index(current) < _STAGE_ORDER.index(target):
            _move_stage(opp, target, at=at)


def edit_interaction(
    *,
    workspace: Workspace,
    interaction_id: int,
    now: datetime,
    at: Maybe[datetime] = UNSET,
    kind: Maybe[Kind] = UNSET,
    channel: Maybe[Channel | None] = UNSET,
    direction: Maybe[Direction] = UNSET,
    person_ids: Maybe[Sequence[int]] = UNSET,
    opportunity_id: Maybe[int | None] = UNSET,
    summary: Maybe[str] = UNSET,
    points: Maybe[str] = UNSET,
    notes: Maybe[str] = UNSET,
    permission_materials: Maybe[bool] = UNSET,
    ooo_until: Maybe[date | None] = UNSET,
) -> Interaction:
    """Fix a mis-logged touch; the follow-ups re-plan from the corrected history.

    Stage moves the touch made when it was logged are not undone (edit the opportunity).
    """
    with transaction.atomic():
        i = _get(Interaction.objects.select_for_update(), workspace, interaction_id, "touch")
        # the people and the opening the touch was about before the fix re-plan too
        was_with = list(i.participants.values_list("person_id", flat=True))
        was_about = i.opportunity_id
        if at is not UNSET:
            i.at = at
        if kind is not UNSET:
            i.kind = Kind(kind).value
        if channel is not UNSET:
            i.channel = channel.value if channel else ""
        if direction is not UNSET:
            i.direction = Direction(direction).value
        if opportunity_id is not UNSET:
            i.opportunity = (
                None
                if opportunity_id is None
                else _get(Opportunity.objects.all(), workspace, opportunity_id, "opportunity")
            )
        for name, value in (("summary", summary), ("points", points), ("notes", notes)):
            if value is not UNSET:
                setattr(i, name, value.strip())
        if permission_materials is not UNSET:
            i.permission_materials = permission_materials
        if ooo_until is not UNSET:
            i.ooo_until = ooo_until
        i.save()
        if person_ids is not UNSET:
            if not person_ids:
                raise Invalid("with", "a touch needs at least one person")
            people = [_get(Person.objects.all(), workspace, pid, "person") for pid in dict.fromkeys(person_ids)]
            i.participants.all().delete()
            InteractionParticipant.objects.bulk_create(InteractionParticipant(interaction=i, person=p) for p in people)
        replan(
            workspace=workspace,
            now=now,
            person_ids=[*was_with, *i.participants.values_list("person_id", flat=True)],
            opportunity_ids=[o for o in (was_about, i.opportunity_id) if o is not None],
        )
    return i


def delete_interaction(*, workspace: Workspace, interaction_id: int, now: datetime) -> None:
    with transaction.atomic():
        touch = _get(Interaction.objects.select_for_update(), workspace, interaction_id, "touch")
        was_with = list(touch.participants.values_list("person_id", flat=True))
        was_about = touch.opportunity_id
        touch.delete()
        replan(
            workspace=workspace,
            now=now,
            person_ids=was_with,
            opportunity_ids=[was_about] if was_about is not None else [],
        )


def list_interactions(
    *,
    workspace: Workspace,
    person_id: int | None = None,
    opportunity_id: int | None = None,
    limit: int | None = None,
) -> list[Interaction]:
    """Newest first, with participants and opportunity loaded."""
    touches = Interaction.objects.filter(workspace=workspace)
    if person_id is not None:
        touches = touches.filter(participants__person_id=person_id)
    if opportunity_id is not None:
        touches = touches.filter(opportunity_id=opportunity_id)
    touches = touches.select_related("opportunity__organization").prefetch_related("participants__person")
    ordered = touches.order_by("-at", "-id")
    return list(ordered[:limit] if limit else ordered)


# -- the plan (R15) ------------------------------------------------------------------------


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
    targets = parse_int(targets, field="targets", minimum=1)
    weeks = parse_int(weeks, field="weeks", minimum=1, maximum=520)
    calls_per_day = parse_int(calls_per_day, field="calls_per_day", minimum=0, maximum=50)
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


# -- acting on follow-ups ------------------------------------------------------------------


def done(*, workspace: Workspace, followup_id: int, at: datetime, now: datetime) -> Interaction:
    """Mark a follow-up done and log the touch it stands for, at ``at``."""
    with transaction.atomic():
        row = _live_followup(workspace, followup_id, "done")
        purpose = Purpose(row.purpose)
        interaction = Interaction.objects.create(
            workspace=workspace,
            at=at,
            kind=PURPOSE_KIND[purpose].value,
            channel=row.channel,
            direction=Direction.OUT.value,
            opportunity_id=row.opportunity_id,
            summary=f"{purpose.value.replace('_', ' ')} (from the agenda)",
            created_at=now,
        )
        if row.person_id is not None:
            InteractionParticipant.objects.create(interaction=interaction, person_id=row.person_id)
        row.state, row.state_at, row.updated_at = State.DONE.value, at, now
        row.save(update_fields=["state", "state_at", "updated_at"])
        replan(
            workspace=workspace,
            now=now,
            person_ids=[row.person_id] if row.person_id else [],
            opportunity_ids=[row.opportunity_id] if row.opportunity_id else [],
        )
    return interaction


def snooze(*, workspace: Workspace, followup_id: int, until: datetime, now: datetime) -> FollowUp:
    """Hide a follow-up until ``until``; it comes back then."""
    if until <= now:
        raise Invalid("until", "a snooze must end in the future", "give a later date and time")
    with transaction.atomic():
        row = _live_followup(workspace, followup_id, "snoozed")
        row.state, row.state_at, row.snoozed_until, row.updated_at = State.SNOOZED.value, now, until, now
        row.save(update_fields=["state", "state_at", "snoozed_until", "updated_at"])
        replan(workspace=workspace, now=now, person_ids=[row.person_id] if row.person_id else [])
        row.refresh_from_db()
    return row


def skip(*, workspace: Workspace, followup_id: int, now: datetime) -> FollowUp:
    """Drop a follow-up without doing it; it does not come back."""
    with transaction.atomic():
        row = _live_followup(workspace, followup_id, "skipped")
        row.state, row.state_at, row.updated_at = State.SKIPPED.value, now, now
        row.save(update_fields=["state", "state_at", "updated_at"])
        replan(workspace=workspace, now=now, person_ids=[row.person_id] if row.person_id else [])
    return row


def edit_draft(*, workspace: Workspace, followup_id: int, subject: str, body: str, now: datetime) -> FollowUp:
    """Keep the user's own wording for a follow-up's draft ("" for both = the generated draft)."""
    with transaction.atomic():
        row = _live_followup(workspace, followup_id, "edited")
        row.draft_subject, row.draft_body, row.updated_at = subject.strip(), body.strip(), now
        row.save(update_fields=["draft_subject", "draft_body", "updated_at"])
    return row


def list_followups(
    *,
    workspace: Workspace,
    person_id: int | None = None,
    cause_interaction_id: int | None = None,
    states: Iterable[State] = LIVE_STATES,
) -> list[FollowUp]:
    """Follow-ups in the given states (default: open ones), soonest first."""
    rows = FollowUp.objects.filter(workspace=workspace, state__in=[State(s).value for s in states])
    if person_id is not None:
        rows = rows.filter(person_id=person_id)
    if cause_interaction_id is not None:
        rows = rows.filter(cause_interaction_id=cause_interaction_id)
    return list(rows.select_related("person", "organization", "opportunity").order_by("due", "id"))


def get_plan(*, workspace: Workspace) -> Plan | None:
    return Plan.objects.filter(workspace=workspace).first()


def _live_followup(workspace: Workspace, followup_id: int, verb: str) -> FollowUp:
    row = _get(FollowUp.objects.select_for_update(), workspace, followup_id, "follow-up")
    if row.state not in {s.value for s in LIVE_STATES}:
        raise Conflict(
            f"follow-up {followup_id} is {row.state} and cannot be {verb}",
            "see what is open with: topofmind today",
        )
    return row


# -- small helpers -------------------------------------------------------------------------


M = TypeVar("M", bound=models.Model)


def _get(rows: QuerySet[M], workspace: Workspace, pk: int, noun: str) -> M:
    """The row ``pk`` of ``workspace`` (never another workspace's)."""
    try:
        return rows.get(workspace=workspace, pk=pk)
    except ObjectDoesNotExist:
        raise NotFound(f"no {noun} with id {pk}", ID_HINTS.get(noun, "")) from None


def _required(value: str, *, field: str) -> str:
    text = " ".join(str(value).split())
    if not text:
        raise Invalid(field, "must not be empty")
    return text


def _url(value: str, *, field: str) -> str:
    text = value.strip()
    if not text:
        return ""
    if "://" not in text:
        text = "https://" + text
    try:
        URLValidator(schemes=["http", "https"])(text)
    except ValidationError:
        raise Invalid(field, f'"{value}" is not a web address', "use e.g. https://example.com") from None
    return text


def _email(value: str) -> str:
    text = value.strip()
    try:
        EmailValidator()(text)
    except ValidationError:
        raise Invalid("email", f'"{value}" is not an e-mail address', "use e.g. dana@example.com") from None
    return text
