"""People: add, edit, stop and resume contact, and names as typed resolved to people."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import Q

from topofmind.crm.errors import Conflict, Invalid, NotFound
from topofmind.crm.models import (
    FollowUp,
    Interaction,
    InteractionParticipant,
    OpportunityParticipant,
    Organization,
    OutboxMessage,
    Person,
    PersonEmail,
    PersonPhone,
    PersonRole,
    ValueShare,
    Workspace,
)
from topofmind.crm.planning import opportunities_around, replan
from topofmind.crm.queries import lookup
from topofmind.crm.queries.removal import solo_touch_ids
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
        _refuse_taken_emails(workspace, emails)
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
        if emails is not UNSET:
            _refuse_taken_emails(workspace, emails, besides=person.pk)
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


class EmailTaken(Conflict):
    """An address given for a person already belongs to another: points at them, offers a merge."""

    def __init__(self, address: str, owner: Person) -> None:
        super().__init__(
            f'{address} already belongs to "{owner.name}" (#{owner.pk})',
            f'see them with: topofmind person show "#{owner.pk}"; if both are one person, merge them with: '
            f'topofmind person merge "#{owner.pk}" OTHER',
        )
        self.field = "emails"
        self.address = address
        self.owner_id = owner.pk
        self.owner_name = owner.name


def _refuse_taken_emails(workspace: Workspace, emails: Sequence[str], *, besides: int | None = None) -> None:
    addresses = [email_address(e) for e in emails if e.strip()]
    if not addresses:
        return
    same = Q()
    for address in addresses:
        same |= Q(address__iexact=address)
    taken = PersonEmail.objects.filter(same, person__workspace=workspace).select_related("person")
    if besides is not None:
        taken = taken.exclude(person_id=besides)
    first = taken.order_by("person_id").first()
    if first is not None:
        raise EmailTaken(first.address, first.person)


@atomic_with_retry("person")
def delete_person(*, workspace: Workspace, person_id: int, now: datetime) -> str:
    """Delete a person: their touches with no one else, follow-ups, parts and details go;
    touches with other people stay, without them. Returns their name."""
    with transaction.atomic():
        person = get_row(Person.objects.select_for_update(), workspace, person_id, "person")
        name, employer = person.name, person.organization_id
        openings = opportunities_around([person.pk])
        others = set(
            InteractionParticipant.objects.filter(interaction__participants__person=person)
            .exclude(person=person)
            .values_list("person_id", flat=True)
        )
        Interaction.objects.filter(pk__in=solo_touch_ids([person.pk])).delete()
        person.delete()
        replan(
            workspace=workspace,
            now=now,
            person_ids=sorted(others),
            opportunity_ids=openings,
            employer_ids=[employer] if employer is not None else [],
        )
    return name


@atomic_with_retry("person")
def merge_people(*, workspace: Workspace, keep_id: int, other_id: int, now: datetime) -> Person:
    """Two records of one person become ``keep``: every touch, address, phone, role, part in an
    opening, follow-up you acted on and value share of ``other`` moves over, then ``other`` goes.
    If either asked not to be contacted, the merged person has (R9)."""
    if keep_id == other_id:
        raise Invalid("merge", "a person cannot be merged with themselves", "name two different people")
    with transaction.atomic():
        first, second = sorted([keep_id, other_id])  # lock in id order, as every re-plan does
        locked = {p.pk: p for p in Person.objects.select_for_update().filter(workspace=workspace, pk__in=[first, second])}
        for pk in (keep_id, other_id):
            if pk not in locked:
                raise NotFound(f"no person with id {pk}", "list them with: topofmind person list")
        keep, other = locked[keep_id], locked[other_id]
        employers = {p.organization_id for p in (keep, other) if p.organization_id is not None}
        _move_touches(keep, other)
        _move_contacts(keep, other)
        _move_parts(keep, other)
        _move_followups(workspace, keep, other)
        for share in ValueShare.objects.filter(person=other):
            if ValueShare.objects.filter(value_item_id=share.value_item_id, person=keep).exists():
                share.delete()
            else:
                share.person = keep
                share.save(update_fields=["person"])
        OutboxMessage.objects.filter(person=other).update(person=keep)
        _merge_fields(keep, other)
        keep.updated_at = now
        keep.save()
        other.delete()
        replan(
            workspace=workspace,
            now=now,
            person_ids=[keep.pk],
            opportunity_ids=opportunities_around([keep.pk]),
            employer_ids=sorted(employers),
        )
    return keep


def _move_touches(keep: Person, other: Person) -> None:
    both = set(InteractionParticipant.objects.filter(person=keep).values_list("interaction_id", flat=True))
    InteractionParticipant.objects.filter(person=other, interaction_id__in=both).delete()
    InteractionParticipant.objects.filter(person=other).update(person=keep)


def _move_contacts(keep: Person, other: Person) -> None:
    known = {e.lower() for e in keep.emails.values_list("address", flat=True)}
    for email in PersonEmail.objects.filter(person=other).order_by("pk"):
        if email.address.lower() in known:
            email.delete()
        else:
            known.add(email.address.lower())
            email.person = keep
            email.save(update_fields=["person"])
    numbers = set(keep.phones.values_list("number", flat=True))
    for phone in PersonPhone.objects.filter(person=other).order_by("pk"):
        if phone.number in numbers:
            phone.delete()
        else:
            numbers.add(phone.number)
            phone.person = keep
            phone.save(update_fields=["person"])
    roles = set(keep.roles.values_list("role", flat=True))
    PersonRole.objects.bulk_create(
        PersonRole(person=keep, role=r) for r in other.roles.values_list("role", flat=True) if r not in roles
    )


def _move_parts(keep: Person, other: Person) -> None:
    mine = set(OpportunityParticipant.objects.filter(person=keep).values_list("opportunity_id", "role"))
    for part in OpportunityParticipant.objects.filter(person=other).order_by("pk"):
        if (part.opportunity_id, part.role) not in mine:
            mine.add((part.opportunity_id, part.role))
            OpportunityParticipant.objects.create(opportunity_id=part.opportunity_id, person=keep, role=part.role)
    # a known part replaces "part not known yet", as adding a part does
    known = {opp for opp, role in mine if role}
    OpportunityParticipant.objects.filter(person=keep, role="", opportunity_id__in=known).delete()


# The user's word on a follow-up, which a re-plan never overwrites: it moves with the merge.
_USER_FIELDS = ("state", "state_at", "snoozed_until", "draft_subject", "draft_body", "value_choice", "value_item_id")


_NOT_PERSON_KEYED = frozenset({"R4", "R15"})


def _move_followups(workspace: Workspace, keep: Person, other: Person) -> None:
    """``other``'s follow-ups become ``keep``'s: keys name the person third (``R1:thank_you:{person}:...``),
    so each is re-keyed; where ``keep`` already has that key, the row the user acted on wins."""
    for row in FollowUp.objects.filter(workspace=workspace, person=other).order_by("pk"):
        parts = row.key.split(":")
        # R4's keys name the opening third (R4:status_inquiry:{opening}:{touch}), not the person
        if len(parts) >= 3 and parts[0] not in _NOT_PERSON_KEYED and parts[2] == str(other.pk):
            parts[2] = str(keep.pk)
        key = ":".join(parts)
        twin = FollowUp.objects.filter(workspace=workspace, key=key).exclude(pk=row.pk).first()
        if twin is None:
            row.key, row.person = key, keep
            row.save(update_fields=["key", "person"])
            continue
        if row.state not in ("pending", "cancelled") and twin.state in ("pending", "cancelled"):
            for name in _USER_FIELDS:
                setattr(twin, name, getattr(row, name))
            twin.save(update_fields=[f.removesuffix("_id") if f.endswith("_id") else f for f in _USER_FIELDS])
        row.delete()


def _merge_fields(keep: Person, other: Person) -> None:
    for name in ("title", "linkedin_url", "prefers", "timezone", "how_met", "interests"):
        if not getattr(keep, name) and getattr(other, name):
            setattr(keep, name, getattr(other, name))
    if keep.organization_id is None:
        keep.organization_id = other.organization_id
    if keep.cadence_days is None:
        keep.cadence_days = other.cadence_days
    if other.notes and other.notes not in keep.notes:
        keep.notes = f"{keep.notes}\n{other.notes}".strip()
    if other.name.casefold() != keep.name.casefold() and f"also known as {other.name}" not in keep.notes:
        keep.notes = f"{keep.notes}\nalso known as {other.name}".strip()
    keep.linkedin_connected = keep.linkedin_connected or other.linkedin_connected
    keep.created_at = min(keep.created_at, other.created_at)
    if other.do_not_contact and not keep.do_not_contact:  # R9: either asked, so the merged one has
        keep.do_not_contact, keep.dnc_reason, keep.dnc_at = True, other.dnc_reason, other.dnc_at
