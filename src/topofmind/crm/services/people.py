"""People: add, edit, stop and resume contact, and names as typed resolved to people."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import Q

from topofmind.crm.errors import Conflict, Invalid, NotFound
from topofmind.crm.models import Organization, Person, PersonEmail, PersonPhone, PersonRole, Workspace
from topofmind.crm.planning import opportunities_around, replan
from topofmind.crm.queries import lookup
from topofmind.crm.services._fields import UNSET, Maybe, email_address, get_row, required, web_url
from topofmind.crm.services.transactions import atomic_with_retry
from topofmind.crm.validation import join_tags, parse_int, parse_timezone
from topofmind.engine.types import Channel, Role


@atomic_with_retry("person")
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


@atomic_with_retry("person")
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
        person = get_row(Person.objects.select_for_update(), workspace, person_id, "person")
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
        person.name = required(given["name"], field="name")
    if "organization_id" in given:
        org_id = given["organization_id"]
        person.organization = (
            None if org_id is None else get_row(Organization.objects.all(), person.workspace, org_id, "organization")
        )
    if "linkedin_url" in given:
        person.linkedin_url = web_url(given["linkedin_url"], field="linkedin")
    if "timezone" in given:
        zone = str(given["timezone"]).strip()
        person.timezone = parse_timezone(zone) if zone else ""
    if "prefers" in given:
        person.prefers = given["prefers"].value if given["prefers"] is not None else ""
    if "cadence_days" in given:
        days = given["cadence_days"]
        person.cadence_days = None if days is None else parse_int(days, field="cadence_days")
    if "interests" in given:
        person.interests = join_tags(given["interests"])
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
        addresses = [email_address(e) for e in emails if e.strip()]
        PersonEmail.objects.filter(person=person).delete()
        PersonEmail.objects.bulk_create(PersonEmail(person=person, address=a) for a in dict.fromkeys(addresses))
    if phones is not None:
        numbers = [p.strip() for p in phones if p.strip()]  # stored as given
        PersonPhone.objects.filter(person=person).delete()
        PersonPhone.objects.bulk_create(PersonPhone(person=person, number=n) for n in dict.fromkeys(numbers))


@atomic_with_retry("person")
def stop_contact(*, workspace: Workspace, person_id: int, at: datetime, now: datetime, reason: str = "") -> Person:
    """R9: they asked not to be contacted; nothing is suggested for them from now on."""
    with transaction.atomic():
        person = get_row(Person.objects.select_for_update(), workspace, person_id, "person")
        person.do_not_contact, person.dnc_reason, person.dnc_at = True, reason.strip(), at
        person.updated_at = now
        person.save()
        replan(workspace=workspace, now=now, person_ids=[person.pk], opportunity_ids=opportunities_around([person.pk]))
    return person


@atomic_with_retry("person")
def resume_contact(*, workspace: Workspace, person_id: int, now: datetime) -> Person:
    with transaction.atomic():
        person = get_row(Person.objects.select_for_update(), workspace, person_id, "person")
        person.do_not_contact, person.dnc_reason, person.dnc_at = False, "", None
        person.updated_at = now
        person.save()
        replan(workspace=workspace, now=now, person_ids=[person.pk], opportunity_ids=opportunities_around([person.pk]))
    return person


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
                add_person(workspace=workspace, name=name, now=now, organization_id=organization_id, roles=roles)
            )
            created.append(name)
    return ResolvedPeople(people=found, created=created)
