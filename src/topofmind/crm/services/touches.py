"""Touches (interactions): log, fix, delete; with people named by id or as typed."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from django.db import transaction

from topofmind.crm.errors import Invalid, Unconfirmed
from topofmind.crm.models import Interaction, InteractionParticipant, Opportunity, Person, Workspace
from topofmind.crm.planning import replan
from topofmind.crm.services._fields import UNSET, Maybe, check_dates, get_row
from topofmind.crm.services.opportunities import add_participant_rows, move_stage, organization_of
from topofmind.crm.services.people import resolve_people
from topofmind.crm.services.transactions import atomic_with_retry
from topofmind.crm.validation import unusual_moment
from topofmind.engine.types import DEFAULT_DIRECTION, PIPELINE, Channel, Direction, Kind, Role, Stage

# Logging one of these with an opportunity moves the opportunity along the pipeline (forward only).
_ADVANCES = {Kind.APPLICATION: Stage.APPLIED, Kind.INTERVIEW: Stage.INTERVIEWING}


@atomic_with_retry("touch")
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
    logged_by_id: int | None = None,
    date_confirmed: bool = True,
) -> Interaction:
    """Record one touch and re-plan.

    ``date_confirmed=False`` (the web forms and ``topofmind log`` without ``--force``) refuses
    a moment more than a year back or in the future until the user confirms it; imports,
    restore and the API log history as given.

    With an opportunity, the people become its participants (their roles, or interviewer
    for an interview); an application moves a prospect to applied, an interview moves it to
    interviewing, a rejection to rejected and an offer to offer.
    """
    kind = Kind(kind)
    check_dates(at=at, ooo_until=ooo_until)
    if not date_confirmed:
        confirm_date(at, now=now)
    if not person_ids:
        raise Invalid("with", "a touch needs at least one person", 'name them, e.g. --with "Dana Lee"')
    with transaction.atomic():
        opp = None
        if opportunity_id is not None:
            opp = get_row(Opportunity.objects.select_for_update(), workspace, opportunity_id, "opportunity")
        people = [get_row(Person.objects.all(), workspace, pid, "person") for pid in dict.fromkeys(person_ids)]
        interaction = Interaction.objects.create(
            workspace=workspace,
            logged_by_id=logged_by_id,
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
        add_participant_rows(opp, [(person.pk, role) for role in roles or [None]])


def _advance_stage(opp: Opportunity, kind: Kind, *, at: datetime) -> None:
    current = Stage(opp.stage)
    if kind is Kind.REJECTION:
        move_stage(opp, Stage.REJECTED, at=at)
    elif kind is Kind.OFFER:
        if current not in (Stage.OFFER, Stage.ACCEPTED):
            move_stage(opp, Stage.OFFER, at=at)
    elif kind in _ADVANCES and current in PIPELINE:
        target = _ADVANCES[kind]
        if PIPELINE.index(current) < PIPELINE.index(target):
            move_stage(opp, target, at=at)


@atomic_with_retry("touch")
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
    check_dates(at=at, ooo_until=ooo_until)
    with transaction.atomic():
        i = get_row(Interaction.objects.select_for_update(), workspace, interaction_id, "touch")
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
                else get_row(Opportunity.objects.all(), workspace, opportunity_id, "opportunity")
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
            people = [get_row(Person.objects.all(), workspace, pid, "person") for pid in dict.fromkeys(person_ids)]
            i.participants.all().delete()
            InteractionParticipant.objects.bulk_create(InteractionParticipant(interaction=i, person=p) for p in people)
        replan(
            workspace=workspace,
            now=now,
            person_ids=[*was_with, *i.participants.values_list("person_id", flat=True)],
            opportunity_ids=[o for o in (was_about, i.opportunity_id) if o is not None],
        )
    return i


@atomic_with_retry("touch")
def delete_interaction(*, workspace: Workspace, interaction_id: int, now: datetime) -> None:
    with transaction.atomic():
        touch = get_row(Interaction.objects.select_for_update(), workspace, interaction_id, "touch")
        was_with = list(touch.participants.values_list("person_id", flat=True))
        was_about = touch.opportunity_id
        touch.delete()
        replan(
            workspace=workspace,
            now=now,
            person_ids=was_with,
            opportunity_ids=[was_about] if was_about is not None else [],
        )


@atomic_with_retry("touch")
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
    logged_by_id: int | None = None,
    date_confirmed: bool = True,
) -> tuple[Interaction, list[str]]:
    """Log a touch with people named as typed; returns it and the names added as new people."""
    check_dates(at=at)
    if not date_confirmed:
        confirm_date(at, now=now)
    with transaction.atomic():
        org_id = None
        if opportunity_id is not None:
            org_id = organization_of(workspace, opportunity_id)
        resolved = resolve_people(
            workspace=workspace,
            names=names,
            now=now,
            create_missing=create_missing,
            organization_id=org_id,
            roles=[Role.INTERVIEWER] if kind is Kind.INTERVIEW else [],
        )
        interaction = log_interaction(
            workspace=workspace,
            kind=kind,
            person_ids=[p.pk for p in resolved.people],
            at=at,
            now=now,
            logged_by_id=logged_by_id,
            opportunity_id=opportunity_id,
            channel=channel,
            direction=direction,
            summary=summary,
            points=points,
            notes=notes,
            permission_materials=permission_materials,
        )
    return interaction, resolved.created


@atomic_with_retry("touch")
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
    date_confirmed: bool = True,
) -> Interaction:
    check_dates(at=at)
    if not date_confirmed:
        confirm_date(at, now=now)
    with transaction.atomic():
        resolved = resolve_people(workspace=workspace, names=names, now=now, create_missing=create_missing)
        return edit_interaction(
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


def confirm_date(at: datetime, *, now: datetime) -> None:
    """Refuse, until confirmed, a touch dated more than a year back or in the future."""
    reason = unusual_moment(at, now=now)
    if reason:
        raise Unconfirmed("at", reason, "check the date, or confirm it to log the touch anyway (--force in the CLI)")


def _default_direction(kind: Kind) -> Direction:
    return DEFAULT_DIRECTION[kind]
