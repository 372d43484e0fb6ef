"""Finding rows by the names people use for them.

An exact, case-insensitive match wins; several exact matches are ``Ambiguous`` (listing
them, with their ids); none is ``NotFound`` with the closest names. ``#12`` names a row by id.
Every lookup is confined to one workspace: Charlie never finds Alice's people.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django.core.exceptions import ObjectDoesNotExist
from django.db import models

from topofmind.crm.errors import Ambiguous, NotFound
from topofmind.crm.models import FollowUp, Interaction, Opportunity, Organization, Person, Workspace

M = TypeVar("M", bound=models.Model)

# Where a user finds the ids of rows they name by number.
ID_HINTS = {
    "follow-up": "the ids are in the first column of: topofmind today",
    "touch": "the ids are in the first column of: topofmind touch list",
    "person": "list them with: topofmind person list",
    "organization": "list them with: topofmind org list",
    "opportunity": "list them with: topofmind opp list",
    "library item": "see the ids with: topofmind value list",
    "feed": "see the ids with: topofmind feeds list",
}


def _id_of(text: str) -> int | None:
    text = text.strip()
    if text.startswith("#") and text[1:].isdigit():
        return int(text[1:])
    return None


def close_matches(text: str, names: list[str], *, limit: int = 3) -> list[str]:
    from rapidfuzz import fuzz, process  # only when a name is not found: `today` never pays for it

    found = process.extract(text, names, scorer=fuzz.WRatio, limit=limit, score_cutoff=70)
    seen: list[str] = []
    for name, _score, _index in found:
        if name not in seen:
            seen.append(name)
    return seen


def _find(
    queryset: models.QuerySet[M],
    text: str,
    *,
    field: str,
    noun: str,
    plural: str,
    label: Callable[[M], str],
    command: str,
    add_example: str = 'add "{name}"',
) -> M:
    wanted = text.strip()
    row_id = _id_of(wanted)
    if row_id is not None:
        try:
            return queryset.get(pk=row_id)
        except ObjectDoesNotExist:
            raise NotFound(f"no {noun} with id {row_id}", f"list them with: topofmind {command} list") from None
    rows = list(queryset.filter(**{f"{field}__iexact": wanted}).order_by("pk")[:20])
    pairs: list[tuple[int, str]] = []
    if not rows:
        # SQLite's iexact folds ASCII only; a pass in Python also matches "Zoë" to "ZOË".
        pairs = [(pk, str(value)) for pk, value in queryset.values_list("pk", field)]
        folded = wanted.casefold()
        ids = [pk for pk, value in pairs if value.casefold() == folded][:20]
        rows = list(queryset.filter(pk__in=ids).order_by("pk")) if ids else []
    if len(rows) == 1:
        return rows[0]
    if len(rows) > 1:
        candidates = [f"#{row.pk} {label(row)}" for row in rows]
        raise Ambiguous(
            f'{len(rows)} {plural} are called "{wanted}": {", ".join(candidates)}',
            f'name one by its id, e.g. "#{rows[0].pk}"',
            candidates=candidates,
        )
    matches = close_matches(wanted, sorted({value for _, value in pairs}))
    if matches:
        hint = "did you mean " + " or ".join(f'"{m}"' for m in matches) + "?"
    else:
        hint = f"add it with: topofmind {command} " + add_example.format(name=wanted)
    raise NotFound(f'no {noun} called "{wanted}"', hint, matches=matches)


def _person_label(person: Person) -> str:
    org = person.organization.name if person.organization_id and person.organization else ""
    return f"{person.name} ({org})" if org else person.name


def find_person(*, workspace: Workspace, name: str) -> Person:
    return _find(
        Person.objects.filter(workspace=workspace).select_related("organization"),
        name,
        field="name",
        noun="person",
        plural="people",
        label=_person_label,
        command="person",
    )


def find_organization(*, workspace: Workspace, name: str) -> Organization:
    return _find(
        Organization.objects.filter(workspace=workspace),
        name,
        field="name",
        noun="organization",
        plural="organizations",
        label=lambda org: org.name,
        command="org",
    )


def find_opportunity(*, workspace: Workspace, title: str) -> Opportunity:
    return _find(
        Opportunity.objects.filter(workspace=workspace).select_related("organization"),
        title,
        field="title",
        noun="opportunity",
        plural="opportunities",
        label=lambda opp: f"{opp.title} at {opp.organization.name}",
        command="opp",
        add_example='add "{name}" --org ORG',
    )


def get_followup(*, workspace: Workspace, followup_id: int) -> FollowUp:
    try:
        return FollowUp.objects.select_related("person", "organization", "opportunity").get(
            workspace=workspace, pk=followup_id
        )
    except FollowUp.DoesNotExist:
        raise NotFound(f"no follow-up with id {followup_id}", ID_HINTS["follow-up"]) from None


def get_interaction(*, workspace: Workspace, interaction_id: int) -> Interaction:
    try:
        return Interaction.objects.get(workspace=workspace, pk=interaction_id)
    except Interaction.DoesNotExist:
        raise NotFound(f"no touch with id {interaction_id}", ID_HINTS["touch"]) from None
