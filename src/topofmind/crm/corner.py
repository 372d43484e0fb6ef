"""One corner of a workspace: just enough of the store for the engine to plan some people.

``engine.plan(snapshot)`` plans every person in a snapshot from their history alone, but a
person's plan also reads a few facts about others: the touches and parts of the openings
they take part in (R4 status inquiries, the recruiter's feedback requests), whether the
contact of such an opening asked not to be contacted (R9), whether anyone applied at their
employer and which openings there are still prospects (R13), the accepted offer that ends
a search (R9), an opening closed by a logged rejection, and the user's word on each key.

``load_corner(people=...)`` reads exactly those facts for a set of people - a handful of
indexed queries, whatever the size of the workspace - and returns a Snapshot in which the
plan of each of those people is the plan the whole-workspace snapshot would give. People
and touches that ride along only to supply a fact (a do-not-contact interviewer, a
colleague's application) are planned by the engine too; ``planned_for`` keeps only the
suggestions of the people asked for (and, with ``prospects=True``, the R15 prospects of
every target employer, which need all of their staff).

The equivalence test (tests/integration/test_incremental_equivalence.py) checks this module
against ``snapshot.build_snapshot`` over random histories.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import Q

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
)
from topofmind.crm.snapshot import USER_STATES
from topofmind.engine.types import (
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

# Long id lists are sent in slices: SQLite builds before 3.32 allow 999 parameters.
SLICE = 900
_USER_STATES = [s.value for s in USER_STATES]
_TOUCH_COLUMNS = ("id", "at", "kind", "direction", "channel", "opportunity_id", "points", "ooo_until")
_PERSON_COLUMNS = (
    "id", "name", "organization_id", "organization__name", "title", "linkedin_url", "prefers", "timezone",
    "do_not_contact", "cadence_days", "created_at", "linkedin_connected",
)  # fmt: skip


def sliced(ids: Iterable[int]) -> Iterator[list[int]]:
    """Sorted slices of at most SLICE ids (sorted: the same query text for the same ids)."""
    ordered = sorted(set(ids))
    for start in range(0, len(ordered), SLICE):
        yield ordered[start : start + SLICE]


@dataclass(frozen=True)
class Corner:
    snapshot: Snapshot
    people: frozenset[int]  # whose plans this snapshot gets right
    prospects: bool  # whether it also gets every R15 prospect right

    def planned_for(self, suggestions: Iterable[Suggestion]) -> list[Suggestion]:
        out = []
        for s in suggestions:
            if s.purpose is Purpose.PROSPECT_OUTREACH:
                if self.prospects:
                    out.append(s)
            elif s.person_id in self.people:
                out.append(s)
        return out


def load_corner(
    *,
    workspace_id: int,
    people: Collection[int],
    context: Context,
    policy: Policy,
    plan: PlanSnap | None,
    prospects: bool = False,
) -> Corner:
    """The snapshot that plans ``people`` (and, with ``prospects``, every R15 prospect) exactly."""
    loader = PeopleLoader(workspace_id)
    wanted = set(people)
    loader.add_people(wanted)
    own_orgs = {org for pid in wanted if (org := loader.person_rows[pid][2]) is not None}
    # their touches, and the openings they are part of, with all of those openings' touches
    loader.add_touches(Q(participants__person_id__in=ids) for ids in sliced(wanted))
    mine = set(
        OpportunityParticipant.objects.filter(person_id__in=wanted, opportunity__workspace_id=workspace_id)
        .values_list("opportunity_id", flat=True)
        .distinct()
    )
    loader.add_touches(Q(opportunity_id__in=ids) for ids in sliced(mine))
    opps = set(mine) | {t[5] for t in loader.touches.values() if t[5] is not None}
    if policy.accepted_ends_search:
        accepted = set(
            Opportunity.objects.filter(workspace_id=workspace_id, stage=Stage.ACCEPTED.value).values_list(
                "id", flat=True
            )
        )
        loader.add_touches(Q(opportunity_id__in=ids) for ids in sliced(accepted - mine))
        opps |= accepted
    if policy.enabled("R13") and own_orgs:
        # R13: the openings at their employers, and every application made there
        opps |= set(
            Opportunity.objects.filter(workspace_id=workspace_id, organization_id__in=own_orgs).values_list(
                "id", flat=True
            )
        )
        loader.add_touches(
            [
                Q(kind=Kind.APPLICATION.value, participants__person__organization_id__in=own_orgs),
                Q(kind=Kind.APPLICATION.value, opportunity__organization_id__in=own_orgs),
            ],
            with_people=True,
        )
    targets: set[int] = set()
    if prospects:
        targets = set(Organization.objects.filter(workspace_id=workspace_id, target=True).values_list("id", flat=True))
        staff = set(
            Person.objects.filter(workspace_id=workspace_id, organization_id__in=targets).values_list("id", flat=True)
        )
        loader.add_people(staff)
        # R15 asks whether anyone there was ever in touch; one such touch per person says so
        loader.add_touches(Q(participants__person_id__in=ids) & ~Q(kind=Kind.CONNECTION.value) for ids in sliced(staff))
        opps |= set(
            Opportunity.objects.filter(workspace_id=workspace_id, organization_id__in=targets).values_list(
                "id", flat=True
            )
        )
    if policy.rejection_closes_opening:
        # R9: a rejection logged on an opening closes it, for everyone who refers to it
        loader.add_touches(Q(opportunity_id__in=ids, kind=Kind.REJECTION.value) for ids in sliced(opps - mine))
    loader.add_opportunities(opps)
    # R9: contacts of their openings who asked not to be contacted are passed over
    around = set(OpportunityParticipant.objects.filter(opportunity_id__in=mine).values_list("person_id", flat=True)) | {
        pid for tid, t in loader.touches.items() if t[5] in mine for pid in loader.who[tid]
    }
    loader.add_people(_dnc_among(workspace_id, around - loader.person_rows.keys()))
    actions = Q(person_id__in=wanted) | Q(opportunity_id__in=mine)
    if prospects:
        actions |= Q(key__startswith="R15:")
    snapshot = Snapshot(
        context=context,
        policy=policy,
        people=loader.person_snaps(),
        organizations=loader.organization_snaps(own_orgs | targets),
        opportunities=loader.opportunity_snaps(),
        interactions=loader.interaction_snaps(),
        actions=_actions(workspace_id, actions),
        plan=plan,
        linkedin_connected=frozenset(pid for pid, row in loader.person_rows.items() if row[11]),
    )
    return Corner(snapshot=snapshot, people=frozenset(wanted), prospects=prospects)


def _dnc_among(workspace_id: int, ids: set[int]) -> set[int]:
    out: set[int] = set()
    for part in sliced(ids):
        out |= set(
            Person.objects.filter(workspace_id=workspace_id, id__in=part, do_not_contact=True).values_list(
                "id", flat=True
            )
        )
    return out


def _actions(workspace_id: int, which: Q) -> tuple[UserAction, ...]:
    rows = (
        FollowUp.objects.filter(workspace_id=workspace_id, state__in=_USER_STATES)
        .filter(which)
        .order_by("id")
        .values_list("key", "state", "state_at", "updated_at", "snoozed_until")
    )
    return tuple(
        UserAction(key=key, state=State(state), at=state_at or updated_at, until=until)
        for key, state, state_at, updated_at, until in rows
    )


class PeopleLoader:
    """Accumulates rows by id (a row met twice is read once) and turns them into snaps.

    The agenda uses it too, to read the people its drafts address.
    """

    def __init__(self, workspace_id: int) -> None:
        self.workspace_id = workspace_id
        self.person_rows: dict[int, tuple[Any, ...]] = {}
        self.touches: dict[int, tuple[Any, ...]] = {}
        self.who: dict[int, list[int]] = {}
        self.opportunity_rows: dict[int, tuple[Any, ...]] = {}

    def add_people(self, ids: Iterable[int]) -> None:
        new = set(ids) - self.person_rows.keys()
        for part in sliced(new):
            for row in Person.objects.filter(workspace_id=self.workspace_id, id__in=part).values_list(*_PERSON_COLUMNS):
                self.person_rows[row[0]] = row

    def add_touches(self, filters: Iterable[Q], *, with_people: bool = False) -> None:
        new: set[int] = set()
        for condition in filters:
            for row in (
                Interaction.objects.filter(workspace_id=self.workspace_id)
                .filter(condition)
                .values_list(*_TOUCH_COLUMNS)
                .distinct()
            ):
                if row[0] not in self.touches:
                    self.touches[row[0]] = row
                    new.add(row[0])
        for part in sliced(new):
            for interaction_id, person_id in (
                InteractionParticipant.objects.filter(interaction_id__in=part)
                .order_by("person_id")
                .values_list("interaction_id", "person_id")
            ):
                self.who.setdefault(interaction_id, []).append(person_id)
        if with_people:
            # the people whose employer a touch speaks for (R13's "applied there")
            self.add_people({pid for tid in new for pid in self.who.get(tid, ())})

    def add_opportunities(self, ids: Iterable[int]) -> None:
        new = set(ids) - self.opportunity_rows.keys()
        for part in sliced(new):
            for row in (
                Opportunity.objects.filter(workspace_id=self.workspace_id, id__in=part)
                .values_list(
                    "id", "title", "organization_id", "organization__name", "stage", "decision_date",
                    "stage_changed_at", "created_at",
                )
            ):  # fmt: skip
                self.opportunity_rows[row[0]] = row

    # -- snaps, exactly as snapshot.build_snapshot makes them --------------------------------
    def person_snaps(self) -> tuple[PersonSnap, ...]:
        ids = sorted(self.person_rows)
        roles: dict[int, set[Role]] = defaultdict(set)
        emails: dict[int, list[str]] = defaultdict(list)
        phones: dict[int, list[str]] = defaultdict(list)
        for part in sliced(ids):
            for pid, role in PersonRole.objects.filter(person_id__in=part).values_list("person_id", "role"):
                roles[pid].add(Role(role))
            for pid, address in (
                PersonEmail.objects.filter(person_id__in=part).order_by("id").values_list("person_id", "address")
            ):
                emails[pid].append(address)
            for pid, number in (
                PersonPhone.objects.filter(person_id__in=part).order_by("id").values_list("person_id", "number")
            ):
                phones[pid].append(number)
        out = []
        for pid in ids:
            (
                _, name, org_id, org_name, title, linkedin, prefers, tz, dnc, cadence, created, _connected,
            ) = self.person_rows[pid]  # fmt: skip
            out.append(
                PersonSnap(
                    id=pid,
                    name=name,
                    organization_id=org_id,
                    organization_name=org_name,
                    title=title,
                    roles=frozenset(roles.get(pid, ())),
                    emails=tuple(emails.get(pid, ())),
                    phones=tuple(phones.get(pid, ())),
                    linkedin_url=linkedin,
                    prefers=Channel(prefers) if prefers else None,
                    timezone=tz or None,
                    do_not_contact=dnc,
                    cadence_days=cadence,
                    created_at=created,
                )
            )
        return tuple(out)

    def organization_snaps(self, ids: Collection[int]) -> tuple[OrganizationSnap, ...]:
        out: list[OrganizationSnap] = []
        for part in sliced(ids):
            out.extend(
                OrganizationSnap(id=pk, name=name, target=target, priority=priority, created_at=created)
                for pk, name, target, priority, created in Organization.objects.filter(
                    workspace_id=self.workspace_id, id__in=part
                ).values_list("id", "name", "target", "priority", "created_at")
            )
        return tuple(sorted(out, key=lambda o: o.id))

    def opportunity_snaps(self) -> tuple[OpportunitySnap, ...]:
        parts: dict[int, dict[int, set[Role]]] = defaultdict(lambda: defaultdict(set))
        for part in sliced(self.opportunity_rows):
            for opp_id, person_id, role in OpportunityParticipant.objects.filter(opportunity_id__in=part).values_list(
                "opportunity_id", "person_id", "role"
            ):
                found = parts[opp_id][person_id]
                if role:
                    found.add(Role(role))
        out = []
        for pk in sorted(self.opportunity_rows):
            _, title, org_id, org_name, stage, decision, changed, created = self.opportunity_rows[pk]
            out.append(
                OpportunitySnap(
                    id=pk,
                    title=title,
                    organization_id=org_id,
                    organization_name=org_name,
                    stage=Stage(stage),
                    decision_date=decision,
                    participants=tuple(
                        (person_id, frozenset(part)) for person_id, part in sorted(parts.get(pk, {}).items())
                    ),
                    stage_changed_at=changed,
                    created_at=created,
                )
            )
        return tuple(out)

    def interaction_snaps(self) -> tuple[InteractionSnap, ...]:
        out = []
        for pk, at, kind, direction, channel, opportunity_id, points, ooo_until in self.touches.values():
            out.append(
                InteractionSnap(
                    id=pk,
                    at=at,
                    kind=Kind(kind),
                    direction=Direction(direction),
                    channel=Channel(channel) if channel else None,
                    person_ids=tuple(self.who.get(pk, ())),
                    opportunity_id=opportunity_id,
                    points=points,
                    ooo_until=ooo_until,
                )
            )
        out.sort(key=lambda i: (i.at, i.id))
        return tuple(out)
