"""Opportunities (openings): add, edit, delete, their stage and participants."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime

from django.db import transaction

from topofmind.crm.errors import NotFound
from topofmind.crm.models import (
    InteractionParticipant,
    Opportunity,
    OpportunityParticipant,
    Organization,
    Person,
    StageChange,
    Workspace,
)
from topofmind.crm.planning import replan
from topofmind.crm.services._fields import UNSET, Maybe, check_dates, get_row, required, web_url
from topofmind.crm.services.people import resolve_people
from topofmind.crm.services.transactions import atomic_with_retry
from topofmind.engine.types import Role, Stage


@atomic_with_retry("opening")
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
    check_dates(decision_date=decision_date)
    with transaction.atomic():
        opp = Opportunity(
            workspace=workspace,
            organization=get_row(Organization.objects.all(), workspace, organization_id, "organization"),
            title=required(title, field="title"),
            posting_url=web_url(posting_url, field="url"),
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
        add_participant_rows(opp, participants)
        replan(workspace=workspace, now=now, opportunity_ids=[opp.pk])
    return opp


@atomic_with_retry("opening")
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
    check_dates(stage_at=stage_at, decision_date=decision_date)
    with transaction.atomic():
        opp = get_row(Opportunity.objects.select_for_update(), workspace, opportunity_id, "opportunity")
        was_at = opp.organization_id
        if title is not UNSET:
            opp.title = required(title, field="title")
        if organization_id is not UNSET:
            opp.organization = get_row(Organization.objects.all(), workspace, organization_id, "organization")
        if decision_date is not UNSET:
            opp.decision_date = decision_date
        if posting_url is not UNSET:
            opp.posting_url = web_url(posting_url, field="url")
        if posting_text is not UNSET:
            opp.posting_text = posting_text
        if source is not UNSET:
            opp.source = source.strip()
        if notes is not UNSET:
            opp.notes = notes.strip()
        opp.updated_at = now
        opp.save()
        if stage is not UNSET:
            move_stage(opp, Stage(stage), at=stage_at or now)
        if remove_people:
            opp.participants.filter(person_id__in=remove_people).delete()
        add_participant_rows(opp, add_participants)
        replan(
            workspace=workspace,
            now=now,
            person_ids=remove_people,
            opportunity_ids=[opp.pk],
            employer_ids=[was_at],
        )
    return opp


def move_stage(opp: Opportunity, stage: Stage, *, at: datetime) -> None:
    if opp.stage == stage.value:
        return
    StageChange.objects.create(opportunity=opp, from_stage=opp.stage, to_stage=stage.value, at=at)
    opp.stage, opp.stage_changed_at = stage.value, at
    opp.save(update_fields=["stage", "stage_changed_at"])


def add_participant_rows(opp: Opportunity, participants: Iterable[tuple[int, Role | None]]) -> None:
    """Add each (person, part); a known part replaces a "part not known yet" row."""
    for person_id, role in participants:
        person = get_row(Person.objects.all(), opp.workspace, person_id, "person")
        if role is None:
            if not opp.participants.filter(person=person).exists():
                OpportunityParticipant.objects.create(opportunity=opp, person=person, role="")
            continue
        opp.participants.filter(person=person, role="").delete()
        OpportunityParticipant.objects.get_or_create(opportunity=opp, person=person, role=Role(role).value)


def organization_of(workspace: Workspace, opportunity_id: int) -> int:
    org_id = (
        Opportunity.objects.filter(workspace=workspace, pk=opportunity_id)
        .values_list("organization_id", flat=True)
        .first()
    )
    if org_id is None:
        raise NotFound(f"no opening with id {opportunity_id}")
    return org_id


@atomic_with_retry("opening")
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
            organization_id=organization_of(workspace, opportunity_id),
            roles=[role] if role else [],
        )
        person = resolved.people[0]
        edit_opportunity(
            workspace=workspace, opportunity_id=opportunity_id, now=now, add_participants=[(person.pk, role)]
        )
    return person


@atomic_with_retry("opening")
def delete_opportunity(*, workspace: Workspace, opportunity_id: int, now: datetime) -> str:
    """Delete an opening with its parts, stage history and follow-ups; touches about it stay,
    about no opening, and so do its people. Returns "title at employer"."""
    with transaction.atomic():
        opp = get_row(Opportunity.objects.select_for_update(), workspace, opportunity_id, "opportunity")
        label = f"{opp.title} at {opp.organization.name}"
        people = set(opp.participants.values_list("person_id", flat=True))
        people |= set(
            InteractionParticipant.objects.filter(interaction__opportunity=opp).values_list("person_id", flat=True)
        )
        employer = opp.organization_id
        opp.delete()
        replan(workspace=workspace, now=now, person_ids=sorted(people), organization_ids=[employer])
    return label
