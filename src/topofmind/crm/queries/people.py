"""People: the list with its filters, the "who" box, one person's page."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.paginator import Page, Paginator
from django.db.models import (
    BooleanField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)

from topofmind.crm.errors import NotFound
from topofmind.crm.models import (
    FollowUp,
    Interaction,
    Opportunity,
    OpportunityParticipant,
    Person,
    PersonRole,
    ValueShare,
    Workspace,
)
from topofmind.crm.queries.followups import live_followups
from topofmind.crm.queries.paging import PER_PAGE
from topofmind.crm.queries.touches import interactions_of_person, timeline
from topofmind.crm.queries.workspace import policy_of
from topofmind.crm.validation import search_term
from topofmind.engine.types import EXPECTS_ANSWER, NOT_ANSWERS, OPEN_STAGES, Direction, Kind, Policy, Role

_ASK_KINDS = [k.value for k in EXPECTS_ANSWER]
_NOT_ANSWER_KINDS = [k.value for k in NOT_ANSWERS] + [Kind.CONNECTION.value]


@dataclass(frozen=True)
class PeopleFilter:
    search: str = ""
    role: str = ""
    organization_id: int | None = None
    losing_touch: bool = False
    waiting: bool = False

    @property
    def active(self) -> bool:
        return bool(self.search or self.role or self.organization_id or self.losing_touch or self.waiting)


def _touches_of_person() -> QuerySet[Interaction]:
    return Interaction.objects.filter(participants__person=OuterRef("pk"))


def annotated_people(workspace: Workspace) -> QuerySet[Person]:
    """People with ``last_touch``, ``last_ask``, ``last_answer`` and ``in_open_opportunity``."""
    touches = _touches_of_person().exclude(kind=Kind.CONNECTION.value)
    asks = _touches_of_person().filter(direction=Direction.OUT.value, kind__in=_ASK_KINDS)
    answers = (
        _touches_of_person()
        .filter(direction__in=[Direction.IN.value, Direction.BOTH.value])
        .exclude(kind__in=_NOT_ANSWER_KINDS)
    )
    open_parts = OpportunityParticipant.objects.filter(
        person=OuterRef("pk"), opportunity__stage__in=[s.value for s in OPEN_STAGES]
    )
    return (
        Person.objects.filter(workspace=workspace)
        .annotate(
            last_touch=Subquery(touches.order_by("-at").values("at")[:1]),
            last_ask=Subquery(asks.order_by("-at").values("at")[:1]),
            last_answer=Subquery(answers.order_by("-at").values("at")[:1]),
            in_open_opportunity=Exists(open_parts),
        )
        .annotate(waiting=ExpressionWrapper(_waiting_q(), output_field=BooleanField()))
    )


def _waiting_q() -> Q:
    return Q(last_ask__isnull=False) & (Q(last_answer__isnull=True) | Q(last_answer__lt=F("last_ask")))


def _losing_touch_q(workspace: Workspace, policy: Policy, now: datetime) -> Q:
    """Last touch longer ago than the person's cadence (R5): the clock any touch restarts.

    Needs the ``is_recruiter`` annotation (see ``people``); mirrors engine.rules.keep_warm:
    people in an open opening every keep_warm_open_days, recruiters every
    recruiter_update_days, everyone else at their own cadence or the network's.
    """

    def older(days: int) -> Q:
        return Q(last_touch__lt=now - timedelta(days=days))

    own_cadences = (
        Person.objects.filter(workspace=workspace, cadence_days__isnull=False)
        .order_by()
        .values_list("cadence_days", flat=True)
        .distinct()
    )
    per_cadence = Q(pk__in=[])
    for days in own_cadences:
        if days is not None:
            per_cadence |= Q(cadence_days=days) & older(days)
    rest = Q(in_open_opportunity=False)
    q = Q(in_open_opportunity=True) & older(policy.keep_warm_open_days)
    q |= rest & Q(is_recruiter=True) & older(policy.recruiter_update_days)
    q |= rest & Q(is_recruiter=False, cadence_days__isnull=False) & per_cadence
    q |= rest & Q(is_recruiter=False, cadence_days__isnull=True) & older(policy.keep_warm_network_days)
    return Q(last_touch__isnull=False, do_not_contact=False) & q


def people(
    workspace: Workspace,
    *,
    now: datetime,
    filters: PeopleFilter,
    page: int = 1,
    per_page: int = PER_PAGE,
    contacts: bool = False,
) -> Page[Person]:
    """One page of people, by name, each annotated (see ``annotated_people``) with roles and org
    (and, with ``contacts``, their e-mails and phones: what the API and exports show)."""
    qs = annotated_people(workspace).select_related("organization").prefetch_related("roles")
    if contacts:
        qs = qs.prefetch_related("emails", "phones")
    if filters.search:
        term = search_term(filters.search)
        qs = qs.filter(
            Q(name__icontains=term)
            | Q(title__icontains=term)
            | Q(organization__name__icontains=term)
            | Q(emails__address__icontains=term)
        ).distinct()
    if filters.role:
        qs = qs.filter(roles__role=filters.role)
    if filters.organization_id:
        qs = qs.filter(organization_id=filters.organization_id)
    if filters.waiting:
        qs = qs.filter(_waiting_q())
    if filters.losing_touch:
        recruiter = Exists(PersonRole.objects.filter(person=OuterRef("pk"), role=Role.RECRUITER.value))
        qs = qs.annotate(is_recruiter=recruiter).filter(_losing_touch_q(workspace, policy_of(workspace), now))
    qs = qs.order_by("name", "pk")
    return Paginator(qs, per_page).get_page(page)


def person_suggestions(workspace: Workspace, text: str, *, limit: int = 8) -> list[Person]:
    """Names for the "who" box: those starting with the text first, then those containing it."""
    term = search_term(text)
    if not term:
        return []
    base = Person.objects.filter(workspace=workspace).select_related("organization")
    first = list(base.filter(name__istartswith=term).order_by("name")[:limit])
    if len(first) < limit:
        seen = [p.pk for p in first]
        first += list(base.filter(name__icontains=term).exclude(pk__in=seen).order_by("name")[: limit - len(first)])
    return first


def get_person(workspace: Workspace, person_id: int) -> Person:
    try:
        return (
            annotated_people(workspace)
            .select_related("organization")
            .prefetch_related("roles", "emails", "phones")
            .get(pk=person_id)
        )
    except Person.DoesNotExist:
        raise NotFound(f"no person with id {person_id}") from None


@dataclass
class Part:
    """One opening a person is part of, and their parts in it ("" = not known yet)."""

    opportunity: Opportunity
    roles: list[str]


def _parts_by_opening(workspace: Workspace, person: Person) -> list[Part]:
    out: dict[int, Part] = {}
    for row in (
        OpportunityParticipant.objects.filter(person=person, opportunity__workspace=workspace)
        .select_related("opportunity", "opportunity__organization")
        .order_by("opportunity__title", "opportunity_id", "role")
    ):
        entry = out.setdefault(row.opportunity_id, Part(opportunity=row.opportunity, roles=[]))
        if row.role:
            entry.roles.append(row.role)
    return list(out.values())


@dataclass
class PersonPage:
    person: Person
    timeline: list[Interaction]
    followups: list[FollowUp]
    parts: list[Part]
    waiting: bool
    losing_touch: bool
    cadence_days: int
    shared: list[ValueShare]  # what was shared with them from the library (R10: never twice)


def cadence_of(person: Person, policy: Policy, *, in_open: bool, roles: Iterable[str]) -> int:
    if in_open:
        return policy.keep_warm_open_days
    if Role.RECRUITER.value in set(roles):
        return policy.recruiter_update_days
    return person.cadence_days or policy.keep_warm_network_days


def person_page(workspace: Workspace, person_id: int, *, now: datetime) -> PersonPage:
    person = get_person(workspace, person_id)
    policy = policy_of(workspace)
    roles = [r.role for r in person.roles.all()]
    in_open = bool(getattr(person, "in_open_opportunity", False))
    cadence = cadence_of(person, policy, in_open=in_open, roles=roles)
    last_touch: datetime | None = getattr(person, "last_touch", None)
    last_ask: datetime | None = getattr(person, "last_ask", None)
    last_answer: datetime | None = getattr(person, "last_answer", None)
    return PersonPage(
        person=person,
        timeline=timeline(workspace, interactions_of_person(workspace, person.pk)),
        followups=list(live_followups(workspace).filter(person=person).order_by("due", "pk")),
        parts=_parts_by_opening(workspace, person),
        waiting=last_ask is not None and (last_answer is None or last_answer < last_ask),
        losing_touch=(
            last_touch is not None and not person.do_not_contact and last_touch < now - timedelta(days=cadence)
        ),
        cadence_days=cadence,
        shared=list(
            ValueShare.objects.filter(workspace=workspace, person=person)
            .select_related("value_item")
            .order_by("-shared_at", "-pk")
        ),
    )


@dataclass(frozen=True)
class OpeningPart:
    """A person's parts in one opening, as ``person show`` lists them (none = not known yet)."""

    opportunity_id: int
    title: str
    roles: tuple[str, ...]


def opening_parts_of(person: Person) -> list[OpeningPart]:
    """The openings of a person, by opening id, each once with all its parts."""
    by_opening: dict[int, tuple[str, list[str]]] = {}
    for part in person.opportunity_parts.select_related("opportunity").order_by("opportunity_id", "role"):
        _, roles = by_opening.setdefault(part.opportunity_id, (part.opportunity.title, []))
        if part.role:
            roles.append(part.role)
    return [OpeningPart(opportunity_id=k, title=title, roles=tuple(roles)) for k, (title, roles) in by_opening.items()]


def person_names(workspace: Workspace, *, limit: int = 1000) -> list[str]:
    """People's names, by name (the suggestions of a "which person" box; capped for big searches)."""
    return list(
        Person.objects.filter(workspace=workspace).order_by("name").values_list("name", flat=True).distinct()[:limit]
    )


def names_one_person(workspace: Workspace, name: str) -> bool:
    """Whether exactly one person of the workspace has this name (case aside)."""
    return Person.objects.filter(workspace=workspace, name__iexact=name).count() == 1


def list_people(*, workspace: Workspace, organization_id: int | None = None) -> list[Person]:
    people = Person.objects.filter(workspace=workspace).select_related("organization")
    if organization_id is not None:
        people = people.filter(organization_id=organization_id)
    return list(people.prefetch_related("roles", "emails", "phones").order_by("name", "id"))
