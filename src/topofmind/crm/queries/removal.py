"""What a delete or a merge takes with it, said before it happens (the confirmation pages,
``--yes``-less CLI prompts and the API read these)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TypeVar

from django.db.models import Count, Model, QuerySet

from topofmind.crm.errors import NotFound
from topofmind.crm.models import (
    Feed,
    FollowUp,
    Interaction,
    InteractionParticipant,
    Opportunity,
    OpportunityParticipant,
    Organization,
    Person,
    PersonEmail,
    ValueItem,
    ValueShare,
    Workspace,
)
from topofmind.crm.queries.lookup import ID_HINTS
from topofmind.engine.types import LIVE_STATES

M = TypeVar("M", bound=Model)


def get_row_of(rows: QuerySet[M], workspace: Workspace, pk: int, noun: str) -> M:
    try:
        return rows.get(workspace=workspace, pk=pk)
    except rows.model.DoesNotExist:  # type: ignore[attr-defined]
        raise NotFound(f"no {noun} with id {pk}", ID_HINTS.get(noun, "")) from None


def counted(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


@dataclass(frozen=True)
class Removal:
    """What goes with a row, and what stays (in words, each with its count)."""

    noun: str  # "person", "organization", "opening"
    row_id: int
    name: str
    goes: list[str] = field(default_factory=list)
    stays: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        # "0 phone numbers" says nothing: only what is there is listed
        self.goes[:] = [line for line in self.goes if not line.startswith("0 ")]
        self.stays[:] = [line for line in self.stays if not line.startswith("0 ")]


def _live(rows: QuerySet[FollowUp]) -> int:
    return rows.filter(state__in=[s.value for s in LIVE_STATES]).count()


def solo_touch_ids(person_ids: list[int]) -> list[int]:
    """Touches whose only people are these: they go when the people go."""
    # Count everyone in the touch, not only the rows the people filter joined.
    theirs = InteractionParticipant.objects.filter(person_id__in=person_ids).values("interaction_id")
    return list(
        Interaction.objects.filter(pk__in=theirs).annotate(n=Count("participants")).filter(n=1).values_list("pk", flat=True)
    )


def person_removal(workspace: Workspace, person_id: int) -> Removal:
    person = get_row_of(Person.objects.all(), workspace, person_id, "person")
    solo = len(solo_touch_ids([person.pk]))
    shared = InteractionParticipant.objects.filter(person=person).count() - solo
    parts = OpportunityParticipant.objects.filter(person=person).values("opportunity_id").distinct().count()
    goes = [
        counted(solo, "touch with them alone", "touches with them alone"),
        counted(_live(FollowUp.objects.filter(person=person)), "open follow-up"),
        counted(parts, "part in an opening", "parts in openings"),
        counted(person.emails.count(), "e-mail address", "e-mail addresses"),
        counted(person.phones.count(), "phone number"),
        counted(ValueShare.objects.filter(person=person).count(), "record of something shared with them",
                "records of things shared with them"),
    ]  # fmt: skip
    stays = [counted(shared, "touch with other people stays", "touches with other people stay") + " (without them)"]
    return Removal("person", person.pk, person.name, goes=goes, stays=stays)


def organization_removal(workspace: Workspace, organization_id: int) -> Removal:
    org = get_row_of(Organization.objects.all(), workspace, organization_id, "organization")
    openings = Opportunity.objects.filter(organization=org)
    goes = [
        counted(openings.count(), "opening"),
        counted(_live(FollowUp.objects.filter(opportunity__organization=org) | FollowUp.objects.filter(organization=org)),
                "open follow-up"),
        counted(Feed.objects.filter(organization=org).count(), "news feed"),
        counted(ValueItem.objects.filter(organization=org).count(), "news item"),
    ]  # fmt: skip
    stays = [
        counted(Person.objects.filter(organization=org).count(), "person stays", "people stay")
        + ", without an employer",
        counted(Interaction.objects.filter(opportunity__organization=org).count(), "touch about its openings stays",
                "touches about its openings stay") + ", about no opening",
    ]  # fmt: skip
    return Removal("organization", org.pk, org.name, goes=goes, stays=stays)


def opening_removal(workspace: Workspace, opportunity_id: int) -> Removal:
    opp = get_row_of(Opportunity.objects.select_related("organization"), workspace, opportunity_id, "opening")
    goes = [
        counted(opp.participants.values("person_id").distinct().count(), "person's part in it", "people's parts in it"),
        counted(_live(FollowUp.objects.filter(opportunity=opp)), "open follow-up"),
        counted(opp.stage_changes.count(), "stage change"),
    ]
    stays = [
        counted(Interaction.objects.filter(opportunity=opp).count(), "touch about it stays", "touches about it stay")
        + ", about no opening",
        "the people in it and " + opp.organization.name,
    ]
    return Removal("opening", opp.pk, f"{opp.title} at {opp.organization.name}", goes=goes, stays=stays)


@dataclass(frozen=True)
class MergePreview:
    """What merging ``other`` into ``keep`` moves (``keep`` survives, ``other`` goes)."""

    keep: Person
    other: Person
    moves: list[str]
    do_not_contact: bool  # the merged person asked not to be contacted (R9: either did)
    same_emails: list[str]  # addresses both have


def merge_preview(workspace: Workspace, keep_id: int, other_id: int) -> MergePreview:
    keep = get_row_of(Person.objects.all(), workspace, keep_id, "person")
    other = get_row_of(Person.objects.all(), workspace, other_id, "person")
    mine = {e.lower() for e in PersonEmail.objects.filter(person=keep).values_list("address", flat=True)}
    theirs = list(PersonEmail.objects.filter(person=other).values_list("address", flat=True))
    shown_moves = [
        counted(InteractionParticipant.objects.filter(person=other).count(), "touch"),
        counted(len([a for a in theirs if a.lower() not in mine]), "e-mail address", "e-mail addresses"),
        counted(other.phones.count(), "phone number"),
        counted(other.roles.count(), "role"),
        counted(OpportunityParticipant.objects.filter(person=other).count(), "part in an opening",
                "parts in openings"),
        counted(FollowUp.objects.filter(person=other).exclude(state="pending").exclude(state="cancelled").count(),
                "follow-up you acted on", "follow-ups you acted on"),
        counted(ValueShare.objects.filter(person=other).count(), "record of something shared",
                "records of things shared"),
    ]  # fmt: skip
    return MergePreview(
        keep=keep,
        other=other,
        moves=[line for line in shown_moves if not line.startswith("0 ")],
        do_not_contact=keep.do_not_contact or other.do_not_contact,
        same_emails=[a for a in theirs if a.lower() in mine],
    )
